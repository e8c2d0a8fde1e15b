"""Where a transformer's starting weights come from: an installed package, a checkpoint folder, or
an exported stance model (sequential fine-tuning continues from its encoder); a missing folder is
one clear error, not a failed hub download."""

import pytest

from stance.errors import InputError
from stance.models.pretrained import resolve_pretrained


def test_an_exported_model_resolves_to_its_encoder(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "MLmodel").write_text("flavors: {}\n")
    assert resolve_pretrained(str(tmp_path / "m")) == str(tmp_path / "m" / "artifacts" / "stance_model" / "encoder")
    assert resolve_pretrained(str(tmp_path)) == str(tmp_path)  # a plain checkpoint folder is itself
    assert resolve_pretrained("org/model") == "org/model"  # a hub id is passed on


def test_a_missing_folder_says_what_to_pass(tmp_path):
    with pytest.raises(InputError, match="no such folder: model.pretrained takes .* `make run`"):
        resolve_pretrained(str(tmp_path / "experiments" / "pretrained" / "newsmtsc"))

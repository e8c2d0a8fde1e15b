"""Model folders hold no pickle: the baseline is stored with skops (an explicit list of trusted
types), the transformer's heads as safetensors, and both load with pickle switched off."""

import pickle
import zipfile
from pathlib import Path

import mlflow
import pandas as pd
import pytest

from conftest import pickled_files
from stance.models.baseline import TfidfLogReg
from stance.tracking.model_io import save_and_log

TEXTS = ["Russia voiced support for Maduro.", "Sanctions on the Maduro regime.", "Oil output fell.",
         "Brazil recognized Guaido.", "Officials called Guaido a puppet.", "Talks resumed in Oslo."] * 3
TARGETS = ["maduro"] * 9 + ["guaido"] * 9
LABELS = ["FAVOR", "AGAINST", "NONE"] * 6


@pytest.fixture
def no_pickle(monkeypatch):
    # Libraries may use pickle for their own set-up when first imported: import them first.
    import onnxruntime  # noqa: F401
    import skops.io  # noqa: F401
    import torch  # noqa: F401
    import transformers  # noqa: F401

    def refuse(*_args, **_kwargs):
        raise AssertionError("pickle was used to load a model")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)


def score(folder: Path) -> pd.DataFrame:
    model = mlflow.pyfunc.load_model(str(folder), model_config={"backend": "torch"})
    return model.predict(pd.DataFrame({"text": TEXTS[:4], "target": TARGETS[:4]}))


def test_baseline_folder_has_no_pickle_and_loads_without_it(tmp_path, no_pickle):
    model = TfidfLogReg().fit(TEXTS, TARGETS, LABELS)
    save_and_log(model, ["maduro", "guaido"], TEXTS[:2], export_dir=tmp_path / "m")
    assert pickled_files(tmp_path / "m") == []
    out = score(tmp_path / "m")
    expected = model.predict_proba(TEXTS[:4], TARGETS[:4])
    assert (out[["p_favor", "p_against", "p_none"]].to_numpy() == expected).all()


@pytest.mark.slow
def test_transformer_folder_has_no_pickle_and_loads_without_it(tmp_path, tiny_bert, no_pickle):
    from stance.models.transformer import TransformerStance

    model = TransformerStance(pretrained=str(tiny_bert), targets={"maduro": ["Maduro"], "guaido": ["Guaido"]},
                              epochs=1, progress=False)
    model.fit(TEXTS, TARGETS, LABELS)
    save_and_log(model, ["maduro", "guaido"], TEXTS[:2], export_dir=tmp_path / "m")
    assert pickled_files(tmp_path / "m") == []
    out = score(tmp_path / "m")
    assert abs(out[["p_favor", "p_against", "p_none"]].to_numpy()
               - model.predict_proba(TEXTS[:4], TARGETS[:4])).max() < 1e-5


def test_a_baseline_file_with_an_untrusted_type_is_refused(tmp_path):
    import skops.io

    from stance.models.baseline import load_components

    skops.io.dump({"evil": zipfile.ZipFile}, tmp_path / "estimator.skops")
    with pytest.raises(ValueError, match="untrusted"):
        load_components(tmp_path / "estimator.skops")

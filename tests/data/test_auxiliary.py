"""Variant (c)'s auxiliary source (experiment=joint_newsmtsc): NewsMTSC mentions join `train` under a
head of their own, the mention marked in the sentence, a seeded sample; a missing folder or a head
named like a real target is a clear error."""

import json
from pathlib import Path

import pandas as pd
import pytest
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate

from conftest import project_copy, run_cli
from stance import config
from stance.data.auxiliary import with_auxiliary
from stance.errors import InputError
from stance.schema import SPLIT_COLUMNS

NEWSMTSC = Path(__file__).parents[1] / "fixtures" / "external" / "newsmtsc"
TARGETS = {"maduro": ["Maduro"], "guaido": ["Guaidó"]}


def auxiliary(*overrides: str):
    """data.auxiliary as stance-train builds it from the experiment preset."""
    with initialize_config_dir(config_dir=config.CONFIG_DIR, version_base="1.3"):
        cfg = compose("train", overrides=["experiment=joint_newsmtsc", f"data.auxiliary.dir={NEWSMTSC}", *overrides])
    return instantiate(config.plain(cfg.data.auxiliary), _convert_="all")


def test_mentions_join_train_under_their_own_head_with_the_mention_marked():
    rows = auxiliary("data.auxiliary.rows=null")(seed=0, targets=TARGETS)
    assert list(rows.columns) == SPLIT_COLUMNS
    assert set(rows.target) == {"newsmtsc"} and set(rows.split) == {"train"} and set(rows.fold) == {-1}
    hale = rows[rows.text == "Critics praised [Senator Hale] for a steady hand."]  # the file's first line
    assert hale.label.tolist() == ["FAVOR"]  # polarity 6.0
    assert rows.text.str.count(r"\[").eq(1).all(), "each row marks exactly its own mention"


def test_the_sample_is_seeded_and_sized():
    source = auxiliary("data.auxiliary.rows=3")
    first, again, other = source(1, TARGETS), source(1, TARGETS), source(2, TARGETS)
    assert len(first) == 3 and first.text.tolist() == again.text.tolist() != other.text.tolist()
    table = pd.DataFrame([{c: None for c in SPLIT_COLUMNS} | {"split": "val", "target": "maduro"}])
    assert with_auxiliary(table, source, 1, TARGETS).split.tolist() == ["val", "train", "train", "train"]


def test_a_missing_folder_names_make_data_and_a_head_named_like_a_target_is_refused(tmp_path):
    with pytest.raises(InputError, match="make data.*STANCE_DATA_MIRROR"):
        auxiliary(f"data.auxiliary.dir={tmp_path / 'nowhere'}")(0, TARGETS)
    with pytest.raises(ValueError, match="'maduro' is one of the data's targets"):
        auxiliary("data.auxiliary.head=maduro")(0, TARGETS)


@pytest.mark.slow  # a transformer training run
def test_stance_train_learns_from_the_auxiliary_head_and_exports_a_model_without_it(pipeline_root, tiny_bert, tmp_path):
    root = project_copy(pipeline_root, tmp_path / "proj")
    run_cli("train", "experiment=joint_newsmtsc", f"data.auxiliary.dir={NEWSMTSC}", f"model.pretrained={tiny_bert}",
            "model.epochs=1", "model.progress=false", "model.export_onnx=false", "tracking=none",
            f"metrics_file={tmp_path / 'm.json'}", f"export_dir={tmp_path / 'model'}", root=root)
    assert json.loads((tmp_path / "m.json").read_text())["trained_on"] == ["news_hard", "news_style", "newsmtsc", "synthetic"]
    [meta] = (tmp_path / "model").rglob("transformer.json")
    assert json.loads(meta.read_text())["targets"] == ["maduro", "guaido"]
    proc = run_cli("train", "experiment=joint_newsmtsc", f"data.auxiliary.dir={NEWSMTSC}", "model=logreg",
                   "tracking=none", root=root, check=False)
    assert proc.returncode != 0 and "model=logreg has none" in proc.stderr

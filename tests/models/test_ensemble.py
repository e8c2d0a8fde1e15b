"""The ensemble (`stance-train model=ensemble`): the trained transformer's and baseline's
probabilities averaged, exported as one model folder that stance-predict and MLflow load."""

import json
import shutil

import mlflow
import numpy as np
import pandas as pd
import pytest

from conftest import error_lines, pickled_files, run_cli
from stance.serving.ensemble import AveragedScorer
from stance.serving.folder import FolderModel

ROWS = pd.DataFrame({"text": ["Cuba praised Maduro.", "Brazil recognized Guaido.", "Oil output fell."] * 2,
                     "target": ["maduro"] * 3 + ["guaido"] * 3})
PROBA = ["p_favor", "p_against", "p_none"]


@pytest.mark.slow  # needs the tiny project's trained transformer (transformer_root)
def test_probabilities_are_the_weighted_mean_of_the_members(transformer_root, tmp_path):
    models = transformer_root / "experiments" / "models"
    members = [FolderModel(models / kind, {"backend": "torch"}) for kind in ("transformer", "logreg")]
    alone = [m.predict(ROWS)[PROBA].to_numpy() for m in members]
    equal = AveragedScorer.from_model_folders([models / "transformer", models / "logreg"])
    assert np.allclose(equal.predict_proba(ROWS.text.tolist(), ROWS.target.tolist()), (alone[0] + alone[1]) / 2)
    weighted = AveragedScorer.from_model_folders([models / "transformer", models / "logreg"], weights=[3, 1])
    assert np.allclose(weighted.predict_proba(ROWS.text.tolist(), ROWS.target.tolist()),
                       0.75 * alone[0] + 0.25 * alone[1])
    with pytest.raises(ValueError, match="do not fit its 2 members"):
        AveragedScorer.from_model_folders([models / "transformer", models / "logreg"], weights=[1])


@pytest.mark.slow  # two CLI runs on the tiny project
def test_ensemble_is_trained_exported_and_scored_by_stance_predict(transformer_root, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(transformer_root, root)
    run_cli("train", "model=ensemble", "tracking=none", "export_dir=experiments/models/ensemble", root=root)
    folder = root / "experiments" / "models" / "ensemble"
    metrics = json.loads((root / "experiments/metrics/synthetic/ensemble.json").read_text())["metrics"]
    assert {"val/f_avg", "test/f_avg", "test_seeds/f_avg"} <= set(metrics)
    assert pickled_files(folder) == []  # each member keeps its pickle-free files
    src = tmp_path / "s.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{i}", "text": t}) + "\n" for i, t in enumerate(ROWS.text[:3])))
    out = tmp_path / "o.parquet"
    run_cli("predict", f"model={folder}", f"input={src}", "input_format=sentences", f"output={out}", root=root)
    scored = pd.read_parquet(out)
    assert len(scored) == 6 and set(scored.target) == {"maduro", "guaido"}
    # The same folder through MLflow gives the same probabilities as stance-predict's loader.
    frame = ROWS.iloc[:3]
    via_mlflow = mlflow.pyfunc.load_model(str(folder), model_config={"backend": "onnx-fp32"}).predict(frame)
    direct = FolderModel(folder, {"backend": "onnx-fp32"}).predict(frame)
    pd.testing.assert_frame_equal(via_mlflow, direct)


@pytest.mark.slow  # prepare, label and split first
def test_a_member_that_was_never_exported_is_one_clear_error(project, tmp_path):
    for stage in ("prepare", "label", "split"):
        run_cli(stage, root=project)
    proc = run_cli("train", "model=ensemble", "tracking=none", f"model.members=[{tmp_path}/nowhere]",
                   root=project, check=False)
    assert proc.returncode == 2
    assert error_lines(proc) == [f"error: {tmp_path}/nowhere: no exported model here: train the member first "
                                 "(stance-train model=<kind> export_dir=...)"]

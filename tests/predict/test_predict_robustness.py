"""stance-predict under real-world trouble: resume never mixes models or duplicates rows, a file
that goes bad halfway is skipped whole, every bad option or model is one clear error line."""

import json

import mlflow
import pandas as pd
import pytest

from conftest import error_lines, run_cli
from stance.predict.resume import PartStore


def sentences_jsonl(path, n, extra=None):
    rows = [{"id": f"s{i}", "text": f"Russia voiced support for Maduro in {2000 + i}."} for i in range(n)]
    path.write_text("".join(json.dumps({**r, **(extra or {})}) + "\n" for r in rows))
    return path


def chunk(start, n):
    return pd.DataFrame({"sentence_id": [f"s{i}" for i in range(start, start + n)]})


def test_parts_are_joined_by_their_ranges_never_twice(tmp_path):
    out = tmp_path / "o.parquet"
    store = PartStore(out, "k")
    store.add(chunk(0, 4), 4)
    store.add(chunk(4, 4), 4)
    store.add(chunk(8, 3), 3)
    for part in store.dir.glob("part-*"):  # lose the middle part, as a crash or a hand could
        if part.name.startswith("part-000000000004-"):
            part.unlink()
    resumed = PartStore(out, "k")
    assert resumed.done_sentences == 4
    resumed.add(chunk(4, 5), 5)  # the rerun scores from sentence 4 on, in other chunk sizes
    resumed.add(chunk(9, 2), 2)
    resumed.finish()
    assert pd.read_parquet(out).sentence_id.tolist() == [f"s{i}" for i in range(11)]


def test_a_model_retrained_at_the_same_path_never_resumes_old_parts(tmp_path):
    from stance.predict.loading import load_model, resume_fingerprint
    from stance.models.baseline import TfidfLogReg
    from stance.tracking.model_io import save_and_log

    texts = ["Russia voiced support for Maduro.", "Sanctions on the Maduro regime.", "Oil fell."] * 3
    labels = ["FAVOR", "AGAINST", "NONE"] * 3
    keys = []
    for c in (1.0, 2.0):
        model = TfidfLogReg(C=c).fit(texts, ["maduro"] * 9, labels)
        save_and_log(model, ["maduro"], texts[:2], export_dir=tmp_path / "model")
        keys.append(resume_fingerprint(load_model(str(tmp_path / "model")), options={"chunk": 8}))
    assert keys[0] != keys[1]
    again = resume_fingerprint(load_model(str(tmp_path / "model")), options={"chunk": 8})
    assert again == keys[1]  # the same model and options resume


@pytest.mark.slow  # the whole tiny pipeline first (about 30 s): make test, not test-fast
def test_a_file_that_goes_bad_halfway_in_a_directory_is_skipped_whole(pipeline_root, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.jsonl").write_text(json.dumps({"id": "g1", "text": "Cuba praised Maduro."}) + "\n")
    (folder / "bad.jsonl").write_text(json.dumps({"id": "b1", "text": "Brazil recognized Guaido."}) + "\n"
                                      + "{not json\n")
    out = tmp_path / "o.jsonl"
    proc = run_cli("predict", f"model={pipeline_root}/experiments/models/logreg", f"input={folder}",
                   f"output={out}", root=pipeline_root)
    assert "bad.jsonl:2: invalid JSON" in proc.stderr and "1 skipped" in proc.stderr
    assert {json.loads(line)["article_id"] for line in out.read_text().splitlines()} == {"g1"}


@pytest.mark.slow  # the whole tiny pipeline first (about 30 s): make test, not test-fast
def test_a_bad_summary_path_fails_before_any_scoring(pipeline_root, tmp_path):
    src = sentences_jsonl(tmp_path / "in.jsonl", 3)
    out = tmp_path / "o.jsonl"
    proc = run_cli("predict", f"model={pipeline_root}/experiments/models/logreg", f"input={src}",
                   "input_format=sentences", f"output={out}", f"summary={tmp_path}/summary.txt", root=pipeline_root,
                   check=False)
    assert proc.returncode == 2
    assert error_lines(proc) == [f"error: {tmp_path}/summary.txt: output must end in one of .jsonl, .csv, .parquet"]
    assert not out.exists() and not list(tmp_path.glob(".o.jsonl*"))


@pytest.mark.slow  # the whole tiny pipeline first (about 30 s): make test, not test-fast
def test_a_list_valued_target_is_an_error_naming_file_and_line(pipeline_root, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "s1", "text": "Cuba praised Maduro."}) + "\n"
                   + json.dumps({"id": "s2", "text": "Brazil recognized Guaido.", "target": ["guaido"]}) + "\n")
    proc = run_cli("predict", f"model={pipeline_root}/experiments/models/logreg", f"input={src}",
                   "input_format=sentences", f"output={tmp_path}/o.jsonl", root=pipeline_root, check=False)
    assert proc.returncode == 2
    assert error_lines(proc) == [f"error: {src}:2: `target` must be a string (a target name) or absent"]


@pytest.mark.slow  # the whole tiny pipeline first (about 30 s): make test, not test-fast
def test_a_model_from_outside_the_project_is_a_clear_error(pipeline_root, tmp_path):
    code = tmp_path / "echo_model.py"  # a models-from-code pyfunc that is not a stance model
    code.write_text("import mlflow\n\nclass Echo(mlflow.pyfunc.PythonModel):\n"
                    "    def predict(self, context, model_input, params=None):\n        return model_input\n\n"
                    "mlflow.models.set_model(Echo())\n")
    mlflow.pyfunc.save_model(str(tmp_path / "foreign"), python_model=str(code))
    src = sentences_jsonl(tmp_path / "in.jsonl", 2)
    proc = run_cli("predict", f"model={tmp_path}/foreign", f"input={src}", "input_format=sentences",
                   f"output={tmp_path}/o.jsonl", root=pipeline_root, check=False)
    assert proc.returncode == 2
    assert error_lines(proc) == [f"error: {tmp_path}/foreign: not a stance model (its MLmodel metadata names "
                                 "no targets)"]


@pytest.mark.slow
def test_an_onnx_backend_on_a_model_without_onnx_is_a_clear_error(tiny_bert, pipeline_root, tmp_path):
    from stance.models.transformer import TransformerStance
    from stance.tracking.model_io import save_and_log

    texts = ["Cuba praised Maduro.", "Brazil recognized Guaido."] * 4
    model = TransformerStance(pretrained=str(tiny_bert), targets={"maduro": ["Maduro"]}, epochs=1,
                              progress=False, export_onnx=False)
    model.fit(texts, ["maduro"] * 8, ["FAVOR", "NONE"] * 4)
    save_and_log(model, ["maduro"], texts[:2], export_dir=tmp_path / "m")
    src = sentences_jsonl(tmp_path / "in.jsonl", 2)
    proc = run_cli("predict", f"model={tmp_path}/m", f"input={src}", "input_format=sentences", "backend=onnx-int8",
                   f"output={tmp_path}/o.jsonl", root=pipeline_root, check=False)
    assert proc.returncode == 2
    assert error_lines(proc) == [f"error: {tmp_path}/m: backend onnx-int8 needs model.int8.onnx, which this "
                                 "model does not have (it was saved without ONNX; use backend=torch)"]

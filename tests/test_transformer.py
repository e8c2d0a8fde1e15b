"""The transformer path end to end on a tiny random BERT: train a few steps, log, export,
reload through MLflow and predict. Nothing is downloaded."""

import json

import mlflow
import numpy as np
import pandas as pd
import pytest

from conftest import run_cli, synthetic_rows
from tiny_bert import build_tiny_bert
from stance.models.transformer import TransformerStance

TARGETS = {"maduro": ["Maduro"], "guaido": ["Guaido"]}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    texts = [r["text"] for r in synthetic_rows()] + ["Maduro Guaido Cuba praised Russia voiced support for"]
    return build_tiny_bert(tmp_path_factory.mktemp("bert") / "tiny", texts)


def pairs():
    rows = synthetic_rows(4)
    return zip(*[(r["text"], t, r["labels"][t]) for r in rows for t in TARGETS])


@pytest.mark.parametrize("mode", ["heads", "pair"])
def test_fit_save_load_roundtrip(tiny, tmp_path, mode):
    texts, targets, labels = pairs()
    model = TransformerStance(pretrained=str(tiny), input_mode=mode, targets=TARGETS, epochs=2, batch_size=16,
                              lr=1e-3, progress=False)
    model.fit(texts, targets, labels, eval_set=(texts[:8], targets[:8], labels[:8]))
    assert [h["epoch"] for h in model.history] == [1, 2] and "val_f_avg" in model.history[0]
    proba = model.predict_proba(texts, targets)
    assert proba.shape == (len(texts), 3) and np.allclose(proba.sum(1), 1, atol=1e-5)
    model.save(tmp_path)
    again = TransformerStance.load(tmp_path, backend="torch")
    assert np.allclose(again.predict_proba(texts, targets), proba, atol=1e-5)
    with pytest.raises(ValueError, match="not trained for target"):
        model.predict_proba(["x"], ["petro"])


def test_transformer_run_is_logged_exported_and_predicts(pipeline_root, tiny, tmp_path):
    run_cli("train", "model=transformer", f"model.pretrained={tiny}", "model.epochs=1", "model.batch_size=32",
            "model.progress=false", "export_dir=experiments/models/transformer", root=pipeline_root)
    mlflow.set_tracking_uri(f"sqlite:///{pipeline_root}/experiments/mlflow.db")
    client = mlflow.MlflowClient()
    exp = client.get_experiment_by_name("stance-synthetic")
    (run,) = client.search_runs([exp.experiment_id], "tags.`model.kind` = 'transformer'")
    assert run.info.status == "FINISHED"
    assert "test_seeds/f_avg" in run.data.metrics and "val/f_avg" in run.data.metrics
    assert [m.step for m in client.get_metric_history(run.info.run_id, "curve/train_loss")] == [1]
    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps({"id": "s1", "text": "Cuba praised Maduro."}) + "\n")
    out = tmp_path / "o.parquet"
    run_cli("predict", f"model={pipeline_root}/experiments/models/transformer", f"input={src}",
            "input_format=sentences", f"output={out}", root=pipeline_root)
    df = pd.read_parquet(out)
    assert sorted(df.target) == ["guaido", "maduro"] and set(df.label) <= {"FAVOR", "AGAINST", "NONE"}


def test_backends_agree_and_long_sentences_are_flagged(tiny, tmp_path):
    from stance.models.pyfunc import save_and_log

    texts, targets, labels = pairs()
    model = TransformerStance(pretrained=str(tiny), targets=TARGETS, epochs=1, lr=1e-3, max_length=32, progress=False)
    model.fit(texts, targets, labels)
    save_and_log(model, list(TARGETS), list(texts[:2]), export_dir=tmp_path / "m")
    import mlflow

    frame = pd.DataFrame({"text": list(texts[:12]) + ["Maduro " * 40], "target": list(targets[:12]) + ["maduro"]})
    outputs = {}
    for backend in ("torch", "onnx-fp32", "onnx-int8"):
        loaded = mlflow.pyfunc.load_model(str(tmp_path / "m"), model_config={"backend": backend})
        assert loaded.unwrap_python_model().estimator.backend == {"onnx-fp32": "model.onnx",
                                                                  "onnx-int8": "model.int8.onnx"}.get(backend, "torch")
        outputs[backend] = loaded.predict(frame)
    cols = ["p_favor", "p_against", "p_none"]
    assert np.allclose(outputs["torch"][cols], outputs["onnx-fp32"][cols], atol=1e-4)
    assert (outputs["torch"].label == outputs["onnx-fp32"].label).all()
    assert np.allclose(outputs["onnx-int8"][cols].sum(axis=1), 1, atol=1e-5)
    flags = outputs["torch"].truncated.tolist()
    assert flags[-1] is True and not any(flags[:-1])  # flagged, and still scored


def test_bench_writes_every_key(pipeline_root, tmp_path):
    """`make bench` on the tiny exported models (after the run test above exported them)."""
    if not (pipeline_root / "experiments/models/transformer/MLmodel").exists():
        pytest.skip("needs the transformer exported by test_transformer_run_is_logged_exported_and_predicts")
    out = tmp_path / "bench.json"
    run_cli("bench", "--n", "30", "--out", str(out), root=pipeline_root)
    result = json.loads(out.read_text())
    for key in ("n_sentences", "pipeline_sent_per_s", "torch_sent_per_s", "onnx_int8_sent_per_s",
                "onnx_int8_argmax_agreement", "peak_rss_mb_small", "peak_rss_mb_large", "logreg_sent_per_s"):
        assert result[key] > 0, key
    assert result["n_sentences"] == 30 and 0 <= result["onnx_int8_argmax_agreement"] <= 1

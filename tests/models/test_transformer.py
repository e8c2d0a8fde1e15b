"""The transformer path end to end on a tiny random BERT: train a few steps, log, export,
reload through MLflow and predict. Nothing is downloaded."""

import json

import mlflow
import numpy as np
import pandas as pd
import pytest

from conftest import run_cli, synthetic_rows
from stance.models.transformer import TransformerStance
from stance.schema import UnknownTargetError
from stance.serving.folder import FolderModel

TARGETS = {"maduro": ["Maduro"], "guaido": ["Guaido"]}


@pytest.fixture
def tiny(tiny_bert):
    return tiny_bert


def pairs():
    rows = synthetic_rows(4)
    return zip(*[(r["text"], t, r["labels"][t]) for r in rows for t in TARGETS])


@pytest.mark.slow  # transformer training
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
    if mode == "heads":  # one head per known target: another target has no head
        with pytest.raises(UnknownTargetError, match=r"\['petro'\] unknown to the model \(knows \['maduro', 'guaido'\]\)"):
            model.predict_proba(["x"], ["petro"])
    else:  # the target's name is read as text: any target string is scored (open targets)
        assert again.open_targets and again.predict_proba(["Petro won."], ["Gustavo Petro"]).shape == (1, 3)


@pytest.mark.slow
def test_transformer_run_is_logged_exported_and_predicts(transformer_root, tmp_path):
    pipeline_root = transformer_root
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{pipeline_root}/experiments/mlflow.db")
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
    from stance.tracking.model_io import save_and_log

    texts, targets, labels = pairs()
    model = TransformerStance(pretrained=str(tiny), targets=TARGETS, epochs=1, lr=1e-3, max_length=32, progress=False)
    model.fit(texts, targets, labels)
    save_and_log(model, list(TARGETS), list(texts[:2]), export_dir=tmp_path / "m")
    import mlflow

    frame = pd.DataFrame({"text": list(texts[:12]) + ["Maduro " * 40], "target": list(targets[:12]) + ["maduro"]})
    outputs = {}
    cols = ["p_favor", "p_against", "p_none"]
    for backend in ("torch", "onnx-fp32", "onnx-int8"):
        loaded = mlflow.pyfunc.load_model(str(tmp_path / "m"), model_config={"backend": backend})
        assert loaded.unwrap_python_model().estimator.backend == {"onnx-fp32": "model.onnx",
                                                                  "onnx-int8": "model.int8.onnx"}.get(backend, "torch")
        outputs[backend] = loaded.predict(frame)
        # stance-predict's loader reads the same folder without MLflow: the same predictions
        direct = FolderModel(tmp_path / "m", {"backend": backend}).predict(frame)
        pd.testing.assert_frame_equal(direct, outputs[backend])
    assert np.allclose(outputs["torch"][cols], outputs["onnx-fp32"][cols], atol=1e-4)
    assert (outputs["torch"].label == outputs["onnx-fp32"].label).all()
    assert np.allclose(outputs["onnx-int8"][cols].sum(axis=1), 1, atol=1e-5)
    flags = outputs["torch"].truncated.tolist()
    assert flags[-1] is True and not any(flags[:-1])  # flagged, and still scored


def test_an_onnx_model_scores_without_torch_transformers_or_mlflow(tiny, tmp_path):
    """What makes stance-predict start fast: the ONNX path imports none of the heavy libraries."""
    import subprocess
    import sys

    from stance.tracking.model_io import save_and_log

    texts, targets, labels = pairs()
    model = TransformerStance(pretrained=str(tiny), targets=TARGETS, epochs=1, lr=1e-3, progress=False)
    model.fit(texts, targets, labels)
    save_and_log(model, list(TARGETS), list(texts[:2]), export_dir=tmp_path / "m")
    code = ("import sys, pandas as pd\nfrom stance.predict.loading import load_model\n"
            f"m = load_model({str(tmp_path / 'm')!r}, model_config={{'backend': 'onnx-int8'}})\n"
            "out = m.predict(pd.DataFrame({'text': ['Cuba praised Maduro.']}))\n"
            "assert sorted(out.target) == ['guaido', 'maduro'], out\n"
            "print(sorted(k for k in ('torch', 'transformers', 'mlflow', 'sklearn') if k in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_length_grouped_batches_cover_every_sentence_once_with_less_padding(tiny):
    """group_by_length only reorders: every training row once per epoch, the same for one seed,
    and fewer padded tokens than plain shuffling."""
    from datasets import Dataset
    from transformers import AutoTokenizer

    from stance.models.training import make_loader

    tokenizer = AutoTokenizer.from_pretrained(tiny)
    texts = [" ".join(["maduro"] * (i % 30 + 1)) for i in range(200)]
    ds = Dataset.from_dict({"text": texts, "labels": [[i] for i in range(200)]}).map(
        lambda b: tokenizer(b["text"]), batched=True, remove_columns=["text"]).with_format("torch")

    def epoch(grouped, seed=0):
        batches = list(make_loader(ds, tokenizer, 16, seed, grouped))
        return [b["labels"].flatten().tolist() for b in batches], sum(b["input_ids"].numel() for b in batches)

    (plain_rows, plain_tokens), (rows, tokens) = epoch(False), epoch(True)
    assert sorted(sum(rows, [])) == list(range(200)) and len(rows) == len(plain_rows)
    assert tokens < 0.8 * plain_tokens
    assert epoch(True)[0] == rows and epoch(True, seed=1)[0] != rows


@pytest.mark.slow  # transformer training
def test_dropping_an_auxiliary_head_keeps_the_other_targets_scores(tiny, tmp_path):
    texts, targets, labels = pairs()
    aux = [(f"[Hale] {t}", "newsmtsc", y) for t, y in zip(texts[::2], labels[::2])]
    model = TransformerStance(pretrained=str(tiny), targets=TARGETS, epochs=1, batch_size=16, progress=False)
    model.fit([*texts, *(a[0] for a in aux)], [*targets, *(a[1] for a in aux)], [*labels, *(a[2] for a in aux)])
    assert model.targets == ["maduro", "guaido", "newsmtsc"]
    before = model.predict_proba(texts, targets)
    model.keep_targets(list(TARGETS))
    assert model.targets == ["maduro", "guaido"] and np.allclose(model.predict_proba(texts, targets), before, atol=1e-6)
    with pytest.raises(UnknownTargetError, match="newsmtsc"):
        model.predict_proba(["x"], ["newsmtsc"])
    model.save(tmp_path)
    again = TransformerStance.load(tmp_path, backend="onnx-fp32")
    assert again.targets == ["maduro", "guaido"] and np.allclose(again.predict_proba(texts, targets), before, atol=1e-4)

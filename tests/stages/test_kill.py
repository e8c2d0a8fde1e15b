"""Kill tests: SIGKILL prepare, train and predict at random moments; nothing partial is ever left
under a final name, and a rerun gives the same final result. Transformer training checkpoints
every epoch and `resume=true` continues from the last checkpoint to the same model."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import MODULES, make_project, project_copy, run_cli

pytestmark = pytest.mark.slow
TIMINGS = ("train/seconds", "predict/sentences_per_s")


def killed(command: str, *args: str, root: Path, after: float) -> None:
    """Start the command and SIGKILL it `after` seconds later (if it is still running)."""
    env = {**os.environ, "STANCE_ROOT": str(root), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", f"stance.{MODULES[command]}", *args], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def assert_nothing_partial(root: Path) -> None:
    """Every file under a final name is whole: parquet and json parse, PNGs end with IEND."""
    for path in [*(root / "data").rglob("*"), *(root / "experiments").rglob("*")]:
        if not path.is_file() or path.name.startswith(".") or "hydra" in path.parts or path.suffix == ".db":
            continue
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue  # temporary names and resumable parts: not final
        if path.suffix == ".parquet":
            pd.read_parquet(path)
        elif path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".png":
            assert path.read_bytes().endswith(b"IEND\xaeB`\x82"), path


def metrics(path: Path) -> dict:
    return {k: v for k, v in json.loads(path.read_text())["metrics"].items() if k not in TIMINGS}


def delays(seed: int, n: int, low: float, high: float) -> list[float]:
    rng = random.Random(seed)
    return sorted(rng.uniform(low, high) for _ in range(n))


def test_prepare_killed_at_random_moments(tmp_path):
    root = make_project(tmp_path / "proj")
    run_cli("prepare", root=root)
    table = root / "data/interim/synthetic/sentences.parquet"
    reference = pd.read_parquet(table)
    for after in delays(1, 4, 0.5, 4.0):
        table.unlink()
        killed("prepare", root=root, after=after)
        assert_nothing_partial(root)
        run_cli("prepare", root=root)
        pd.testing.assert_frame_equal(pd.read_parquet(table), reference)


def test_train_killed_at_random_moments(pipeline_root, tmp_path):
    root = project_copy(pipeline_root, tmp_path / "proj")
    args = ["tracking=none", "export_dir=experiments/models/logreg"]
    run_cli("train", *args, root=root)
    file = root / "experiments/metrics/synthetic/logreg.json"
    reference = metrics(file)
    # Python and the libraries take about 9 s to import here: kill while the model is fitted and written.
    for after in delays(2, 2, 7.0, 12.0):
        killed("train", *args, root=root, after=after)
        assert_nothing_partial(root)
        assert (root / "experiments/models/logreg/MLmodel").exists()  # the earlier export is never lost
        run_cli("train", *args, root=root)
        assert metrics(file) == reference


def test_predict_killed_at_random_moments(pipeline_root, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{i}", "text": f"Cuba praised Maduro in {1900 + i}."}) + "\n"
                           for i in range(600)))
    args = [f"model={pipeline_root}/experiments/models/logreg", f"input={src}", "input_format=sentences",
            "chunk_size=25", "quiet=true"]
    run_cli("predict", *args, f"output={tmp_path}/ref.jsonl", root=pipeline_root)
    reference = (tmp_path / "ref.jsonl").read_text()
    out = tmp_path / "out.jsonl"
    for after in delays(3, 3, 2.0, 7.0):
        killed("predict", *args, f"output={out}", root=pipeline_root, after=after)
        assert not out.exists() or out.read_text() == reference  # complete, or not there at all
    run_cli("predict", *args, f"output={out}", root=pipeline_root)
    assert out.read_text() == reference


def test_transformer_training_resumes_from_its_last_checkpoint(pipeline_root, tmp_path, tiny_bert):
    root = project_copy(pipeline_root, tmp_path / "proj")
    args = ["model=transformer", f"model.pretrained={tiny_bert}", "model.epochs=3", "model.patience=10",
            "model.batch_size=8", "model.progress=false", "tracking=none"]
    run_cli("train", *args, "metrics_file=experiments/metrics/straight.json", root=root)
    checkpoints = root / "experiments/checkpoints/synthetic/transformer"
    env = {**os.environ, "STANCE_ROOT": str(root), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "stance.stages.train", *args], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not (checkpoints / "epoch-002").exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (checkpoints / "epoch-002").exists()
    resumed = run_cli("train", *args, "resume=true", "metrics_file=experiments/metrics/resumed.json", root=root)
    assert "resuming from epoch 2" in resumed.stdout + resumed.stderr
    assert metrics(root / "experiments/metrics/resumed.json") == metrics(root / "experiments/metrics/straight.json")
    assert not checkpoints.exists()  # removed once training finished

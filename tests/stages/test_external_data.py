"""Benchmark experiments from the README's commands, on small fixtures in the official formats:
`stance-train experiment=... data.dir=DIR export_dir=OUT tracking=none` trains, reports the official
metrics, exports a model and leaves no MLflow store; an open-target model scores any target in
stance-predict, a fixed-target model rejects an unknown one naming the targets it knows."""

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import error_lines, run_cli

FIXTURES = Path(__file__).parents[1] / "fixtures" / "external"


@pytest.fixture(scope="module")
def semeval_run(tmp_path_factory):
    """The README's SemEval command on the fixture files, run once: (project root, its output)."""
    root = tmp_path_factory.mktemp("semeval")
    out = run_cli("train", "experiment=semeval2016_logreg", f"data.dir={FIXTURES / 'semeval2016'}",
                  f"export_dir={root / 'model'}", "tracking=none", root=root)
    return root, out


@pytest.mark.slow  # a whole benchmark training run
def test_semeval_experiment_reports_the_pooled_f_avg_and_leaves_no_store(semeval_run):
    root, out = semeval_run
    assert "val/f_avg_pooled" in out.stdout + out.stderr
    metrics = json.loads((root / "experiments" / "metrics" / "semeval2016" / "logreg.json").read_text())["metrics"]
    assert {"val/f_avg_pooled", "val/f_avg", "val/Atheism/f_avg"} <= set(metrics)
    assert (root / "model" / "MLmodel").exists()
    assert not list(root.rglob("mlflow.db")) and not list(root.rglob("mlruns")), "tracking=none: no store"


def test_missing_benchmark_data_names_make_data_and_the_mirror(tmp_path):
    proc = run_cli("train", "experiment=newsmtsc_logreg", "tracking=none", root=tmp_path, check=False)
    assert proc.returncode == 2
    [line] = error_lines(proc)
    assert "external/newsmtsc" in line and "make data" in line and "STANCE_DATA_MIRROR" in line


@pytest.mark.slow
def test_open_target_model_scores_any_target_and_fixed_target_model_names_its_targets(semeval_run, tmp_path):
    run_cli("train", "experiment=newsmtsc_logreg", f"data.dir={FIXTURES / 'newsmtsc'}",
            f"export_dir={tmp_path / 'open'}", "tracking=none", root=tmp_path)
    sentences = tmp_path / "in.jsonl"
    sentences.write_text(json.dumps({"id": "s1", "text": "Critics blasted Nicolás Maduro over the deal.",
                                     "target": "Nicolás Maduro"}) + "\n")
    run_cli("predict", f"model={tmp_path / 'open'}", f"input={sentences}", f"output={tmp_path / 'out.jsonl'}",
            "input_format=sentences", root=tmp_path)
    scored = pd.read_json(tmp_path / "out.jsonl", lines=True)
    assert scored.target.tolist() == ["Nicolás Maduro"] and scored.label.iloc[0] in {"FAVOR", "AGAINST", "NONE"}

    proc = run_cli("predict", f"model={semeval_run[0] / 'model'}", f"input={sentences}",
                   f"output={tmp_path / 'out2.jsonl'}", "input_format=sentences", root=tmp_path, check=False)
    assert proc.returncode == 2
    [line] = error_lines(proc)
    assert "Nicolás Maduro" in line and "Atheism" in line and "Hillary Clinton" in line

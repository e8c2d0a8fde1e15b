"""stance-compare end to end on the tiny project: two trained runs, compared by their metrics
files (no MLflow needed) and by run name through MLflow, with a clear error for an unknown run."""

import json

import pytest

from conftest import error_lines, project_copy, run_cli


@pytest.mark.slow
def test_compare_two_runs_prints_the_paired_table(pipeline_root, tmp_path):
    root = project_copy(pipeline_root, tmp_path / "proj")
    run_cli("train", "tracking=none", "model.C=0.01", "metrics_file=experiments/metrics/weak.json",
            "plots_dir=experiments/plots/weak", "data.train_sources=[synthetic,news_style]", root=root)
    # What the ablation pairs runs by: the sources the model learned from, not the ones scored.
    assert json.loads((root / "experiments/metrics/weak.json").read_text())["trained_on"] == ["news_style", "synthetic"]
    out = run_cli("compare", "b=experiments/metrics/weak.json", "tracking=none", root=root)
    lines = out.stdout.splitlines()
    assert any(line.startswith("| test_seeds | f_avg |") for line in lines), out.stdout
    assert "B - A (95% CI)" in out.stdout and (root / "experiments" / "comparison-paired.md").exists()

    proc = run_cli("compare", "a=no-such-run", "b=experiments/metrics/weak.json", root=root, check=False)
    assert proc.returncode == 2
    assert error_lines(proc) == ["error: no-such-run: 0 runs have this name: give a run id"]

"""Stages under bad input: every problem is one error line naming the file, nothing is silent."""

import json
import logging

import pandas as pd

from conftest import error_lines, run_cli, toy_sentences
from stance.data.split import HoldoutSplit


def test_evaluate_without_models_is_one_error_line(project):
    proc = run_cli("evaluate", "models=[]", "tracking=none", root=project, check=False)
    assert proc.returncode == 2
    assert error_lines(proc) == ["error: models: give at least one model to compare (models=[logreg,transformer])"]


def test_a_corrupt_metrics_file_is_named(project):
    metrics = project / "experiments/metrics/synthetic/logreg.json"
    metrics.parent.mkdir(parents=True)
    metrics.write_text('{"model": "logreg", "metrics": {"val/f_avg": 0.5')
    proc = run_cli("evaluate", "models=[logreg]", "tracking=none", root=project, check=False)
    assert proc.returncode == 2
    assert error_lines(proc)[0].startswith(f"error: {metrics}: not a metrics file written by stance-train")


def pairs_of(n_articles):
    pairs = toy_sentences(n_articles, 4).merge(pd.DataFrame({"target": ["maduro", "guaido"]}), how="cross")
    pairs["label"] = ["FAVOR", "AGAINST", "NONE", "NONE"] * (len(pairs) // 4)
    return pairs


def test_test_size_is_the_share_asked_for():
    out = HoldoutSplit(val_size=0.0, test_size=0.4, seed=0).assign(pairs_of(20))
    assert out[out.split == "test"].article_id.nunique() == 8  # 40% of 20 articles, not half


def test_default_shares_are_unchanged():
    out = HoldoutSplit(seed=42).assign(pairs_of(40))
    counts = out.groupby("split").article_id.nunique().to_dict()
    assert counts["test"] in (5, 6) and counts["val"] in (5, 6)


def test_too_few_articles_for_val_and_test_says_so(caplog):
    with caplog.at_level(logging.WARNING):
        out = HoldoutSplit(seed=0).assign(pairs_of(2).assign(source="synthetic"))
    assert set(out.split) == {"train"}
    assert "synthetic: only 2 articles: no test split" in caplog.text and "no val split" in caplog.text


def test_a_misspelt_target_in_an_annotation_is_an_error(project):
    run_cli("prepare", root=project)
    path = project / "data/annotations/seeds.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows[1]["labels"] = {"madruo": "FAVOR", "guaido": "NONE"}
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    proc = run_cli("label", root=project, check=False)
    assert proc.returncode == 2
    assert error_lines(proc) == [f"error: {path}:2: unknown target(s) ['madruo'] in `labels` "
                                 "(targets: ['maduro', 'guaido'])"]

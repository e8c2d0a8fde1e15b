"""The ablation table: mean and spread over seeds per variant, and the ensemble row built from the
runs' saved predictions."""

import json

import pandas as pd

from stance.tools.ablation import ensemble_metrics, load_runs, main, table, with_none_offset


def write_run(folder, seed, val, seeds_f, predictions=None, trained_on=None):
    folder.mkdir(parents=True, exist_ok=True)
    metrics = {"val_shared/f_avg": val, "test_seeds/f_avg": seeds_f, "test_seeds/f_avg_ci_low": seeds_f - 0.1,
               "test_seeds/f_avg_ci_high": seeds_f + 0.1, "test/f_avg": 0.9, "train/seconds": 100.0}
    (folder / f"seed{seed}.json").write_text(json.dumps({"metrics": metrics, "predictions": predictions,
                                                         "trained_on": trained_on}))


def test_table_gives_mean_and_spread_over_seeds(tmp_path):
    write_run(tmp_path / "a", 1, 0.80, 0.60)
    write_run(tmp_path / "a", 2, 0.84, 0.70)
    runs = load_runs(tmp_path)
    text = table({v: [p["metrics"] for p in payloads] for v, payloads in runs.items()})
    # No select, news-style, hard-case or synthetic-only test in these runs: "-".
    assert "| a | 2 | 0.820 ± 0.020 | - | 0.650 ± 0.050 | - | - | - | 100 ± 0 | 0.55-0.75 |" in text


def test_each_source_of_a_mixed_test_split_is_scored_from_the_saved_predictions(tmp_path):
    """test_synthetic (the earlier test set) is recomputed from predictions; logged values win."""
    pred = pd.DataFrame({"split": ["test"] * 4, "source": ["synthetic", "synthetic", "news_style", "news_style"],
                         "article_id": ["a", "b", "c", "d"], "sentence_id": ["1", "2", "3", "4"],
                         "target": ["maduro"] * 4, "label": ["FAVOR", "AGAINST", "FAVOR", "NONE"],
                         "pred": ["FAVOR", "AGAINST", "NONE", "NONE"], "p_favor": [0.8, 0.1, 0.2, 0.1],
                         "p_against": [0.1, 0.8, 0.1, 0.1], "p_none": [0.1, 0.1, 0.7, 0.8]})
    pred.to_parquet(tmp_path / "p.parquet")
    write_run(tmp_path / "a", 1, 0.8, 0.6, predictions=str(tmp_path / "p.parquet"))
    (run,) = load_runs(tmp_path)["a"]
    assert run["metrics"]["test_synthetic/f_avg"] == 1.0 and run["metrics"]["test_news_style/f_avg"] == 0.0
    assert run["metrics"]["test/f_avg"] == 0.9  # as logged


def test_ensemble_averages_probabilities_on_the_same_pairs(tmp_path):
    rows = {"split": ["val", "val"], "article_id": ["x", "y"], "sentence_id": ["s1", "s2"], "target": ["m", "m"],
            "label": ["FAVOR", "AGAINST"]}
    a = pd.DataFrame(rows | {"pred": ["FAVOR", "FAVOR"], "p_favor": [0.9, 0.6], "p_against": [0.05, 0.3],
                             "p_none": [0.05, 0.1]})
    b = pd.DataFrame(rows | {"pred": ["AGAINST", "AGAINST"], "p_favor": [0.4, 0.1], "p_against": [0.5, 0.8],
                             "p_none": [0.1, 0.1]})
    a.to_parquet(tmp_path / "a.parquet")
    b.to_parquet(tmp_path / "b.parquet")
    payload = {"predictions": str(tmp_path / "a.parquet"), "metrics": {"train/seconds": 5.0}}
    baseline = {"predictions": str(tmp_path / "b.parquet"), "metrics": {"train/seconds": 1.0}}
    metrics = ensemble_metrics(payload, baseline, set())
    # Averages: s1 favor 0.65 vs against 0.275 -> FAVOR; s2 favor 0.35 vs against 0.55 -> AGAINST: both right.
    assert metrics["val/f_avg"] == 1.0 and metrics["train/seconds"] == 6.0


def scored(sources, preds, confidence=0.8):
    """Validation pairs, one article each: the first is FAVOR, the rest AGAINST; `confidence` is the
    probability of the predicted label."""
    n, rest = len(sources), (1 - confidence) / 2
    return pd.DataFrame({"split": ["val"] * n, "source": sources, "article_id": [f"a{i}" for i in range(n)],
                         "sentence_id": [f"s{i}" for i in range(n)], "target": ["maduro"] * n,
                         "label": ["FAVOR"] + ["AGAINST"] * (n - 1), "pred": preds,
                         "p_favor": [confidence if p == "FAVOR" else rest for p in preds],
                         "p_against": [confidence if p == "AGAINST" else rest for p in preds], "p_none": [rest] * n})


def test_variants_are_chosen_on_shared_validation_and_averaged_with_their_own_baseline(tmp_path, capsys):
    """A variant trained on a newer corpus is chosen on the validation sources every run has (its own
    corpus's val articles do not count), and its ensemble row uses the baseline trained on the same data."""
    old, new = ["synthetic", "synthetic"], ["synthetic", "synthetic", "hard"]
    runs = {"d": (scored(old, ["FAVOR", "FAVOR"]), ["synthetic"]),  # one of two right on shared val
            "e": (scored(new, ["FAVOR", "AGAINST", "FAVOR"]), ["hard", "synthetic"]),  # right on shared val only
            "logreg": (scored(new, ["FAVOR", "AGAINST", "AGAINST"], 0.9), ["hard", "synthetic"]),  # all right
            "logreg-old": (scored(old, ["FAVOR", "FAVOR"]), ["synthetic"]),
            # (c): also an auxiliary head's source, which no baseline learns from: paired with e's baseline
            "c": (scored(new, ["FAVOR", "AGAINST", "FAVOR"]), ["hard", "newsmtsc", "synthetic"])}
    for name, (pred, trained_on) in runs.items():
        pred.to_parquet(tmp_path / f"{name}.parquet")
        write_run(tmp_path / name, 1, 0.0, 0.5, str(tmp_path / f"{name}.parquet"), trained_on)
    main([str(tmp_path)])
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")[2] for line in capsys.readouterr().out.splitlines()}
    assert rows["e"] == "1.000" and rows["d"] == "0.333"  # "hard" (only e has it) is left out
    # d pairs with the baseline on its own data (as wrong as d): still 0.333; with the other, 1.000.
    assert rows["d + logreg (mean of probabilities)"] == "0.333"
    assert rows["e + logreg (mean of probabilities)"] == "1.000"
    assert rows["c + logreg (mean of probabilities)"] == "1.000"


def test_none_offset_rows_fit_the_offset_on_validation_and_score_every_split(tmp_path, capsys):
    """The first-row pattern of tests/models/test_calibration.py: a NONE sentence the run calls FAVOR
    flips to NONE once the offset (0.3, fitted on val) is applied, in val and in test alike; averaged
    with a baseline, the run's adjusted probabilities are what is averaged (as the ensemble stage does)."""
    def predictions(p_favor, p_none):
        pattern = {"target": ["maduro"] * 2, "label": ["FAVOR", "NONE"], "pred": ["FAVOR", "FAVOR"],
                   "p_favor": p_favor, "p_against": [0.1, 0.1], "p_none": p_none, "source": ["synthetic"] * 2}
        return pd.concat([pd.DataFrame(pattern | {"split": [split] * 2, "article_id": [f"{split}1", f"{split}2"],
                                                  "sentence_id": [f"{split}:1", f"{split}:2"]}) for split in ("val", "test")])
    predictions([0.7, 0.5], [0.2, 0.4]).to_parquet(tmp_path / "p.parquet")
    predictions([0.7, 0.46], [0.2, 0.44]).to_parquet(tmp_path / "b.parquet")  # the baseline: FAVOR, barely
    write_run(tmp_path / "a", 1, 0.0, 0.5, str(tmp_path / "p.parquet"), ["synthetic"])
    write_run(tmp_path / "logreg", 1, 0.0, 0.5, str(tmp_path / "b.parquet"), ["synthetic"])
    main([str(tmp_path), "--none-offset"])
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ") for line in capsys.readouterr().out.splitlines()}
    assert rows["a"][2] == "0.333" and rows["a + NONE offset"][2] == "0.500"  # val, shared sources
    # Averaged: (0.5 + 0.46) / 2 FAVOR beats 0.42 NONE; with the offset NONE's 0.474 lifts the mean to 0.457 > 0.449.
    assert rows["a + logreg (mean of probabilities)"][2] == "0.333"
    assert rows["a + NONE offset + logreg (mean of probabilities)"][2] == "0.500"
    run = with_none_offset({"predictions": str(tmp_path / "p.parquet"), "metrics": {"train/seconds": 1.0}},
                           {"synthetic"})
    assert run["metrics"]["calibration/none_bias"] == 0.3 and run["metrics"]["test/f_avg"] == 0.5  # F1 FAVOR 2/3 -> 1

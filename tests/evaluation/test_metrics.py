"""Stance metrics on hand-computed cases: F_avg, the per-target mean, SemEval's pooled F_avg,
NewsMTSC's F1_m, and the article (cluster) bootstrap."""

import numpy as np
import pandas as pd
import pytest

from stance.evaluation.metrics import cluster_bootstrap, expected_calibration_error, split_metrics, target_metrics

GOLD = ["FAVOR", "FAVOR", "AGAINST", "NONE", "NONE"]
PRED = ["FAVOR", "NONE", "AGAINST", "AGAINST", "NONE"]


def test_f_avg_is_mean_of_favor_and_against_f1():
    m = target_metrics(GOLD, PRED)
    assert m["f1_favor"] == pytest.approx(2 / 3)
    assert m["f1_against"] == pytest.approx(2 / 3)
    assert m["f_avg"] == pytest.approx(2 / 3)
    assert m["accuracy"] == pytest.approx(3 / 5)
    frame = pd.DataFrame({"target": ["t1"] * 5 + ["t2"] * 5, "label": GOLD * 2, "pred": PRED + GOLD})
    flat = split_metrics(frame, "test")
    assert flat["test/t2/f_avg"] == 1.0
    assert flat["test/f_avg"] == pytest.approx((2 / 3 + 1) / 2)


def test_semeval_pooled_f_avg_counts_all_targets_once():
    # t1: FAVOR right twice; t2: FAVOR predicted once, wrongly; AGAINST never occurs in t2.
    frame = pd.DataFrame({"target": ["t1", "t1", "t1", "t2", "t2"],
                          "label": ["FAVOR", "FAVOR", "AGAINST", "NONE", "AGAINST"],
                          "pred": ["FAVOR", "FAVOR", "AGAINST", "FAVOR", "NONE"]})
    flat = split_metrics(frame, "test")
    # Pooled by hand: FAVOR tp 2, predicted 3, gold 2 -> F1 0.8; AGAINST tp 1, predicted 1, gold 2 -> 2/3.
    assert flat["test/f_avg_pooled"] == pytest.approx((0.8 + 2 / 3) / 2)
    # Per target: t1 is perfect (1.0); t2 has F1 0 for both classes (0.0): mean 0.5.
    assert flat["test/f_avg"] == pytest.approx(0.5)


def test_newsmtsc_f1_m_is_macro_f1_over_three_classes_pooled():
    frame = pd.DataFrame({"target": [f"mention{i}" for i in range(5)] * 5,  # 5 distinct mentions
                          "label": GOLD * 5, "pred": PRED * 5})
    flat = split_metrics(frame, "dev", max_targets=3)
    # FAVOR 2/3, AGAINST 2/3, NONE: tp 1, predicted 2, gold 2 -> 1/2.
    assert flat["dev/macro_f1_pooled"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 2) / 3)
    assert flat["dev/accuracy_pooled"] == pytest.approx(3 / 5)
    assert not any(key.startswith("dev/mention") for key in flat), "open targets log pooled metrics only"


def test_cluster_bootstrap_resamples_articles_not_sentences():
    # Two articles of 50 sentences: one all right, one all wrong. Resampling articles gives only
    # 0, 0.5 or 1 accuracy (1/4, 1/2, 1/4), so the 95% interval is the whole range; resampling
    # sentences would give a narrow interval around 0.5.
    right = pd.DataFrame({"article_id": "a", "target": "t", "label": ["FAVOR", "AGAINST"] * 25})
    right["pred"] = right.label
    wrong = right.assign(article_id="b", pred=np.where(right.label == "FAVOR", "AGAINST", "FAVOR"))
    intervals = cluster_bootstrap(pd.concat([right, wrong]), n_boot=2000, seed=0)
    assert intervals["accuracy_pooled"] == (0.0, 1.0)
    assert intervals["f_avg"] == (0.0, 1.0)
    assert cluster_bootstrap(pd.concat([right, right.assign(article_id="c")]))["f_avg"] == (1.0, 1.0)


def test_cluster_bootstrap_interval_brackets_the_score():
    rng = np.random.default_rng(1)
    labels = rng.choice(["FAVOR", "AGAINST", "NONE"], 400)
    frame = pd.DataFrame({"article_id": np.repeat(np.arange(40), 10).astype(str), "target": ["m", "g"] * 200,
                          "label": labels, "pred": np.where(rng.random(400) < 0.3, "NONE", labels)})
    intervals = cluster_bootstrap(frame, seed=3)
    point = split_metrics(frame, "t")
    for key in ("f_avg", "f_avg_pooled", "macro_f1_pooled", "accuracy_pooled"):
        low, high = intervals[key]
        assert low < point[f"t/{key}"] < high and high - low < 0.3, key
    assert cluster_bootstrap(frame, seed=3) == intervals, "seeded: the same interval every time"


def test_expected_calibration_error_by_hand():
    # Bin 0.9-1.0: two predictions at 0.9, one right -> |0.5 - 0.9| x 2/4; bin 0.6-0.7: two at 0.6,
    # both right -> |1.0 - 0.6| x 2/4. ECE = 0.2 + 0.2.
    frame = pd.DataFrame({"label": ["FAVOR", "FAVOR", "NONE", "NONE"], "pred": ["FAVOR", "AGAINST", "NONE", "NONE"],
                          "p_favor": [0.9, 0.05, 0.2, 0.2], "p_against": [0.05, 0.9, 0.2, 0.2],
                          "p_none": [0.05, 0.05, 0.6, 0.6]})
    assert expected_calibration_error(frame) == pytest.approx(0.4)
    right = frame.assign(pred=frame.label, p_favor=[1.0, 1.0, 0.0, 0.0], p_against=0.0, p_none=[0.0, 0.0, 1.0, 1.0])
    assert expected_calibration_error(right) == 0.0

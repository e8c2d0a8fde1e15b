"""Stance metrics: F_avg, per-target means, the bootstrap interval."""

import numpy as np
import pandas as pd
import pytest

from stance.evaluation.metrics import bootstrap_f_avg, split_metrics, target_metrics


def test_f_avg_is_mean_of_favor_and_against_f1():
    gold = ["FAVOR", "FAVOR", "AGAINST", "NONE", "NONE"]
    pred = ["FAVOR", "NONE", "AGAINST", "AGAINST", "NONE"]
    m = target_metrics(gold, pred)
    assert m["f1_favor"] == pytest.approx(2 / 3)
    assert m["f1_against"] == pytest.approx(2 / 3)
    assert m["f_avg"] == pytest.approx(2 / 3)
    assert m["accuracy"] == pytest.approx(3 / 5)
    frame = pd.DataFrame({"target": ["t1"] * 5 + ["t2"] * 5, "label": gold * 2, "pred": pred + gold})
    flat = split_metrics(frame, "test")
    assert flat["test/t2/f_avg"] == 1.0
    assert flat["test/f_avg"] == pytest.approx((2 / 3 + 1) / 2)


def test_bootstrap_interval_brackets_the_score():
    rng = np.random.default_rng(1)
    labels = rng.choice(["FAVOR", "AGAINST", "NONE"], 200)
    frame = pd.DataFrame({"sentence_id": np.repeat(np.arange(100), 2).astype(str), "target": ["m", "g"] * 100,
                          "label": labels, "pred": labels})
    assert bootstrap_f_avg(frame) == (1.0, 1.0)
    noisy = frame.assign(pred=np.where(rng.random(200) < 0.3, "NONE", frame.label))
    low, high = bootstrap_f_avg(noisy)
    point = split_metrics(noisy, "t")["t/f_avg"]
    assert low < point < high and high - low < 0.3

"""Two models on the same test sentences: a paired bootstrap of the metric difference that resamples
whole articles (the primary test), and McNemar's exact test on sentence-level correctness (a
check). Pure functions over the prediction tables stance-train saves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from stance.errors import InputError
from stance.evaluation.metrics import article_counts, interval, metrics_from_counts, resample_weights

KEY = ["sentence_id", "target"]


def paired(a: pd.DataFrame, b: pd.DataFrame, split: str) -> pd.DataFrame:
    """One row per (sentence, target) of `split` with both predictions (`pred_a`, `pred_b`); runs
    scored on different sentences are an error, never a silent partial comparison."""
    a, b = a[a.split == split], b[b.split == split]
    keys_a, keys_b = set(map(tuple, a[KEY].to_numpy())), set(map(tuple, b[KEY].to_numpy()))
    if keys_a != keys_b:
        raise InputError(split, f"the two runs were scored on different sentences ({len(keys_a - keys_b)} pairs "
                                f"only in A, {len(keys_b - keys_a)} only in B): compare runs on the same split")
    merged = a.merge(b[[*KEY, "label", "pred"]], on=KEY, suffixes=("_a", "_b"))
    if not (merged.label_a == merged.label_b).all():
        raise InputError(split, "the two runs disagree on gold labels: they were scored on different label sets")
    return merged.rename(columns={"label_a": "label"}).drop(columns="label_b")


def paired_bootstrap(merged: pd.DataFrame, n_boot: int = 2000, seed: int = 0, level: float = 0.95) -> dict:
    """Per metric: A, B, B - A, its interval and a two-sided bootstrap p-value, the same articles
    drawn for both models in every resample."""
    counts_a = article_counts(merged.rename(columns={"pred_a": "pred"}))
    counts_b = article_counts(merged.rename(columns={"pred_b": "pred"}))
    weights = resample_weights(len(counts_a), n_boot, seed)
    point_a, point_b = metrics_from_counts(counts_a.sum(0)), metrics_from_counts(counts_b.sum(0))
    boot_a = metrics_from_counts(np.tensordot(weights, counts_a, axes=(1, 0)))
    boot_b = metrics_from_counts(np.tensordot(weights, counts_b, axes=(1, 0)))
    out = {}
    for name in point_a:
        diff = boot_b[name] - boot_a[name]
        p = min(1.0, 2 * min(np.mean(diff <= 0), np.mean(diff >= 0)))
        out[name] = {"a": float(point_a[name]), "b": float(point_b[name]),
                     "diff": float(point_b[name] - point_a[name]), "ci": interval(diff, level), "p": float(p)}
    return out


def mcnemar(merged: pd.DataFrame) -> dict:
    """Exact McNemar test on (sentence, target) correctness: only discordant pairs count."""
    right_a, right_b = merged.pred_a == merged.label, merged.pred_b == merged.label
    only_a, only_b = int((right_a & ~right_b).sum()), int((right_b & ~right_a).sum())
    p = binomtest(only_a, only_a + only_b, 0.5).pvalue if only_a + only_b else 1.0
    return {"only_a_right": only_a, "only_b_right": only_b, "p": float(p)}

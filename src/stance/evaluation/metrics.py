"""Stance metrics. Primary: F_avg = (F1 FAVOR + F1 AGAINST) / 2 (SemEval-2016), per target and
as the mean over targets; the benchmarks' official pooled metrics; macro-F1 over three classes,
accuracy, per-class P/R/F1; intervals from a cluster (article) bootstrap."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from stance.schema import LABELS, MAX_TARGETS, PROBA_COLUMNS


def target_metrics(gold, pred) -> dict[str, float]:
    p, r, f, support = precision_recall_fscore_support(gold, pred, labels=LABELS, zero_division=0)
    out = {"f_avg": float((f[0] + f[1]) / 2), "macro_f1": float(np.mean(f)),
           "accuracy": float(np.mean(np.asarray(gold) == np.asarray(pred))), "n": float(len(gold))}
    for i, lab in enumerate(LABELS):
        low = lab.lower()
        out |= {f"precision_{low}": float(p[i]), f"recall_{low}": float(r[i]),
                f"f1_{low}": float(f[i]), f"support_{low}": float(support[i])}
    return out


def split_metrics(frame: pd.DataFrame, prefix: str, max_targets: int = MAX_TARGETS) -> dict[str, float]:
    """Flat `prefix/target/metric`, the `prefix/metric` means over targets, and the pooled metrics
    the benchmarks define (`f_avg_pooled`: SemEval-2016's eval.pl; `macro_f1_pooled`: NewsMTSC's F1_m).

    `frame` has columns target, label (gold) and pred. With more than `max_targets` targets (open
    targets such as NewsMTSC's mentions) no per-target metric is logged and `f_avg`, `macro_f1` and
    `accuracy` are the pooled ones.
    """
    out: dict[str, float] = {}
    pooled = target_metrics(frame.label.tolist(), frame.pred.tolist())
    out |= {f"{prefix}/{key}_pooled": pooled[key] for key in ("f_avg", "macro_f1", "accuracy")}
    per_target = {t: target_metrics(g.label.tolist(), g.pred.tolist()) for t, g in frame.groupby("target")}
    if len(per_target) > max_targets:
        out |= {f"{prefix}/{key}": pooled[key] for key in ("f_avg", "macro_f1", "accuracy")}
    else:
        for target, values in per_target.items():
            out |= {f"{prefix}/{target}/{k}": v for k, v in values.items()}
        for key in ("f_avg", "macro_f1", "accuracy"):
            out[f"{prefix}/{key}"] = float(np.mean([v[key] for v in per_target.values()])) if per_target else 0.0
    out[f"{prefix}/n_pairs"] = float(len(frame))
    return out


def confusion(frame: pd.DataFrame, target: str) -> np.ndarray:
    part = frame[frame.target == target]
    return confusion_matrix(part.label, part.pred, labels=LABELS)


def article_counts(frame: pd.DataFrame, max_targets: int = MAX_TARGETS) -> np.ndarray:
    """(articles, targets, classes, 3) counts of (true positives, predicted, gold): everything the
    metrics need, summable over any multiset of articles. Open targets pool into one column."""
    articles = pd.factorize(frame.article_id)[0]
    targets = pd.factorize(frame.target, sort=True)[0]
    if targets.max(initial=0) + 1 > max_targets:
        targets = np.zeros_like(targets)
    index = {lab: i for i, lab in enumerate(LABELS)}
    gold, pred = frame.label.map(index).to_numpy(), frame.pred.map(index).to_numpy()
    counts = np.zeros((articles.max(initial=-1) + 1, targets.max(initial=0) + 1, len(LABELS), 3))
    np.add.at(counts, (articles, targets, pred, 0), gold == pred)
    np.add.at(counts, (articles, targets, pred, 1), 1)
    np.add.at(counts, (articles, targets, gold, 2), 1)
    return counts


def metrics_from_counts(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Metrics from summed counts, vectorised over leading axes: (..., targets, classes, 3)."""
    def f1(c):
        denom = c[..., 1] + c[..., 2]
        return np.divide(2 * c[..., 0], denom, out=np.zeros_like(denom), where=denom > 0)

    per_target, pooled = f1(counts), f1(counts.sum(axis=-3))
    present = counts[..., 2].sum(-1) > 0  # targets with gold rows in this sample (as split_metrics)
    f_avg = (per_target[..., :2].mean(-1) * present).sum(-1) / np.maximum(present.sum(-1), 1)
    correct, total = counts[..., 0].sum(axis=(-1, -2)), counts[..., 2].sum(axis=(-1, -2))
    return {"f_avg": f_avg, "f_avg_pooled": pooled[..., :2].mean(-1),
            "macro_f1_pooled": pooled.mean(-1),
            "accuracy_pooled": np.divide(correct, total, out=np.zeros_like(correct), where=total > 0)}


def cluster_bootstrap(frame: pd.DataFrame, n_boot: int = 1000, seed: int = 0,
                      level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile intervals of `f_avg`, `f_avg_pooled`, `macro_f1_pooled` and `accuracy_pooled`,
    resampling whole articles with replacement (sentences of one article are not independent, so
    resampling sentences would give intervals that are too narrow). Seeded."""
    counts = article_counts(frame)
    resampled = np.tensordot(resample_weights(len(counts), n_boot, seed), counts, axes=(1, 0))
    return {key: interval(values, level) for key, values in metrics_from_counts(resampled).items()}


def resample_weights(n_articles: int, n_boot: int, seed: int) -> np.ndarray:
    """(n_boot, n_articles): how often each article is drawn in each resample (with replacement)."""
    rng = np.random.default_rng(seed)
    return np.stack([np.bincount(rng.integers(0, n_articles, n_articles), minlength=n_articles)
                     for _ in range(n_boot)]).astype(float)


def interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def expected_calibration_error(frame: pd.DataFrame, n_bins: int = 10) -> float:
    """ECE of the top label: the share-weighted gap between confidence (the largest p_*) and
    accuracy in `n_bins` equal-width confidence bins. 0 when `p_*` mean what they say."""
    proba = frame[PROBA_COLUMNS].to_numpy()
    confidence = proba.max(axis=1)
    correct = (frame.pred == frame.label).to_numpy()
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    gaps = [abs(correct[bins == b].mean() - confidence[bins == b].mean()) * np.mean(bins == b)
            for b in range(n_bins) if np.any(bins == b)]
    return float(np.sum(gaps))

"""Stance metrics. Primary: F_avg = (F1 FAVOR + F1 AGAINST) / 2 (SemEval-2016), per target and
as the mean over targets; also macro-F1 over three classes, accuracy, per-class P/R/F1."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from stance.schema import LABELS


def target_metrics(gold, pred) -> dict[str, float]:
    p, r, f, support = precision_recall_fscore_support(gold, pred, labels=LABELS, zero_division=0)
    out = {"f_avg": float((f[0] + f[1]) / 2), "macro_f1": float(np.mean(f)),
           "accuracy": float(np.mean(np.asarray(gold) == np.asarray(pred))), "n": float(len(gold))}
    for i, lab in enumerate(LABELS):
        low = lab.lower()
        out |= {f"precision_{low}": float(p[i]), f"recall_{low}": float(r[i]),
                f"f1_{low}": float(f[i]), f"support_{low}": float(support[i])}
    return out


def split_metrics(frame: pd.DataFrame, prefix: str) -> dict[str, float]:
    """Flat `prefix/target/metric` and the `prefix/metric` means over targets.

    `frame` has columns target, label (gold) and pred.
    """
    out: dict[str, float] = {}
    per_target = {t: target_metrics(g.label.tolist(), g.pred.tolist()) for t, g in frame.groupby("target")}
    for target, values in per_target.items():
        out |= {f"{prefix}/{target}/{k}": v for k, v in values.items()}
    for key in ("f_avg", "macro_f1", "accuracy"):
        out[f"{prefix}/{key}"] = float(np.mean([v[key] for v in per_target.values()])) if per_target else 0.0
    out[f"{prefix}/n_pairs"] = float(len(frame))
    return out


def confusion(frame: pd.DataFrame, target: str) -> np.ndarray:
    part = frame[frame.target == target]
    return confusion_matrix(part.label, part.pred, labels=LABELS)


def _f_avg_fast(gold: np.ndarray, pred: np.ndarray) -> float:
    """F_avg from integer labels (0 FAVOR, 1 AGAINST) without sklearn overhead."""
    scores = []
    for c in (0, 1):
        tp = np.sum((pred == c) & (gold == c))
        denom = np.sum(pred == c) + np.sum(gold == c)
        scores.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(scores))


def bootstrap_f_avg(frame: pd.DataFrame, n_boot: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% interval of the mean-over-targets F_avg, resampling sentences with replacement
    (both targets of a sentence move together). Small test sets get honest error bars."""
    index = {lab: i for i, lab in enumerate(LABELS)}
    targets = sorted(frame.target.unique())
    wide = frame.pivot_table(index="sentence_id", columns="target", values=["label", "pred"], aggfunc="first")
    gold = {t: wide["label"][t].map(index).to_numpy() for t in targets}
    pred = {t: wide["pred"][t].map(index).to_numpy() for t in targets}
    rng = np.random.default_rng(seed)
    n = len(wide)
    samples = []
    for _ in range(n_boot):
        idx = rng.integers(0, n, n)
        vals = [_f_avg_fast(gold[t][idx], pred[t][idx]) for t in targets
                if not np.isnan(gold[t][idx].astype(float)).any()]
        samples.append(np.mean(vals) if vals else 0.0)
    low, high = np.percentile(samples, [2.5, 97.5])
    return float(low), float(high)

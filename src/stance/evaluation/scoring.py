"""Score a fitted model on labelled splits: predictions with probabilities, and metrics per split."""

from __future__ import annotations

import numpy as np
import pandas as pd

from stance.evaluation.metrics import cluster_bootstrap, expected_calibration_error, split_metrics
from stance.schema import LABELS, MAX_TARGETS, PROBA_COLUMNS


def predict_frame(model, frame: pd.DataFrame, batch_size: int = 256) -> pd.DataFrame:
    """`frame` plus pred and p_favor/p_against/p_none columns."""
    probs = [model.predict_proba(chunk.text.tolist(), chunk.target.tolist())
             for _, chunk in frame.groupby(np.arange(len(frame)) // batch_size)] if len(frame) else []
    proba = np.vstack(probs) if probs else np.zeros((0, 3))
    out = frame.copy()
    for j, column in enumerate(PROBA_COLUMNS):
        out[column] = proba[:, j]
    out["pred"] = [LABELS[i] for i in proba.argmax(axis=1)] if len(out) else []
    return out


def score_splits(model, labelled: pd.DataFrame, splits: list[str]) -> tuple[dict, pd.DataFrame]:
    """Metrics `split/...` for each split present, and all predictions with a split column."""
    metrics, frames = {}, []
    for name in splits:
        part = labelled[labelled.split == name]
        if part.empty:
            continue
        pred = predict_frame(model, part)
        metrics |= split_metrics(pred, name)
        metrics[f"{name}/ece"] = expected_calibration_error(pred)  # do the p_* columns mean what they say?
        if pred.target.nunique() <= MAX_TARGETS:
            metrics |= {f"{name}/{t}/ece": expected_calibration_error(g) for t, g in pred.groupby("target")}
        if name.startswith("test"):
            for key, (low, high) in cluster_bootstrap(pred).items():
                metrics[f"{name}/{key}_ci_low"], metrics[f"{name}/{key}_ci_high"] = low, high
        frames.append(pred)
    return metrics, (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())

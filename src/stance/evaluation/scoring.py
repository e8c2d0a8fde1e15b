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


def scored_metrics(pred: pd.DataFrame, name: str) -> dict[str, float]:
    """`name/...` metrics of scored pairs: official ones, calibration, and intervals for test splits."""
    metrics = split_metrics(pred, name)
    metrics[f"{name}/ece"] = expected_calibration_error(pred)  # do the p_* columns mean what they say?
    if pred.target.nunique() <= MAX_TARGETS:
        metrics |= {f"{name}/{t}/ece": expected_calibration_error(g) for t, g in pred.groupby("target")}
    if name.startswith("test"):
        for key, (low, high) in cluster_bootstrap(pred).items():
            metrics[f"{name}/{key}_ci_low"], metrics[f"{name}/{key}_ci_high"] = low, high
    return metrics


def split_scores(predictions: pd.DataFrame, report_sources=(), whole: bool = True) -> dict[str, float]:
    """Metrics `split/...` for each split of scored pairs (unless `whole` is false). A source in
    `report_sources` that shares a split with others is also scored alone, as `split_source/...`
    (val_news_style)."""
    metrics = {}
    for name, pred in predictions.groupby("split", sort=False):
        if whole:
            metrics |= scored_metrics(pred, name)
        if "source" in pred and pred.source.nunique() > 1:
            for source in sorted(set(report_sources) & set(pred.source)):
                metrics |= scored_metrics(pred[pred.source == source], f"{name}_{source}")
    return metrics


def score_splits(model, labelled: pd.DataFrame, splits: list[str],
                 report_sources=()) -> tuple[dict, pd.DataFrame]:
    """Metrics for each split present (`split_scores`), and all predictions with a split column."""
    frames = [predict_frame(model, labelled[labelled.split == name]) for name in splits
              if (labelled.split == name).any()]
    predictions = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return (split_scores(predictions, report_sources) if len(predictions) else {}), predictions

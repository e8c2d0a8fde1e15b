"""Score a fitted model on labelled splits: predictions, metrics, confusion plots, error table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from stance.metrics import LABELS, bootstrap_f_avg, confusion, split_metrics


def predict_frame(model, frame: pd.DataFrame, batch_size: int = 256) -> pd.DataFrame:
    """`frame` plus pred and p_favor/p_against/p_none columns."""
    probs = [model.predict_proba(chunk.text.tolist(), chunk.target.tolist())
             for _, chunk in frame.groupby(np.arange(len(frame)) // batch_size)] if len(frame) else []
    proba = np.vstack(probs) if probs else np.zeros((0, 3))
    out = frame.copy()
    for j, lab in enumerate(LABELS):
        out[f"p_{lab.lower()}"] = proba[:, j]
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
        if name.startswith("test"):
            metrics[f"{name}/f_avg_ci_low"], metrics[f"{name}/f_avg_ci_high"] = bootstrap_f_avg(pred)
        frames.append(pred)
    return metrics, (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())


def plot_confusions(predictions: pd.DataFrame, out_dir: str | Path, title_prefix: str) -> list[Path]:
    """One PNG per (split, target): counts with row-normalised shading."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for (split, target), part in predictions.groupby(["split", "target"]):
        cm = confusion(part, target)
        norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
        fig, ax = plt.subplots(figsize=(4.2, 3.8))
        ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
        for i in range(3):
            for j in range(3):
                ax.text(j, i, str(cm[i, j]), ha="center", va="center", color="white" if norm[i, j] > 0.6 else "black")
        ax.set_xticks(range(3), LABELS)
        ax.set_yticks(range(3), LABELS)
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        ax.set_title(f"{title_prefix} · {split} · {target}", fontsize=9)
        fig.tight_layout()
        path = out_dir / f"confusion_{split}_{target}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def error_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """Misclassified pairs, most confident mistakes first."""
    wrong = predictions[predictions.pred != predictions.label].copy()
    wrong["confidence"] = wrong[[f"p_{lab.lower()}" for lab in LABELS]].max(axis=1)
    cols = ["split", "article_id", "sentence_id", "target", "label", "pred", "confidence", "text"]
    return wrong.sort_values("confidence", ascending=False)[cols]

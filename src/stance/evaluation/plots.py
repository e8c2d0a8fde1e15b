"""What a reviewer looks at besides numbers: confusion matrices and the most confident mistakes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from stance.evaluation.metrics import confusion
from stance.schema import LABELS, PROBA_COLUMNS


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
    wrong["confidence"] = wrong[PROBA_COLUMNS].max(axis=1)
    cols = ["split", "article_id", "sentence_id", "target", "label", "pred", "confidence", "text"]
    return wrong.sort_values("confidence", ascending=False)[cols]

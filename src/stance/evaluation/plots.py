"""What a reviewer looks at besides numbers: confusion matrices and the most confident mistakes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from stance.evaluation.metrics import confusion
from stance.schema import LABELS, MAX_TARGETS, PROBA_COLUMNS


# A run's scored pairs (val and test splits), saved beside its plots and logged with them.
PREDICTIONS_FILE = "predictions.parquet"
PREDICTION_COLUMNS = ["split", "source", "article_id", "sentence_id", "target", "label", "pred", *PROBA_COLUMNS]


def plot_confusions(predictions: pd.DataFrame, out_dir: str | Path, title_prefix: str) -> list[Path]:
    """One PNG per (split, target), or per split for open targets: counts with row-normalised shading."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    if predictions.target.nunique() > MAX_TARGETS:  # open targets (mentions): one matrix per split
        predictions = predictions.assign(target="all")
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


def plot_differences(results: dict, metrics: list[str], name_a: str, name_b: str):
    """B - A per split and metric with its paired-bootstrap 95% CI whisker; zero marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [(f"{split} · {m}", r["bootstrap"][m]) for split, r in results.items() for m in metrics]
    fig, ax = plt.subplots(figsize=(6.4, 0.5 * len(rows) + 1.4))
    for y, (label, s) in enumerate(rows):
        ax.errorbar(s["diff"], y, xerr=[[s["diff"] - s["ci"][0]], [s["ci"][1] - s["diff"]]], fmt="o", capsize=4,
                    color="tab:green" if s["ci"][0] > 0 else "tab:red" if s["ci"][1] < 0 else "tab:gray")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(rows)), [label for label, _ in rows])
    ax.invert_yaxis()
    ax.set_xlabel(f"{name_b} minus {name_a} (95% CI, articles resampled)")
    fig.tight_layout()
    return fig


def plot_reliability(predictions: pd.DataFrame, out_dir: str | Path, title_prefix: str) -> list[Path]:
    """One reliability diagram per split: accuracy of the top label against its probability
    (scikit-learn's CalibrationDisplay); the diagonal is a model whose p_* mean what they say."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.calibration import CalibrationDisplay

    paths = []
    for split, part in predictions.groupby("split"):
        confidence = part[PROBA_COLUMNS].to_numpy().max(axis=1)
        display = CalibrationDisplay.from_predictions((part.pred == part.label).to_numpy(), confidence, n_bins=10,
                                                      name=title_prefix)
        display.ax_.set(xlabel="probability of the predicted label", ylabel="share correct",
                        title=f"{title_prefix} · {split} · reliability")
        path = Path(out_dir) / f"reliability_{split}.png"
        display.figure_.savefig(path, dpi=110)
        plt.close(display.figure_)
        paths.append(path)
    return paths

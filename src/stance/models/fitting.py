"""Fit a configured model on the split table and score it: holdout (train -> val, test*) and,
when the split has folds, grouped k-fold means and spreads. Pure functions over DataFrames."""

from __future__ import annotations

import logging
import time

import hydra
import numpy as np
import pandas as pd

from stance.evaluation.scoring import score_splits

log = logging.getLogger(__name__)
FOLD_LOG = ("cv/f_avg", "cv/f_avg_pooled", "cv/macro_f1_pooled", "cv/accuracy_pooled")


def build_model(model_cfg: dict, seed: int, trainer: dict, targets: dict):
    """The estimator `model_cfg["_target_"]` names; `kind` is the config's label, not an argument."""
    kwargs = {k: v for k, v in model_cfg.items() if k != "kind"}
    return hydra.utils.instantiate(kwargs, seed=seed, trainer=trainer, targets=targets, _convert_="all")


def fit(model, train: pd.DataFrame, val: pd.DataFrame | None, checkpoints=None):
    eval_set = (val.text.tolist(), val.target.tolist(), val.label.tolist()) if val is not None and len(val) else None
    return model.fit(train.text.tolist(), train.target.tolist(), train.label.tolist(), eval_set=eval_set,
                     checkpoints=checkpoints)


def cross_validate(make_model, labelled: pd.DataFrame) -> dict[str, float]:
    """Grouped k-fold over the `fold` column: `cv/<metric>` means and `cv/<metric>_std` spreads."""
    in_folds = labelled[labelled.fold >= 0]  # test sources (fold -1) are never trained on
    per_fold = []
    for fold in sorted(in_folds.fold.unique()):
        held = in_folds.fold == fold
        started = time.perf_counter()
        model = fit(make_model(), in_folds[~held], None)
        seconds = time.perf_counter() - started
        metrics, _ = score_splits(model, in_folds[held].assign(split="cv"), ["cv"])
        per_fold.append(metrics | {"cv/train_seconds": seconds})
        # Every pooled (official) metric too: a long CV can be read fold by fold while it runs.
        shown = {k: metrics[k] for k in FOLD_LOG if k in metrics}
        log.info("fold %d (%.0f s): %s", fold, seconds, ", ".join(f"{k} {v:.3f}" for k, v in shown.items()))
    keys = [k for k in per_fold[0] if not k.endswith(("/n", "/n_pairs")) and "/support_" not in k]
    out = {k: float(np.mean([m[k] for m in per_fold])) for k in keys}
    out |= {f"{k}_std": float(np.std([m[k] for m in per_fold])) for k in keys}
    out["cv/n_folds"] = float(len(per_fold))
    return out


def training_rows(table: pd.DataFrame, train_sources=None) -> pd.DataFrame:
    """The labelled `train` rows a model learns from: only those of `train_sources`, when given."""
    train = table[(table.split == "train") & table.label.notna()]
    return train[train.source.isin(list(train_sources))] if train_sources is not None else train


def train_and_score(make_model, table: pd.DataFrame, checkpoints=None, train_sources=None, report_sources=()):
    """Fit on `train` (only its rows from `train_sources`, when given), validate on `val`, score val
    and every `test*` split (and k-fold when the split table has folds); `report_sources` are also
    scored alone within mixed splits. `checkpoints` serve the main fit (resumable). Returns model,
    metrics and predictions."""
    labelled = table[table.label.notna()]
    metrics = cross_validate(make_model, labelled) if (labelled.fold >= 0).any() else {}
    train = training_rows(labelled, train_sources)
    if "source" in train:
        counts = train.source.value_counts()
        log.info("training on %s", ", ".join(f"{src} ({n} pairs)" for src, n in counts.items()))
    val = labelled[labelled.split == "val"]
    started = time.perf_counter()
    model = fit(make_model(), train, val, checkpoints)
    metrics["train/seconds"] = time.perf_counter() - started
    metrics["train/n_pairs"] = float(len(train))
    # What validation fitted after training (serving/calibration.py), for the reviewer's runs table.
    metrics |= {f"calibration/{k}": float(getattr(model, k)) for k in ("temperature", "none_bias") if hasattr(model, k)}
    # `select` is scored, never fitted or early-stopped on: the champion is chosen on it.
    eval_splits = ["val", "select"] + sorted(s for s in labelled.split.unique() if str(s).startswith("test"))
    started = time.perf_counter()
    scored, predictions = score_splits(model, labelled, eval_splits, report_sources)
    seconds = time.perf_counter() - started
    metrics |= scored
    if len(predictions):
        metrics["predict/sentences_per_s"] = predictions.sentence_id.nunique() / max(seconds, 1e-9)
    return model, metrics, predictions

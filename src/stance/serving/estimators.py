"""What every stance model folder holds and how it scores, with no MLflow import: the estimator's
files plus meta.json (the class that loads it), and the one scoring function that turns
(text, target) rows into `schema.MODEL_OUTPUT_COLUMNS`. The MLflow pyfunc (pyfunc.py) and the
folder loader (folder.py) both call it."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from stance.schema import LABELS, MODEL_OUTPUT_COLUMNS, PROBA_COLUMNS, expand_targets

ARTIFACT = "stance_model"  # the estimator's folder inside the model's artifacts/
META_FILE = "meta.json"
# Defaults that load_model(uri, model_config={...}) may override.
LOAD_OPTIONS = {"backend": "auto", "num_threads": None}


def probabilities_to_frame(frame: pd.DataFrame, proba: np.ndarray) -> pd.DataFrame:
    out = frame[["text", "target"]].copy()
    out["label"] = [LABELS[i] for i in proba.argmax(axis=1)] if len(out) else []
    for j, column in enumerate(PROBA_COLUMNS):
        out[column] = proba[:, j].astype(float)
    return out


def score_frame(estimator, meta: dict, model_input: pd.DataFrame) -> pd.DataFrame:
    """One row per (text, target); a row without a target is scored for every known target."""
    frame = expand_targets(pd.DataFrame(model_input), meta["targets"], meta.get("open_targets", False))
    texts, targets = frame.text.astype(str).tolist(), frame.target.tolist()
    out = probabilities_to_frame(frame, estimator.predict_proba(texts, targets))
    # True where the model saw only the start of a sentence longer than its input limit.
    flag = getattr(estimator, "truncated", None)
    out["truncated"] = flag(texts, targets) if flag else False
    return out[MODEL_OUTPUT_COLUMNS]


def dump_estimator(estimator, directory: Path, targets: list[str]) -> None:
    """The estimator's own files plus meta.json naming the class that loads it for scoring."""
    cls = type(estimator)
    loader = getattr(estimator, "serving_class", f"{cls.__module__}:{cls.__qualname__}")
    meta = {"kind": estimator.kind, "class": loader, "targets": list(targets), "labels": list(LABELS),
            "open_targets": bool(getattr(estimator, "open_targets", False))}
    estimator.save(directory)
    (Path(directory) / META_FILE).write_text(json.dumps(meta, indent=2))


def load_estimator(directory, **options):
    meta = json.loads((Path(directory) / META_FILE).read_text())
    module, name = meta["class"].split(":")
    return getattr(importlib.import_module(module), name).load(directory, **options), meta

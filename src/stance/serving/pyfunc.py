"""One MLflow pyfunc wrapper for every model kind: same input, same output, one load path.

Input: a DataFrame with `text` and optional `target` (a row without a target is scored for
every target the model knows). Output: `schema.MODEL_OUTPUT_COLUMNS`, one row per (text, target).
MLflow runs this file when it loads a saved model (models from code: no pickled wrapper).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types.schema import ColSpec, Schema

from stance.schema import LABELS, MODEL_OUTPUT_COLUMNS, PROBA_COLUMNS, expand_targets

ARTIFACT = "stance_model"  # the estimator's folder inside the model's artifacts/
META_FILE = "meta.json"
SIGNATURE = ModelSignature(
    inputs=Schema([ColSpec("string", "text"), ColSpec("string", "target", required=False)]),
    outputs=Schema([ColSpec("string", c) for c in ("text", "target", "label")]
                   + [ColSpec("double", c) for c in PROBA_COLUMNS] + [ColSpec("boolean", "truncated")]),
)
# Defaults that load_model(uri, model_config={...}) may override.
LOAD_OPTIONS = {"backend": "auto", "num_threads": None}
REQUIREMENTS = ["scikit-learn", "skops", "safetensors", "pandas", "numpy", "torch", "transformers", "onnxruntime"]


def probabilities_to_frame(frame: pd.DataFrame, proba: np.ndarray) -> pd.DataFrame:
    out = frame[["text", "target"]].copy()
    out["label"] = [LABELS[i] for i in proba.argmax(axis=1)] if len(out) else []
    for j, column in enumerate(PROBA_COLUMNS):
        out[column] = proba[:, j].astype(float)
    return out


class StanceModel(mlflow.pyfunc.PythonModel):
    """Loads whichever estimator `meta.json` names and scores (text, target) pairs."""

    def load_context(self, context):
        # model_config (mlflow.pyfunc.load_model(uri, model_config={...})) picks e.g. the backend.
        self.estimator, self.meta = load_estimator(context.artifacts[ARTIFACT], **(context.model_config or {}))

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        frame = expand_targets(pd.DataFrame(model_input), self.meta["targets"], self.meta.get("open_targets", False))
        texts, targets = frame.text.astype(str).tolist(), frame.target.tolist()
        out = probabilities_to_frame(frame, self.estimator.predict_proba(texts, targets))
        # True where the model saw only the start of a sentence longer than its input limit.
        flag = getattr(self.estimator, "truncated", None)
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


def model_files(estimator, targets, staging: Path, example_texts: list[str]) -> dict:
    """Keyword arguments for mlflow.pyfunc.save_model / log_model of `estimator`."""
    dump_estimator(estimator, staging, targets)
    example = pd.DataFrame({"text": example_texts[:2] or ["Russia voiced support for Maduro."],
                            "target": [targets[0]] * len(example_texts[:2] or [0])})
    return dict(python_model=__file__, artifacts={ARTIFACT: str(staging)}, signature=SIGNATURE,
                input_example=example, code_paths=[str(Path(__file__).resolve().parents[1])],
                pip_requirements=REQUIREMENTS, metadata={"stance_kind": estimator.kind, "targets": list(targets),
                          "open_targets": bool(getattr(estimator, "open_targets", False))},
                model_config=dict(LOAD_OPTIONS))


mlflow.models.set_model(StanceModel())

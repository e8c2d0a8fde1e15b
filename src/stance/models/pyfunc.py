"""One MLflow pyfunc wrapper for every model kind: same input, same output, one load path.

Input: a DataFrame with `text` and optional `target` (a row without a target is scored for
every target the model knows). Output: one row per (text, target) with `label` and the
three class probabilities.
"""

from __future__ import annotations

import importlib
import json
import tempfile
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types.schema import ColSpec, Schema

from stance.metrics import LABELS

ARTIFACT = "stance_model"
OUTPUT_COLUMNS = ["text", "target", "label", "p_favor", "p_against", "p_none", "truncated"]
SIGNATURE = ModelSignature(
    inputs=Schema([ColSpec("string", "text"), ColSpec("string", "target", required=False)]),
    outputs=Schema([ColSpec("string", c) for c in ("text", "target", "label")]
                   + [ColSpec("double", c) for c in ("p_favor", "p_against", "p_none")]
                   + [ColSpec("boolean", "truncated")]),
)
LOAD_OPTIONS = {"backend": "auto", "num_threads": None}
REQUIREMENTS = ["scikit-learn", "pandas", "numpy", "joblib", "torch", "transformers", "onnxruntime"]


def expand_targets(frame: pd.DataFrame, targets: list[str]) -> pd.DataFrame:
    """Rows without a target become one row per known target."""
    frame = frame.reset_index(drop=True)
    if "target" not in frame:
        frame = frame.assign(target=None)
    missing = frame.target.isna() | (frame.target.astype(str) == "")
    expanded = frame[missing].drop(columns="target").merge(pd.DataFrame({"target": targets}), how="cross")
    return pd.concat([frame[~missing], expanded], ignore_index=True) if missing.any() else frame


def probabilities_to_frame(frame: pd.DataFrame, proba: np.ndarray) -> pd.DataFrame:
    out = frame[["text", "target"]].copy()
    out["label"] = [LABELS[i] for i in proba.argmax(axis=1)] if len(out) else []
    for j, lab in enumerate(LABELS):
        out[f"p_{lab.lower()}"] = proba[:, j].astype(float)
    return out


class StanceModel(mlflow.pyfunc.PythonModel):
    """Loads whichever estimator `meta.json` names and scores (text, target) pairs."""

    def load_context(self, context):
        # model_config (mlflow.pyfunc.load_model(uri, model_config={...})) picks e.g. the backend.
        self.estimator, self.meta = load_estimator(context.artifacts[ARTIFACT], **(context.model_config or {}))

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        frame = expand_targets(pd.DataFrame(model_input), self.meta["targets"])
        texts, targets = frame.text.astype(str).tolist(), frame.target.tolist()
        out = probabilities_to_frame(frame, self.estimator.predict_proba(texts, targets))
        # True where the model saw only the start of a sentence longer than its input limit.
        flag = getattr(self.estimator, "truncated", None)
        out["truncated"] = flag(texts, targets) if flag else False
        return out


def dump_estimator(estimator, directory: Path, targets: list[str]) -> None:
    cls = type(estimator)
    meta = {"kind": estimator.kind, "class": f"{cls.__module__}:{cls.__qualname__}", "targets": list(targets),
            "labels": LABELS}
    estimator.save(directory)
    (directory / "meta.json").write_text(json.dumps(meta, indent=2))


def load_estimator(directory, **options):
    meta = json.loads((Path(directory) / "meta.json").read_text())
    module, name = meta["class"].split(":")
    return getattr(importlib.import_module(module), name).load(directory, **options), meta


def _model_kwargs(estimator, targets, staging: Path, example_texts: list[str]) -> dict:
    dump_estimator(estimator, staging, targets)
    example = pd.DataFrame({"text": example_texts[:2] or ["Russia voiced support for Maduro."],
                            "target": [targets[0]] * len(example_texts[:2] or [0])})
    return dict(python_model=__file__, artifacts={ARTIFACT: str(staging)}, signature=SIGNATURE,
                input_example=example, code_paths=[str(Path(__file__).resolve().parents[1])],
                pip_requirements=REQUIREMENTS, metadata={"stance_kind": estimator.kind, "targets": list(targets)},
                # Defaults that load_model(uri, model_config={...}) may override (MLflow ignores
                # load-time keys the model was not logged with).
                model_config=dict(LOAD_OPTIONS))


def save_and_log(estimator, targets, example_texts, export_dir=None, registered_name=None):
    """Log the model to the active MLflow run (registering it if a name is given) and/or save it
    as a local MLflow model directory. Returns the logged ModelInfo, or None without a run."""
    info = None
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / ARTIFACT  # the folder name inside the model's artifacts/
        staging.mkdir()
        kwargs = _model_kwargs(estimator, targets, staging, example_texts)
        if export_dir is not None:
            replace_dir(Path(export_dir), lambda path: mlflow.pyfunc.save_model(str(path), **kwargs))
        if mlflow.active_run() is not None:
            info = mlflow.pyfunc.log_model(name="model", registered_model_name=registered_name, **kwargs)
    return info


def replace_dir(target: Path, write) -> None:
    """Write a directory beside `target`, then swap it in: a failed export keeps the old one."""
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    fresh, old = target.with_name(f".{target.name}.new"), target.with_name(f".{target.name}.old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    write(fresh)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


# Models from code: MLflow executes this file when loading a saved model (no pickled objects).
mlflow.models.set_model(StanceModel())

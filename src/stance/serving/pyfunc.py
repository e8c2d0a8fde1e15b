"""One MLflow pyfunc wrapper for every model kind: same input, same output, one load path.

Input: a DataFrame with `text` and optional `target` (a row without a target is scored for
every target the model knows). Output: `schema.MODEL_OUTPUT_COLUMNS`, one row per (text, target).
MLflow runs this file when it loads a saved model (models from code: no pickled wrapper).
"""

from __future__ import annotations

from pathlib import Path

import mlflow
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types.schema import ColSpec, Schema

from stance.schema import PROBA_COLUMNS
from stance.serving.estimators import ARTIFACT, LOAD_OPTIONS, dump_estimator, load_estimator, score_frame

SIGNATURE = ModelSignature(
    inputs=Schema([ColSpec("string", "text"), ColSpec("string", "target", required=False)]),
    outputs=Schema([ColSpec("string", c) for c in ("text", "target", "label")]
                   + [ColSpec("double", c) for c in PROBA_COLUMNS] + [ColSpec("boolean", "truncated")]),
)
REQUIREMENTS = ["scikit-learn", "skops", "safetensors", "pandas", "numpy", "torch", "transformers", "onnxruntime"]


class StanceModel(mlflow.pyfunc.PythonModel):
    """Loads whichever estimator `meta.json` names and scores (text, target) pairs."""

    def load_context(self, context):
        # model_config (mlflow.pyfunc.load_model(uri, model_config={...})) picks e.g. the backend.
        self.estimator, self.meta = load_estimator(context.artifacts[ARTIFACT], **(context.model_config or {}))

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        return score_frame(self.estimator, self.meta, model_input)


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

"""A stance model read straight from its MLflow model folder: the MLmodel file says where the
estimator's files are, which options it loads with and what it can score; the estimator then
loads itself (estimators.py). MLflow itself is not imported, so an ONNX model starts scoring in
about a second; `mlflow.pyfunc.load_model` on the same folder gives the same predictions.

Only the project's own pyfunc (models from code, `stance/serving/pyfunc.py`) is read this way.
The code shipped inside the folder is not run: the installed `stance` package scores it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from stance.serving.estimators import ARTIFACT, load_estimator, score_frame

PYFUNC = "python_function"


class NotAStanceModel(ValueError):
    """The folder is an MLflow model, but not one this project saved."""


@dataclass
class ModelInfo:
    """What the pipeline reads of MLflow's `Model` metadata: its `metadata` dict and its YAML."""

    metadata: dict
    text: str

    def to_yaml(self) -> str:
        return self.text


class FolderModel:
    """`predict(frame)` as `mlflow.pyfunc.load_model(directory).predict(frame)` does."""

    def __init__(self, directory: str | Path, model_config: dict | None = None):
        directory = Path(directory)
        text = (directory / "MLmodel").read_text(encoding="utf-8")
        mlmodel = yaml.safe_load(text) or {}
        flavor = (mlmodel.get("flavors") or {}).get(PYFUNC) or {}
        artifact = (flavor.get("artifacts") or {}).get(ARTIFACT)
        metadata = mlmodel.get("metadata") or {}
        if not artifact or not isinstance(metadata.get("targets"), list):
            raise NotAStanceModel("not a stance model (its MLmodel metadata names no targets)")
        self.metadata = ModelInfo(metadata, text)
        options = {**(flavor.get("config") or {}), **(model_config or {})}
        self.estimator_dir = directory / artifact["path"]  # the estimator's own files and meta.json
        self.estimator, self.meta = load_estimator(self.estimator_dir, **options)

    def predict(self, model_input: pd.DataFrame) -> pd.DataFrame:
        return score_frame(self.estimator, self.meta, model_input)

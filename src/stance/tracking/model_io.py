"""Trained models out: a local MLflow model directory and/or a logged (and registered) model."""

from __future__ import annotations

import tempfile
from pathlib import Path

from stance.io import replace_dir
from stance.serving.pyfunc import ARTIFACT, model_files


def save_and_log(estimator, targets, example_texts, export_dir=None, registered_name=None):
    """Log the model to the active MLflow run (registering it if a name is given) and/or save it
    as a local MLflow model directory. Returns the logged ModelInfo, or None without a run."""
    import mlflow

    info = None
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / ARTIFACT
        staging.mkdir()
        kwargs = model_files(estimator, targets, staging, example_texts)
        if export_dir is not None:
            replace_dir(Path(export_dir), lambda path: mlflow.pyfunc.save_model(str(path), **kwargs))
        if mlflow.active_run() is not None:
            info = mlflow.pyfunc.log_model(name="model", registered_model_name=registered_name, **kwargs)
    return info

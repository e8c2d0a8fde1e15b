"""The one load path for every model: an MLflow URI or a local MLflow model directory."""

from __future__ import annotations

from pathlib import Path

from stance.errors import InputError


def load_model(uri: str, tracking_uri: str | None = None, model_config: dict | None = None):
    """An MLflow pyfunc from a URI or a local directory; a clear error when it is not there."""
    import mlflow

    is_uri = ":/" in uri
    if not is_uri and not (Path(uri) / "MLmodel").exists():
        raise InputError(uri, "no MLflow model here (expected a directory with an MLmodel file, or a models:/ URI)")
    if is_uri and tracking_uri:
        mlflow.set_tracking_uri(tracking_uri)
        mlflow.set_registry_uri(tracking_uri)
    try:
        return mlflow.pyfunc.load_model(uri, model_config=model_config or None)
    except mlflow.exceptions.MlflowException as exc:
        raise InputError(uri, f"cannot load model ({str(exc).splitlines()[0][:200]})") from exc


def model_label(uri: str) -> str:
    """What the `model` column says: the registry version behind an alias, else the URI."""
    if uri.startswith("models:/") and "@" in uri:
        import mlflow

        name, alias = uri.removeprefix("models:/").split("@", 1)
        try:
            return f"models:/{name}/{mlflow.MlflowClient().get_model_version_by_alias(name, alias).version}"
        except mlflow.exceptions.MlflowException:
            return uri
    return uri

"""The one load path for every model: an MLflow URI or a local MLflow model directory; what
identifies it for resuming (its content and our code), and what it can score (its targets)."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import stance
from stance.errors import InputError
from stance.data.ids import fingerprint

log = logging.getLogger(__name__)


def load_model(uri: str, tracking_uri: str | None = None, model_config: dict | None = None):
    """A stance model from a URI or a local MLflow model directory; a clear error when it is not
    there. Both are read by one path, the folder's MLmodel file (serving/folder.py): a URI is
    first downloaded with MLflow, a local folder needs no MLflow import (fast start-up)."""
    from stance.serving.folder import FolderModel, NotAStanceModel

    is_uri = ":/" in uri
    if not is_uri and not (Path(uri) / "MLmodel").exists():
        raise InputError(uri, "no MLflow model here (expected a directory with an MLmodel file, or a models:/ URI)")
    directory = download_model(uri, tracking_uri) if is_uri else Path(uri)
    try:
        return FolderModel(directory, model_config)
    except NotAStanceModel as exc:
        raise InputError(uri, str(exc)) from exc
    except FileNotFoundError as exc:  # the backend asked for a file this model does not have
        raise InputError(uri, str(exc)) from exc
    except Exception as exc:  # a folder from elsewhere: missing files or packages, a bad option
        raise InputError(uri, f"cannot load model ({type(exc).__name__}: {str(exc)[:200]})") from exc


def download_model(uri: str, tracking_uri: str | None) -> Path:
    """The local folder of a models:/ or runs:/ URI (MLflow's download, cached in a temp dir)."""
    import mlflow

    if tracking_uri:
        mlflow.set_tracking_uri(tracking_uri)
        mlflow.set_registry_uri(tracking_uri)
    try:
        return Path(mlflow.artifacts.download_artifacts(artifact_uri=uri))
    except mlflow.exceptions.MlflowException as exc:
        raise InputError(uri, f"cannot load model ({str(exc).splitlines()[0][:200]})") from exc


def model_targets(model) -> list[str]:
    targets = (model.metadata.metadata or {}).get("targets")
    return [str(t) for t in targets] if isinstance(targets, list) else []


def takes_any_target(model) -> bool:
    """True for a model that scores any target string (pair input), not only its known targets."""
    return bool((model.metadata.metadata or {}).get("open_targets"))


def warn_if_foreign(uri: str) -> None:
    """MLflow's own loader (the Spark UDF) runs the code shipped inside a models-from-code folder:
    say so for folders that this project did not write (outside its experiments/)."""
    from stance.config import find_root

    home = Path(find_root()) / "experiments"
    if ":/" not in uri and not Path(uri).resolve().is_relative_to(home.resolve()):
        log.warning("loading %s in Spark runs the Python code shipped inside it (MLflow models from code): "
                    "load only models you trust", uri)


def code_version() -> str:
    """This package's version and a digest of its source: parts scored by other code never resume."""
    digest = hashlib.sha256(stance.__version__.encode())
    for path in sorted(Path(stance.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def resume_fingerprint(model, **fields) -> str:
    """The model by content (its MLmodel, whose model_uuid is new at every save), the code
    version, and the command's inputs and options."""
    content = hashlib.sha256(model.metadata.to_yaml().encode()).hexdigest()[:16]
    return fingerprint({"model": content, "code": code_version(), **fields})


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

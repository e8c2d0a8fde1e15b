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
    """An MLflow pyfunc from a URI or a local directory; a clear error when it is not there."""
    import mlflow

    is_uri = ":/" in uri
    if not is_uri and not (Path(uri) / "MLmodel").exists():
        raise InputError(uri, "no MLflow model here (expected a directory with an MLmodel file, or a models:/ URI)")
    if is_uri and tracking_uri:
        mlflow.set_tracking_uri(tracking_uri)
        mlflow.set_registry_uri(tracking_uri)
    if not is_uri:
        warn_if_foreign(Path(uri))
    try:
        model = mlflow.pyfunc.load_model(uri, model_config=model_config or None)
    except mlflow.exceptions.MlflowException as exc:
        raise InputError(uri, f"cannot load model ({str(exc).splitlines()[0][:200]})") from exc
    except FileNotFoundError as exc:  # the backend asked for a file this model does not have
        raise InputError(uri, str(exc)) from exc
    except Exception as exc:  # a folder from elsewhere: missing code, packages or files
        raise InputError(uri, f"cannot load model ({type(exc).__name__}: {str(exc)[:200]})") from exc
    if not model_targets(model):
        raise InputError(uri, "not a stance model (its MLmodel metadata names no targets)")
    return model


def model_targets(model) -> list[str]:
    targets = (model.metadata.metadata or {}).get("targets")
    return [str(t) for t in targets] if isinstance(targets, list) else []


def takes_any_target(model) -> bool:
    """True for a model that scores any target string (pair input), not only its known targets."""
    return bool((model.metadata.metadata or {}).get("open_targets"))


def warn_if_foreign(directory: Path) -> None:
    """A models-from-code folder runs the code inside it when loaded: say so for folders that
    this project did not write (outside its experiments/)."""
    from stance.config import find_root

    home = Path(find_root()) / "experiments"
    if not directory.resolve().is_relative_to(home.resolve()):
        log.warning("loading %s runs the Python code shipped inside it (MLflow models from code): "
                    "load only models you trust", directory)


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

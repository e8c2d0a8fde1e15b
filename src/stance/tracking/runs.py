"""MLflow setup, run naming, tags, and the two trackers `configs/tracking/` chooses between:
`MlflowTracking` (a run per command, params, resolved config, tags) and `NoTracking` (no store
at all). Every MLflow run ends with a status: FAILED when the body raises or is killed."""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from stance.config import flatten
from stance.io import sha256

log = logging.getLogger(__name__)
EXPERIMENT_KIND_TAG, EXPERIMENT_KIND = "mlflow.experimentKind", "custom_model_development"
# The UI's "share view" mechanism: an experiment tag holding a runs-table state that the URL
# parameter `viewStateShareKey=<key>` opens. Ours shows the description, dataset, models and the
# headline metrics as columns, so a reviewer needs no clicks to compare runs.
VIEW_KEY = "reviewer"
VIEW_TAG = f"mlflow.sharedViewState.{VIEW_KEY}"


def reviewer_view(metrics: list[str]) -> str:
    """The shared runs-table state: the headline metrics right after the run name, then the
    description, dataset and models (column ids as the UI names them: `type.\`key\``)."""
    metric_columns = [f"metrics.`{m}`" for m in metrics]
    attributes = [f"attributes.`{name}`" for name in ("Description", "Dataset", "Models")]
    return json.dumps({"selectedColumns": attributes + metric_columns,
                       "columnOrder": ["attributes.`Run Name`", *metric_columns, *attributes]})


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def git_commit(root: str) -> str:
    try:
        out = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def file_hash(path: str | Path) -> str:
    """A file's short content digest: the `data_hash` tag of a run."""
    return sha256(path)[:16]


def sweep_parent(kind: str) -> str | None:
    """In a Hydra multirun (`-m`), the id of the sweep's parent run (created by its first job),
    so the UI groups the sweep's runs under one row; None for a single run."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    if not HydraConfig.initialized() or HydraConfig.get().mode != RunMode.MULTIRUN:
        return None
    import mlflow

    sweep_dir = HydraConfig.get().sweep.dir
    found = mlflow.search_runs(filter_string=f"tags.sweep_dir = '{sweep_dir}'", max_results=1, output_format="list")
    if found:
        return found[0].info.run_id
    with mlflow.start_run(run_name=f"sweep-{run_name(kind)}", tags={"sweep_dir": sweep_dir, "model.kind": kind}) as run:
        mlflow.log_param("sweep_dir", sweep_dir)
    return run.info.run_id


def run_name(kind: str, data_name: str | None = None) -> str:
    """`transformer-synthetic-1207-153012`: model, data, time."""
    return "-".join(filter(None, [kind, data_name, f"{datetime.now():%m%d-%H%M%S}"]))


@dataclass
class NoTracking:
    """tracking=none: nothing is logged, no store is created, no champion is chosen."""

    experiment_name: str = "stance"
    registered_model_name: str = "stance"
    register_model: bool = True
    champion_alias: str = "champion"
    primary_metric: list[str] = field(default_factory=lambda: ["select/f_avg", "val/f_avg", "cv/f_avg"])
    enabled = False

    @contextlib.contextmanager
    def run(self, cfg: DictConfig, kind: str, data_hash: str, overrides: list[str]):
        yield None


@dataclass
class MlflowTracking(NoTracking):
    """A sqlite store at an absolute path and an explicit artifact location (MLflow 3 refuses a
    bare ./mlruns folder)."""

    tracking_uri: str = ""
    artifact_location: str = ""
    review_columns: list[str] = field(default_factory=lambda: ["test_seeds/f_avg", "test_news_style/f_avg", "test/f_avg", "select/f_avg"])
    enabled = True

    def setup(self) -> str:
        """Point MLflow at the store; create the experiment with its artifact location."""
        import mlflow

        if self.tracking_uri.startswith("sqlite:///"):
            Path(self.tracking_uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        mlflow.set_tracking_uri(self.tracking_uri)
        mlflow.set_registry_uri(self.tracking_uri)
        exp = mlflow.get_experiment_by_name(self.experiment_name)
        exp_id = exp.experiment_id if exp else mlflow.create_experiment(
            self.experiment_name, artifact_location=self.artifact_location)
        # A model-training experiment: the UI shows runs, metrics and models, not GenAI traces.
        client = mlflow.MlflowClient()
        client.set_experiment_tag(exp_id, EXPERIMENT_KIND_TAG, EXPERIMENT_KIND)
        client.set_experiment_tag(exp_id, VIEW_TAG, reviewer_view(list(self.review_columns)))
        mlflow.set_experiment(experiment_id=exp_id)
        return exp_id

    @contextlib.contextmanager
    def run(self, cfg: DictConfig, kind: str, data_hash: str, overrides: list[str]):
        """An MLflow run with params, resolved config and tags; FAILED if the body raises."""
        import mlflow

        self.setup()
        preset = next((o.split("=", 1)[1] for o in overrides if o.startswith("experiment=")), "default")
        tags = {"git_commit": git_commit(cfg.paths.root_dir), "data_hash": data_hash, "model.kind": kind,
                "data": cfg.data.name, "data.name": cfg.data.name, "experiment": preset,
                "overrides": " ".join(overrides) or "(none)"}
        parent = sweep_parent(kind)
        if parent:
            tags["mlflow.parentRunId"] = parent
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` ends the run as FAILED, not RUNNING forever
        with mlflow.start_run(run_name=run_name(kind, cfg.data.name), tags=tags) as run:
            mlflow.log_params(flatten(cfg))
            mlflow.log_text(OmegaConf.to_yaml(cfg, resolve=True), "config/config.yaml")
            yield run

"""A sweep (`stance-train -m ...` or `hparams_search=...`) is one MLflow parent run with a child per
trial (tracking/runs.py makes the parent); when the sweep ends, this Hydra callback writes the
best trial into the parent: its metric, run, overrides, and a one-paragraph description."""

from __future__ import annotations

import logging

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

log = logging.getLogger(__name__)


def best_child(client, parent_id: str, experiment_id: str, metric: str):
    """The finished child run with the highest `metric`, and how many children there are."""
    children = client.search_runs([experiment_id], f"tags.`mlflow.parentRunId` = '{parent_id}'")
    scored = [r for r in children if r.info.status == "FINISHED" and metric in r.data.metrics]
    return (max(scored, key=lambda r: r.data.metrics[metric]) if scored else None), len(children)


def record_best_trial(tracking_uri: str, sweep_dir: str, metric: str) -> str | None:
    """Log the sweep's best trial on its parent run; returns the best run's id (None: nothing to record)."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    experiments = [e.experiment_id for e in client.search_experiments()]
    parents = client.search_runs(experiments, f"tags.sweep_dir = '{sweep_dir}'", max_results=1)
    if not parents:
        return None
    parent = parents[0]
    best, n_trials = best_child(client, parent.info.run_id, parent.info.experiment_id, metric)
    if best is None:
        return None
    value = best.data.metrics[metric]
    client.log_metric(parent.info.run_id, f"best/{metric}", value)
    client.log_metric(parent.info.run_id, "sweep/n_trials", n_trials)
    overrides = best.data.tags.get("overrides", "")
    for key, tag in (("best_run_id", best.info.run_id), ("best_run_name", best.info.run_name),
                     ("best_overrides", overrides), ("optimized_metric", metric)):
        client.set_tag(parent.info.run_id, key, tag)
    client.set_tag(parent.info.run_id, "mlflow.note.content",
                   f"Sweep of {n_trials} trials maximising **{metric}**. Best trial: **{best.info.run_name}** "
                   f"({metric} {value:.3f}) with `{overrides}`.")
    log.info("best trial %s: %s %.4f (%s)", best.info.run_name, metric, value, overrides)
    return best.info.run_id


class SweepSummary(Callback):
    """Hydra callback (configs/train.yaml): at the end of a multirun, the parent records the best trial."""

    def on_multirun_end(self, config: DictConfig, **kwargs) -> None:
        tracking = config.get("tracking", {})
        if not str(tracking.get("_target_", "")).endswith("MlflowTracking"):
            return  # tracking=none: there is no parent run
        metric = config.get("optimized_metric") or "val/f_avg"
        # The same sweep dir the jobs tagged their parent with (HydraConfig is unset at this point).
        record_best_trial(tracking.tracking_uri, config.hydra.sweep.dir, metric)

"""Stage train: fit one model, score it on every held-out split, log one MLflow run, export it.

    stance-train model=logreg|transformer [data=...] [export_dir=DIR] [tracking=none]
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from pathlib import Path

import hydra
import numpy as np
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from stance import config
from stance.errors import exit_on_input_error
from stance.scoring import error_table, plot_confusions, score_splits
from stance.tables import read_table
from stance.tracking import training_run

log = logging.getLogger(__name__)


def build_model(cfg: DictConfig):
    return hydra.utils.instantiate(cfg.model, seed=cfg.seed, trainer=cfg.trainer, targets=cfg.data.targets,
                                   _convert_="all")


def fit(model, train: pd.DataFrame, val: pd.DataFrame | None):
    eval_set = (val.text.tolist(), val.target.tolist(), val.label.tolist()) if val is not None and len(val) else None
    return model.fit(train.text.tolist(), train.target.tolist(), train.label.tolist(), eval_set=eval_set)


def cross_validate(cfg: DictConfig, labelled: pd.DataFrame) -> dict[str, float]:
    """Grouped k-fold over the `fold` column: `cv/<metric>` means and `cv/<metric>_std` spreads."""
    per_fold = []
    for fold in sorted(f for f in labelled.fold.unique() if f >= 0):
        held = labelled.fold == fold
        model = fit(build_model(cfg), labelled[~held], None)
        metrics, _ = score_splits(model, labelled[held].assign(split="cv"), ["cv"])
        per_fold.append(metrics)
        log.info("fold %d: f_avg %.3f", fold, metrics["cv/f_avg"])
    keys = [k for k in per_fold[0] if not k.endswith(("/n", "/n_pairs")) and "/support_" not in k]
    out = {k: float(np.mean([m[k] for m in per_fold])) for k in keys}
    out |= {f"{k}_std": float(np.std([m[k] for m in per_fold])) for k in keys}
    out["cv/n_folds"] = float(len(per_fold))
    return out


def train_and_score(cfg: DictConfig, table: pd.DataFrame):
    """Fit on `train`, validate on `val`, score val and every `test*` split (and k-fold when the
    split table has folds). Returns model, metrics and predictions."""
    labelled = table[table.label.notna()]
    metrics = cross_validate(cfg, labelled) if (labelled.fold >= 0).any() else {}
    train = labelled[labelled.split == "train"]
    val = labelled[labelled.split == "val"]
    started = time.perf_counter()
    model = fit(build_model(cfg), train, val)
    metrics["train/seconds"] = time.perf_counter() - started
    metrics["train/n_pairs"] = float(len(train))
    eval_splits = ["val"] + sorted(s for s in labelled.split.unique() if str(s).startswith("test"))
    started = time.perf_counter()
    scored, predictions = score_splits(model, labelled, eval_splits)
    seconds = time.perf_counter() - started
    metrics |= scored
    if len(predictions):
        metrics["predict/sentences_per_s"] = predictions.sentence_id.nunique() / max(seconds, 1e-9)
    return model, metrics, predictions


def write_outputs(cfg: DictConfig, metrics: dict, predictions: pd.DataFrame, run_id: str | None) -> Path:
    """DVC-facing metrics json and plots; returns the folder of plots and tables."""
    Path(cfg.metrics_file).parent.mkdir(parents=True, exist_ok=True)
    payload = {"model": cfg.model.kind, "run_id": run_id, "metrics": metrics}
    Path(cfg.metrics_file).write_text(json.dumps(payload, indent=2, sort_keys=True))
    plots = Path(cfg.plots_dir)
    if len(predictions):
        plot_confusions(predictions, plots, cfg.model.kind)
        error_table(predictions).to_csv(plots / "errors.csv", index=False)
    return plots


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="train")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    table = read_table(cfg.input, "stance-split")
    targets = list(cfg.data.targets)
    overrides = list(HydraConfig.get().overrides.task)
    with training_run(cfg, cfg.model.kind, cfg.input, overrides) as run:
        model, metrics, predictions = train_and_score(cfg, table)
        plots = write_outputs(cfg, metrics, predictions, run.info.run_id if run else None)
        from stance.models.pyfunc import save_and_log

        examples = table.text.head(2).tolist()
        info = save_and_log(model, targets, examples, cfg.export_dir,
                            cfg.tracking.registered_model_name if run else None)
        if run:
            import mlflow

            mlflow.log_metrics(metrics)
            for record in getattr(model, "history", []):  # learning curves, one step per epoch
                mlflow.log_metrics({f"curve/{k}": v for k, v in record.items() if k != "epoch"}, step=record["epoch"])
            mlflow.log_artifacts(str(plots), "evaluation")
            if info is not None and info.registered_model_version:
                mlflow.set_tag("registered_version", info.registered_model_version)
    for key in sorted(k for k in metrics if k.endswith("/f_avg")):
        log.info("%-28s %.3f", key, metrics[key])
    if cfg.export_dir:
        log.info("exported MLflow model to %s", cfg.export_dir)


if __name__ == "__main__":
    main()

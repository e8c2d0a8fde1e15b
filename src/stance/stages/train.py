"""Stage train: fit one model, score it on every held-out split, log one MLflow run, export it.

    stance-train model=logreg|transformer [data=...] [export_dir=DIR] [tracking=none]
    stance-train experiment=semeval2016_logreg data.dir=DIR export_dir=OUT tracking=none
"""

from __future__ import annotations

import json
import logging
from functools import partial
from pathlib import Path

import hydra
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from stance import config
from stance.data.auxiliary import with_auxiliary
from stance.data.ids import fingerprint
from stance.errors import InputError, exit_on_input_error
from stance.evaluation.plots import (PREDICTION_COLUMNS, PREDICTIONS_FILE, error_table, plot_confusions,
                                    plot_reliability)
from stance.io import read_table, replace_dir, write_text
from stance.models.checkpoints import Checkpoints
from stance.models.fitting import build_model, train_and_score, training_rows
from stance.tracking.describe import describe_run, log_datasets, model_card
from stance.tracking.model_io import save_and_log
from stance.tracking.runs import file_hash

log = logging.getLogger(__name__)


def headline(metrics: dict, official: list[str]) -> dict:
    """A dozen numbers for `dvc metrics show/diff`: each split's F_avg (and official metrics) with
    their intervals, the real seeds per target, training time. The full breakdown stays in MLflow."""
    names = {name for base in ("f_avg", *official) for name in (base, f"{base}_ci_low", f"{base}_ci_high")}
    return {k: v for k, v in metrics.items() if (k.count("/") == 1 and k.split("/")[1] in names)
            or (k.startswith("test_seeds/") and k.endswith("/f_avg")) or k == "train/seconds"}


def write_outputs(cfg: DictConfig, metrics: dict, predictions: pd.DataFrame, run_id: str | None,
                  history: list[dict], trained_on: list[str]) -> Path:
    """DVC-facing metrics json (full and headline) and plots; returns the folder of plots and tables."""
    payload = {"model": cfg.model.kind, "run_id": run_id, "metrics": metrics, "trained_on": trained_on,
               "predictions": str(Path(cfg.plots_dir).resolve() / PREDICTIONS_FILE) if len(predictions) else None}
    write_text(json.dumps(payload, indent=2, sort_keys=True), cfg.metrics_file)
    write_text(json.dumps(headline(metrics, list(cfg.data.official_metrics)), indent=2, sort_keys=True),
               cfg.headline_file)
    plots = Path(cfg.plots_dir)

    def draw(folder: Path) -> None:
        folder.mkdir(parents=True)
        if history:  # the learning curve, one row per epoch (dvc plots)
            pd.DataFrame(history).to_csv(folder / "curve.csv", index=False)
        if len(predictions):
            plot_confusions(predictions, folder, cfg.model.kind)
            plot_reliability(predictions, folder, cfg.model.kind)
            error_table(predictions).to_csv(folder / "errors.csv", index=False)
            # Every scored pair: what stance-compare pairs up between two runs.
            predictions[PREDICTION_COLUMNS].to_parquet(folder / PREDICTIONS_FILE, index=False)

    replace_dir(plots, draw)  # all plots of this run, or the previous run's: never a mix or a half PNG
    return plots


def log_run(cfg: DictConfig, model, targets: list[str], metrics: dict, plots: Path, info,
            table: pd.DataFrame) -> None:
    """Metrics, learning curves (one step per epoch), plots, the datasets, the description a
    reviewer reads, the model card, and the registered version (the card is its description)."""
    import mlflow

    mlflow.log_metrics(metrics)
    open_targets = bool(getattr(model, "open_targets", False))
    # With `data`: which champion this run may replace (tracking/registry.py).
    mlflow.set_tag("targets", "(any)" if open_targets else ",".join(sorted(targets)))
    log_datasets(table, cfg.data.name, str(cfg.data.dir or cfg.input))
    mlflow.set_tag("mlflow.note.content", describe_run(cfg.model.kind, cfg.data.name, cfg.data.description, metrics,
                                                       list(cfg.data.official_metrics)))
    for record in getattr(model, "history", []):
        mlflow.log_metrics({f"curve/{k}": v for k, v in record.items() if k != "epoch"}, step=record["epoch"])
    mlflow.log_artifacts(str(plots), "evaluation")
    card = model_card(cfg.model.kind, config.plain(cfg.data), targets, metrics, mlflow.active_run().info.run_id,
                      open_targets)
    mlflow.log_text(card, "model_card.md")
    if info is not None and info.registered_model_version:
        mlflow.set_tag("registered_version", info.registered_model_version)
        mlflow.MlflowClient().update_model_version(cfg.tracking.registered_model_name, info.registered_model_version,
                                                   description=card)


def first_articles(table: pd.DataFrame, n: int | None) -> pd.DataFrame:
    """The rows of the first `n` articles of each split (debug=fast); all rows when n is None."""
    if n is None:
        return table
    firsts = table.drop_duplicates("article_id").groupby("split", dropna=False).head(n).article_id
    return table[table.article_id.isin(set(firsts))]


def trained_sources(table: pd.DataFrame, train_sources) -> list[str]:
    """The sources whose rows the model learned from (what an ablation pairs runs by)."""
    rows = training_rows(table, train_sources)
    return sorted(rows.source.unique()) if "source" in rows else []


def training_table(cfg: DictConfig) -> tuple[pd.DataFrame, str]:
    """The split table and its digest: from `stance-split`'s output, or, for an external data set
    (`data.loader`), read from `data.dir` and split here (validation carved from it, seeded)."""
    if cfg.data.loader is None:
        return read_table(cfg.input, "stance-split"), file_hash(cfg.input)
    if cfg.data.dir is not None and not Path(cfg.data.dir).exists():
        raise InputError(cfg.data.dir, f"no {cfg.data.name} data here: run `make data` (it downloads, or copies "
                                       f"from $STANCE_DATA_MIRROR) or pass data.dir=PATH")
    pairs = hydra.utils.instantiate(config.plain(cfg.data.loader), _convert_="all")()
    digest = fingerprint(pd.util.hash_pandas_object(pairs, index=False).tolist())
    if "split" in pairs:  # the file says which rows are train / val / test
        return pairs.assign(fold=-1), digest
    return hydra.utils.instantiate(config.plain(cfg.split)).assign(pairs, list(cfg.data.test_sources)), digest


def auxiliary_source(cfg: DictConfig):
    """`data.auxiliary` built, or None. Its head trains the encoder and is then dropped, which only
    the transformer (one head per target) can do."""
    if cfg.data.get("auxiliary") is None:
        return None
    if cfg.model.kind != "transformer":
        raise ValueError(f"data.auxiliary trains an extra head of the transformer; model={cfg.model.kind} has none")
    return hydra.utils.instantiate(config.plain(cfg.data.auxiliary), _convert_="all")


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="train")
@exit_on_input_error
def main(cfg: DictConfig) -> float | None:
    table, digest = training_table(cfg)
    auxiliary, train_sources = auxiliary_source(cfg), cfg.data.train_sources
    table = with_auxiliary(first_articles(table, cfg.limit_articles), auxiliary, cfg.seed, cfg.data.targets)
    if auxiliary is not None:  # what the model learned from changed: so does the data's digest
        digest = fingerprint([digest, pd.util.hash_pandas_object(table, index=False).tolist()])
        train_sources = None if train_sources is None else [*train_sources, auxiliary.head]
    tracking = hydra.utils.instantiate(config.plain(cfg.tracking))
    make_model = partial(build_model, config.plain(cfg.model), cfg.seed, config.plain(cfg.trainer),
                         config.plain(cfg.data.targets))
    log.info("training %s on %s: %s", cfg.model.kind, cfg.data.name,
             table.groupby("split", dropna=False).size().to_dict())
    with tracking.run(cfg, cfg.model.kind, digest, list(HydraConfig.get().overrides.task)) as run:
        checkpoints = Checkpoints(cfg.checkpoint_dir, resume=cfg.resume)
        model, metrics, predictions = train_and_score(
            make_model, table, checkpoints, train_sources, list(cfg.data.report_sources))
        if auxiliary is not None:
            model.keep_targets([t for t in model.targets if t != auxiliary.head])
        plots = write_outputs(cfg, metrics, predictions, run.info.run_id if run else None,
                              getattr(model, "history", []), trained_sources(table, train_sources))
        targets = list(cfg.data.targets) or list(model.targets)
        info = save_and_log(model, targets, table.text.head(2).tolist(), cfg.export_dir,
                            tracking.registered_model_name if run and tracking.register_model else None)
        if run:
            log_run(cfg, model, targets, metrics, plots, info, table)
    headline = ("f_avg", *cfg.data.official_metrics)
    for key in sorted(k for k in metrics if k.count("/") == 1 and k.split("/")[1] in headline):
        low, high = metrics.get(f"{key}_ci_low"), metrics.get(f"{key}_ci_high")
        interval = f"  (95% CI {low:.3f}-{high:.3f}, articles resampled)" if low is not None else ""
        log.info("%-28s %.3f%s", key, metrics[key], interval)
    if cfg.export_dir:
        log.info("exported MLflow model to %s", cfg.export_dir)
    return metrics.get(cfg.optimized_metric) if cfg.optimized_metric else None  # what a sweep maximises


if __name__ == "__main__":
    main()

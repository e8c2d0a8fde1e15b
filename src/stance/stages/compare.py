"""stance-compare: are two models really different on the same test sentences?

    stance-compare                                   # the two models `make run` trained
    stance-compare a=RUN_ID_OR_NAME b=models:/stance/3 splits=[test_seeds]

`a` and `b` are run ids, run names, model URIs (`models:/...`, `runs:/...`) or metrics files
written by stance-train. Prints metric, A, B, difference with its article-bootstrap CI and
p-value, and McNemar's check; writes the markdown report and logs it (plus a PNG) to MLflow.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import hydra
import pandas as pd
from omegaconf import DictConfig

from stance import config
from stance.errors import InputError, exit_on_input_error
from stance.evaluation.compare import mcnemar, paired, paired_bootstrap
from stance.evaluation.plots import PREDICTIONS_FILE, plot_differences
from stance.io import write_text

log = logging.getLogger(__name__)


def predictions_of(ref: str, tracking) -> tuple[str, pd.DataFrame]:
    """(a readable name, the scored pairs) for a run id, run name, model URI or metrics file."""
    if ref.endswith(".json"):
        if not Path(ref).is_file():
            raise InputError(ref, "no such metrics file (run stance-train first)")
        payload = json.loads(Path(ref).read_text())
        if payload.get("predictions") and Path(payload["predictions"]).is_file():
            return payload.get("model", Path(ref).stem), pd.read_parquet(payload["predictions"])
        ref = payload.get("run_id") or ""
        if not ref:
            raise InputError(ref, "this metrics file names neither predictions nor an MLflow run")
    if not tracking.enabled:
        raise InputError(ref, "runs and model URIs need MLflow (tracking=mlflow)")
    import mlflow

    tracking.setup()
    client = mlflow.MlflowClient()
    if ref.startswith(("models:/", "runs:/")):
        try:
            run_id = mlflow.models.get_model_info(ref).run_id
        except Exception as exc:
            raise InputError(ref, f"no such model ({str(exc).splitlines()[0][:160]})") from exc
    elif re.fullmatch(r"[0-9a-f]{32}", ref):
        run_id = ref
    else:
        found = mlflow.search_runs(search_all_experiments=True, filter_string=f"attributes.run_name = '{ref}'",
                                   output_format="list")
        if len(found) != 1:
            raise InputError(ref, f"{len(found)} runs have this name: give a run id")
        run_id = found[0].info.run_id
    try:
        run = client.get_run(run_id)
        path = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path=f"evaluation/{PREDICTIONS_FILE}")
    except Exception as exc:
        raise InputError(ref, f"no run with scored predictions here ({str(exc).splitlines()[0][:160]})") from exc
    return run.info.run_name, pd.read_parquet(path)


def report(name_a: str, name_b: str, a: pd.DataFrame, b: pd.DataFrame, cfg: DictConfig) -> tuple[str, dict]:
    rows, results = [], {}
    for split in cfg.splits:
        if not ((a.split == split).any() or (b.split == split).any()):
            continue
        merged = paired(a, b, split)
        stats = paired_bootstrap(merged, cfg.n_boot, cfg.seed)
        check = mcnemar(merged)
        results[split] = {"bootstrap": stats, "mcnemar": check, "n_pairs": len(merged),
                          "n_articles": int(merged.article_id.nunique())}
        for metric in cfg.metrics:
            s = stats[metric]
            rows.append(f"| {split} | {metric} | {s['a']:.3f} | {s['b']:.3f} | {s['diff']:+.3f} "
                        f"({s['ci'][0]:+.3f} to {s['ci'][1]:+.3f}) | {s['p']:.3f} | {check['p']:.3f} |")
    if not rows:
        raise InputError(",".join(cfg.splits), "neither run was scored on these splits")
    head = [f"A = {name_a}, B = {name_b}; {cfg.n_boot} paired resamples of whole articles (seed {cfg.seed}).", "",
            "| split | metric | A | B | B - A (95% CI) | p (bootstrap) | p (McNemar) |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    return "\n".join(head + rows), results


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="compare")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    tracking = hydra.utils.instantiate(config.plain(cfg.tracking))
    (name_a, a), (name_b, b) = predictions_of(str(cfg.a), tracking), predictions_of(str(cfg.b), tracking)
    text, results = report(name_a, name_b, a, b, cfg)
    write_text(text + "\n", cfg.output)
    print(text)
    if tracking.enabled:
        import mlflow

        tracking.setup()
        with mlflow.start_run(run_name=f"compare-{name_a}-vs-{name_b}", tags={"model.kind": "comparison"}):
            mlflow.log_text(text, "comparison.md")
            mlflow.log_dict(results, "comparison.json")
            mlflow.log_figure(plot_differences(results, cfg.metrics, name_a, name_b), "comparison.png")
            mlflow.set_tag("mlflow.note.content", text)


if __name__ == "__main__":
    main()

"""Stage evaluate: compare the trained models side by side and promote a champion.

Reads each model's metrics file (written by `stance-train`), prints and saves the comparison
table, and moves the registry alias to the best new version only if it beats the champion
on the primary metric.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import hydra
import pandas as pd
from omegaconf import DictConfig

from stance import config
from stance.errors import InputError, exit_on_input_error
from stance.report import show

log = logging.getLogger(__name__)
COLUMNS = {"val/f_avg": "val F_avg", "val/maduro/f_avg": "val maduro", "val/guaido/f_avg": "val guaido",
           "val/macro_f1": "val macroF1"}


def load_metrics(files) -> list[dict]:
    out = []
    for path in files:
        path = Path(path)
        if not path.exists():
            raise InputError(path, "metrics file not found: run `stance-train` for this model first")
        out.append(json.loads(path.read_text()))
    return out


def comparison_table(results: list[dict], targets: list[str]) -> pd.DataFrame:
    """One row per model: F_avg per target and mean, macro-F1, per split, plus timings."""
    rows = []
    for res in results:
        m = res["metrics"]
        splits = sorted({k.split("/")[0] for k in m if k.endswith("/f_avg") and k.count("/") == 1})
        row = {"model": res["model"]}
        for split in splits:
            row[f"{split} F_avg"] = m.get(f"{split}/f_avg")
            if f"{split}/f_avg_ci_low" in m:  # bootstrap 95% interval: how much a small test set can tell
                row[f"{split} 95% CI"] = f"{m[f'{split}/f_avg_ci_low']:.2f}-{m[f'{split}/f_avg_ci_high']:.2f}"
            row |= {f"{split} {t}": m.get(f"{split}/{t}/f_avg") for t in targets}
            row[f"{split} macroF1"] = m.get(f"{split}/macro_f1")
        row["train s"] = m.get("train/seconds")
        row["sent/s"] = m.get("predict/sentences_per_s")
        row["run"] = (res.get("run_id") or "-")[:8]
        rows.append(row)
    return pd.DataFrame(rows)


def promote_champion(cfg: DictConfig, results: list[dict]) -> list[str]:
    """Offer each newly registered version to the registry alias, best first; say why."""
    import mlflow

    from stance.registry import promote_if_better
    from stance.tracking import setup

    setup(cfg.tracking)
    client = mlflow.MlflowClient()
    logged = set.intersection(*(set(r["metrics"]) for r in results))
    metric = next((m for m in cfg.tracking.primary_metric if m in logged), None)
    if metric is None:
        return [f"no run logged any of {list(cfg.tracking.primary_metric)}: champion unchanged"]
    ranked = sorted((r for r in results if r.get("run_id")), key=lambda r: r["metrics"][metric], reverse=True)
    messages = [f"primary metric: {metric}"]
    for res in ranked:
        run = client.get_run(res["run_id"])
        version = run.data.tags.get("registered_version")
        if version is None:
            messages.append(f"{res['model']}: run {res['run_id'][:8]} registered no model version")
            continue
        decision = promote_if_better(client, cfg.tracking.registered_model_name, cfg.tracking.champion_alias,
                                     version, res["metrics"][metric], metric)
        messages.append(f"{res['model']}: {decision.reason}")
    return messages


def render(table: pd.DataFrame) -> str:
    return table.to_string(index=False, float_format=lambda v: f"{v:.3f}" if abs(v) < 100 else f"{v:.0f}")


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="evaluate")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    results = load_metrics(Path(cfg.paths.metrics_dir) / f"{m}.json" for m in cfg.models)
    table = comparison_table(results, list(cfg.data.targets))
    messages = promote_champion(cfg, results) if cfg.tracking.enabled else ["tracking off: no champion step"]
    out = Path(cfg.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    experiment = cfg.tracking.experiment_name if cfg.tracking.enabled else None
    out.write_text(json.dumps({"text": render(table), "table": table.to_dict(orient="records"),
                               "champion": messages, "experiment": experiment}, indent=2))
    print(show(out))


if __name__ == "__main__":
    main()

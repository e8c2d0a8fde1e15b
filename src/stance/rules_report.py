"""Measure the rule labeller against gold labels: precision, recall and coverage per target
and class, logged as an MLflow run (`model.kind=rules`) and written for DVC and the README.

    stance-rules-report [labeling=rules] [tracking=none]
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
from stance.tables import read_table

log = logging.getLogger(__name__)
LABELS = ["FAVOR", "AGAINST", "NONE"]


def rules_quality(gold: pd.DataFrame, predicted: list) -> pd.DataFrame:
    """Rows per (target, class): gold count, rule count, precision, recall; plus an `all` row per
    target with coverage (share of pairs the rules did not abstain on) and accuracy when labelled."""
    frame = gold.drop(columns="rule", errors="ignore").assign(rule=predicted)
    rows = []
    for target, part in frame.groupby("target"):
        labelled = part[part.rule.notna()]
        for lab in LABELS:
            hit = labelled.rule == lab
            rows.append({"target": target, "class": lab, "gold": int((part.label == lab).sum()),
                         "rules": int(hit.sum()),
                         "precision": float((labelled[hit].label == lab).mean()) if hit.any() else float("nan"),
                         "recall": float(((part.rule == lab) & (part.label == lab)).sum() / max(1, (part.label == lab).sum())),
                         "coverage": float((part[part.label == lab].rule.notna()).mean()) if (part.label == lab).any() else float("nan")})
        rows.append({"target": target, "class": "all", "gold": len(part), "rules": len(labelled),
                     "precision": float((labelled.rule == labelled.label).mean()) if len(labelled) else float("nan"),
                     "recall": float("nan"), "coverage": len(labelled) / max(1, len(part))})
    return pd.DataFrame(rows)


def as_metrics(table: pd.DataFrame) -> dict[str, float]:
    out = {}
    for row in table.to_dict(orient="records"):
        for key in ("precision", "recall", "coverage"):
            if row[key] == row[key]:  # not NaN
                out[f"rules/{row['source']}/{row['target']}/{key}_{row['class'].lower()}"] = float(row[key])
    return out


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="rules_report")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    pairs = read_table(cfg.paths.labelled, "stance-label")
    gold = pairs[pairs.label_source == "gold"]
    if gold.empty:
        raise InputError(cfg.paths.labelled, "no gold labels to measure the rules against (labeling=gold)")
    labeler = hydra.utils.instantiate(cfg.labeling.rules, targets=cfg.data.targets, _convert_="all")
    gold = gold.assign(rule=labeler.label(gold.text.tolist(), gold.target.tolist()))
    # Every source together, then each alone: the real seeds are the honest check.
    parts = [("all", gold)] + [(str(name), part) for name, part in gold.groupby("source")]
    table = pd.concat([rules_quality(part, part.rule.tolist()).assign(source=name) for name, part in parts],
                      ignore_index=True)[["source", "target", "class", "gold", "rules", "precision", "recall",
                                          "coverage"]]
    markdown = table.to_markdown(index=False, floatfmt=".2f")
    Path(cfg.output).parent.mkdir(parents=True, exist_ok=True)
    Path(cfg.output).write_text(json.dumps(as_metrics(table), indent=2, sort_keys=True))
    Path(cfg.table_output).write_text(markdown + "\n")
    print(markdown)
    if cfg.tracking.enabled:
        import mlflow

        from stance.tracking import training_run

        with training_run(cfg, "rules", cfg.paths.labelled, []):
            mlflow.log_metrics(as_metrics(table))
            mlflow.log_text(markdown, "rules/precision_coverage.md")
            mlflow.log_table(table, "rules/precision_coverage.json")


if __name__ == "__main__":
    main()

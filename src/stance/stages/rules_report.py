"""Stage rules: the rule labeller measured against gold labels (precision, recall, coverage per
target and class), written for DVC and the README and logged as an MLflow run (`model.kind=rules`).

    stance-rules-report [labeling=rules] [tracking=none]
"""

from __future__ import annotations

import json

import hydra
from omegaconf import DictConfig

from stance import config
from stance.errors import InputError, exit_on_input_error
from stance.io import read_table, write_text
from stance.labeling.quality import as_metrics, quality_report
from stance.tracking.runs import file_hash


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="rules_report")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    pairs = read_table(cfg.paths.labelled, "stance-label")
    gold = pairs[pairs.label_source == "gold"]
    if gold.empty:
        raise InputError(cfg.paths.labelled, "no gold labels to measure the rules against (labeling=gold)")
    labeler = hydra.utils.instantiate(config.plain(cfg.labeling.rules))
    table = quality_report(gold, labeler)
    markdown = table.to_markdown(index=False, floatfmt=".2f")
    write_text(json.dumps(as_metrics(table), indent=2, sort_keys=True), cfg.output)
    write_text(markdown + "\n", cfg.table_output)
    print(markdown)
    tracking = hydra.utils.instantiate(config.plain(cfg.tracking))
    with tracking.run(cfg, "rules", file_hash(cfg.paths.labelled), []) as run:
        if run:
            import mlflow

            mlflow.log_metrics(as_metrics(table))
            mlflow.log_text(markdown, "rules/precision_coverage.md")
            mlflow.log_table(table, "rules/precision_coverage.json")


if __name__ == "__main__":
    main()

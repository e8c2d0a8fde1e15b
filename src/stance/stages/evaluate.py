"""Stage evaluate: compare the trained models side by side and promote a champion.

Reads each model's metrics file (written by `stance-train`), prints and saves the comparison
table, and moves the registry alias to the best new version only if it beats the champion
on the primary metric.
"""

from __future__ import annotations

import json
from pathlib import Path

import hydra
from omegaconf import DictConfig

from stance import config
from stance.errors import exit_on_input_error
from stance.io import write_text
from stance.tracking.registry import promote_champion
from stance.tracking.report import comparison_table, load_metrics, render, show, ui_path


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="evaluate")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    results = load_metrics([Path(cfg.paths.metrics_dir) / f"{m}.json" for m in cfg.models])
    table = comparison_table(results, list(cfg.data.targets))
    tracking = hydra.utils.instantiate(config.plain(cfg.tracking))
    messages = promote_champion(tracking, results) if tracking.enabled else ["tracking off: no champion step"]
    experiment = tracking.experiment_name if tracking.enabled else None
    link = ui_path(tracking.setup()) if tracking.enabled else None
    write_text(json.dumps({"text": render(table), "table": table.to_dict(orient="records"),
                           "champion": messages, "experiment": experiment, "ui_path": link}, indent=2), cfg.output)
    print(show(cfg.output))


if __name__ == "__main__":
    main()

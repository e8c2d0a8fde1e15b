"""Stage label: sentences x targets -> label with its provenance (data/processed/<data>/labelled.parquet).

`labeling=gold|rules|gold+rules` picks the labeller (configs/labeling/); unlabelled pairs stay in
the table with label None, and the stage reports the counts.
"""

from __future__ import annotations

import logging

import hydra
from omegaconf import DictConfig

from stance import config
from stance.errors import exit_on_input_error
from stance.io import read_table, write_table
from stance.labeling.gold import label_counts

log = logging.getLogger(__name__)


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="label")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    sentences = read_table(cfg.paths.sentences, "stance-prepare")
    labeler = hydra.utils.instantiate(config.plain(cfg.labeling))
    pairs = labeler.label(sentences, list(cfg.data.targets), list(cfg.data.annotations))
    write_table(pairs, cfg.output)
    log.info("label counts:\n%s", label_counts(pairs).to_string(index=False))
    log.info("wrote %d (sentence, target) pairs, %d unlabelled, to %s",
             len(pairs), int(pairs.label.isna().sum()), cfg.output)


if __name__ == "__main__":
    main()

"""Stage prepare: articles -> one row per story sentence (data/interim/<data>/sentences.parquet)."""

from __future__ import annotations

import logging

import hydra
from omegaconf import DictConfig

from stance import config
from stance.data.sources import sentence_table
from stance.data.text import furniture_filter
from stance.errors import exit_on_input_error
from stance.io import write_table

log = logging.getLogger(__name__)


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="prepare")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    furniture = furniture_filter(cfg.furniture) if cfg.furniture else None
    df = sentence_table(config.plain(cfg.data)["sources"], furniture, cfg.furniture_repeats)
    write_table(df, cfg.output)
    log.info("wrote %d sentences from %d articles to %s", len(df), df.article_id.nunique(), cfg.output)


if __name__ == "__main__":
    main()

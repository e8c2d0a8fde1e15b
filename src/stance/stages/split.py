"""Stage split: every article to train / val / test, or to a fold (data/processed/<data>/splits.parquet).

`split=holdout|kfold` picks the splitter (configs/split/); sources in `data.test_sources` are
kept whole as their own test set `test_<source>`.
"""

from __future__ import annotations

import logging

import hydra
from omegaconf import DictConfig

from stance import config
from stance.errors import exit_on_input_error
from stance.io import read_table, write_table

log = logging.getLogger(__name__)


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="split")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    pairs = read_table(cfg.paths.labelled, "stance-label")
    splitter = hydra.utils.instantiate(config.plain(cfg.split))
    out = splitter.assign(pairs, list(cfg.data.test_sources))
    write_table(out, cfg.output)
    summary = out[out.label.notna()].groupby(["split", "target", "label"]).size().unstack(fill_value=0)
    log.info("articles per split: %s", out.groupby("split").article_id.nunique().to_dict())
    log.info("labelled pairs per split:\n%s", summary.to_string())


if __name__ == "__main__":
    main()

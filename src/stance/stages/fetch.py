"""stance-data (`make data`): fetch the pinned public data sets into data/external/.

    stance-data                          # download (sha256 checked)
    STANCE_DATA_MIRROR=DIR stance-data   # copy from DIR/<dataset>/<file> instead (offline)
    stance-data datasets=[newsmtsc]
"""

from __future__ import annotations

import hydra
from omegaconf import DictConfig

from stance import config
from stance.data.fetch import fetch
from stance.errors import exit_on_input_error


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="fetch")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    fetch(list(cfg.datasets), config.plain(cfg.sources), cfg.dest, cfg.mirror)


if __name__ == "__main__":
    main()

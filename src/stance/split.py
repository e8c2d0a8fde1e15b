"""Stage split: assign every article to train / val / test (or to a fold), never to two.

Grouped by article, stratified on (target, label) where the article count allows, seeded.
Sources listed in `data.test_sources` are kept whole as their own test set `test_<source>`.
"""

from __future__ import annotations

import logging
import zlib

import hydra
import numpy as np
import pandas as pd
from omegaconf import DictConfig
from sklearn.model_selection import StratifiedGroupKFold

from stance import config
from stance.errors import InputError, exit_on_input_error
from stance.tables import read_table, write_atomic

log = logging.getLogger(__name__)


def grouped_folds(rows: pd.DataFrame, n_folds: int, seed: int) -> dict[str, int]:
    """article_id -> fold, balancing (target, label) across folds."""
    labelled = rows[rows.label.notna()]
    groups = labelled.article_id.to_numpy()
    n_groups = len(np.unique(groups))
    if n_groups < 2:
        raise InputError("split", f"need at least 2 labelled articles to split, found {n_groups}")
    n_folds = max(2, min(n_folds, n_groups))
    strata = (labelled.target + "/" + labelled.label).to_numpy()
    cv = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    fold_of = {}
    for fold, (_, test_idx) in enumerate(cv.split(np.zeros(len(labelled)), strata, groups)):
        fold_of.update({a: fold for a in np.unique(groups[test_idx])})
    for art in rows.article_id.unique():  # articles with no label at all still get a fold
        fold_of.setdefault(art, zlib.crc32(art.encode()) % n_folds)
    return fold_of


def holdout_split(rows: pd.DataFrame, val_size: float, test_size: float, seed: int) -> pd.Series:
    """train / val / test per row, chosen by article."""
    split = pd.Series("train", index=rows.index, dtype="object")
    remaining = rows
    for name, size in (("test", test_size), ("val", val_size / max(1e-9, 1 - test_size))):
        if size <= 0 or remaining.article_id.nunique() < 3:
            continue
        folds = grouped_folds(remaining, max(2, round(1 / size)), seed)
        chosen = remaining.article_id.map(folds) == 0
        split[remaining.index[chosen]] = name
        remaining = remaining[~chosen]
    return split


def assign_splits(pairs: pd.DataFrame, cfg, test_sources=()) -> pd.DataFrame:
    out = pairs.copy()
    held = out.source.isin(list(test_sources))
    out["split"] = pd.Series(index=out.index, dtype="object")
    out.loc[held, "split"] = "test_" + out.loc[held, "source"]
    rest = out[~held]
    if cfg.method == "kfold":
        out["fold"] = rest.article_id.map(grouped_folds(rest, cfg.n_folds, cfg.seed)).reindex(out.index).fillna(-1).astype(int)
        out.loc[~held, "split"] = "train"
    else:
        out.loc[~held, "split"] = holdout_split(rest, cfg.val_size, cfg.test_size, cfg.seed)
        out["fold"] = -1
    assert out.groupby("article_id").split.nunique().max() == 1, "an article landed in two splits"
    return out


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="split")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    pairs = read_table(cfg.paths.labelled, "stance-label")
    out = assign_splits(pairs, cfg.split, cfg.data.get("test_sources") or [])
    write_atomic(out, cfg.output)
    summary = out[out.label.notna()].groupby(["split", "target", "label"]).size().unstack(fill_value=0)
    log.info("articles per split: %s", out.groupby("split").article_id.nunique().to_dict())
    log.info("labelled pairs per split:\n%s", summary.to_string())


if __name__ == "__main__":
    main()

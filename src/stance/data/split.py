"""Splits: assign every article to train / val / test (or to a fold), never to two.

Grouped by article, stratified on (target, label) where the article count allows, seeded.
Sources listed in `data.test_sources` are kept whole as their own test set `test_<source>`.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold

from stance.errors import InputError


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


@dataclass
class Splitter:
    """Sources listed in `test_sources` are kept whole as `test_<source>`; the rest is split by
    `_assign` (one implementation per config in `configs/split/`, chosen by `_target_`)."""

    seed: int = 42

    def assign(self, pairs: pd.DataFrame, test_sources=()) -> pd.DataFrame:
        out = pairs.copy()
        held = out.source.isin(list(test_sources))
        out["split"] = pd.Series(index=out.index, dtype="object")
        out.loc[held, "split"] = "test_" + out.loc[held, "source"]
        self._assign(out, held)
        assert out.groupby("article_id").split.nunique().max() == 1, "an article landed in two splits"
        return out

    def _assign(self, out: pd.DataFrame, held: pd.Series) -> None:
        raise NotImplementedError


@dataclass
class HoldoutSplit(Splitter):
    """train / val / test by article."""

    val_size: float = 0.15
    test_size: float = 0.15

    def _assign(self, out, held):
        out.loc[~held, "split"] = holdout_split(out[~held], self.val_size, self.test_size, self.seed)
        out["fold"] = -1


@dataclass
class KFoldSplit(Splitter):
    """Every article not held out gets a fold (`fold` column); `split` is train for all of them."""

    n_folds: int = 5

    def _assign(self, out, held):
        rest = out[~held]
        folds = rest.article_id.map(grouped_folds(rest, self.n_folds, self.seed))
        out["fold"] = folds.reindex(out.index).fillna(-1).astype(int)
        out.loc[~held, "split"] = "train"

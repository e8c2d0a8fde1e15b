"""Splits: assign every article to train / val / test (or to a fold), never to two.

Grouped by article, stratified on (target, label) where the article count allows, seeded.
Sources listed in `data.test_sources` are kept whole as their own test set `test_<source>`.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold

from stance.errors import InputError
from stance.schema import MAX_TARGETS

log = logging.getLogger(__name__)


def stratification(labelled: pd.DataFrame, n_folds: int) -> np.ndarray:
    """(target, label) strata; the label alone when targets are open (mentions) or a (target,
    label) stratum has fewer rows than folds; one stratum when even a label is that rare."""
    for strata in (labelled.target + "/" + labelled.label, labelled.label):
        if labelled.target.nunique() <= MAX_TARGETS or strata is labelled.label:
            if strata.value_counts().min() >= n_folds:
                return strata.to_numpy()
    return np.zeros(len(labelled), dtype=int)


def grouped_folds(rows: pd.DataFrame, n_folds: int, seed: int) -> dict[str, int]:
    """article_id -> fold, balancing (target, label) across folds."""
    labelled = rows[rows.label.notna()]
    groups = labelled.article_id.to_numpy()
    n_groups = len(np.unique(groups))
    if n_groups < 2:
        raise InputError("split", f"need at least 2 labelled articles to split, found {n_groups}")
    n_folds = max(2, min(n_folds, n_groups))
    strata = stratification(labelled, n_folds)
    cv = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    fold_of = {}
    for fold, (_, test_idx) in enumerate(cv.split(np.zeros(len(labelled)), strata, groups)):
        fold_of.update({a: fold for a in np.unique(groups[test_idx])})
    for art in rows.article_id.unique():  # articles with no label at all still get a fold
        fold_of.setdefault(art, zlib.crc32(art.encode()) % n_folds)
    return fold_of


def fold_share(size: float, n_groups: int) -> tuple[int, int]:
    """(k, m): hold out m of k grouped folds to get the share `size`. One fold of round(1/size)
    when that lands within 2.5 points of it, else the nearest fraction m/k with k <= 20 (0.4 -> 2 of
    5 folds, not 1 of 2)."""
    k = max(2, round(1 / size))
    if abs(1 / k - size) <= 0.025:
        return k, 1
    share = Fraction(size).limit_denominator(max(2, min(20, n_groups)))
    return max(2, share.denominator), max(1, share.numerator)


def carve(rows: pd.DataFrame, size: float, seed: int) -> pd.Series:
    """A boolean mask choosing about `size` of the rows' articles, grouped and stratified."""
    k, m = fold_share(size, rows.article_id.nunique())
    return rows.article_id.map(grouped_folds(rows, k, seed)) < m


def holdout_split(rows: pd.DataFrame, val_size: float, test_size: float, seed: int,
                  select_share: float = 0.0, source: str = "") -> pd.Series:
    """train / val / test per row, chosen by article; `select_share` of the validation articles
    become `select`, the champion criterion that neither early stopping nor a search sees."""
    split = pd.Series("train", index=rows.index, dtype="object")
    remaining = rows
    for name, size in (("test", test_size), ("val", val_size / max(1e-9, 1 - test_size))):
        n_articles = remaining.article_id.nunique()
        if size <= 0:
            continue
        if n_articles < 3:
            log.warning("%sonly %d articles: no %s split (a held-out split needs at least 3 articles)",
                        f"{source}: " if source else "", n_articles, name)
            continue
        chosen = carve(remaining, size, seed)
        split[remaining.index[chosen]] = name
        remaining = remaining[~chosen]
    val = rows[split == "val"]
    if select_share > 0 and val.article_id.nunique() < 2:
        log.warning("%s%d validation articles: no select split (it needs at least 2); the champion is chosen "
                    "on val", f"{source}: " if source else "", val.article_id.nunique())
    elif select_share > 0:
        split[val.index[carve(val, select_share, seed)]] = "select"
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
    """train / val / select / test by article within each source (select: a share of validation, for
    the champion)."""

    val_size: float = 0.15
    test_size: float = 0.15
    select_share: float = 0.0

    def _assign(self, out, held):
        # Within each source, so every source is in train, val and test in proportion.
        for source, rows in out[~held].groupby("source"):
            out.loc[rows.index, "split"] = holdout_split(rows, self.val_size, self.test_size, self.seed,
                                                         self.select_share, str(source))
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

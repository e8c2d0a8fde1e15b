"""An auxiliary training source: another labelled data set that trains the encoder through a head of
its own, next to our targets' heads (variant (c) of README "Real text": NewsMTSC and our corpora in
one model).

Its rows are tagged with their source twice. Their target is the source's own head (`head`), so
its labels (for NewsMTSC, sentiment toward a person: a proxy for stance) never train Maduro's or
Guaidó's head. And the mention is marked in the sentence, so the head knows whom the label is
about. The rows join `train` only; nothing is validated or tested on them. After training,
stage train drops the head: the saved model knows only the data's targets."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from stance.errors import InputError
from stance.schema import SPLIT_COLUMNS

log = logging.getLogger(__name__)


def marked(text: str, start: int, end: int, marks: tuple[str, str]) -> str:
    """The sentence with the mention at [start, end) between the two marks."""
    return f"{text[:start]}{marks[0]}{text[start:end]}{marks[1]}{text[end:]}"


@dataclass
class AuxiliarySource:
    loader: Callable[[], pd.DataFrame]  # a data loader (data.loader's kinds), instantiated by Hydra
    dir: str | None = None  # where the loader's files are: checked first, for a clear error
    head: str = "newsmtsc"
    rows: int | None = 1500  # a seeded sample of mentions (null: all): each epoch sees them all
    marks: tuple = ("[", "]")

    def __call__(self, seed: int, targets) -> pd.DataFrame:
        """The sampled rows, in the split table's columns, as `train` rows of target `head`."""
        if self.head in targets:
            raise ValueError(f"data.auxiliary.head={self.head!r} is one of the data's targets {list(targets)}")
        if self.dir is not None and not Path(self.dir).exists():
            raise InputError(self.dir, f"no {self.head} data here: run `make data` (it downloads, or copies "
                                       f"from $STANCE_DATA_MIRROR) or pass data.auxiliary.dir=PATH")
        pairs = self.loader()
        if "mention_from" in pairs:  # a mention the loader could not place stays unmarked
            found = pairs.mention_from >= 0
            pairs.loc[found, "text"] = [marked(t, a, b, tuple(self.marks)) for t, a, b in
                                        zip(pairs.text[found], pairs.mention_from[found], pairs.mention_to[found])]
        if self.rows is not None and self.rows < len(pairs):
            pairs = pairs.sample(n=self.rows, random_state=seed).sort_index()
        log.info("auxiliary head %r: %d of its rows join train, labels %s", self.head, len(pairs),
                 pairs.label.value_counts().to_dict())
        return pairs.assign(target=self.head, source=self.head, split="train", fold=-1)[SPLIT_COLUMNS]


def with_auxiliary(table: pd.DataFrame, source: AuxiliarySource | None, seed: int, targets) -> pd.DataFrame:
    """The split table plus the auxiliary source's training rows (the table itself when there is none)."""
    if source is None:
        return table
    return pd.concat([table, source(seed, targets)], ignore_index=True)

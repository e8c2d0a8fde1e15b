"""Labelling: sentences x targets -> label with its provenance (`gold`, `rules` or None).

`use_gold` joins human annotations; `rules` (a RuleLabeler) fills what gold leaves open.
Unlabelled pairs stay in the table with label None and are counted."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from stance.data.annotations import read_annotations
from stance.labeling.rules import RuleLabeler


def label_pairs(sentences: pd.DataFrame, targets: list[str], gold: pd.DataFrame | None = None,
                rules=None) -> pd.DataFrame:
    """One row per (sentence, target) with `label` and `label_source` (gold, rules or None)."""
    pairs = sentences.merge(pd.DataFrame({"target": targets}), how="cross")
    if gold is not None:
        pairs = pairs.merge(gold, on=["sentence_id", "target"], how="left")
    else:
        pairs["label"] = None
    pairs["label_source"] = pairs["label"].where(pairs["label"].isna(), "gold")
    if rules is not None:
        open_rows = pairs.label.isna()
        guessed = rules.label(pairs.loc[open_rows, "text"].tolist(), pairs.loc[open_rows, "target"].tolist())
        pairs.loc[open_rows, "label"] = pd.Series(guessed, index=pairs.index[open_rows], dtype="object")
        pairs.loc[open_rows & pairs.label.notna(), "label_source"] = "rules"
    for col in ("label", "label_source"):  # missing is None, never NaN
        pairs[col] = pairs[col].astype("object").where(pairs[col].notna(), None)
    return pairs


def label_counts(pairs: pd.DataFrame) -> pd.DataFrame:
    shown = pairs.assign(label=pairs.label.fillna("(unlabelled)"), label_source=pairs.label_source.fillna("-"))
    return shown.groupby(["source", "target", "label_source", "label"]).size().rename("n").reset_index()


@dataclass
class PairLabeler:
    """What `configs/labeling/*.yaml` instantiates: gold annotations, rules, or both."""

    name: str
    use_gold: bool = True
    rules: RuleLabeler | None = None

    def label(self, sentences: pd.DataFrame, targets: list[str], annotations) -> pd.DataFrame:
        gold = read_annotations(annotations, set(sentences.sentence_id), targets) if self.use_gold else None
        return label_pairs(sentences, targets, gold, self.rules)

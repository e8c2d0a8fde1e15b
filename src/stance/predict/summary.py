"""Article-level summary of sentence scores.

Per article and target: counts and shares of FAVOR / AGAINST / NONE sentences, mean class
probabilities, and an overall stance by this rule:

- NONE    when fewer than `min_stance_sentences` sentences take a side;
- FAVOR   when FAVOR sentences outnumber AGAINST ones by at least `dominance` to 1;
- AGAINST likewise the other way round;
- MIXED   otherwise (both sides present, neither dominant).
"""

from __future__ import annotations

import pandas as pd

COUNTS = ["n_favor", "n_against", "n_none"]


def overall_stance(n_favor: int, n_against: int, min_stance_sentences: int = 1, dominance: float = 2.0) -> str:
    if n_favor + n_against < min_stance_sentences:
        return "NONE"
    if n_favor >= dominance * n_against and n_favor > 0:
        return "FAVOR"
    if n_against >= dominance * n_favor and n_against > 0:
        return "AGAINST"
    return "MIXED"


def partial_sums(scores: pd.DataFrame) -> pd.DataFrame:
    """Counts and probability sums per (article_id, target): addable across chunks."""
    counted = scores.assign(n_favor=scores.label.eq("FAVOR"), n_against=scores.label.eq("AGAINST"),
                            n_none=scores.label.eq("NONE"), n_sentences=1)
    return counted.groupby(["article_id", "target"])[
        [*COUNTS, "n_sentences", "p_favor", "p_against", "p_none"]].sum()


class SummaryBuilder:
    """Feed it predict's output chunk by chunk; memory grows with articles, not sentences."""

    def __init__(self):
        self.sums: pd.DataFrame | None = None

    def add(self, scores: pd.DataFrame) -> None:
        part = partial_sums(scores)
        self.sums = part if self.sums is None else self.sums.add(part, fill_value=0)

    def table(self, min_stance_sentences: int = 1, dominance: float = 2.0) -> pd.DataFrame:
        out = self.sums.copy()
        out[[*COUNTS, "n_sentences"]] = out[[*COUNTS, "n_sentences"]].astype(int)
        for col in COUNTS:
            out[col.replace("n_", "share_")] = out[col] / out.n_sentences
        for col in ("p_favor", "p_against", "p_none"):
            out[f"mean_{col}"] = out.pop(col) / out.n_sentences
        out["overall"] = [overall_stance(f, a, min_stance_sentences, dominance)
                          for f, a in zip(out.n_favor, out.n_against)]
        return out.reset_index()


def summarise(scores: pd.DataFrame, min_stance_sentences: int = 1, dominance: float = 2.0) -> pd.DataFrame:
    """`scores` is predict's long output; one row per (article_id, target) comes back."""
    builder = SummaryBuilder()
    builder.add(scores)
    return builder.table(min_stance_sentences, dominance)

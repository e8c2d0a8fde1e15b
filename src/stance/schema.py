"""The facts every layer shares, defined once: labels, the columns of each stage table and of
predict's output, and the one (sentence x target) expansion. Standard library and pandas only."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Label strings exactly as the annotation guidelines and the predict contract spell them.
LABELS = ("FAVOR", "AGAINST", "NONE")
PROBA_COLUMNS = [f"p_{label.lower()}" for label in LABELS]

# prepare -> one row per story sentence.
SENTENCE_COLUMNS = ["article_id", "sentence_id", "index", "text", "source", "style"]
# label -> one row per (sentence, target); split adds `split` and `fold`.
PAIR_COLUMNS = [*SENTENCE_COLUMNS, "target", "label", "label_source"]
# Where a source marks the target's mention in the sentence (NewsMTSC): character offsets.
SPAN_COLUMNS = ["mention_from", "mention_to"]
SPLIT_COLUMNS = [*PAIR_COLUMNS, "split", "fold"]

# What a model (the MLflow pyfunc) returns per (text, target), and what stance-predict writes.
MODEL_OUTPUT_COLUMNS = ["text", "target", "label", *PROBA_COLUMNS, "truncated"]
PREDICT_COLUMNS = ["article_id", "sentence_id", *MODEL_OUTPUT_COLUMNS, "model"]


# More distinct targets than this (open targets, e.g. NewsMTSC's mentions): metrics are pooled over
# targets and splits stratify on the label alone.
MAX_TARGETS = 20
# An open-target model (any target string) trained on many targets (NewsMTSC's mentions) keeps its
# most frequent ones as the targets a row without a `target` is scored for.
MAX_DEFAULT_TARGETS = 10


class UnknownTargetError(ValueError):
    """A row asks for a target the model was not trained on."""

    def __init__(self, unknown, known):
        super().__init__(f"target(s) {sorted(unknown)} unknown to the model (knows {list(known)})")
        self.unknown, self.known = sorted(unknown), list(known)


def expand_targets(frame: "pd.DataFrame", targets: list[str], open_targets: bool = False) -> "pd.DataFrame":
    """One row per (sentence, target), in input order: a row with a `target` keeps only it, a row
    without one (missing, None or "") becomes one row per known target, in sorted target order.
    A target the model does not know is an error unless the model takes any (`open_targets`)."""
    import pandas as pd

    frame = frame.reset_index(drop=True)
    if "target" not in frame:
        frame = frame.assign(target=None)
    given = frame.target.notna() & (frame.target.astype(str) != "")
    unknown = set(frame.target[given]) - set(targets)
    if unknown and not open_targets:
        raise UnknownTargetError(unknown, targets)
    frame = frame.assign(_order=range(len(frame)))
    expanded = pd.concat([frame[given], frame[~given].drop(columns="target").merge(
        pd.DataFrame({"target": list(targets)}), how="cross")], ignore_index=True)
    return (expanded.sort_values(["_order", "target"], kind="stable").drop(columns="_order")
            .reset_index(drop=True))

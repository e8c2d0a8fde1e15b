"""Stage label: sentences x targets -> label with its provenance (data/processed/<data>/labelled.parquet).

`labeling.use_gold` joins human annotations; `labeling.rules` fills what gold leaves open.
Unlabelled pairs stay in the table with label None, and the stage reports the counts.
"""

from __future__ import annotations

import logging

import hydra
import pandas as pd
from omegaconf import DictConfig

from stance import config
from stance.annotations import read_annotations
from stance.errors import exit_on_input_error
from stance.tables import read_table, write_atomic

log = logging.getLogger(__name__)


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


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="label")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    sentences = read_table(cfg.paths.sentences, "stance-prepare")
    targets = list(cfg.data.targets)
    gold = read_annotations(cfg.data.annotations, set(sentences.sentence_id), targets) if cfg.labeling.use_gold else None
    rules = hydra.utils.instantiate(cfg.labeling.rules, targets=cfg.data.targets) if cfg.labeling.rules else None
    pairs = label_pairs(sentences, targets, gold, rules)
    write_atomic(pairs, cfg.output)
    log.info("label counts:\n%s", label_counts(pairs).to_string(index=False))
    log.info("wrote %d (sentence, target) pairs, %d unlabelled, to %s",
             len(pairs), int(pairs.label.isna().sum()), cfg.output)


if __name__ == "__main__":
    main()

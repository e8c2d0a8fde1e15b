"""The gold join: one row per (sentence, target), provenance marked, unlabelled pairs kept."""

import pandas as pd

from conftest import toy_sentences
from stance.labeling.gold import label_pairs


def test_label_keeps_unlabelled_pairs_and_marks_provenance():
    sents = toy_sentences(2, 2)
    gold = pd.DataFrame([{"sentence_id": "a00:0", "target": "maduro", "label": "FAVOR"}])
    pairs = label_pairs(sents, ["maduro", "guaido"], gold)
    assert len(pairs) == 8
    row = pairs[(pairs.sentence_id == "a00:0") & (pairs.target == "maduro")].iloc[0]
    assert (row.label, row.label_source) == ("FAVOR", "gold")
    assert pairs.label.isna().sum() == 7 and pairs.label_source.isna().sum() == 7


def test_rules_fill_only_what_gold_leaves_open():
    class Always:
        def label(self, texts, targets):
            return ["AGAINST" if t == "maduro" else None for t in targets]

    gold = pd.DataFrame([{"sentence_id": "a00:0", "target": "maduro", "label": "FAVOR"}])
    pairs = label_pairs(toy_sentences(1, 2), ["maduro", "guaido"], gold, Always())
    by_key = {(r.sentence_id, r.target): (r.label, r.label_source) for r in pairs.itertuples()}
    assert by_key[("a00:0", "maduro")] == ("FAVOR", "gold")
    assert by_key[("a00:1", "maduro")] == ("AGAINST", "rules")
    assert by_key[("a00:1", "guaido")] == (None, None)

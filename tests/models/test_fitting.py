"""Fitting on the split table: k-fold trains only on the folds, never on a held-out test source."""

import numpy as np
import pandas as pd

from conftest import toy_sentences
from stance.data.split import KFoldSplit
from stance.models.fitting import cross_validate


class SpyModel:
    """Records what it was trained on; predicts NONE."""

    trained_on: list[set] = []

    def fit(self, texts, targets, labels, eval_set=None, checkpoints=None):
        SpyModel.trained_on.append(set(texts))
        return self

    def predict_proba(self, texts, targets):
        return np.tile([0.0, 0.0, 1.0], (len(texts), 1))


def test_kfold_never_trains_on_a_held_out_test_source():
    pairs = toy_sentences(10, 4).merge(pd.DataFrame({"target": ["maduro", "guaido"]}), how="cross")
    pairs["label"] = np.resize(["FAVOR", "AGAINST", "NONE"], len(pairs))
    table = KFoldSplit(n_folds=3, seed=0).assign(pairs, ["seeds"])
    seed_texts = set(table[table.split == "test_seeds"].text)
    assert seed_texts and (table[table.split == "test_seeds"].fold == -1).all()
    SpyModel.trained_on = []
    metrics = cross_validate(SpyModel, table)
    assert metrics["cv/n_folds"] == 3 and len(SpyModel.trained_on) == 3
    assert all(not (texts & seed_texts) for texts in SpyModel.trained_on)

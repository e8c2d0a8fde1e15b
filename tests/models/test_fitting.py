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


def labelled_pairs(n_articles: int) -> pd.DataFrame:
    """Toy sentences x both targets, labels cycling through all three."""
    pairs = toy_sentences(n_articles, 4).merge(pd.DataFrame({"target": ["maduro", "guaido"]}), how="cross")
    return pairs.assign(label=np.resize(["FAVOR", "AGAINST", "NONE"], len(pairs)))


def test_kfold_never_trains_on_a_held_out_test_source():
    pairs = labelled_pairs(10)
    table = KFoldSplit(n_folds=3, seed=0).assign(pairs, ["seeds"])
    seed_texts = set(table[table.split == "test_seeds"].text)
    assert seed_texts and (table[table.split == "test_seeds"].fold == -1).all()
    SpyModel.trained_on = []
    metrics = cross_validate(SpyModel, table)
    assert metrics["cv/n_folds"] == 3 and len(SpyModel.trained_on) == 3
    assert all(not (texts & seed_texts) for texts in SpyModel.trained_on)


def test_kfold_reports_each_folds_training_time_and_pooled_metrics(caplog):
    pairs = labelled_pairs(10)
    table = KFoldSplit(n_folds=3, seed=0).assign(pairs, [])
    with caplog.at_level("INFO", logger="stance.models.fitting"):
        metrics = cross_validate(SpyModel, table)
    assert metrics["cv/train_seconds"] >= 0 and "cv/train_seconds_std" in metrics
    fold_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("fold ")]
    assert len(fold_lines) == 3 and all("cv/f_avg_pooled" in line for line in fold_lines)


def two_source_table():
    from stance.data.split import HoldoutSplit

    pairs = labelled_pairs(20)
    pairs.loc[pairs.article_id >= "a11", "source"] = "news_style"
    return HoldoutSplit(val_size=0.25, test_size=0.25, seed=0).assign(pairs, ["seeds"])


def test_train_sources_restrict_training_but_not_what_is_scored():
    from stance.models.fitting import train_and_score

    table = two_source_table()
    SpyModel.trained_on = []
    _, metrics, predictions = train_and_score(SpyModel, table, train_sources=["synthetic"])
    train = table[table.split == "train"]
    assert SpyModel.trained_on == [set(train[train.source == "synthetic"].text)]
    assert set(predictions.source) == {"seeds", "synthetic", "news_style"}  # val and test stay whole
    assert metrics["train/n_pairs"] == (train.source == "synthetic").sum()


def test_report_sources_are_scored_alone_inside_mixed_splits():
    from stance.models.fitting import train_and_score

    table = two_source_table()
    # The spy predicts NONE everywhere: F_avg 0 on every split, but each reported source has its own
    # pair count and interval.
    _, metrics, _ = train_and_score(SpyModel, table, report_sources=["news_style"])
    for split in ("val", "test"):
        part = table[(table.split == split) & (table.source == "news_style")]
        assert metrics[f"{split}_news_style/n_pairs"] == len(part) > 0
    assert "test_news_style/f_avg_ci_low" in metrics
    assert not any(k.startswith(("test_seeds_", "test_synthetic")) for k in metrics)

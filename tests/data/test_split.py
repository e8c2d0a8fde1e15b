"""Splits: grouped by article, seeded, test sources kept whole; k-fold gives each article one fold."""

import numpy as np
import pandas as pd

from conftest import toy_sentences
from stance.data.split import HoldoutSplit, KFoldSplit


def labelled_pairs(seed=0):
    sents = toy_sentences()
    rng = np.random.default_rng(seed)
    pairs = sents.merge(pd.DataFrame({"target": ["maduro", "guaido"]}), how="cross")
    pairs["label"] = rng.choice(["FAVOR", "AGAINST", "NONE"], len(pairs))
    return pairs


def test_holdout_split_is_grouped_seeded_and_keeps_test_sources_whole():
    splitter = HoldoutSplit(val_size=0.2, test_size=0.2, seed=1)
    out = splitter.assign(labelled_pairs(), ["seeds"])
    assert out.groupby("article_id").split.nunique().max() == 1
    assert set(out[out.source == "seeds"].split) == {"test_seeds"}
    assert {"train", "val", "test"} <= set(out.split)
    again = HoldoutSplit(val_size=0.2, test_size=0.2, seed=1).assign(labelled_pairs(), ["seeds"])
    assert out.split.tolist() == again.split.tolist()


def test_kfold_gives_every_article_one_fold():
    out = KFoldSplit(n_folds=4, seed=0).assign(labelled_pairs())
    assert out.groupby("article_id").fold.nunique().max() == 1
    assert sorted(out.fold.unique()) == [0, 1, 2, 3]


def test_select_is_carved_from_validation_articles_only():
    """The champion's criterion: half of the validation articles, none of train or test."""
    pairs = labelled_pairs()
    plain = HoldoutSplit(val_size=0.4, test_size=0.2, seed=3).assign(pairs, ["seeds"])
    carved = HoldoutSplit(val_size=0.4, test_size=0.2, seed=3, select_share=0.5).assign(pairs, ["seeds"])
    was_val = set(plain[plain.split == "val"].article_id)
    select, val = (set(carved[carved.split == s].article_id) for s in ("select", "val"))
    assert select and val and select | val == was_val and not select & val
    assert (carved.split == plain.split)[~plain.split.eq("val")].all()  # train and test unchanged


def test_holdout_draws_val_and_test_within_each_source():
    """A small second corpus (news_style) lands in val and test too, not only wherever chance puts it,
    and adding it leaves the first corpus's split exactly as it was."""
    pairs = labelled_pairs()
    news = labelled_pairs(1).assign(article_id=lambda f: "n" + f.article_id, sentence_id=lambda f: "n" + f.sentence_id,
                                    source="news_style")
    news = news[news.article_id != "na00"]
    both = pd.concat([pairs, news], ignore_index=True)
    splitter = HoldoutSplit(val_size=0.2, test_size=0.2, seed=1)
    out = splitter.assign(both, ["seeds"])
    for source in ("synthetic", "news_style"):
        assert {"train", "val", "test"} <= set(out[out.source == source].split), source
    alone = splitter.assign(pairs, ["seeds"])
    assert out.split.iloc[: len(pairs)].tolist() == alone.split.tolist()

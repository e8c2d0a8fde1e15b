"""Pure functions behind the stages: labelling joins, grouped splits, metrics, the baseline."""

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from stance.label import label_pairs
from stance.metrics import split_metrics, target_metrics
from stance.models.baseline import TfidfLogReg
from stance.split import assign_splits


def sentences(n_articles=12, per_article=5):
    rows = [{"article_id": f"a{i:02d}", "sentence_id": f"a{i:02d}:{j}", "text": f"text {i} {j}",
             "source": "synthetic" if i else "seeds"} for i in range(n_articles) for j in range(per_article)]
    return pd.DataFrame(rows)


def test_label_keeps_unlabelled_pairs_and_marks_provenance():
    sents = sentences(2, 2)
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
    pairs = label_pairs(sentences(1, 2), ["maduro", "guaido"], gold, Always())
    by_key = {(r.sentence_id, r.target): (r.label, r.label_source) for r in pairs.itertuples()}
    assert by_key[("a00:0", "maduro")] == ("FAVOR", "gold")
    assert by_key[("a00:1", "maduro")] == ("AGAINST", "rules")
    assert by_key[("a00:1", "guaido")] == (None, None)


def labelled_pairs(seed=0):
    sents = sentences()
    rng = np.random.default_rng(seed)
    pairs = sents.merge(pd.DataFrame({"target": ["maduro", "guaido"]}), how="cross")
    pairs["label"] = rng.choice(["FAVOR", "AGAINST", "NONE"], len(pairs))
    return pairs


def test_holdout_split_is_grouped_seeded_and_keeps_test_sources_whole():
    cfg = OmegaConf.create({"method": "holdout", "val_size": 0.2, "test_size": 0.2, "seed": 1, "n_folds": 5})
    out = assign_splits(labelled_pairs(), cfg, ["seeds"])
    assert out.groupby("article_id").split.nunique().max() == 1
    assert set(out[out.source == "seeds"].split) == {"test_seeds"}
    assert {"train", "val", "test"} <= set(out.split)
    again = assign_splits(labelled_pairs(), cfg, ["seeds"])
    assert out.split.tolist() == again.split.tolist()


def test_kfold_gives_every_article_one_fold():
    cfg = OmegaConf.create({"method": "kfold", "n_folds": 4, "seed": 0, "val_size": 0, "test_size": 0})
    out = assign_splits(labelled_pairs(), cfg)
    assert out.groupby("article_id").fold.nunique().max() == 1
    assert sorted(out.fold.unique()) == [0, 1, 2, 3]


def test_f_avg_is_mean_of_favor_and_against_f1():
    gold = ["FAVOR", "FAVOR", "AGAINST", "NONE", "NONE"]
    pred = ["FAVOR", "NONE", "AGAINST", "AGAINST", "NONE"]
    m = target_metrics(gold, pred)
    assert m["f1_favor"] == pytest.approx(2 / 3)
    assert m["f1_against"] == pytest.approx(2 / 3)
    assert m["f_avg"] == pytest.approx(2 / 3)
    assert m["accuracy"] == pytest.approx(3 / 5)
    frame = pd.DataFrame({"target": ["t1"] * 5 + ["t2"] * 5, "label": gold * 2, "pred": pred + gold})
    flat = split_metrics(frame, "test")
    assert flat["test/t2/f_avg"] == 1.0
    assert flat["test/f_avg"] == pytest.approx((2 / 3 + 1) / 2)


TOY = [("Russia voiced support for Maduro", "maduro", "FAVOR"), ("sanctions on the Maduro regime", "maduro", "AGAINST"),
       ("oil output fell", "maduro", "NONE"), ("Brazil recognized Guaido", "guaido", "FAVOR"),
       ("the puppet Guaido", "guaido", "AGAINST"), ("oil output fell", "guaido", "NONE")] * 5


@pytest.mark.parametrize("mode", ["per_target", "shared"])
def test_baseline_learns_a_separable_toy_set(mode):
    texts, targets, labels = zip(*TOY)
    model = TfidfLogReg(target_mode=mode, C=10).fit(texts, targets, labels)
    proba = model.predict_proba(texts, targets)
    assert proba.shape == (len(TOY), 3)
    assert np.allclose(proba.sum(axis=1), 1)
    assert [["FAVOR", "AGAINST", "NONE"][i] for i in proba.argmax(1)] == list(labels)


def test_baseline_refuses_an_unknown_target():
    texts, targets, labels = zip(*TOY)
    model = TfidfLogReg().fit(texts, targets, labels)
    with pytest.raises(ValueError, match="not trained for target"):
        model.predict_proba(["x"], ["petro"])


def test_bootstrap_interval_brackets_the_score():
    from stance.metrics import bootstrap_f_avg

    rng = np.random.default_rng(1)
    labels = rng.choice(["FAVOR", "AGAINST", "NONE"], 200)
    frame = pd.DataFrame({"sentence_id": np.repeat(np.arange(100), 2).astype(str), "target": ["m", "g"] * 100,
                          "label": labels, "pred": labels})
    assert bootstrap_f_avg(frame) == (1.0, 1.0)
    noisy = frame.assign(pred=np.where(rng.random(200) < 0.3, "NONE", frame.label))
    low, high = bootstrap_f_avg(noisy)
    point = split_metrics(noisy, "t")["t/f_avg"]
    assert low < point < high and high - low < 0.3

"""The paired comparison on hand-made cases: identical models differ by nothing, a model right where
the other is wrong wins with a small p-value, and runs scored on different sentences are refused."""

import pandas as pd
import pytest

from stance.errors import InputError
from stance.evaluation.compare import mcnemar, paired, paired_bootstrap


def scored(pred_b_right: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    gold = ["FAVOR", "AGAINST", "NONE"] * 8
    a = pd.DataFrame({"split": "test", "article_id": [f"art{i // 3}" for i in range(24)],
                      "sentence_id": [f"s{i}" for i in range(24)], "target": "maduro", "label": gold,
                      "pred": ["NONE"] * 24})
    b = a.assign(pred=gold if pred_b_right else a.pred)
    return a, b


def test_identical_predictions_differ_by_nothing():
    a, b = scored(pred_b_right=False)
    stats = paired_bootstrap(paired(a, b, "test"), n_boot=500)
    assert stats["f_avg"]["diff"] == 0 and stats["f_avg"]["ci"] == (0.0, 0.0) and stats["f_avg"]["p"] == 1.0
    assert mcnemar(paired(a, b, "test")) == {"only_a_right": 0, "only_b_right": 0, "p": 1.0}


def test_a_model_right_where_the_other_is_wrong_wins():
    a, b = scored(pred_b_right=True)
    merged = paired(a, b, "test")
    stats = paired_bootstrap(merged, n_boot=1000, seed=1)
    assert stats["f_avg"]["a"] == 0.0 and stats["f_avg"]["b"] == 1.0
    assert stats["f_avg"]["ci"][0] > 0 and stats["f_avg"]["p"] < 0.01
    # 16 pairs only B gets right, none only A: exact McNemar p = 2 * 0.5**16.
    assert mcnemar(merged) == {"only_a_right": 0, "only_b_right": 16, "p": pytest.approx(2 * 0.5 ** 16)}


def test_runs_on_different_sentences_are_refused():
    a, b = scored(pred_b_right=True)
    with pytest.raises(InputError, match=r"different sentences \(1 pairs only in A, 0 only in B\)"):
        paired(a, b.iloc[1:], "test")

"""The TF-IDF + logistic-regression baseline: learns a separable toy set, refuses unknown targets."""

import numpy as np
import pytest

from stance.models.baseline import TfidfLogReg
from stance.schema import UnknownTargetError


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
    with pytest.raises(UnknownTargetError, match="unknown to the model"):
        model.predict_proba(["x"], ["petro"])


def test_open_mode_scores_targets_it_never_saw_through_the_marked_mention():
    people = ["Ana Ruiz", "Bo Chen", "Cy Dale", "Di Kemp"]
    rows = [(f"Voters praised {p} warmly.", p, "FAVOR") for p in people] + \
           [(f"Voters attacked {p} bitterly.", p, "AGAINST") for p in people] + \
           [(f"{p} met voters on Monday, and critics attacked the budget.", p, "NONE") for p in people]
    texts, targets, labels = zip(*rows * 3)
    model = TfidfLogReg(target_mode="open", C=10).fit(texts, targets, labels)
    assert model.open_targets
    new = ["Voters praised Gustavo Petro warmly.", "Voters attacked Gustavo Petro bitterly."]
    proba = model.predict_proba(new, ["Gustavo Petro", "gustavo petro"])  # mentions match case-insensitively
    assert [["FAVOR", "AGAINST", "NONE"][i] for i in proba.argmax(1)] == ["FAVOR", "AGAINST"]

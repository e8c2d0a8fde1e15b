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

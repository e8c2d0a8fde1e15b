"""Temperature scaling: fitted on validation it makes over- or under-confident probabilities honest,
never changes a predicted label, and travels with the saved model."""

import numpy as np

from stance.models.baseline import TfidfLogReg
from stance.schema import LABELS
from stance.serving.calibration import fit_temperature, scale

RNG = np.random.default_rng(0)


def overconfident(n=600):
    """Labels right 70% of the time, but the model always says 0.98."""
    gold = RNG.integers(0, 3, n)
    pred = np.where(RNG.random(n) < 0.7, gold, (gold + RNG.integers(1, 3, n)) % 3)
    proba = np.full((n, 3), 0.01)
    proba[np.arange(n), pred] = 0.98
    return proba, [LABELS[i] for i in gold]


def test_an_overconfident_model_is_cooled_to_its_accuracy():
    proba, labels = overconfident()
    temperature = fit_temperature(proba, labels)
    assert temperature > 1
    calibrated = scale(proba, temperature)
    assert abs(calibrated.max(axis=1).mean() - 0.7) < 0.03  # confidence now matches accuracy
    assert (calibrated.argmax(1) == proba.argmax(1)).all() and np.allclose(calibrated.sum(1), 1)


def test_a_calibrated_model_keeps_temperature_one():
    gold = RNG.integers(0, 3, 3000)
    proba = np.full((3000, 3), 0.25)
    proba[np.arange(3000), gold] = 0.5
    right = RNG.random(3000) < 0.5  # half the time the 0.5 class is right, as it claims
    proba[~right] = np.roll(proba[~right], 1, axis=1)
    assert abs(fit_temperature(proba, [LABELS[i] for i in gold]) - 1) < 0.15


def test_the_baseline_fits_its_temperature_on_validation_and_saves_it(tmp_path):
    texts = ["Russia voiced support for Maduro", "sanctions on the Maduro regime", "oil output fell"] * 6
    labels = ["FAVOR", "AGAINST", "NONE"] * 6
    val = (["support for Maduro", "sanctions on Maduro", "oil fell", "Maduro met"], ["maduro"] * 4,
           ["FAVOR", "AGAINST", "NONE", "AGAINST"])
    model = TfidfLogReg(C=10).fit(texts, ["maduro"] * len(texts), labels, eval_set=val)
    assert model.temperature != 1.0
    unscaled = TfidfLogReg(C=10, temperature_scaling=False).fit(texts, ["maduro"] * len(texts), labels, eval_set=val)
    assert unscaled.temperature == 1.0
    model.save(tmp_path)
    again = TfidfLogReg.load(tmp_path)
    assert np.allclose(again.predict_proba(val[0], val[1]), model.predict_proba(val[0], val[1]))
    assert not np.allclose(again.predict_proba(val[0], val[1]), unscaled.predict_proba(val[0], val[1]))

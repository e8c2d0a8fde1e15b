"""Temperature scaling: fitted on validation it makes over- or under-confident probabilities honest,
never changes a predicted label, and travels with the saved model. The NONE offset: the smallest
shift of NONE's log-probability with the best validation F_avg, saved with the model."""

import numpy as np

from stance.models.baseline import TfidfLogReg
from stance.schema import LABELS
from stance.serving.calibration import fit_none_bias, fit_temperature, scale

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


def test_the_none_offset_is_the_smallest_shift_with_the_best_f_avg():
    """Row 2 (gold NONE) turns NONE once log 0.4 + b > log 0.5, i.e. b > 0.223; row 1 (gold FAVOR)
    stays FAVOR while b < log 0.7 - log 0.2 = 1.25. F_avg: 0.33 at b = 0, 0.5 for b in (0.223, 1.25)."""
    proba = np.array([[0.7, 0.1, 0.2], [0.5, 0.1, 0.4]])
    assert fit_none_bias(proba, ["maduro", "maduro"], ["FAVOR", "NONE"]) == 0.3
    assert fit_none_bias(proba, ["maduro", "maduro"], ["FAVOR", "FAVOR"]) == 0.0  # nothing to gain: no shift
    shifted = scale(proba, 1.0, 0.3)
    assert shifted.argmax(1).tolist() == [0, 2] and np.allclose(shifted.sum(1), 1)


def test_the_none_offset_is_fitted_when_asked_and_travels_with_the_saved_model(tmp_path):
    texts = ["Russia voiced support for Maduro", "sanctions on the Maduro regime", "oil output fell"] * 6
    labels = ["FAVOR", "AGAINST", "NONE"] * 6
    val = (["support for Maduro", "Maduro met Cuba", "oil fell Maduro", "Maduro spoke", "sanctions on Maduro"],
           ["maduro"] * 5, ["FAVOR", "NONE", "NONE", "NONE", "AGAINST"])
    plain = TfidfLogReg(C=10).fit(texts, ["maduro"] * len(texts), labels, eval_set=val)
    tuned = TfidfLogReg(C=10, tune_none_bias=True).fit(texts, ["maduro"] * len(texts), labels, eval_set=val)
    assert plain.none_bias == 0.0 and tuned.none_bias != 0.0
    tuned.save(tmp_path)
    again = TfidfLogReg.load(tmp_path)
    assert again.none_bias == tuned.none_bias
    assert np.allclose(again.predict_proba(val[0], val[1]), tuned.predict_proba(val[0], val[1]))

"""Temperature scaling (Guo et al., 2017): one scalar T, fitted on validation by minimising the
negative log-likelihood, divides the log-probabilities. The argmax, and so every F score, is
unchanged; only how confident the `p_*` columns are moves."""

from __future__ import annotations

import numpy as np

from stance.schema import LABELS

FLOOR = 1e-12  # log(0) guard: a class the classifier gave exactly zero


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits."""
    if not len(logits):
        return logits
    out = np.exp(logits - logits.max(axis=1, keepdims=True))
    return out / out.sum(axis=1, keepdims=True)


def scale(proba: np.ndarray, temperature: float) -> np.ndarray:
    """`proba` ** (1/T), renormalised per row (softmax of log-probabilities over T)."""
    if temperature == 1.0 or not len(proba):
        return proba
    return softmax(np.log(np.clip(proba, FLOOR, 1.0)) / temperature)


def fit_temperature(proba: np.ndarray, labels) -> float:
    """The T in [0.05, 20] that minimises the validation negative log-likelihood."""
    from scipy.optimize import minimize_scalar

    gold = np.array([LABELS.index(y) for y in labels])
    rows = np.arange(len(gold))

    def nll(log_t: float) -> float:
        return float(-np.log(np.clip(scale(proba, np.exp(log_t))[rows, gold], FLOOR, 1.0)).mean())

    best = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(best.x)) if best.fun < nll(0.0) else 1.0


def calibrate(model, eval_set) -> None:
    """Set `model.temperature` from its validation probabilities when it asks for temperature scaling."""
    model.temperature = 1.0
    if getattr(model, "temperature_scaling", False) and eval_set is not None and len(eval_set[0]):
        model.temperature = fit_temperature(model.predict_proba(eval_set[0], eval_set[1]), eval_set[2])

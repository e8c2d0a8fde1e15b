"""Post-hoc calibration, fitted on validation after training, stored with the model:
- temperature scaling (Guo et al., 2017): one scalar T, fitted by minimising the negative
  log-likelihood, divides the log-probabilities; the argmax, and so every F score, is unchanged;
- a NONE offset: one number b added to NONE's scaled log-probability, the b in [-2, 2] that maximises
  validation F_avg (the threshold for taking a side). It changes labels; ties go to the smallest |b|."""

from __future__ import annotations

import numpy as np

from stance.schema import LABELS

FLOOR = 1e-12  # log(0) guard: a class the classifier gave exactly zero
NONE = LABELS.index("NONE")
SIDES = [label for label in LABELS if label != "NONE"]  # F_avg averages their F1
BIAS_GRID = np.round(np.arange(-2.0, 2.0001, 0.1), 1)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits."""
    if not len(logits):
        return logits
    out = np.exp(logits - logits.max(axis=1, keepdims=True))
    return out / out.sum(axis=1, keepdims=True)


def adjust(logits: np.ndarray, temperature: float = 1.0, none_bias: float = 0.0) -> np.ndarray:
    """softmax(logits / T, plus `none_bias` on NONE's column)."""
    out = np.asarray(logits, dtype=np.float64) / temperature
    if none_bias and len(out):
        out = out.copy()
        out[:, NONE] += none_bias
    return softmax(out)


def scale(proba: np.ndarray, temperature: float, none_bias: float = 0.0) -> np.ndarray:
    """`proba` ** (1/T), NONE's times exp(b), renormalised per row."""
    if temperature == 1.0 and not none_bias or not len(proba):
        return proba
    return adjust(np.log(np.clip(proba, FLOOR, 1.0)), temperature, none_bias)


def fit_temperature(proba: np.ndarray, labels) -> float:
    """The T in [0.05, 20] that minimises the validation negative log-likelihood."""
    from scipy.optimize import minimize_scalar

    gold = np.array([LABELS.index(y) for y in labels])
    rows = np.arange(len(gold))

    def nll(log_t: float) -> float:
        return float(-np.log(np.clip(scale(proba, np.exp(log_t))[rows, gold], FLOOR, 1.0)).mean())

    best = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(best.x)) if best.fun < nll(0.0) else 1.0


def fit_none_bias(proba: np.ndarray, targets, labels) -> float:
    """The NONE offset on BIAS_GRID with the best validation F_avg (F1 FAVOR and AGAINST averaged,
    per target, then over targets)."""
    from sklearn.metrics import f1_score

    logp, targets, labels = np.log(np.clip(proba, FLOOR, 1.0)), np.asarray(targets), np.asarray(labels)
    shift = np.eye(len(LABELS))[NONE]

    def f_avg(bias: float) -> float:
        pred = np.asarray(LABELS)[(logp + bias * shift).argmax(1)]
        return float(np.mean([f1_score(labels[targets == t], pred[targets == t], labels=SIDES,
                                       average="macro", zero_division=0) for t in np.unique(targets)]))

    return float(max(BIAS_GRID, key=lambda b: (round(f_avg(b), 12), -abs(b))))


def calibrate(model, eval_set) -> None:
    """Set `model.temperature` and `model.none_bias` from its validation probabilities, each when the
    model asks for it (`temperature_scaling`, `tune_none_bias`)."""
    model.temperature, model.none_bias = 1.0, 0.0
    wanted = getattr(model, "temperature_scaling", False), getattr(model, "tune_none_bias", False)
    if not any(wanted) or eval_set is None or not len(eval_set[0]):
        return
    proba = model.predict_proba(eval_set[0], eval_set[1])
    if wanted[0]:
        model.temperature = fit_temperature(proba, eval_set[2])
        proba = scale(proba, model.temperature)
    if wanted[1]:
        model.none_bias = fit_none_bias(proba, eval_set[1], eval_set[2])

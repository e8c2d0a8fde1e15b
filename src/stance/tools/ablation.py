"""The ablation table: what lifts the Maduro/Guaidó transformer on real text, over training seeds.

    make ablation                         # trains every variant x seed (long: see README)
    python -m stance.tools.ablation experiments/ablation [--log]

Reads `<folder>/<variant>/seed<k>.json` (stance-train metrics files) and prints, per variant, the
mean and spread over seeds of validation F_avg on the sources every run was scored on (what chooses
the default), the real seed sentences' F_avg (reported, never used to choose) with the mean of its
article-bootstrap interval, each written corpus's test F_avg, and training time. Each transformer
variant is also averaged with the baseline run trained on the same sources. `--none-offset` adds each
variant with a NONE offset fitted on its run's validation rows (serving/calibration.py, what
training does since `tune_none_bias`), for runs made before it, also averaged with its baseline.
`--log` also logs the table to MLflow.
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from stance.evaluation.scoring import scored_metrics, split_scores
from stance.schema import LABELS, PROBA_COLUMNS
from stance.serving.calibration import fit_none_bias, scale

COLUMNS = [("val_shared/f_avg", "val F_avg (chooses)"), ("select/f_avg", "select F_avg"),
           ("test_seeds/f_avg", "test_seeds F_avg (real)"),
           ("test_news_style/f_avg", "test news-style F_avg"), ("test_news_hard/f_avg", "test hard-case news F_avg"),
           ("test_synthetic/f_avg", "test synthetic-only F_avg"), ("train/seconds", "train s")]


@lru_cache(maxsize=None)
def _read(path: str, mtime_ns: int) -> pd.DataFrame:
    return pd.read_parquet(path)


def predictions_of(payload: dict) -> pd.DataFrame:
    """A run's predictions: derived ones (`frame`), or its saved file read once per tool run however
    many rows use it (never changed in place: every use derives new frames)."""
    if "frame" in payload:
        return payload["frame"]
    path = payload["predictions"]
    return _read(path, Path(path).stat().st_mtime_ns)


def has_predictions(payload: dict) -> bool:
    return "frame" in payload or bool(payload.get("predictions"))


def with_every_source(payload: dict) -> dict:
    """Each source scored alone inside every mixed split (`test_synthetic`, the earlier test set), from
    the run's saved predictions, beside what the run logged."""
    if payload.get("predictions") and Path(payload["predictions"]).exists():
        pred = predictions_of(payload)
        if "source" in pred:
            payload["metrics"] = split_scores(pred, sorted(pred.source.unique()), whole=False) | payload["metrics"]
    return payload


def load_runs(folder: Path) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {}
    for path in sorted(folder.glob("*/seed*.json")):
        runs.setdefault(path.parent.name, []).append(with_every_source(json.loads(path.read_text())))
    if not runs:
        raise SystemExit(f"{folder}: no <variant>/seed<k>.json metrics files (run `make ablation`)")
    return runs


def score_shared_val(runs: dict[str, list[dict]]) -> set[str]:
    """`val_shared/...`: validation on the sources every run was scored on, so a variant trained on a
    newer corpus is chosen on the same articles as the runs made before that corpus existed (and
    gets no credit for its own corpus's validation articles)."""
    payloads = [p for seeds in runs.values() for p in seeds if p.get("predictions")]
    predictions = [predictions_of(p) for p in payloads]
    shared = set.intersection(*(set(pred.source[pred.split == "val"]) if "source" in pred else set()
                                for pred in predictions)) if predictions else set()
    for payload, pred in zip(payloads, predictions):
        payload["metrics"] |= shared_val_metrics(pred, shared)
    return shared


def shared_val_metrics(pred: pd.DataFrame, shared: set[str]) -> dict[str, float]:
    val = pred[pred.split == "val"]
    return scored_metrics(val[val.source.isin(shared)] if "source" in val else val, "val_shared")


def baseline_for(payload: dict, baselines: list[dict]) -> dict | None:
    """The baseline run trained on the same sources (runs from before `trained_on` was recorded pair
    with each other). A source no baseline trained on (an auxiliary head's, variant (c)) is left out
    of the match: the baseline cannot learn from it."""
    known = {s for b in baselines for s in b.get("trained_on") or ()}
    sources = payload.get("trained_on")
    sources = [s for s in sources if s in known] if sources is not None and known else sources
    return next((b for b in baselines if b.get("trained_on") == sources), None)


def rescored(pred: pd.DataFrame, proba: np.ndarray, shared: set[str]) -> dict:
    """Predictions with new probabilities, scored like a model: split metrics and article-bootstrap
    intervals for every split they hold, and validation on the shared sources."""
    pred = pred.assign(**dict(zip(PROBA_COLUMNS, proba.T)), pred=[LABELS[i] for i in proba.argmax(1)])
    return split_scores(pred, sorted(pred.source.unique()) if "source" in pred else ()) | shared_val_metrics(pred, shared)


def ensemble_metrics(payload: dict, baseline: dict, shared: set[str]) -> dict:
    """The transformer's and the baseline's probabilities averaged on the same pairs."""
    key = ["split", "sentence_id", "target"]
    a, b = predictions_of(payload), predictions_of(baseline)
    both = a.merge(b[[*key, *PROBA_COLUMNS]], on=key, suffixes=("", "_b"))
    mean = (both[PROBA_COLUMNS].to_numpy() + both[[f"{c}_b" for c in PROBA_COLUMNS]].to_numpy()) / 2
    metrics = rescored(both[a.columns], mean, shared)
    metrics["train/seconds"] = payload["metrics"]["train/seconds"] + baseline["metrics"]["train/seconds"]
    return metrics


def with_none_offset(payload: dict, shared: set[str]) -> dict:
    """The run with the NONE offset fitted on its validation rows: its metrics, and its adjusted
    predictions (what an ensemble of it averages, as the ensemble stage does with such a model)."""
    pred = predictions_of(payload)
    val, proba = pred.split == "val", pred[PROBA_COLUMNS].to_numpy()
    bias = fit_none_bias(proba[val.to_numpy()], pred.target[val], pred.label[val])
    adjusted = scale(proba, 1.0, bias)
    metrics = rescored(pred, adjusted, shared)
    return {"metrics": metrics | {"train/seconds": payload["metrics"]["train/seconds"], "calibration/none_bias": bias},
            "frame": pred.assign(**dict(zip(PROBA_COLUMNS, adjusted.T))), "trained_on": payload.get("trained_on")}


def cell(values: list[float], digits: int) -> str:
    return f"{np.mean(values):.{digits}f} ± {np.std(values):.{digits}f}" if len(values) > 1 else f"{values[0]:.{digits}f}"


def table(runs: dict[str, list[dict]]) -> str:
    head = "| variant | seeds | " + " | ".join(label for _, label in COLUMNS) + " | test_seeds 95% CI (mean of seeds) |"
    lines = [head, "|" + " --- |" * 2 + " ---: |" * (len(COLUMNS) + 1)]
    for variant, seeds in runs.items():
        cells = []
        for key, _ in COLUMNS:
            values = [m[key] for m in seeds if key in m]
            cells.append(cell(values, 0 if key == "train/seconds" else 3) if values else "-")
        low = [m.get("test_seeds/f_avg_ci_low") for m in seeds]
        high = [m.get("test_seeds/f_avg_ci_high") for m in seeds]
        interval = f"{np.mean(low):.2f}-{np.mean(high):.2f}" if None not in low + high else "-"
        lines.append(f"| {variant} | {len(seeds)} | " + " | ".join(cells) + f" | {interval} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=Path("experiments/ablation"))
    parser.add_argument("--baseline", default="logreg", help="the variant folder holding the baseline's run")
    parser.add_argument("--none-offset", action="store_true", help="also each variant with the NONE "
                        "offset fitted on its validation rows")
    parser.add_argument("--log", action="store_true", help="log the table to MLflow (experiment stance-ablation)")
    parser.add_argument("--tracking-uri", default=None)
    args = parser.parse_args(argv)
    runs = load_runs(args.folder)
    shared = score_shared_val(runs)
    baselines = [p for v, seeds in runs.items() if v.startswith(args.baseline) for p in seeds if p.get("predictions")]
    for variant in list(runs) if args.none_offset else []:
        runs[f"{variant} + NONE offset"] = [with_none_offset(p, shared) for p in runs[variant] if p.get("predictions")]
    for variant in [v for v in runs if not v.startswith(args.baseline)]:  # each with its baseline
        pairs = [(p, baseline_for(p, baselines)) for p in runs[variant] if has_predictions(p)]
        if pairs and all(b is not None for _, b in pairs):
            runs[f"{variant} + {args.baseline} (mean of probabilities)"] = [
                {"metrics": ensemble_metrics(p, b, shared)} for p, b in pairs]
    text = table({v: [p["metrics"] for p in payloads] for v, payloads in runs.items()})
    print(text)
    if args.log:
        import mlflow

        if args.tracking_uri:
            mlflow.set_tracking_uri(args.tracking_uri)
        if mlflow.get_experiment_by_name("stance-ablation") is None:  # artifacts beside the store, as for every run
            store = Path(args.tracking_uri.removeprefix("sqlite:///")) if args.tracking_uri else Path("experiments/x")
            mlflow.create_experiment("stance-ablation", artifact_location=(store.parent / "mlartifacts").resolve().as_uri())
        mlflow.set_experiment("stance-ablation")
        with mlflow.start_run(run_name="ablation-transformer-real-text"):
            mlflow.log_text(text, "ablation.md")
            mlflow.set_tag("mlflow.note.content", "What lifts the Maduro/Guaidó transformer on real text:\n\n" + text)


if __name__ == "__main__":
    main()

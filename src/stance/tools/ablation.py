"""The ablation table: what lifts the Maduro/Guaidó transformer on real text, over training seeds.

    make ablation                         # trains every variant x seed (long: see README)
    python -m stance.tools.ablation experiments/ablation [--log]

Reads `<folder>/<variant>/seed<k>.json` (stance-train metrics files) and prints, per variant, the
mean and spread over seeds of validation F_avg (what chooses the default), the real seed
sentences' F_avg (reported, never used to choose) with the mean of its article-bootstrap
interval, the synthetic test F_avg, and training time. `--log` also logs the table to MLflow.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

COLUMNS = [("val/f_avg", "val F_avg (chooses)"), ("test_seeds/f_avg", "test_seeds F_avg (real)"),
           ("test/f_avg", "test F_avg (synthetic)"), ("train/seconds", "train s")]


def load_runs(folder: Path) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {}
    for path in sorted(folder.glob("*/seed*.json")):
        runs.setdefault(path.parent.name, []).append(json.loads(path.read_text())["metrics"])
    if not runs:
        raise SystemExit(f"{folder}: no <variant>/seed<k>.json metrics files (run `make ablation`)")
    return runs


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
    parser.add_argument("--log", action="store_true", help="log the table to MLflow (experiment stance-ablation)")
    parser.add_argument("--tracking-uri", default=None)
    args = parser.parse_args(argv)
    text = table(load_runs(args.folder))
    print(text)
    if args.log:
        import mlflow

        if args.tracking_uri:
            mlflow.set_tracking_uri(args.tracking_uri)
        mlflow.set_experiment("stance-ablation")
        with mlflow.start_run(run_name="ablation-transformer-real-text"):
            mlflow.log_text(text, "ablation.md")
            mlflow.set_tag("mlflow.note.content", "What lifts the Maduro/Guaidó transformer on real text:\n\n" + text)


if __name__ == "__main__":
    main()

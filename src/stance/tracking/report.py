"""The comparison of finished runs: the side-by-side table `evaluate` writes, and its printout
with the UI hint.

    stance-report [experiments/comparison.json] [--link] [--port 5000]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from stance.errors import InputError
from stance.tracking.runs import VIEW_KEY


def load_metrics(files) -> list[dict]:
    """Each model's metrics file, written by `stance-train`."""
    out = []
    for path in files:
        path = Path(path)
        if not path.exists():
            raise InputError(path, "metrics file not found: run `stance-train` for this model first")
        try:
            result = json.loads(path.read_text())
            if not isinstance(result.get("metrics"), dict) or "model" not in result:
                raise ValueError("no `model` and `metrics`")
        except (ValueError, AttributeError) as exc:
            raise InputError(path, f"not a metrics file written by stance-train ({exc}); rerun stance-train") from exc
        out.append(result)
    if not out:
        raise InputError("models", "give at least one model to compare (models=[logreg,transformer])")
    return out


def comparison_table(results: list[dict], targets: list[str]) -> pd.DataFrame:
    """One row per model: F_avg per target and mean, macro-F1, per split, plus timings."""
    rows = []
    for res in results:
        m = res["metrics"]
        splits = sorted({k.split("/")[0] for k in m if k.endswith("/f_avg") and k.count("/") == 1})
        row = {"model": res["model"]}
        for split in splits:
            row[f"{split} F_avg"] = m.get(f"{split}/f_avg")
            if f"{split}/f_avg_ci_low" in m:  # bootstrap 95% interval: how much a small test set can tell
                row[f"{split} 95% CI"] = f"{m[f'{split}/f_avg_ci_low']:.2f}-{m[f'{split}/f_avg_ci_high']:.2f}"
            row |= {f"{split} {t}": m.get(f"{split}/{t}/f_avg") for t in targets}
            row[f"{split} macroF1"] = m.get(f"{split}/macro_f1")
        row["train s"] = m.get("train/seconds")
        row["sent/s"] = m.get("predict/sentences_per_s")
        row["run"] = (res.get("run_id") or "-")[:8]
        rows.append(row)
    return pd.DataFrame(rows)


def render(table: pd.DataFrame) -> str:
    return table.to_string(index=False, float_format=lambda v: f"{v:.3f}" if abs(v) < 100 else f"{v:.0f}")


def ui_path(experiment_id: str) -> str:
    """The UI route that opens an experiment's runs table in "Model training" mode (MLflow 3's
    UI starts in GenAI mode otherwise), with the reviewer's columns (tracking/runs.py VIEW_KEY)."""
    # The runs route itself: the experiment route redirects there and drops the share key.
    return f"/#/experiments/{experiment_id}/runs?workflowType=machine_learning&viewStateShareKey={VIEW_KEY}"


def ui_link(data: dict, port: int = 5000) -> str | None:
    return f"http://127.0.0.1:{port}{data['ui_path']}" if data.get("ui_path") else None


def show(path: str | Path, port: int = 5000) -> str:
    data = json.loads(Path(path).read_text())
    lines = ["", data["text"], ""] + [f"champion: {m}" for m in data["champion"]]
    if data.get("experiment"):
        link = ui_link(data, port) or f"http://127.0.0.1:{port}"
        lines += ["", f"Compare the runs in the MLflow UI: `make ui`, then open {link}",
                  f"(experiment '{data['experiment']}', runs table in Model training mode)"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print the comparison `make run` wrote, or the UI link.")
    parser.add_argument("path", nargs="?", default="experiments/comparison.json")
    parser.add_argument("--link", action="store_true", help="print only the link that opens the runs table")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.exists():
        sys.exit(f"error: {path}: no comparison yet; run `make run` first")
    if args.link:
        print(ui_link(json.loads(path.read_text()), args.port) or f"http://127.0.0.1:{args.port}")
    else:
        print(show(path, args.port))


if __name__ == "__main__":
    main()

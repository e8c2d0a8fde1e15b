"""Print the comparison of the finished runs (written by the evaluate stage) and the UI hint.

    python -m stance.report [experiments/comparison.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def show(path: str | Path) -> str:
    data = json.loads(Path(path).read_text())
    lines = ["", data["text"], ""] + [f"champion: {m}" for m in data["champion"]]
    if data.get("experiment"):
        lines += ["", f"Compare the runs in the MLflow UI: make ui, then open http://127.0.0.1:5000 "
                      f"(experiment '{data['experiment']}')"]
    return "\n".join(lines)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "experiments/comparison.json")
    if not path.exists():
        sys.exit(f"error: {path}: no comparison yet; run `make run` first")
    print(show(path))


if __name__ == "__main__":
    main()

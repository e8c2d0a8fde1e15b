"""What a reviewer sees: `mlflow server` over a finished tiny run (both models), its REST API, and
the link `make ui` prints opened in headless Chromium. The runs table must list both runs with
their description, dataset and headline metric, with no clicks."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser

import pytest

from conftest import run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium for the browser check: "
                                 "`apt-get install -y chromium` (.ci/run installs it)")]


class RunsTable(HTMLParser):
    """The runs grid as the browser rendered it: {row index: {column id: cell text}}."""

    VOID = {"br", "img", "input", "hr", "meta", "link", "path", "circle", "rect", "line", "polyline"}

    def __init__(self, dom: str):
        super().__init__()
        self.stack: list[dict] = []
        self.rows: dict[str, dict[str, str]] = {}
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        row = next((a["aria-rowindex"] for a in reversed(self.stack) if a.get("role") == "row"), None)
        col = next((a["col-id"] for a in reversed(self.stack) if a.get("role") == "gridcell"), None)
        if row and col and data.strip():
            cells = self.rows.setdefault(row, {})
            cells[col] = cells.get(col, "") + data.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(transformer_root, tmp_path_factory):
    """The tiny project after `make run` (both models trained and evaluated), served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("ui") / "proj"
    shutil.copytree(transformer_root, root)
    run_cli("evaluate", root=root)
    port = free_port()
    store = root / "experiments"
    proc = subprocess.Popen([sys.executable, "-m", "mlflow", "server", "--backend-store-uri",
                             f"sqlite:///{store}/mlflow.db", "--default-artifact-root", f"file://{store}/mlartifacts",
                             "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/health", timeout=2)
            break
        except OSError:
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            time.sleep(1)
    try:
        yield root, port, base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_rest_api_shows_kind_descriptions_and_datasets(server):
    _, _, base = server
    experiment = api(base, "/api/2.0/mlflow/experiments/get-by-name?experiment_name=stance-synthetic")["experiment"]
    tags = {t["key"]: t["value"] for t in experiment["tags"]}
    assert tags["mlflow.experimentKind"] == "custom_model_development"
    runs = api(base, "/api/2.0/mlflow/runs/search", {"experiment_ids": [experiment["experiment_id"]]})["runs"]
    assert {r["info"]["run_name"].split("-")[0] for r in runs} == {"logreg", "transformer"}
    for run in runs:
        run_tags = {t["key"]: t["value"] for t in run["data"]["tags"]}
        assert run_tags["mlflow.note.content"].startswith(f"**{run_tags['model.kind']}** trained on **synthetic**")
        assert {d["dataset"]["name"] for d in run["inputs"]["dataset_inputs"]} >= {"synthetic-train", "synthetic-val"}


def test_the_link_make_ui_prints_opens_the_runs_table_with_the_headline_metric(server, tmp_path):
    root, port, base = server
    link = subprocess.run([sys.executable, "-m", "stance.tracking.report", "--link", "--port", str(port),
                           str(root / "experiments" / "comparison.json")], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert link.startswith(f"{base}/#/experiments/") and "workflowType=machine_learning" in link
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                          f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1600,1000",
                          "--virtual-time-budget=30000", "--dump-dom", link],
                         capture_output=True, text=True, timeout=180).stdout
    experiment = api(base, "/api/2.0/mlflow/experiments/get-by-name?experiment_name=stance-synthetic")["experiment"]
    runs = api(base, "/api/2.0/mlflow/runs/search", {"experiment_ids": [experiment["experiment_id"]]})["runs"]
    table = RunsTable(dom).rows
    name_cell = "attributes.`Run Name`"  # its text starts with the run's colour swatch
    for run in runs:
        metrics = {m["key"]: m["value"] for m in run["data"]["metrics"]}
        (cells,) = [c for c in table.values() if c.get(name_cell, "").endswith(run["info"]["run_name"])]  # listed
        assert float(cells["metrics.`test_seeds/f_avg`"]) == pytest.approx(metrics["test_seeds/f_avg"])
        assert float(cells["metrics.`test/f_avg`"]) == pytest.approx(metrics["test/f_avg"])
        assert float(cells["metrics.`test_news_style/f_avg`"]) == pytest.approx(metrics["test_news_style/f_avg"])
        assert cells["attributes.`Description`"].startswith(f"**{run['info']['run_name'].split('-')[0]}** trained on")

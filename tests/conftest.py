"""Tiny projects on disk: a few seed-style articles, their gold labels, a small labelled
synthetic corpus. Commands run against them through STANCE_ROOT, as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
import sys
from pathlib import Path

import pytest

from stance.data.ids import sentence_id
from stance.data.text import article_sentences

ARTICLES = {
    "a1": "Kremlin backs Caracas\n\nMOSCOW, May 2. /TASS/. Russia voiced support for Maduro on Tuesday. "
          "The U.S. recognized Guaido as interim president. Oil prices rose.\n\n- Advertisement -\n",
    "a2": "Pressure mounts\n\nWashington imposed new sanctions on the Maduro regime. Gen. Padrino stayed loyal to Maduro. "
          "Officials called Guaido a puppet of Washington.\n\nSubscribe to our newsletter\n",
    "a3": "Talks in Oslo\n\nDelegates met in Oslo for a second round. The self-proclaimed president Guaido "
          "spoke to supporters. Cuba praised Maduro for his resistance.\n",
}
FAVOR, AGAINST, NONE = "FAVOR", "AGAINST", "NONE"
# Labels of the fixture articles by sentence text (guidelines applied by hand).
ARTICLE_LABELS = {
    "Russia voiced support for Maduro on Tuesday.": (FAVOR, NONE),
    "The U.S. recognized Guaido as interim president.": (NONE, FAVOR),
    "Washington imposed new sanctions on the Maduro regime.": (AGAINST, NONE),
    "Gen. Padrino stayed loyal to Maduro.": (FAVOR, NONE),
    "Officials called Guaido a puppet of Washington.": (NONE, AGAINST),
    "The self-proclaimed president Guaido spoke to supporters.": (NONE, AGAINST),
    "Cuba praised Maduro for his resistance.": (FAVOR, NONE),
}

ACTORS = ["Russia", "Cuba", "China", "Iran", "Bolivia", "Turkey", "Nicaragua", "Syria"]
RIVALS = ["Washington", "Brazil", "Canada", "Colombia", "Peru", "Chile", "Panama", "Spain"]
TEMPLATES = [
    ("{a} voiced strong support for Maduro in {y}.", FAVOR, NONE),
    ("{r} imposed sanctions on the Maduro regime in {y}.", AGAINST, NONE),
    ("{r} recognized Guaido as interim president in {y}.", NONE, FAVOR),
    ("{a} dismissed Guaido as a puppet of Washington in {y}.", NONE, AGAINST),
    ("Oil exports from {a} fell sharply in {y}.", NONE, NONE),
    ("{r} demanded that the dictator Maduro step down in {y}, praising the legitimate president Guaido.",
     AGAINST, FAVOR),
]


def synthetic_rows(n_articles: int = 8, prefix: str = "syn-test", style: str = "test_wire") -> list[dict]:
    rows = []
    for i in range(n_articles):
        art = f"{prefix}-{i:02d}"
        for j, (tpl, m, g) in enumerate(TEMPLATES):
            text = tpl.format(a=ACTORS[(i + j) % len(ACTORS)], r=RIVALS[(i * 3 + j) % len(RIVALS)], y=2015 + i)
            rows.append({"article_id": art, "sentence_id": sentence_id(art, j, text), "text": text,
                         "labels": {"maduro": m, "guaido": g}, "style": style})
    return rows


def write_jsonl(path: Path, rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def gold_rows() -> list[dict]:
    rows = []
    for art, text in ARTICLES.items():
        for s in article_sentences(art, text):
            m, g = ARTICLE_LABELS.get(s.text, (NONE, NONE))
            rows.append({"article_id": art, "sentence_id": s.sentence_id, "text": s.text,
                         "labels": {"maduro": m, "guaido": g}})
    return rows


def make_project(root: Path) -> Path:
    """A project root with seeds/, data/annotations/, data/synthetic/, data/news_style/ and
    data/news_hard/ (configs come from the package)."""
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    for art, text in ARTICLES.items():
        (root / "seeds" / f"{art}.txt").write_text(text, encoding="utf-8")
    write_jsonl(root / "data" / "annotations" / "seeds.jsonl", gold_rows())
    write_jsonl(root / "data" / "synthetic" / "test.jsonl", synthetic_rows())
    write_jsonl(root / "data" / "news_style" / "test.jsonl", synthetic_rows(6, "syn-news-test", "test_news"))
    write_jsonl(root / "data" / "news_hard" / "test.jsonl", synthetic_rows(6, "syn-hard-test", "test_hard"))
    return root


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "proj")


# Command name -> module, as `python -m` runs it (the console scripts point at the same mains).
MODULES = {"prepare": "stages.prepare", "label": "stages.label", "rules_report": "stages.rules_report",
           "split": "stages.split", "train": "stages.train", "evaluate": "stages.evaluate",
           "predict": "predict", "bench": "tools.bench", "data": "stages.fetch",
           "compare": "stages.compare"}


def run_cli(command: str, *args: str, root: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run the command (`python -m stance.<module> args...`) against the project at `root`."""
    module = MODULES[command]
    env = {**os.environ, "STANCE_ROOT": str(root), "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", f"stance.{module}", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"stance.{module} {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc


def toy_sentences(n_articles=12, per_article=5):
    """A sentence table of `n_articles` articles; article a00 is a seed, the rest synthetic."""
    import pandas as pd

    rows = [{"article_id": f"a{i:02d}", "sentence_id": f"a{i:02d}:{j}", "text": f"text {i} {j}",
             "source": "synthetic" if i else "seeds"} for i in range(n_articles) for j in range(per_article)]
    return pd.DataFrame(rows)


def error_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith("error:")]


def build_pipeline(root: Path, *trainings: list[str], evaluate: list[str] | None = None) -> Path:
    """prepare, label, split, then one `train` per argument list, then `evaluate` if given."""
    for args in [["prepare"], ["label"], ["split"], *(["train", *t] for t in trainings)]:
        run_cli(args[0], *args[1:], root=root)
    if evaluate is not None:
        run_cli("evaluate", *evaluate, root=root)
    return root


def project_copy(built: Path, dest: Path) -> Path:
    """A private copy of a built tiny project (stage tables, exported models, metrics) without its
    MLflow store: a test that trains, evaluates or sweeps starts from here, not from `prepare`."""
    shutil.copytree(built, dest, ignore=shutil.ignore_patterns("mlflow.db", "mlartifacts"))
    return dest


@pytest.fixture(scope="session")
def pipeline_root(tmp_path_factory) -> Path:
    """The whole pipeline run once on the tiny project (logreg). Read it, never change it: a test
    that trains, evaluates or sweeps works on its own `project_copy`."""
    root = make_project(tmp_path_factory.mktemp("pipe") / "proj")
    return build_pipeline(root, ["export_dir=experiments/models/logreg"], evaluate=["models=[logreg]"])


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory) -> Path:
    """A tiny random BERT checkpoint whose vocabulary covers the fixture texts."""
    from tiny_bert import build_tiny_bert

    texts = [r["text"] for r in synthetic_rows()] + ["Maduro Guaido Cuba praised Russia voiced support for"]
    return build_tiny_bert(tmp_path_factory.mktemp("bert") / "tiny", texts)


@pytest.fixture(scope="session")
def transformer_root(tmp_path_factory, tiny_bert) -> Path:
    """The tiny project with both models trained, logged and exported (the transformer on the tiny
    BERT, one epoch). Read-only, like pipeline_root."""
    root = make_project(tmp_path_factory.mktemp("pipe-tf") / "proj")
    return build_pipeline(root, ["export_dir=experiments/models/logreg"],
                          ["model=transformer", f"model.pretrained={tiny_bert}", "model.epochs=1",
                           "model.batch_size=32", "model.progress=false", "export_dir=experiments/models/transformer"])


def pickled_files(folder: Path) -> list[str]:
    """Files that are pickles, or zip archives (torch.save) holding one."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        is_pickle = data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05") and data.endswith(b".")
        if path.suffix in (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".bin") or is_pickle:
            found.append(str(path.relative_to(folder)))
        elif zipfile.is_zipfile(path) and any(n.endswith(".pkl") for n in zipfile.ZipFile(path).namelist()):
            found.append(str(path.relative_to(folder)))
    return found

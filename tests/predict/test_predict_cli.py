"""stance-predict on the tiny project's models: the output contract, the champion alias, sentences
mode from an exported model, unreadable files skipped and counted."""

import json

import pandas as pd
import pytest

from conftest import run_cli
from stance.schema import PREDICT_COLUMNS as OUTPUT_COLUMNS

pytestmark = pytest.mark.slow  # each test starts stance-predict (about 6 s of imports)


def test_predict_articles_default_champion(pipeline_root, tmp_path):
    out = tmp_path / "scores.jsonl"
    run_cli("predict", f"input={pipeline_root}/seeds", f"output={out}", root=pipeline_root)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    sentences = pd.read_parquet(pipeline_root / "data" / "interim" / "synthetic" / "sentences.parquet")
    n_seed_sentences = (sentences.source == "seeds").sum()
    assert len(rows) == 2 * n_seed_sentences
    assert list(rows[0]) == OUTPUT_COLUMNS
    assert OUTPUT_COLUMNS[:8] == ["article_id", "sentence_id", "text", "target", "label", "p_favor", "p_against",
                                  "p_none"]  # the contract other tools rely on
    assert {r["model"] for r in rows} == {"models:/stance/1"}  # the alias resolved to its version
    assert {r["label"] for r in rows} <= {"FAVOR", "AGAINST", "NONE"}
    assert {(r["sentence_id"], r["target"]) for r in rows} == {
        (s, t) for s in sentences[sentences.source == "seeds"].sentence_id for t in ("maduro", "guaido")}
    assert all(abs(r["p_favor"] + r["p_against"] + r["p_none"] - 1) < 1e-6 for r in rows)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_predict_sentences_mode_from_export_dir(pipeline_root, tmp_path, suffix):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "s1", "text": "Russia voiced support for Maduro."}) + "\n"
                   + json.dumps({"id": "s2", "text": "Brazil recognized Guaido.", "target": "guaido"}) + "\n")
    out = tmp_path / f"scores{suffix}"
    run_cli("predict", f"model={pipeline_root}/experiments/models/logreg", f"input={src}",
            "input_format=sentences", f"output={out}", root=pipeline_root)
    df = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert list(df.columns) == OUTPUT_COLUMNS
    assert list(zip(df.sentence_id, df.target)) == [("s1", "guaido"), ("s1", "maduro"), ("s2", "guaido")]


def test_predict_skips_unreadable_file_in_a_directory(pipeline_root, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Title\n\nCuba praised Maduro.\n")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "o.jsonl"
    proc = run_cli("predict", f"input={folder}", f"output={out}", root=pipeline_root)
    assert "bad.txt: binary file" in proc.stderr and "1 skipped" in proc.stderr
    assert len(out.read_text().splitlines()) == 4  # 2 sentences x 2 targets

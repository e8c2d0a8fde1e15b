"""Batch scoring: streaming in chunks, resume after a crash, engines and backends agree,
article summaries, and the bad inputs of batch use."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from conftest import error_lines, run_cli
from stance.predict.engines import LocalEngine, ScoringJob, chunks
from stance.predict.inputs import InputStream
from stance.predict.resume import PartStore
from stance.predict.summary import overall_stance, summarise
from stance.schema import PREDICT_COLUMNS

TARGETS = ["guaido", "maduro"]


class FakeModel:
    """Scores by keyword; counts calls; can crash after `crash_after` chunks."""

    def __init__(self, crash_after=None):
        self.calls, self.crash_after = 0, crash_after

    def predict(self, frame):
        self.calls += 1
        if self.crash_after is not None and self.calls > self.crash_after:
            raise KeyboardInterrupt("simulated Ctrl-C")
        favor = frame.text.str.contains("support").to_numpy(float)
        return pd.DataFrame({"text": frame.text, "target": frame.target, "label": np.where(favor, "FAVOR", "NONE"),
                             "p_favor": favor, "p_against": 0.0, "p_none": 1 - favor, "truncated": False})


class Quiet:
    def update(self, *_):
        pass


def run_local(model, stream, store, targets, label, chunk_size, progress):
    LocalEngine().run(ScoringJob(model, "fake-uri", {}, label, targets, stream, store, chunk_size, progress))


def sentence_file(tmp_path, n):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"s{i:04d}", "text": f"sentence {i} of support" if i % 3 == 0
                                        else f"sentence {i}"}) + "\n" for i in range(n)))
    return path


def test_chunks_consume_a_generator_lazily():
    consumed = []

    def gen():
        for i in range(10**9):  # far larger than memory if materialised
            consumed.append(i)
            yield {"i": i}

    first = next(iter(chunks(gen(), 5)))
    assert [r["i"] for r in first] == [0, 1, 2, 3, 4] and len(consumed) == 5


def test_stream_is_scored_in_chunks_and_kept_in_order(tmp_path):
    src, out = sentence_file(tmp_path, 25), tmp_path / "out.jsonl"
    store = PartStore(out, "k")
    model = FakeModel()
    run_local(model, InputStream(str(src), "sentences"), store, TARGETS, "fake", 4, Quiet())
    assert model.calls == 7 and len(store.parts()) == 7
    assert not out.exists()  # nothing under the final name until the run completes
    assert store.finish() == 50
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["sentence_id"], r["target"]) for r in rows] == [(f"s{i:04d}", t) for i in range(25) for t in TARGETS]
    assert list(rows[0]) == PREDICT_COLUMNS


def test_resume_after_a_crash_scores_each_sentence_exactly_once(tmp_path):
    src, out = sentence_file(tmp_path, 30), tmp_path / "out.parquet"
    with pytest.raises(KeyboardInterrupt):
        run_local(FakeModel(crash_after=3), InputStream(str(src), "sentences"), PartStore(out, "same"),
                  TARGETS, "fake", 4, Quiet())
    assert not out.exists()
    store = PartStore(out, "same")
    assert store.done_sentences == 12
    second = FakeModel()
    run_local(second, InputStream(str(src), "sentences"), store, TARGETS, "fake", 4, Quiet())
    assert second.calls == 5  # only the 18 sentences left
    store.finish()
    df = pd.read_parquet(out)
    assert len(df) == 60 and not df.duplicated(["sentence_id", "target"]).any()
    assert df.sentence_id.tolist()[::2] == [f"s{i:04d}" for i in range(30)]


def test_parts_of_another_command_are_discarded(tmp_path):
    out = tmp_path / "o.jsonl"
    PartStore(out, "one").add(pd.DataFrame({"a": [1]}), 1)
    assert PartStore(out, "two").done_sentences == 0


def test_overall_stance_rule():
    assert overall_stance(0, 0) == "NONE"
    assert overall_stance(2, 1) == "FAVOR"
    assert overall_stance(1, 1) == "MIXED"
    assert overall_stance(0, 3) == "AGAINST"
    assert overall_stance(1, 0, min_stance_sentences=2) == "NONE"


def test_summary_counts_shares_and_means():
    scores = pd.DataFrame({"article_id": ["a"] * 4, "target": ["maduro"] * 4,
                           "label": ["FAVOR", "FAVOR", "AGAINST", "NONE"],
                           "p_favor": [0.8, 0.6, 0.1, 0.1], "p_against": [0.1, 0.2, 0.8, 0.1],
                           "p_none": [0.1, 0.2, 0.1, 0.8]})
    row = summarise(scores).iloc[0]
    assert (row.n_favor, row.n_against, row.n_none, row.n_sentences) == (2, 1, 1, 4)
    assert row.share_favor == 0.5 and row.mean_p_favor == pytest.approx(0.4)
    assert row.overall == "FAVOR"


@pytest.mark.slow
def test_cli_summary_and_empty_input(pipeline_root, tmp_path):
    out, summary = tmp_path / "o.csv", tmp_path / "summary.csv"
    run_cli("predict", f"input={pipeline_root}/seeds", f"output={out}", f"summary={summary}", "quiet=true",
            root=pipeline_root)
    table = pd.read_csv(summary)
    assert len(table) == 3 * 2  # 3 articles x 2 targets
    scores = pd.read_csv(out)
    assert table.n_sentences.sum() == len(scores)
    assert set(table.overall) <= {"FAVOR", "AGAINST", "NONE", "MIXED"}
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    proc = run_cli("predict", f"input={empty}", f"output={tmp_path}/x.jsonl", root=pipeline_root, check=False)
    assert proc.returncode == 2 and error_lines(proc) == [f"error: {empty}: file is empty"]
    assert not list(tmp_path.glob(".x.jsonl*"))  # no parts left behind


KEY = ["article_id", "sentence_id", "target"]
PROBA = ["p_favor", "p_against", "p_none"]


def same_scores(local, dataset, atol):
    """The local engine's file and Spark's Parquet dataset hold the same rows, labels and
    probabilities (within `atol`)."""
    a = (pd.read_json(local, lines=True, dtype=False) if str(local).endswith(".jsonl") else pd.read_parquet(local))
    b = pd.read_parquet(dataset).drop(columns="batch")
    a, b = (t.sort_values(KEY).reset_index(drop=True)[PREDICT_COLUMNS] for t in (a, b))
    pd.testing.assert_frame_equal(a.drop(columns=PROBA), b.drop(columns=PROBA))
    assert np.allclose(a[PROBA], b[PROBA], atol=atol)


@pytest.mark.slow
def test_spark_engine_reads_segments_scores_and_writes_like_local(pipeline_root, tmp_path):
    """Spark reads the article files itself, segments them in the executors, skips a bad file
    found in the folder (as the local engine does), writes a dataset partitioned by batch, and a
    rerun rewrites only the batch that is missing."""
    pytest.importorskip("pyspark")
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted((pipeline_root / "seeds").glob("*.txt")):
        (folder / path.name).write_text(path.read_text())
    (folder / "zz_bad.jsonl").write_text('{"id": 1, "text": "fine"}\nnot json\n')
    model = f"model={pipeline_root}/experiments/models/logreg"
    local, dataset = tmp_path / "local.parquet", tmp_path / "spark.parquet"
    run_cli("predict", model, f"input={folder}", f"output={local}", "quiet=true", root=pipeline_root)
    proc = run_cli("predict", model, f"input={folder}", f"output={dataset}", "engine=spark",
                   "engine.files_per_batch=2", root=pipeline_root)
    assert f"warning: skipped {folder}/zz_bad.jsonl:2: invalid JSON" in proc.stderr
    same_scores(local, dataset, atol=1e-9)
    batches = sorted(p.name for p in dataset.glob("batch=*"))
    assert len(batches) == 2  # 3 articles and the bad file, 2 per batch
    shutil.rmtree(dataset / batches[0])  # as if the run had been killed before that commit
    kept = {p.name: p.stat().st_mtime_ns for p in (dataset / batches[1]).glob("*.parquet")}
    run_cli("predict", model, f"input={folder}", f"output={dataset}", "engine=spark", "engine.files_per_batch=2",
            root=pipeline_root)
    assert {p.name: p.stat().st_mtime_ns for p in (dataset / batches[1]).glob("*.parquet")} == kept
    same_scores(local, dataset, atol=1e-9)


@pytest.mark.slow
def test_spark_engine_scores_sentences_with_the_transformer(transformer_root, tmp_path):
    """Sentences mode with the exported transformer (fp32 ONNX: dynamic int8 quantises each batch
    with its own scale, so its probabilities depend on the batch neighbours; labels do not move)."""
    pytest.importorskip("pyspark")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{i}", "text": t, **({"target": "maduro"} if i % 2 else {})}) + "\n"
                           for i, t in enumerate(["Cuba praised Maduro.", "Russia voiced support for Guaido.",
                                                  "Maduro Guaido Cuba praised Russia", "support for"])))
    model = f"model={transformer_root}/experiments/models/transformer"
    local, dataset = tmp_path / "local.jsonl", tmp_path / "spark.parquet"
    for out, engine in ((local, "engine=local"), (dataset, "engine=spark")):
        run_cli("predict", model, f"input={src}", "input_format=sentences", f"output={out}", "backend=onnx-fp32",
                engine, "quiet=true", root=transformer_root)
    same_scores(local, dataset, atol=1e-3)

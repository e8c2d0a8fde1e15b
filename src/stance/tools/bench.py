"""`make bench`: batch-scoring speed, memory and quality on the models `make run` exports.

Unit: one sentence scored for every target. On the same N distinct sentences and thread count:
- the fair baseline, a `transformers.pipeline("text-classification")` over the same encoder
  weights, called on the list in batches of 64 with truncation, as its documentation shows;
- stance-predict's model in process with each backend (torch fp32, ONNX fp32, ONNX int8; torch
  bf16 only on a CPU with native bf16), int8 also on one thread;
- the CLI end to end (cold process, the default backend) on N and on 20,000 sentences: wall
  time, time to the first scored part, peak RSS, and peak RSS on 10N; and with engine=spark on N
  (local[2]: Spark's start-up included);
- start-up: a 10-sentence input, cold process to finished output file (median of 5);
- each backend's label agreement and F_avg change against torch fp32 on `val` and `test`
  (`test_seeds` reported, never used to choose anything);
- the TF-IDF + LR model in process on 10N sentences.
Writes experiments/bench/predict.json and prints a table.

    python -m stance.tools.bench [--n 3000] [--large 20000] [--models experiments/models]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pandas as pd

from stance.config import find_root
from stance.serving.transformer import native_bf16
from stance.tools.bench_cli import cli_run

BACKENDS = ["torch", "onnx-fp32", "onnx-int8"]


def artifact_dir(model_dir: Path) -> Path:
    """The stance estimator's folder inside an exported MLflow model."""
    return next((model_dir / "artifacts").glob("*/meta.json")).parent


def corpus_sentences(root: Path, n: int) -> list[str]:
    """N distinct sentences: the synthetic corpus and seed gold, cycled with a numbered prefix
    so no two are identical (nothing can be cached or deduplicated)."""
    texts = []
    for path in sorted((root / "data" / "synthetic").glob("*.jsonl")) + [root / "data/annotations/seeds.jsonl"]:
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(f"Report {i // len(texts)}: " if i >= len(texts) else "") + texts[i % len(texts)] for i in range(n)]


def load(model_dir: Path, backend: str, threads: int | None = None):
    from stance.predict.loading import load_model

    return load_model(str(model_dir), model_config={"backend": backend, "num_threads": threads})


def timed_predict(model, texts: list[str]) -> tuple[float, np.ndarray]:
    """Sentences/s of stance-predict's model in process (every target per sentence) and labels."""
    model.predict(pd.DataFrame({"text": texts[:64]}))  # warm-up
    start = time.perf_counter()
    labels = [model.predict(pd.DataFrame({"text": texts[i:i + 2048]}))["label"].to_numpy()
              for i in range(0, len(texts), 2048)]  # stance-predict's chunk size
    return len(texts) / (time.perf_counter() - start), np.concatenate(labels)


def timed_pipeline(model_dir: Path, texts: list[str], batch_size: int = 64) -> float:
    """The fair baseline: a `transformers.pipeline` over the same encoder weights (a fresh 3-way
    head: the same compute, one encoder pass per sentence), called on the whole list in batches
    of 64 with truncation, as its documentation shows for a dataset."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    encoder = artifact_dir(model_dir) / "encoder"
    clf = pipeline("text-classification", model=AutoModelForSequenceClassification.from_pretrained(encoder, num_labels=3),
                   tokenizer=AutoTokenizer.from_pretrained(encoder), device=-1)
    clf(texts[:8], batch_size=batch_size, truncation=True)
    start = time.perf_counter()
    clf(texts, batch_size=batch_size, truncation=True)
    return len(texts) / (time.perf_counter() - start)


def quality(root: Path, models: dict) -> dict:
    """Per backend and split: F_avg, and agreement and F_avg change against torch fp32."""
    from stance.evaluation.metrics import split_metrics

    splits = pd.read_parquet(root / "data/processed/synthetic/splits.parquet")
    out = {}
    for split in ("val", "test", "test_seeds"):
        rows = splits[splits.split == split]
        preds = {name: m.predict(rows[["text", "target"]])["label"].to_numpy() for name, m in models.items()}
        for name, pred in preds.items():
            f_avg = split_metrics(rows.assign(pred=pred), split)[f"{split}/f_avg"]
            out[f"{split}/{name}/f_avg"] = f_avg
            if name != "torch":
                out[f"{split}/{name}/agreement"] = float(np.mean(pred == preds["torch"]))
                out[f"{split}/{name}/f_avg_change"] = f_avg - out[f"{split}/torch/f_avg"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--models", default=None, help="folder holding logreg/ and transformer/ MLflow models")
    parser.add_argument("--out", default=None)
    parser.add_argument("--starts", type=int, default=5, help="cold starts timed (the median is reported)")
    parser.add_argument("--no-spark", action="store_true", help="skip the engine=spark run (JVM start-up)")
    args = parser.parse_args()
    root = Path(find_root())
    models = Path(args.models) if args.models else root / "experiments" / "models"
    transformer, logreg = models / "transformer", models / "logreg"
    for needed in (transformer, logreg):
        if not (needed / "MLmodel").exists():
            sys.exit(f"error: {needed}: no exported model; run `make run` first")
    texts = corpus_sentences(root, args.n)
    threads = os.cpu_count()
    backends = BACKENDS + (["torch-bf16"] if native_bf16() else [])
    r = {"n_sentences": len(texts), "cpu_threads": threads, "native_bf16": native_bf16()}
    print(f"benchmarking on {len(texts)} sentences, {threads} CPU threads", file=sys.stderr)
    # Cold processes first, while this one holds no model (no idle thread pools beside them).
    with tempfile.TemporaryDirectory() as tmp:
        starts = [cli_run(transformer, texts[:10], Path(tmp))["wall_s"] for _ in range(args.starts)]
        small = cli_run(transformer, texts, Path(tmp))
        large = cli_run(transformer, corpus_sentences(root, args.large), Path(tmp))
        tenfold = cli_run(transformer, corpus_sentences(root, 10 * args.n), Path(tmp))
        with_spark = find_spec("pyspark") and not args.no_spark
        spark = cli_run(transformer, texts, Path(tmp), "engine=spark") if with_spark else None
    r["pipeline_batched_sent_per_s"] = timed_pipeline(transformer, texts)
    loaded = {b: load(transformer, b) for b in backends}
    for backend, model in loaded.items():
        r[f"{backend}_sent_per_s"], _ = timed_predict(model, texts)
    r["onnx-int8_1_thread_sent_per_s"], _ = timed_predict(load(transformer, "onnx-int8", 1), texts)
    r.update(quality(root, loaded))
    r["logreg_sent_per_s"], _ = timed_predict(load(logreg, "auto"), corpus_sentences(root, 10 * args.n))
    r["cli_sent_per_s_small"], r["cli_sent_per_s_large"] = small["sent_per_s"], large["sent_per_s"]
    r["cli_first_part_s_large"], r["n_large"] = large["first_part_s"], args.large
    r["peak_rss_mb_small"], r["peak_rss_mb_10x"] = small["peak_rss_mb"], tenfold["peak_rss_mb"]
    r["startup_10_sentences_s_median"] = statistics.median(starts)
    if spark:  # the same N sentences, scored and written by Spark on engine.master (local[2])
        r["spark_cli_sent_per_s_small"] = spark["sent_per_s"]
    base = r["pipeline_batched_sent_per_s"]
    r["speedup_in_process_int8_vs_pipeline"] = r["onnx-int8_sent_per_s"] / base
    r["speedup_cli_large_vs_pipeline"] = r["cli_sent_per_s_large"] / base
    r["speedup_torch_vs_pipeline"] = r["torch_sent_per_s"] / base
    r["rss_ratio_10x_vs_small"] = r["peak_rss_mb_10x"] / r["peak_rss_mb_small"]
    out = Path(args.out) if args.out else root / "experiments" / "bench" / "predict.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r, indent=2))
    width = max(len(k) for k in r)
    for key, value in r.items():
        print(f"{key:<{width}}  {value:,.3f}" if isinstance(value, float) else f"{key:<{width}}  {value}")
    print(f"written to {out}")


if __name__ == "__main__":
    main()

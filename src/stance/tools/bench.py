"""`make bench`: batch-scoring speed and memory on the exported models.

On the same exported transformer and the same N unique sentences, times (a) a plain
`transformers.pipeline("text-classification")` over the same encoder weights, called on the list
in batches of 64 (what a user would write instead), (b) stance-predict with torch (fp32 and bf16 autocast), (c) with int8 ONNX;
the int8/torch argmax agreement; peak RSS of a stance-predict process on N and 10xN sentences;
and the TF-IDF+LR model's throughput. Writes experiments/bench/predict.json, prints a table.

    python -m stance.tools.bench [--n 5000] [--models experiments/models]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from stance.config import find_root


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


def timed_predict(model_dir: Path, texts: list[str], backend: str, targets: list[str]) -> tuple[float, np.ndarray]:
    """Sentences/s of the stance pyfunc (each sentence scored for every target) and labels."""
    import mlflow

    model = mlflow.pyfunc.load_model(str(model_dir), model_config={"backend": backend})
    frame = pd.DataFrame({"text": np.repeat(texts, len(targets)), "target": targets * len(texts)})
    model.predict(frame.head(64))  # warm-up
    start = time.perf_counter()
    labels = [model.predict(frame.iloc[i:i + 4096])["label"].to_numpy() for i in range(0, len(frame), 4096)]
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


def peak_rss_mb(model_dir: Path, texts: list[str], tmp: Path) -> float:
    """Peak resident memory of a whole stance-predict process scoring `texts`."""
    import psutil

    src = tmp / f"in-{len(texts)}.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    cmd = [sys.executable, "-m", "stance.predict", f"model={model_dir}", f"input={src}", "input_format=sentences",
           f"output={tmp}/out-{len(texts)}.parquet", "quiet=true"]
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]))
        except psutil.Error:
            pass
        time.sleep(0.05)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.read()[-2000:])
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--models", default=None, help="folder holding logreg/ and transformer/ MLflow models")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    root = Path(find_root())
    models = Path(args.models) if args.models else root / "experiments" / "models"
    transformer, logreg = models / "transformer", models / "logreg"
    for needed in (transformer, logreg):
        if not (needed / "MLmodel").exists():
            sys.exit(f"error: {needed}: no exported model; run `make run` first")
    texts = corpus_sentences(root, args.n)
    targets = json.loads((artifact_dir(transformer) / "meta.json").read_text())["targets"]
    threads = os.cpu_count()
    result = {"n_sentences": len(texts), "cpu_threads": threads, "targets": targets}
    print(f"benchmarking on {len(texts)} sentences x {len(targets)} targets, {threads} CPU threads", file=sys.stderr)
    result["pipeline_batched_sent_per_s"] = timed_pipeline(transformer, texts)
    result["torch_sent_per_s"], torch_labels = timed_predict(transformer, texts, "torch", targets)
    result["torch_bf16_sent_per_s"], bf16_labels = timed_predict(transformer, texts, "torch-bf16", targets)
    result["onnx_int8_sent_per_s"], int8_labels = timed_predict(transformer, texts, "onnx-int8", targets)
    result["onnx_int8_argmax_agreement"] = float(np.mean(int8_labels == torch_labels))
    result["torch_bf16_argmax_agreement"] = float(np.mean(bf16_labels == torch_labels))
    result["logreg_sent_per_s"], _ = timed_predict(logreg, corpus_sentences(root, 10 * args.n), "auto", targets)
    with tempfile.TemporaryDirectory() as tmp:
        result["peak_rss_mb_small"] = peak_rss_mb(transformer, texts, Path(tmp))
        result["peak_rss_mb_large"] = peak_rss_mb(transformer, corpus_sentences(root, 10 * args.n), Path(tmp))
    result["speedup_onnx_int8_vs_pipeline"] = result["onnx_int8_sent_per_s"] / result["pipeline_batched_sent_per_s"]
    result["speedup_torch_vs_pipeline"] = result["torch_sent_per_s"] / result["pipeline_batched_sent_per_s"]
    result["rss_ratio_large_vs_small"] = result["peak_rss_mb_large"] / result["peak_rss_mb_small"]
    out = Path(args.out) if args.out else root / "experiments" / "bench" / "predict.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value:,.3f}" if isinstance(value, float) else f"{key:<{width}}  {value}")
    print(f"written to {out}")


if __name__ == "__main__":
    main()

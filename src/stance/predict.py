"""Batch scoring: articles or sentences in, one row per (sentence, target) out.

    stance-predict [model=URI_OR_DIR] input=PATH output=PATH [input_format=auto|articles|sentences]
                   [backend=auto|torch|onnx] [engine=local|spark] [summary=PATH] [quiet=true]

The model is any MLflow model URI (`models:/stance@champion` by default, `models:/NAME/N`,
`runs:/ID/model`) or a local MLflow model directory, always loaded through one code path.
Input is read lazily and scored in chunks; output appears atomically, and a re-run of an
interrupted command resumes where it stopped.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Iterable, Iterator

import hydra
import pandas as pd
from omegaconf import DictConfig

from stance import config
from stance.errors import InputError, exit_on_input_error
from stance.predict_input import InputStream
from stance.resume import PartStore, fingerprint, skip
from stance.writers import AtomicTableWriter, check_output_path

log = logging.getLogger(__name__)
OUTPUT_COLUMNS = ["article_id", "sentence_id", "text", "target", "label", "p_favor", "p_against", "p_none",
                  "truncated", "model"]


def load_model(uri: str, tracking_uri: str | None = None, model_config: dict | None = None):
    """An MLflow pyfunc from a URI or a local directory; a clear error when it is not there."""
    import mlflow

    is_uri = ":/" in uri
    if not is_uri and not (Path(uri) / "MLmodel").exists():
        raise InputError(uri, "no MLflow model here (expected a directory with an MLmodel file, or a models:/ URI)")
    if is_uri and tracking_uri:
        mlflow.set_tracking_uri(tracking_uri)
        mlflow.set_registry_uri(tracking_uri)
    try:
        return mlflow.pyfunc.load_model(uri, model_config=model_config or None)
    except mlflow.exceptions.MlflowException as exc:
        raise InputError(uri, f"cannot load model ({str(exc).splitlines()[0][:200]})") from exc


def model_label(uri: str) -> str:
    """What the `model` column says: the registry version behind an alias, else the URI."""
    if uri.startswith("models:/") and "@" in uri:
        import mlflow

        name, alias = uri.removeprefix("models:/").split("@", 1)
        try:
            return f"models:/{name}/{mlflow.MlflowClient().get_model_version_by_alias(name, alias).version}"
        except mlflow.exceptions.MlflowException:
            return uri
    return uri


def chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def expand(batch: list[dict], targets: list[str]) -> pd.DataFrame:
    """One row per (sentence, target) in input order; a sentence with a target keeps only it."""
    frame = pd.DataFrame(batch)
    given = frame.target.notna()
    unknown = set(frame.target[given]) - set(targets)
    if unknown:
        raise InputError("input", f"target(s) {sorted(unknown)} unknown to the model (knows {targets})")
    frame["order"] = range(len(frame))
    expanded = pd.concat([frame[given], frame[~given].drop(columns="target").merge(
        pd.DataFrame({"target": targets}), how="cross")], ignore_index=True)
    return expanded.sort_values(["order", "target"], kind="stable").drop(columns="order").reset_index(drop=True)


def score_chunk(model, batch: list[dict], targets: list[str], label: str) -> pd.DataFrame:
    pairs = expand(batch, targets)
    scored = model.predict(pairs[["text", "target"]]).reset_index(drop=True)
    out = pairs[["article_id", "sentence_id"]].join(scored)
    out["model"] = label
    return out[OUTPUT_COLUMNS]


def run_local(model, stream: InputStream, store: PartStore, targets, label, chunk_size, progress) -> None:
    for batch in chunks(skip(stream.sentences(), store.done_sentences), chunk_size):
        store.add(score_chunk(model, batch, targets, label), len(batch))
        progress.update(stream, len(batch))


class Progress:
    """Bytes of input read (for the ETA) and sentences scored per second, on stderr."""

    def __init__(self, total_bytes: int, resumed: int, quiet: bool):
        from tqdm.auto import tqdm

        self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, desc="scoring", disable=quiet,
                        file=sys.stderr, dynamic_ncols=True)
        self.sentences, self.resumed = 0, resumed

    def update(self, stream: InputStream, n: int) -> None:
        self.sentences += n
        self.bar.update(stream.bytes_read - self.bar.n)
        rate = self.sentences / max(self.bar.format_dict["elapsed"], 1e-9)
        self.bar.set_postfix(sentences=self.resumed + self.sentences, sent_per_s=f"{rate:.0f}")

    def close(self):
        self.bar.close()


@hydra.main(version_base="1.3", config_path=f"{config.CONFIG_DIR}/predict", config_name="predict")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    if cfg.input is None or cfg.output is None:
        raise InputError("stance-predict", "give input=PATH and output=PATH")
    output = check_output_path(cfg.output)
    stream = InputStream(cfg.input, cfg.input_format)
    model = load_model(str(cfg.model), cfg.tracking.tracking_uri,
                       {"backend": cfg.backend, "num_threads": cfg.num_threads})
    targets = list(model.metadata.metadata["targets"])
    label = model_label(str(cfg.model))
    key = fingerprint(model=label, files=[(str(p), p.stat().st_size, p.stat().st_mtime) for p in stream.files],
                      input_format=cfg.input_format, chunk=cfg.chunk_size, backend=cfg.backend, engine=cfg.engine)
    store = PartStore(output, key)
    if store.done_sentences:
        print(f"resuming: {store.done_sentences} sentences already scored", file=sys.stderr)
    progress = Progress(stream.total_bytes, store.done_sentences, cfg.quiet)
    try:
        if cfg.engine == "spark":
            from stance.spark_engine import run_spark

            run_spark(cfg, stream, store, targets, label, progress)
        elif cfg.engine == "local":
            run_local(model, stream, store, targets, label, cfg.chunk_size, progress)
        else:
            raise InputError("engine", f"must be local or spark, not {cfg.engine!r}")
    except InputError:
        if not store.parts():
            store.discard()  # bad input before anything was scored: leave nothing behind
        raise
    finally:
        progress.close()
    if not store.parts():
        store.discard()
        raise InputError(cfg.input, "no sentences to score: " + ("; ".join(stream.skipped[:3]) or "empty input"))
    from stance.summary import SummaryBuilder

    summary = SummaryBuilder() if cfg.summary else None
    rows = store.finish(summary.add if summary else None)
    for problem in stream.skipped:
        print(f"warning: skipped {problem}", file=sys.stderr)
    if summary is not None:
        with AtomicTableWriter(check_output_path(cfg.summary)) as writer:
            writer.write(summary.table(cfg.summary_rule.min_stance_sentences, cfg.summary_rule.dominance))
    print(f"wrote {rows} rows to {output} ({len(stream.files) - len(stream.skipped)} files read, "
          f"{len(stream.skipped)} skipped)", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Batch scoring: articles or sentences in, one row per (sentence, target) out.

    stance-predict [model=URI_OR_DIR] input=PATH output=PATH [input_format=auto|articles|sentences]

The model is any MLflow model URI (`models:/stance@champion` by default, `models:/NAME/N`,
`runs:/ID/model`) or a local MLflow model directory, always loaded through one code path.
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
from stance.articles import iter_jsonl, iter_records, resolve_inputs
from stance.errors import InputError, exit_on_input_error
from stance.text import article_sentences
from stance.writers import AtomicTableWriter, check_output_path

log = logging.getLogger(__name__)
OUTPUT_COLUMNS = ["article_id", "sentence_id", "text", "target", "label", "p_favor", "p_against", "p_none", "model"]


def load_model(uri: str, tracking=None):
    """An MLflow pyfunc from a URI or a local directory; a clear error when it is not there."""
    import mlflow

    is_uri = ":/" in uri
    if not is_uri and not (Path(uri) / "MLmodel").exists():
        raise InputError(uri, "no MLflow model here (expected a directory with an MLmodel file, or a models:/ URI)")
    if is_uri and tracking is not None and tracking.tracking_uri:
        mlflow.set_tracking_uri(tracking.tracking_uri)
        mlflow.set_registry_uri(tracking.tracking_uri)
    try:
        return mlflow.pyfunc.load_model(uri)
    except mlflow.exceptions.MlflowException as exc:
        raise InputError(uri, f"cannot load model ({str(exc).splitlines()[0][:200]})") from exc


def readable_files(spec) -> tuple[list[Path], list[str]]:
    """Files to read, and the problems of files skipped inside directories or globs.
    A file named directly must be readable; an input with nothing readable is an error."""
    files = resolve_inputs(spec)
    named = {Path(str(s)).expanduser() for s in (spec if isinstance(spec, (list, tuple)) else [spec])}
    good, skipped = [], []
    from stance.articles import read_text

    for path in files:
        try:
            read_text(path)
            good.append(path)
        except InputError as exc:
            if path in named:
                raise
            skipped.append(str(exc))
    if not good:
        raise InputError(spec, "no readable input: " + "; ".join(skipped[:3]))
    return good, skipped


def sentence_rows(files: Iterable[Path], input_format: str) -> Iterator[dict]:
    """article_id, sentence_id, text (and target, in sentences mode) for each sentence."""
    for path in files:
        fmt = input_format if input_format != "auto" else "articles"
        if fmt == "sentences":
            if path.suffix != ".jsonl":
                raise InputError(path, "sentences mode reads .jsonl files with {\"id\", \"text\"}")
            for _, obj in iter_jsonl(path):
                yield {"article_id": str(obj.get("article_id", "")), "sentence_id": str(obj["id"]),
                       "text": str(obj["text"]), "target": obj.get("target")}
        else:
            for rec in iter_records([path]):
                for s in article_sentences(rec.id, rec.text, rec.meta.get("title")):
                    yield {"article_id": s.article_id, "sentence_id": s.sentence_id, "text": s.text, "target": None}


def batches(rows: Iterator[dict], size: int) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def score_batch(model, batch: list[dict], targets: list[str], model_name: str) -> pd.DataFrame:
    """Expand each sentence to its targets, score, and attach ids (row order kept)."""
    frame = pd.DataFrame(batch)
    frame["order"] = range(len(frame))
    given = frame.target.notna()
    unknown = set(frame.target[given]) - set(targets)
    if unknown:
        raise InputError("input", f"target(s) {sorted(unknown)} unknown to the model (knows {targets})")
    expanded = pd.concat([frame[given], frame[~given].drop(columns="target").merge(
        pd.DataFrame({"target": targets}), how="cross")], ignore_index=True)
    expanded = expanded.sort_values(["order", "target"], kind="stable").reset_index(drop=True)
    scored = model.predict(expanded[["text", "target"]])
    out = expanded[["article_id", "sentence_id"]].join(scored.reset_index(drop=True))
    out["model"] = model_name
    return out[OUTPUT_COLUMNS]


def predict(model, files, output, input_format="auto", batch_size=256, model_name="") -> int:
    targets = list(model.metadata.metadata["targets"])
    with AtomicTableWriter(output) as writer:
        for batch in batches(sentence_rows(files, input_format), batch_size):
            writer.write(score_batch(model, batch, targets, model_name))
    return writer.rows


@hydra.main(version_base="1.3", config_path=f"{config.CONFIG_DIR}/predict", config_name="predict")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    if cfg.input is None or cfg.output is None:
        raise InputError("stance-predict", "give input=PATH and output=PATH")
    output = check_output_path(cfg.output)
    if cfg.input_format not in ("auto", "articles", "sentences"):
        raise InputError("input_format", f"must be auto, articles or sentences, not {cfg.input_format!r}")
    files, skipped = readable_files(cfg.input)
    for problem in skipped:
        print(f"warning: skipped {problem}", file=sys.stderr)
    model = load_model(str(cfg.model), cfg.tracking)
    n = predict(model, files, output, cfg.input_format, cfg.batch_size, str(cfg.model))
    print(f"wrote {n} rows to {output} ({len(files)} files read, {len(skipped)} skipped)", file=sys.stderr)


if __name__ == "__main__":
    main()

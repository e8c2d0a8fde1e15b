"""Scoring engines behind one interface: `engine.run(job)` scores the job's input stream in
chunks into its part store. `LocalEngine` runs the loaded pyfunc in this process; `SparkEngine`
(spark.py) runs the same model as a Spark UDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import pandas as pd

from stance.errors import InputError
from stance.predict.inputs import InputStream
from stance.predict.resume import PartStore, skip
from stance.schema import PREDICT_COLUMNS, UnknownTargetError, expand_targets


@dataclass
class ScoringJob:
    """Everything an engine needs: the model (loaded, and its URI and load options), the input,
    where scored chunks go, and how to report progress."""

    model: Any
    model_uri: str
    model_config: dict
    label: str  # what the output's `model` column says
    targets: list[str]
    stream: InputStream
    store: PartStore
    chunk_size: int
    progress: Any
    open_targets: bool = False  # the model scores any target string (pair input)

    def pending_chunks(self) -> Iterator[list[dict]]:
        """Chunks of the sentences the store does not hold yet (a re-run resumes)."""
        return chunks(skip(self.stream.sentences(), self.store.done_sentences), self.chunk_size)


def chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def expand(batch: list[dict], targets: list[str], open_targets: bool = False) -> pd.DataFrame:
    """One row per (sentence, target) in input order; a target the model cannot score is an input error."""
    try:
        return expand_targets(pd.DataFrame(batch), targets, open_targets)
    except UnknownTargetError as exc:
        raise InputError("input", str(exc)) from exc


def score_chunk(model, batch: list[dict], targets: list[str], label: str, open_targets: bool = False) -> pd.DataFrame:
    pairs = expand(batch, targets, open_targets)
    scored = model.predict(pairs[["text", "target"]]).reset_index(drop=True)
    out = pairs[["article_id", "sentence_id"]].join(scored)
    out["model"] = label
    return out[PREDICT_COLUMNS]


@dataclass
class LocalEngine:
    """The pyfunc in this process, one chunk at a time."""

    def run(self, job: ScoringJob) -> None:
        for batch in job.pending_chunks():
            job.store.add(score_chunk(job.model, batch, job.targets, job.label, job.open_targets), len(batch))
            job.progress.update(job.stream, len(batch))

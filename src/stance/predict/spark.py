"""engine=spark: Spark reads, segments, scores and writes; the driver only lists the input files.

- Spark reads the files (`binaryFile`: path and bytes, so .txt, .jsonl and .html alike);
- `mapInPandas` splits each file into sentences inside the executors, with the same reader and
  furniture filter as the local engine (`inputs.file_sentences`), and expands each sentence to
  the targets it is scored for;
- `mlflow.pyfunc.spark_udf` scores them: one model load per executor Python worker, with
  `threads_per_task` threads so that tasks x threads do not oversubscribe the cores;
- Spark's Parquet writer and output committer write `output/` (a Parquet dataset) partitioned by
  `batch`, a group of `files_per_batch` input files, one Spark job per batch: a batch is
  committed whole or not at all, and a rerun of the same command skips the committed batches.

Bad input: a file named directly stops the run with its file:line error; a bad file found in a
directory or glob is skipped whole and counted, as in the local engine.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd

from stance.errors import InputError
from stance.predict.engines import expand
from stance.predict.inputs import file_sentences
from stance.schema import PREDICT_COLUMNS

RESULT = "label string, p_favor double, p_against double, p_none double, truncated boolean"
SEGMENTED = "file_index int, seq int, article_id string, sentence_id string, text string, target string, error string"
COLUMNS, KINDS = zip(*(c.split() for c in SEGMENTED.split(", ")))
FINGERPRINT = "_stance_fingerprint"  # Spark's readers skip files starting with "_"


def spark_session(master: str, app_name: str):
    import os
    import sys

    from pyspark.sql import SparkSession

    # Workers run this interpreter (the venv with the model's packages), not the system python.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (SparkSession.builder.master(master).appName(app_name)
            .config("spark.ui.enabled", "false").config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.sources.partitionOverwriteMode", "dynamic").getOrCreate())


def segmenter(index: dict[str, int], input_format: str, furniture, targets: list[str], open_targets: bool):
    """The mapInPandas function: (path, content) rows -> one row per (sentence, target), or one
    error row for a file that cannot be read (its sentences are dropped: skipped whole)."""

    def segment(frames):
        for frame in frames:
            out = []
            for path, content in zip(frame.path, frame.content):
                local = Path(unquote(urlparse(path).path))
                file_index = index[str(local)]
                try:
                    rows = list(file_sentences(local, input_format, furniture, data=bytes(content)))
                except InputError as exc:
                    out.append(pd.DataFrame([{"file_index": file_index, "seq": 0, "error": str(exc)}]))
                    continue
                if rows:
                    pairs = expand(rows, targets, open_targets)
                    out.append(pairs.assign(file_index=file_index, seq=range(len(pairs)), error=None))
            frame = (pd.concat(out, ignore_index=True) if out else pd.DataFrame()).reindex(columns=COLUMNS)
            # Plain object strings and nullable ints: what Arrow turns into the declared schema.
            for column, kind in zip(COLUMNS, KINDS):
                frame[column] = (frame[column].astype("Int32") if kind == "int" else
                                 frame[column].astype(object).where(frame[column].notna(), None))
            yield frame

    return segment


@dataclass
class SparkEngine:
    """engine=spark: `master` is local[2] by default, a cluster URL for real use."""

    master: str = "local[2]"
    app_name: str = "stance-predict"
    files_per_batch: int = 256
    threads_per_task: int = 1
    owns_output = True  # writes its own Parquet dataset; the local part store is not used

    def run_to(self, job, output: Path, key: str) -> tuple[int, list[str]]:
        """Score `job`'s input into the Parquet dataset `output`; (rows written, skipped files)."""
        import mlflow
        from pyspark.sql import functions as F

        from stance.predict.loading import warn_if_foreign

        warn_if_foreign(job.model_uri)
        fresh_output(output, key)
        files = job.stream.files
        index = {str(p.resolve()): i for i, p in enumerate(files)}
        segment = segmenter(index, job.stream.input_format, job.stream.furniture, job.targets, job.open_targets)
        spark = spark_session(self.master, self.app_name)
        skipped: list[str] = []
        try:
            config = {**job.model_config, "num_threads": self.threads_per_task}
            score = mlflow.pyfunc.spark_udf(spark, job.model_uri, result_type=RESULT, env_manager="local",
                                            model_config=config)
            for batch, start in enumerate(range(0, len(files), self.files_per_batch)):
                if (output / f"batch={batch}").exists():
                    continue  # committed by an earlier run of this command
                paths = [str(p.resolve()) for p in files[start:start + self.files_per_batch]]
                rows = spark.read.format("binaryFile").load(paths).mapInPandas(segment, schema=SEGMENTED).persist()
                skipped += self._errors(rows, files, job.stream.named)
                scored = (rows.where("error is null").withColumn("s", score(F.struct("text", "target")))
                          .select("file_index", "seq", "article_id", "sentence_id", "text", "target", "s.*")
                          .withColumn("model", F.lit(job.label)).withColumn("batch", F.lit(batch)))
                (scored.repartition(1).sortWithinPartitions("file_index", "seq").select(*PREDICT_COLUMNS, "batch")
                 .write.mode("overwrite").partitionBy("batch").parquet(str(output)))
                rows.unpersist()
            written = spark.read.parquet(str(output)).count() if any(output.glob("batch=*")) else 0
        finally:
            spark.stop()
        return written, skipped

    @staticmethod
    def _errors(rows, files: list[Path], named: set[Path]) -> list[str]:
        """Raise the first error of a file named directly; return those of files found in folders."""
        skipped = []
        for err in rows.where("error is not null").select("file_index", "error").orderBy("file_index").collect():
            path = files[err.file_index]
            if path in named or Path(str(path)).expanduser() in named:
                raise InputError(err.error.split(": ", 1)[0], err.error.split(": ", 1)[1])
            skipped.append(err.error)
        return skipped


def fresh_output(output: Path, key: str) -> None:
    """Keep `output`'s committed batches only when they come from this same command (model
    content, code, input and options: `key`); otherwise start an empty dataset."""
    stamp = output / FINGERPRINT
    if output.exists() and not (stamp.exists() and stamp.read_text() == key):
        shutil.rmtree(output)
    output.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key)

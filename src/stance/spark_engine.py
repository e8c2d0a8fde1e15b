"""engine=spark: the same MLflow model as a Spark UDF over a Spark DataFrame.

Sentences come from the same reader as the local engine and are expanded to (sentence, target)
rows on the driver; Spark scores them with `mlflow.pyfunc.spark_udf`, so the model runs on the
executors (`spark.master`: local[2] by default, a cluster URL for real use). Chunks and resume
work as in the local engine, and the output is the same.
"""

from __future__ import annotations

from stance.predict import OUTPUT_COLUMNS, chunks, expand
from stance.resume import skip

RESULT = "label string, p_favor double, p_against double, p_none double, truncated boolean"


def spark_session(master: str, app_name: str):
    import os
    import sys

    from pyspark.sql import SparkSession

    # Workers run this interpreter (the venv with the model's packages), not the system python.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (SparkSession.builder.master(master).appName(app_name)
            .config("spark.ui.enabled", "false").config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate())


def run_spark(cfg, stream, store, targets, label, progress) -> None:
    import mlflow
    from pyspark.sql import functions as F

    spark = spark_session(cfg.spark.master, cfg.spark.app_name)
    try:
        score = mlflow.pyfunc.spark_udf(spark, str(cfg.model), result_type=RESULT, env_manager="local",
                                        model_config={"backend": cfg.backend, "num_threads": cfg.num_threads})
        for batch in chunks(skip(stream.sentences(), store.done_sentences), cfg.chunk_size):
            pairs = expand(batch, targets)
            pairs["order"] = range(len(pairs))
            frame = spark.createDataFrame(pairs[["order", "article_id", "sentence_id", "text", "target"]])
            scored = frame.withColumn("s", score(F.struct("text", "target"))).select(
                "order", "article_id", "sentence_id", "text", "target", "s.*").toPandas()
            scored = scored.sort_values("order").drop(columns="order").reset_index(drop=True)
            scored["model"] = label
            store.add(scored[OUTPUT_COLUMNS], len(batch))
            progress.update(stream, len(batch))
    finally:
        spark.stop()

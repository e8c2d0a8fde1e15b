"""engine=spark: the same MLflow model as a Spark UDF over a Spark DataFrame.

Sentences come from the same reader as the local engine and are expanded to (sentence, target)
rows on the driver; Spark scores them with `mlflow.pyfunc.spark_udf`, so the model runs on the
executors (`engine.master`: local[2] by default, a cluster URL for real use). Chunks and resume
work as in the local engine, and the output is the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from stance.predict.engines import ScoringJob, expand
from stance.schema import PREDICT_COLUMNS

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


@dataclass
class SparkEngine:
    """engine=spark: `master` is local[2] by default, a cluster URL for real use."""

    master: str = "local[2]"
    app_name: str = "stance-predict"

    def run(self, job: ScoringJob) -> None:
        import mlflow
        from pyspark.sql import functions as F

        spark = spark_session(self.master, self.app_name)
        try:
            score = mlflow.pyfunc.spark_udf(spark, job.model_uri, result_type=RESULT, env_manager="local",
                                            model_config=job.model_config)
            for batch in job.pending_chunks():
                pairs = expand(batch, job.targets, job.open_targets)
                pairs["order"] = range(len(pairs))
                frame = spark.createDataFrame(pairs[["order", "article_id", "sentence_id", "text", "target"]])
                scored = frame.withColumn("s", score(F.struct("text", "target"))).select(
                    "order", "article_id", "sentence_id", "text", "target", "s.*").toPandas()
                scored = scored.sort_values("order").drop(columns="order").reset_index(drop=True)
                scored["model"] = job.label
                job.store.add(scored[PREDICT_COLUMNS], len(batch))
                job.progress.update(job.stream, len(batch))
        finally:
            spark.stop()

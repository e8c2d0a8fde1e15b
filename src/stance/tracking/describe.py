"""What a reviewer reads in the MLflow UI without opening code: a one-paragraph run description,
the datasets a run used (the runs table's Dataset column), tags to filter by."""

from __future__ import annotations

import pandas as pd

DATASET_COLUMNS = ["article_id", "sentence_id", "text", "target", "label"]


def describe_run(kind: str, data_name: str, data_description: str, metrics: dict, official: list[str]) -> str:
    """One paragraph: data, model, headline real and synthetic scores with their intervals."""
    def score(split: str, name: str) -> str | None:
        key = f"{split}/{name}"
        if key not in metrics:
            return None
        low, high = metrics.get(f"{key}_ci_low"), metrics.get(f"{key}_ci_high")
        return f"{name} {metrics[key]:.3f}" + (f" (95% CI {low:.3f}-{high:.3f})" if low is not None else "")

    parts = [f"**{kind}** trained on **{data_name}**: {data_description}."]
    names = list(dict.fromkeys(["f_avg", *official]))
    for split, what in (("test_seeds", "Real seed sentences (never trained on)"), ("test", "Held-out test"),
                        ("val", "Validation"), ("cv", "Cross-validation mean")):
        found = [s for s in (score(split, name) for name in names) if s]
        if found:
            parts.append(f"{what}: " + ", ".join(found) + ".")
    return " ".join(parts)


def log_datasets(table: pd.DataFrame, data_name: str, source: str) -> None:
    """Each split of the training table as an MLflow dataset input (name, digest, source, context)."""
    import mlflow

    for split, part in table.groupby("split", dropna=True):
        dataset = mlflow.data.from_pandas(part[DATASET_COLUMNS].reset_index(drop=True), source=source,
                                          name=f"{data_name}-{split}")
        mlflow.log_input(dataset, context=str(split))

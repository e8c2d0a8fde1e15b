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
    for split, what in (("test_seeds", "Real seed sentences (never trained on)"),
                        ("test_news_style", "Held-out news-style articles"),
                        ("test_news_hard", "Held-out hard-case news articles"), ("test", "Held-out test"),
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


def model_card(kind: str, data: dict, targets: list[str], metrics: dict, run_id: str, open_targets: bool) -> str:
    """The markdown card a registered version carries: what it was trained on (and where that came
    from), how it scored on real and synthetic text with intervals, what it is for, what it is not."""
    def row(split: str, what: str) -> str | None:
        if f"{split}/f_avg" not in metrics:
            return None
        low, high = metrics.get(f"{split}/f_avg_ci_low"), metrics.get(f"{split}/f_avg_ci_high")
        ci = f"{low:.3f}-{high:.3f}" if low is not None else "-"
        per_target = ", ".join(f"{t} {metrics[f'{split}/{t}/f_avg']:.3f}" for t in targets
                               if f"{split}/{t}/f_avg" in metrics)
        return f"| {split} | {what} | {metrics[f'{split}/f_avg']:.3f} | {ci} | {per_target or '-'} |"

    scores = [r for r in (row("test_seeds", "real news (seed articles), never trained on"),
                          row("test_news_style", "held-out articles written like real coverage"),
                          row("test_news_hard", "held-out articles of real news's hard cases, by other writers"),
                          row("test", "held-out articles of the training data"),
                          row("val", "validation (chose epochs / champion)")) if r]
    sources = ", ".join(f"{s['name']} ({s['path']})" for s in data.get("sources") or []) or str(data.get("dir"))
    return "\n".join([
        f"# Model card: {kind} on {data['name']}", "",
        f"- **Training data**: {data.get('description') or data['name']}. Read from: {sources}.",
        f"- **Targets**: {', '.join(targets)}" + (" (and any other target string: pair input)" if open_targets else
                                                  " (only these; another target is refused)") + ".",
        "- **Labels**: FAVOR, AGAINST, NONE per (sentence, target), following docs/annotation-guidelines.md.",
        f"- **Run**: `{run_id}` (params, config, plots and predictions are its artifacts).", "",
        "## Scores (F_avg = mean of F1 FAVOR and F1 AGAINST; 95% intervals resample whole articles)", "",
        "| split | what | F_avg | 95% CI | per target |", "| --- | --- | ---: | --- | --- |", *scores, "",
        "## Intended use", "",
        "Sentence-level stance toward the targets above in English news text, scored in batches with "
        "`stance-predict`; a first pass for analysts, who read the sentences behind any number they publish.", "",
        "## Known limits", "",
        "- Real-text scores rest on few labelled real sentences: read them with their intervals.",
        "- Trained mostly on text written for the project (or on the data named above): expect lower scores "
        "on outlets, years and topics unlike it.",
        "- Probabilities are the model's softmax outputs; check calibration before thresholding them.",
        "- The run's evaluation/errors.csv lists its most confident mistakes: read it before trusting a label.",
    ])

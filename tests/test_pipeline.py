"""The whole pipeline on a tiny project: MLflow run contents, export, champion, predict contract."""

import json

import mlflow
import pandas as pd
import pytest

from conftest import run_cli

from stance.predict import OUTPUT_COLUMNS


@pytest.fixture(scope="module")
def client(pipeline_root):
    mlflow.set_tracking_uri(f"sqlite:///{pipeline_root}/experiments/mlflow.db")
    return mlflow.MlflowClient()


def finished_runs(client, kind):
    exp = client.get_experiment_by_name("stance-synthetic")
    return client.search_runs([exp.experiment_id], f"tags.`model.kind` = '{kind}'")


def test_stages_write_their_tables(pipeline_root):
    splits = pd.read_parquet(pipeline_root / "data" / "processed" / "synthetic" / "splits.parquet")
    assert set(splits.split) >= {"train", "val", "test", "test_seeds"}
    assert splits.groupby("article_id").split.nunique().max() == 1  # no article on two sides
    assert (splits[splits.source == "seeds"].split == "test_seeds").all()  # real seeds never trained on
    assert set(splits.label_source.dropna()) == {"gold"}


def test_training_run_has_params_metrics_artifacts_and_tags(pipeline_root, client):
    (run,) = finished_runs(client, "logreg")
    assert run.info.status == "FINISHED"
    assert run.data.params["cfg.model.kind"] == "logreg"
    for key in ("val/f_avg", "test_seeds/f_avg", "test_seeds/maduro/f1_favor", "train/seconds"):
        assert key in run.data.metrics
    assert {"git_commit", "data_hash", "model.kind"} <= set(run.data.tags)
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id, "evaluation")}
    assert "evaluation/errors.csv" in artifacts
    assert "evaluation/confusion_test_seeds_maduro.png" in artifacts
    assert client.list_artifacts(run.info.run_id, "config")[0].path == "config/config.yaml"


def test_model_is_registered_and_champion(pipeline_root, client):
    champion = client.get_model_version_by_alias("stance", "champion")
    (run,) = finished_runs(client, "logreg")
    assert champion.run_id == run.info.run_id
    comparison = json.loads((pipeline_root / "experiments" / "comparison.json").read_text())
    assert comparison["table"][0]["model"] == "logreg"
    assert any("becomes champion" in line for line in comparison["champion"])


def test_a_worse_candidate_does_not_take_the_alias(pipeline_root, client):
    run_cli("train", "model.C=0.0001", "model.use_char=false", "metrics_file=experiments/metrics/synthetic/weak.json",
            root=pipeline_root)
    before = client.get_model_version_by_alias("stance", "champion").version
    proc = run_cli("evaluate", "models=[weak]", root=pipeline_root)
    assert client.get_model_version_by_alias("stance", "champion").version == before
    assert "champion stays" in proc.stdout


def test_predict_articles_default_champion(pipeline_root, tmp_path):
    out = tmp_path / "scores.jsonl"
    run_cli("predict", f"input={pipeline_root}/seeds", f"output={out}", root=pipeline_root)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    sentences = pd.read_parquet(pipeline_root / "data" / "interim" / "synthetic" / "sentences.parquet")
    n_seed_sentences = (sentences.source == "seeds").sum()
    assert len(rows) == 2 * n_seed_sentences
    assert list(rows[0]) == OUTPUT_COLUMNS
    assert OUTPUT_COLUMNS[:8] == ["article_id", "sentence_id", "text", "target", "label", "p_favor", "p_against",
                                  "p_none"]  # the contract other tools rely on
    assert {r["model"] for r in rows} == {"models:/stance/1"}  # the alias resolved to its version
    assert {r["label"] for r in rows} <= {"FAVOR", "AGAINST", "NONE"}
    assert {(r["sentence_id"], r["target"]) for r in rows} == {
        (s, t) for s in sentences[sentences.source == "seeds"].sentence_id for t in ("maduro", "guaido")}
    assert all(abs(r["p_favor"] + r["p_against"] + r["p_none"] - 1) < 1e-6 for r in rows)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_predict_sentences_mode_from_export_dir(pipeline_root, tmp_path, suffix):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "s1", "text": "Russia voiced support for Maduro."}) + "\n"
                   + json.dumps({"id": "s2", "text": "Brazil recognized Guaido.", "target": "guaido"}) + "\n")
    out = tmp_path / f"scores{suffix}"
    run_cli("predict", f"model={pipeline_root}/experiments/models/logreg", f"input={src}",
            "input_format=sentences", f"output={out}", root=pipeline_root)
    df = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert list(df.columns) == OUTPUT_COLUMNS
    assert list(zip(df.sentence_id, df.target)) == [("s1", "guaido"), ("s1", "maduro"), ("s2", "guaido")]


def test_predict_skips_unreadable_file_in_a_directory(pipeline_root, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Title\n\nCuba praised Maduro.\n")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "o.jsonl"
    proc = run_cli("predict", f"input={folder}", f"output={out}", root=pipeline_root)
    assert "bad.txt: binary file" in proc.stderr and "1 skipped" in proc.stderr
    assert len(out.read_text().splitlines()) == 4  # 2 sentences x 2 targets


def test_kfold_reports_mean_and_spread(project):
    """Grouped k-fold (split=kfold): every metric as a mean over folds and its spread."""
    for module, args in [("prepare", []), ("label", []), ("split", ["split=kfold", "split.n_folds=3"])]:
        run_cli(module, *args, root=project)
    run_cli("train", "tracking=none", "metrics_file=experiments/metrics/kfold.json", root=project)
    metrics = json.loads((project / "experiments/metrics/kfold.json").read_text())["metrics"]
    assert metrics["cv/n_folds"] == 3
    assert 0 <= metrics["cv/f_avg"] <= 1 and metrics["cv/f_avg_std"] >= 0
    assert "cv/maduro/f_avg" in metrics and "cv/guaido/f_avg_std" in metrics


def test_sweep_runs_are_children_of_one_parent(pipeline_root, client):
    run_cli("train", "-m", "model.C=0.5,2", "metrics_file=experiments/metrics/sweep.json", root=pipeline_root)
    exp = client.get_experiment_by_name("stance-synthetic")
    (parent,) = client.search_runs([exp.experiment_id], "attributes.run_name LIKE 'sweep-%'")
    children = client.search_runs([exp.experiment_id], f"tags.`mlflow.parentRunId` = '{parent.info.run_id}'")
    assert sorted(r.data.params["cfg.model.C"] for r in children) == ["0.5", "2"]

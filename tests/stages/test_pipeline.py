"""The whole pipeline on a tiny project: stage tables, MLflow run contents, export, champion, k-fold, sweeps."""

import json

import mlflow
import pandas as pd
import pytest

from conftest import project_copy, run_cli

# Every test here reads the tiny pipeline run once (about 40 s) or runs its own: make test, not test-fast.
pytestmark = pytest.mark.slow


def store_client(root):
    return mlflow.MlflowClient(tracking_uri=f"sqlite:///{root}/experiments/mlflow.db",
                               registry_uri=f"sqlite:///{root}/experiments/mlflow.db")


@pytest.fixture
def client(pipeline_root):
    return store_client(pipeline_root)


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
    assert "evaluation/reliability_test_seeds.png" in artifacts  # calibration, per split
    assert 0 <= run.data.metrics["test_seeds/ece"] <= 1 and "test_seeds/maduro/ece" in run.data.metrics
    assert client.list_artifacts(run.info.run_id, "config")[0].path == "config/config.yaml"


def test_a_reviewer_sees_description_datasets_and_a_training_experiment(client):
    """What the MLflow UI shows without clicks: the experiment opens in model-training mode, each run
    says in a paragraph what it is and how it scored, and its Dataset column is filled."""
    exp = client.get_experiment_by_name("stance-synthetic")
    assert exp.tags["mlflow.experimentKind"] == "custom_model_development"
    (run,) = finished_runs(client, "logreg")
    note = run.data.tags["mlflow.note.content"]
    assert note.startswith("**logreg** trained on **synthetic**")
    assert f"Real seed sentences (never trained on): f_avg {run.data.metrics['test_seeds/f_avg']:.3f} (95% CI" in note
    assert {"data": "synthetic", "experiment": "default"}.items() <= run.data.tags.items()
    inputs = {d.dataset.name: d.tags[0].value for d in run.inputs.dataset_inputs}
    assert inputs == {"synthetic-train": "train", "synthetic-val": "val", "synthetic-test": "test",
                      "synthetic-test_seeds": "test_seeds"}


def test_model_is_registered_and_champion(pipeline_root, client):
    champion = client.get_model_version_by_alias("stance", "champion")
    (run,) = finished_runs(client, "logreg")
    assert champion.run_id == run.info.run_id
    comparison = json.loads((pipeline_root / "experiments" / "comparison.json").read_text())
    assert comparison["table"][0]["model"] == "logreg"
    assert any("becomes champion" in line for line in comparison["champion"])


def test_each_registered_version_carries_its_model_card(client):
    champion = client.get_model_version_by_alias("stance", "champion")
    metrics = client.get_run(champion.run_id).data.metrics
    card = champion.description
    assert card.startswith("# Model card: logreg on synthetic")
    assert f"| test_seeds | real news (seed articles), never trained on | {metrics['test_seeds/f_avg']:.3f} |" in card
    assert "- **Targets**: maduro, guaido (only these; another target is refused)." in card
    artifacts = {a.path for a in client.list_artifacts(champion.run_id)}
    assert "model_card.md" in artifacts


def test_a_worse_candidate_does_not_take_the_alias(pipeline_root, tmp_path):
    root = project_copy(pipeline_root, tmp_path / "proj")
    run_cli("train", root=root)
    run_cli("evaluate", "models=[logreg]", root=root)
    run_cli("train", "model.C=0.0001", "model.use_char=false", "metrics_file=experiments/metrics/synthetic/weak.json",
            root=root)
    client = store_client(root)
    before = client.get_model_version_by_alias("stance", "champion").version
    proc = run_cli("evaluate", "models=[weak]", root=root)
    assert client.get_model_version_by_alias("stance", "champion").version == before
    assert "champion stays" in proc.stdout


def test_kfold_reports_mean_and_spread(pipeline_root, tmp_path):
    """Grouped k-fold (split=kfold): every metric as a mean over folds and its spread."""
    project = project_copy(pipeline_root, tmp_path / "proj")
    run_cli("split", "split=kfold", "split.n_folds=3", root=project)
    run_cli("train", "tracking=none", "metrics_file=experiments/metrics/kfold.json", root=project)
    metrics = json.loads((project / "experiments/metrics/kfold.json").read_text())["metrics"]
    assert metrics["cv/n_folds"] == 3
    assert 0 <= metrics["cv/f_avg"] <= 1 and metrics["cv/f_avg_std"] >= 0
    assert "cv/maduro/f_avg" in metrics and "cv/guaido/f_avg_std" in metrics


def sweep_runs(root):
    """The sweep's parent run and its children."""
    client = store_client(root)
    exp = client.get_experiment_by_name("stance-synthetic")
    (parent,) = client.search_runs([exp.experiment_id], "attributes.run_name LIKE 'sweep-%'")
    return parent, client.search_runs([exp.experiment_id], f"tags.`mlflow.parentRunId` = '{parent.info.run_id}'")


def assert_parent_records_the_best_trial(parent, children, metric="val/f_avg"):
    best = max(children, key=lambda r: r.data.metrics[metric])
    assert parent.data.tags["best_run_id"] == best.info.run_id
    assert parent.data.metrics[f"best/{metric}"] == best.data.metrics[metric]
    assert parent.data.metrics["sweep/n_trials"] == len(children)
    assert parent.data.tags["mlflow.note.content"].startswith(f"Sweep of {len(children)} trials maximising **{metric}**")


def test_sweep_runs_are_children_of_one_parent(pipeline_root, tmp_path):
    root = project_copy(pipeline_root, tmp_path / "proj")
    run_cli("train", "-m", "model.C=0.5,2", "metrics_file=experiments/metrics/sweep.json", root=root)
    parent, children = sweep_runs(root)
    assert sorted(r.data.params["cfg.model.C"] for r in children) == ["0.5", "2.0"]  # typed: C is a float
    assert_parent_records_the_best_trial(parent, children)


def test_optuna_search_is_one_parent_with_a_child_per_trial(pipeline_root, tmp_path):
    """hparams_search=logreg_optuna: seeded TPE over the YAML search space, maximising val F_avg."""
    root = project_copy(pipeline_root, tmp_path / "proj")
    run_cli("train", "hparams_search=logreg_optuna", "hydra.sweeper.n_trials=3", root=root)
    parent, children = sweep_runs(root)
    assert len(children) == 3 and all(r.info.status == "FINISHED" for r in children)
    assert len({r.data.params["cfg.model.C"] for r in children}) == 3  # the sampler chose C per trial
    assert_parent_records_the_best_trial(parent, children)


def test_debug_fast_trains_on_a_handful_of_sentences_and_tracks_nothing(pipeline_root, tmp_path):
    root = project_copy(pipeline_root, tmp_path / "proj")  # no MLflow store
    proc = run_cli("train", "debug=fast", "export_dir=experiments/models/debug", root=root)
    metrics = json.loads((root / "experiments/metrics/synthetic/debug/logreg.json").read_text())["metrics"]
    assert metrics["train/n_pairs"] <= 2 * 6 * 2  # two articles, six sentences each, two targets
    assert (root / "experiments/models/debug/MLmodel").exists()
    assert not (root / "experiments" / "mlflow.db").exists(), proc.stderr[-500:]

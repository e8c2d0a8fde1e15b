"""The champion rule: a candidate takes the alias only if it beats the champion on the selection
split, and only when both learned the same task (same data set and targets); the reason is tagged
on the candidate version."""

import mlflow
import pytest

from stance.tracking.registry import promote_if_better

ALIAS, METRIC = "champion", "select/f_avg"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One tracking store for the module (creating one takes seconds); each test its own model."""
    folder = tmp_path_factory.mktemp("registry")
    uri = f"sqlite:///{folder}/mlflow.db"
    client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
    client.experiment_id = client.create_experiment("stance-test", artifact_location=f"file://{folder}/art")
    return client


@pytest.fixture
def client(store, request):
    store.model_name = f"stance-{request.node.name}"
    store.create_registered_model(store.model_name)
    return store


def version(client, score: float, data: str = "synthetic", targets: str = "guaido,maduro",
            data_hash: str = "h1") -> str:
    """A finished run with the metric and tags stance-train logs, registered as a new version."""
    run = client.create_run(client.experiment_id, tags={"data": data, "targets": targets, "data_hash": data_hash})
    client.log_metric(run.info.run_id, METRIC, score)
    client.set_terminated(run.info.run_id)
    return client.create_model_version(client.model_name, f"runs:/{run.info.run_id}/model", run.info.run_id).version


def offer(client, candidate: str, score: float):
    return promote_if_better(client, client.model_name, ALIAS, candidate, score, METRIC)


def champion(client) -> str:
    return client.get_model_version_by_alias(client.model_name, ALIAS).version


def test_first_version_becomes_champion_and_says_why(client):
    first = version(client, 0.70)
    decision = offer(client, first, 0.70)
    assert decision.promoted and champion(client) == first
    assert client.get_model_version(client.model_name, first).tags["champion_decision"] == decision.reason
    assert "becomes champion" in decision.reason


def test_a_better_candidate_takes_the_alias_a_worse_one_does_not(client):
    first = version(client, 0.70)
    offer(client, first, 0.70)
    worse = version(client, 0.65)
    assert not offer(client, worse, 0.65).promoted and champion(client) == first
    assert "0.650 <= champion v1 0.700: champion stays" in client.get_model_version(client.model_name, worse).tags["champion_decision"]
    better = version(client, 0.75)
    assert offer(client, better, 0.75).promoted and champion(client) == better


@pytest.mark.parametrize("other", [{"data": "semeval2016"}, {"targets": "maduro"}])
def test_a_model_of_another_task_is_never_compared(client, other):
    first = version(client, 0.70)
    offer(client, first, 0.70)
    stranger = version(client, 0.99, **other)
    decision = offer(client, stranger, 0.99)
    assert not decision.promoted and champion(client) == first
    assert "is not comparable with champion v1" in decision.reason


def test_a_champion_scored_on_another_split_table_gives_way_to_the_new_data(client):
    """Articles added to the corpus change `select`: the old champion's score is on other articles,
    so the best new version takes the alias, and later versions are compared with it as usual."""
    first = version(client, 0.90)
    offer(client, first, 0.90)
    best_new = version(client, 0.85, data_hash="h2")
    decision = offer(client, best_new, 0.85)
    assert decision.promoted and champion(client) == best_new and "another split table" in decision.reason
    worse_new = version(client, 0.80, data_hash="h2")
    assert not offer(client, worse_new, 0.80).promoted and champion(client) == best_new
    assert offer(client, int(best_new), 0.85).reason == f"version {best_new} already is champion"  # rerun of evaluate

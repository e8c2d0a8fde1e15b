"""Champion promotion: the alias moves only when the candidate beats the current champion."""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class Decision:
    promoted: bool
    version: str | None
    reason: str


# Two versions are compared only when they learned the same task: the same data set and targets.
COMPARABLE_TAGS = ("data", "targets")


def promote_if_better(client, name: str, alias: str, candidate_version: str, candidate_score: float,
                      metric: str) -> Decision:
    """Move `alias` to `candidate_version` if its `metric` beats the champion's (or there is none),
    and only if the champion was trained on the same data set and targets. A champion scored on
    another split table of the same data set (new articles, a new split) cannot be compared: the
    candidate takes the alias (candidates are offered best first). The reason is tagged on the
    candidate version (`champion_decision`)."""
    decision = _decide(client, name, alias, candidate_version, candidate_score, metric)
    if decision.promoted:
        client.set_registered_model_alias(name, alias, candidate_version)
    client.set_model_version_tag(name, candidate_version, "champion_decision", decision.reason)
    return decision


def _decide(client, name, alias, candidate_version, candidate_score, metric) -> Decision:
    from mlflow.exceptions import MlflowException

    try:
        champion = client.get_model_version_by_alias(name, alias)
    except MlflowException:
        champion = None
    if champion is None:
        return Decision(True, candidate_version, f"no {alias} yet: version {candidate_version} "
                        f"({metric} {candidate_score:.3f}) becomes {alias}")
    if str(champion.version) == str(candidate_version):
        return Decision(False, champion.version, f"version {candidate_version} already is {alias}")
    champion_run = client.get_run(champion.run_id).data
    candidate_run = client.get_run(client.get_model_version(name, candidate_version).run_id).data
    for tag in COMPARABLE_TAGS:
        theirs, ours = champion_run.tags.get(tag), candidate_run.tags.get(tag)
        if theirs != ours:
            return Decision(False, champion.version, f"version {candidate_version} ({tag} {ours}) is not comparable "
                            f"with {alias} v{champion.version} ({tag} {theirs}): {alias} stays")
    theirs, ours = champion_run.tags.get("data_hash"), candidate_run.tags.get("data_hash")
    if theirs and ours and theirs != ours:  # the corpus or its split changed: `select` holds other articles
        return Decision(True, candidate_version, f"{alias} v{champion.version} was scored on another split table "
                        f"(data_hash {theirs}, now {ours}): version {candidate_version}, the best of this run "
                        f"({metric} {candidate_score:.3f}), becomes {alias}")
    champion_score = champion_run.metrics.get(metric)
    if champion_score is None:
        return Decision(False, champion.version, f"{alias} v{champion.version} logged no {metric}: not comparable, "
                        f"{alias} stays")
    if candidate_score > champion_score:
        return Decision(True, candidate_version, f"version {candidate_version} {metric} {candidate_score:.3f} > "
                        f"{alias} v{champion.version} {champion_score:.3f}: alias moved")
    return Decision(False, champion.version, f"version {candidate_version} {metric} {candidate_score:.3f} <= "
                    f"{alias} v{champion.version} {champion_score:.3f}: {alias} stays")


def promote_champion(tracking, results: list[dict]) -> list[str]:
    """Offer each newly registered version to the registry alias, best first; say why."""
    import mlflow

    tracking.setup()
    client = mlflow.MlflowClient()
    logged = set.intersection(*(set(r["metrics"]) for r in results))
    metric = next((m for m in tracking.primary_metric if m in logged), None)
    if metric is None:
        return [f"no run logged any of {list(tracking.primary_metric)}: champion unchanged"]
    ranked = sorted((r for r in results if r.get("run_id")), key=lambda r: r["metrics"][metric], reverse=True)
    messages = [f"primary metric: {metric}"]
    for res in ranked:
        run = client.get_run(res["run_id"])
        version = run.data.tags.get("registered_version")
        if version is None:
            messages.append(f"{res['model']}: run {res['run_id'][:8]} registered no model version")
            continue
        decision = promote_if_better(client, tracking.registered_model_name, tracking.champion_alias,
                                     version, res["metrics"][metric], metric)
        messages.append(f"{res['model']}: {decision.reason}")
    return messages

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


def promote_if_better(client, name: str, alias: str, candidate_version: str, candidate_score: float,
                      metric: str) -> Decision:
    """Move `alias` to `candidate_version` if its `metric` beats the champion's (or there is none)."""
    from mlflow.exceptions import MlflowException

    try:
        champion = client.get_model_version_by_alias(name, alias)
    except MlflowException:
        champion = None
    if champion is None:
        client.set_registered_model_alias(name, alias, candidate_version)
        return Decision(True, candidate_version, f"no {alias} yet: version {candidate_version} "
                        f"({metric} {candidate_score:.3f}) becomes {alias}")
    if champion.version == str(candidate_version):
        return Decision(False, champion.version, f"version {candidate_version} already is {alias}")
    champion_score = client.get_run(champion.run_id).data.metrics.get(metric, float("-inf"))
    if candidate_score > champion_score:
        client.set_registered_model_alias(name, alias, candidate_version)
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

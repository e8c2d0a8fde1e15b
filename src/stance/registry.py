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

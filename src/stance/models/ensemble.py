"""`stance-train model=ensemble`: the transformer's and the baseline's probabilities averaged,
the best on validation in README's ablation (0.883 against 0.871 and 0.849 on the default data, three
seeds).
Nothing is trained here: the members are the models the `train` stages exported, loaded from
their folders; the ensemble is then scored, logged, registered and exported like any model."""

from __future__ import annotations

from pathlib import Path

from stance.errors import InputError
from stance.serving.ensemble import AveragedScorer


class AveragedEnsemble:
    kind = "ensemble"

    def __init__(self, members: list[str], weights: list[float] | None = None, backend: str = "onnx-fp32",
                 seed: int = 0, targets=None, trainer=None):
        # `seed`, `targets` and `trainer` come with every model's config; the members have theirs.
        self.members, self.weights, self.backend = [str(m) for m in members], weights, str(backend)

    def fit(self, texts, targets, labels, eval_set=None, checkpoints=None) -> AveragedScorer:
        """The members, read from their exported folders. fp32 ONNX scores as the members' own torch
        metrics do (to 1e-5) and starts faster; a member without ONNX files (the baseline) ignores it."""
        for folder in self.members:
            if not (Path(folder) / "MLmodel").exists():
                raise InputError(folder, "no exported model here: train the member first "
                                         "(stance-train model=<kind> export_dir=...)")
        return AveragedScorer.from_model_folders(self.members, self.weights, backend=self.backend)

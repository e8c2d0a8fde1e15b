"""Probabilities of several trained stance models averaged for each (sentence, target): the
transformer and the TF-IDF baseline, the best combination on validation in README's ablation.

Each member keeps its own files and runtime inside the ensemble's folder (`member_<i>_<kind>/`:
the transformer with its ONNX files, the baseline with its skops file), loads as it would alone
(`backend=` reaches the transformer) and scores the same rows; `ensemble.json` names the members
and their weights."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from stance.serving.estimators import load_estimator

SPEC_FILE = "ensemble.json"


class AveragedScorer:
    kind = "ensemble"
    serving_class = "stance.serving.ensemble:AveragedScorer"  # what a saved ensemble loads as
    open_targets = False

    def __init__(self, members: list, folders: list[Path], weights=None):
        if not members:
            raise ValueError("an ensemble needs at least one member model")
        weights = np.ones(len(members)) if weights is None else np.asarray(weights, dtype=float)
        if len(weights) != len(members) or (weights < 0).any() or weights.sum() <= 0:
            raise ValueError(f"ensemble weights {weights.tolist()} do not fit its {len(members)} members")
        self.members, self.folders, self.weights = members, [Path(f) for f in folders], weights / weights.sum()
        # The targets every member knows: an ensemble scores only what all of its members can.
        self.targets = [t for t in members[0].targets if all(t in m.targets for m in members[1:])]
        self.history: list[dict] = []

    @classmethod
    def from_model_folders(cls, model_dirs, weights=None, backend: str = "torch") -> "AveragedScorer":
        """Members read from exported MLflow model folders (stance-train's `export_dir`)."""
        from stance.serving.folder import FolderModel

        models = [FolderModel(d, {"backend": backend}) for d in model_dirs]
        return cls([m.estimator for m in models], [m.estimator_dir for m in models], weights)

    def predict_proba(self, texts, targets) -> np.ndarray:
        return sum(w * m.predict_proba(texts, targets) for w, m in zip(self.weights, self.members))

    def truncated(self, texts, targets) -> list[bool]:
        """True where any member saw only the start of a long sentence."""
        flags = [m.truncated(texts, targets) for m in self.members if hasattr(m, "truncated")]
        return [any(row) for row in zip(*flags)] if flags else [False] * len(texts)

    def save(self, directory) -> None:
        """Each member's folder copied as it is (files, meta.json), plus the ensemble's spec."""
        names = [f"member_{i}_{m.kind}" for i, m in enumerate(self.members)]
        for folder, name in zip(self.folders, names):
            shutil.copytree(folder, Path(directory) / name)
        spec = {"members": names, "weights": self.weights.tolist()}
        (Path(directory) / SPEC_FILE).write_text(json.dumps(spec, indent=2))

    @classmethod
    def load(cls, directory, **options) -> "AveragedScorer":
        spec = json.loads((Path(directory) / SPEC_FILE).read_text())
        folders = [Path(directory) / name for name in spec["members"]]
        return cls([load_estimator(folder, **options)[0] for folder in folders], folders, spec["weights"])

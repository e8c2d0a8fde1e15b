"""Weak supervision: labelling functions from YAML, combined by a weighted vote.

Each labelling function is a regular expression with `{T}` standing for the target's names,
a stance it votes for and a weight. A pair gets the stance with the largest summed weight if
it leads the runner-up by `min_margin`; a sentence that never refers to the target is NONE;
everything else abstains (None), so unsure pairs stay unlabelled rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stance.schema import LABELS


@dataclass
class LabellingFunction:
    name: str
    label: str
    pattern: re.Pattern
    weight: float


def _alias_group(aliases: list[str]) -> str:
    return "(?:" + "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)) + ")"


class RuleLabeler:
    def __init__(self, targets: dict, functions: dict, referents: dict | None = None, min_margin: float = 1.0):
        self.targets = list(targets)
        self.min_margin = min_margin
        self.functions: dict[str, list[LabellingFunction]] = {}
        self.mentions: dict[str, re.Pattern] = {}
        for target, aliases in targets.items():
            names = _alias_group(list(aliases))
            extra = [re.escape(r) for r in (referents or {}).get(target, [])]
            self.mentions[target] = re.compile(r"\b(?:" + "|".join([names, *extra]) + r")", re.I)
            fns = []
            for spec in [*functions.get("all", []), *functions.get(target, [])]:
                if spec["label"] not in LABELS:
                    raise ValueError(f"labelling function {spec['name']}: unknown label {spec['label']!r}")
                fns.append(LabellingFunction(spec["name"], spec["label"],
                                             re.compile(spec["pattern"].replace("{T}", names), re.I),
                                             float(spec.get("weight", 1.0))))
            self.functions[target] = fns

    def votes(self, text: str, target: str) -> dict[str, float]:
        """Summed weights per label; the names of the functions that fired under `fired`."""
        scores = {lab: 0.0 for lab in LABELS}
        for fn in self.functions.get(target, []):
            if fn.pattern.search(text):
                scores[fn.label] += fn.weight
        return scores

    def label_one(self, text: str, target: str) -> str | None:
        if target not in self.mentions:
            raise ValueError(f"no rules for target {target!r}; configured: {self.targets}")
        scores = self.votes(text, target)
        ranked = sorted(scores.values(), reverse=True)
        if ranked[0] > 0 and ranked[0] - ranked[1] >= self.min_margin:
            return max(scores, key=scores.get)
        if not self.mentions[target].search(text):
            return "NONE"
        return None

    def label(self, texts: list[str], targets: list[str]) -> list[str | None]:
        return [self.label_one(t, g) for t, g in zip(texts, targets)]

    def fired(self, text: str, target: str) -> list[str]:
        return [fn.name for fn in self.functions.get(target, []) if fn.pattern.search(text)]

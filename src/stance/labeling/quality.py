"""The rule labeller against gold labels: precision, recall and coverage per target and class,
for every source together and for each alone (the real seeds are the honest check)."""

from __future__ import annotations

import pandas as pd

from stance.schema import LABELS

REPORT_COLUMNS = ["source", "target", "class", "gold", "rules", "precision", "recall", "coverage"]


def rules_quality(gold: pd.DataFrame, predicted: list) -> pd.DataFrame:
    """Rows per (target, class): gold count, rule count, precision, recall; plus an `all` row per
    target with coverage (share of pairs the rules did not abstain on) and accuracy when labelled."""
    frame = gold.drop(columns="rule", errors="ignore").assign(rule=predicted)
    rows = []
    for target, part in frame.groupby("target"):
        labelled = part[part.rule.notna()]
        for lab in LABELS:
            hit = labelled.rule == lab
            rows.append({"target": target, "class": lab, "gold": int((part.label == lab).sum()),
                         "rules": int(hit.sum()),
                         "precision": float((labelled[hit].label == lab).mean()) if hit.any() else float("nan"),
                         "recall": float(((part.rule == lab) & (part.label == lab)).sum() / max(1, (part.label == lab).sum())),
                         "coverage": float((part[part.label == lab].rule.notna()).mean()) if (part.label == lab).any() else float("nan")})
        rows.append({"target": target, "class": "all", "gold": len(part), "rules": len(labelled),
                     "precision": float((labelled.rule == labelled.label).mean()) if len(labelled) else float("nan"),
                     "recall": float("nan"), "coverage": len(labelled) / max(1, len(part))})
    return pd.DataFrame(rows)


def as_metrics(table: pd.DataFrame) -> dict[str, float]:
    out = {}
    for row in table.to_dict(orient="records"):
        for key in ("precision", "recall", "coverage"):
            if row[key] == row[key]:  # not NaN
                out[f"rules/{row['source']}/{row['target']}/{key}_{row['class'].lower()}"] = float(row[key])
    return out


def quality_report(gold: pd.DataFrame, labeler) -> pd.DataFrame:
    """`gold` pairs labelled by `labeler`, measured for all sources and per source."""
    gold = gold.assign(rule=labeler.label(gold.text.tolist(), gold.target.tolist()))
    parts = [("all", gold)] + [(str(name), part) for name, part in gold.groupby("source")]
    table = pd.concat([rules_quality(part, part.rule.tolist()).assign(source=name) for name, part in parts],
                      ignore_index=True)
    return table[REPORT_COLUMNS]

"""Gold annotations: read, validate against the sentence table, return long rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from stance.errors import InputError
from stance.io import iter_jsonl, resolve_inputs
from stance.schema import LABELS


def read_annotations(specs, known_ids: set[str], targets: list[str]) -> pd.DataFrame:
    """Long table sentence_id x target -> label from annotation jsonl files.

    Every line must name a sentence the table knows and give a valid label for each target;
    anything else is an InputError naming the file and line.
    """
    rows, seen = [], {}
    for path in resolve_inputs(list(specs)):
        for lineno, obj in iter_jsonl(Path(path), required=("sentence_id", "labels")):
            sid = str(obj["sentence_id"])
            if sid not in known_ids:
                raise InputError(path, f"unknown sentence id {sid!r} (not produced by prepare)", lineno)
            if sid in seen:
                raise InputError(path, f"sentence {sid!r} annotated twice (first at line {seen[sid]})", lineno)
            seen[sid] = lineno
            labels = obj["labels"]
            if not isinstance(labels, dict):
                raise InputError(path, "`labels` must be an object {target: label}", lineno)
            unknown = [t for t in labels if t not in targets]
            if unknown:
                raise InputError(path, f"unknown target(s) {unknown} in `labels` (targets: {list(targets)})", lineno)
            for target in targets:
                label = labels.get(target)
                if label is None:
                    continue  # this file does not annotate that target
                if label not in LABELS:
                    raise InputError(path, f"unknown label {label!r} for {target} (use {'/'.join(LABELS)})", lineno)
                rows.append({"sentence_id": sid, "target": target, "label": label})
    return pd.DataFrame(rows, columns=["sentence_id", "target", "label"])

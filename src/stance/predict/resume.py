"""Resumable, atomic batch output.

Scored chunks go to `.<output>.parts/part-<k>-<n>.parquet` (each written under a temporary name
and renamed, so a killed run leaves only whole parts). A re-run of the same command (same model,
inputs and options: the fingerprint) skips the sentences its parts already hold. When the input
is exhausted the parts are joined into the output, written atomically, and the parts removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Iterator

import pandas as pd

from stance.io import AtomicTableWriter

PART = re.compile(r"^part-(\d{6})-(\d+)\.parquet$")


def fingerprint(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()[:16]


class PartStore:
    def __init__(self, output: str | Path, key: str):
        self.output = Path(output)
        self.dir = self.output.with_name(f".{self.output.name}.parts")
        self.key = key
        stamp = self.dir / "fingerprint"
        if self.dir.exists() and (not stamp.exists() or stamp.read_text() != key):
            shutil.rmtree(self.dir)  # parts of a different command: never mixed into this output
        self.dir.mkdir(parents=True, exist_ok=True)
        stamp.write_text(key)

    def parts(self) -> list[tuple[int, int, Path]]:
        found = [(int(m.group(1)), int(m.group(2)), p) for p in self.dir.iterdir() if (m := PART.match(p.name))]
        return sorted(found)

    @property
    def done_sentences(self) -> int:
        """Sentences already scored, counting only an unbroken run of parts from the first."""
        done = 0
        for expected, (index, n, _) in enumerate(self.parts()):
            if index != expected:
                break
            done += n
        return done

    def add(self, frame: pd.DataFrame, n_sentences: int) -> None:
        index = len(self.parts())
        final = self.dir / f"part-{index:06d}-{n_sentences}.parquet"
        tmp = self.dir / f".tmp-{final.name}"
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, final)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def finish(self, visit=None) -> int:
        """Join the parts into the output (atomically) and remove them; returns rows written.
        `visit(frame)` sees each part on the way (for summaries)."""
        with AtomicTableWriter(self.output) as writer:
            for _, _, path in self.parts():
                frame = pd.read_parquet(path)
                writer.write(frame)
                if visit is not None:
                    visit(frame)
        shutil.rmtree(self.dir)
        return writer.rows


def skip(rows: Iterator[dict], n: int) -> Iterator[dict]:
    for i, row in enumerate(rows):
        if i >= n:
            yield row

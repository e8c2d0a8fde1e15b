"""Resumable, atomic batch output.

Scored chunks go to `.<output>.parts/part-<start>-<end>.parquet`, named by the range of input
sentences they hold and each written under a temporary name and renamed, so a killed run leaves
only whole parts. A re-run of the same command (same model content, code, inputs and options: the
fingerprint) continues after the unbroken chain of parts from sentence 0; a part outside that
chain is dropped, so no sentence is ever joined twice. When the input is exhausted the chain is
joined into the output, written atomically, and the parts removed.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Iterator

import pandas as pd

from stance.io import AtomicTableWriter

PART = re.compile(r"^part-(\d{12})-(\d{12})\.parquet$")


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
        chain = {path for _, _, path in self.parts()}
        for path in self.dir.glob("part-*"):  # outside the chain: stale, half-renamed or orphaned
            if path not in chain:
                path.unlink()

    def parts(self) -> list[tuple[int, int, Path]]:
        """(start, end, path) of the unbroken chain of parts from sentence 0, in order."""
        found = {}
        for path in self.dir.iterdir():
            if m := PART.match(path.name):
                found.setdefault(int(m.group(1)), (int(m.group(2)), path))
        chain, position = [], 0
        while position in found:
            end, path = found[position]
            chain.append((position, end, path))
            position = end
        return chain

    @property
    def done_sentences(self) -> int:
        """Sentences already scored: the end of the chain."""
        parts = self.parts()
        return parts[-1][1] if parts else 0

    def add(self, frame: pd.DataFrame, n_sentences: int) -> None:
        start = self.done_sentences
        final = self.dir / f"part-{start:012d}-{start + n_sentences:012d}.parquet"
        tmp = self.dir / f".tmp-{final.name}"
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, final)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def finish(self, visit=None) -> int:
        """Join the chain into the output (atomically) and remove the parts; returns rows written.
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

"""Predict's input as a lazy stream of sentences, with per-file skipping and byte progress.

A file named directly must be readable; an unreadable file found inside a directory or glob
is skipped with a warning and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from stance.data.articles import batch_filter, iter_records, story_sentences
from stance.errors import InputError
from stance.io import resolve_inputs

FORMATS = ("auto", "articles", "sentences")


@dataclass
class InputStream:
    spec: object
    input_format: str = "auto"
    files: list[Path] = field(default_factory=list)
    named: set[Path] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)
    bytes_read: int = 0
    furniture: object = None  # a FurnitureFilter; None: data/furniture.yaml
    repeats: int = 0  # >= 2: lines on that many pages of one folder are furniture (opt-in)
    _by_folder: dict = field(default_factory=dict)

    def __post_init__(self):
        self.input_format = getattr(self.input_format, "value", self.input_format)
        if self.input_format not in FORMATS:
            raise InputError("input_format", f"must be auto, articles or sentences, not {self.input_format!r}")
        self.files = resolve_inputs(self.spec)
        specs = self.spec if isinstance(self.spec, (list, tuple)) else [self.spec]
        self.named = {Path(str(s)).expanduser() for s in specs}

    @property
    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files)

    def sentences(self) -> Iterator[dict]:
        """article_id, sentence_id, text, target (None: every target) per sentence, in input order.
        A file found in a directory or glob is read whole before its first sentence is yielded, so a
        file that goes bad halfway is skipped whole, never half scored."""
        for path in self.files:
            if path in self.named:
                yield from self._file_sentences(path)
                continue
            try:
                rows = list(self._file_sentences(path))
            except InputError as exc:
                self.skipped.append(str(exc))
                continue
            yield from rows

    def _file_sentences(self, path: Path) -> Iterator[dict]:
        def count(record):
            self.bytes_read += record.size

        yield from file_sentences(path, self.input_format, self._filter_for(path), on_record=count)

    def _filter_for(self, path: Path):
        """The furniture filter; with `repeats`, one per folder, from all its pages (read once)."""
        if self.repeats < 2:
            return self.furniture
        folder = path.parent
        if folder not in self._by_folder:
            records = []
            for other in (p for p in self.files if p.parent == folder):
                try:
                    records += list(iter_records(other))
                except InputError:
                    continue  # reported when that file's turn comes
            self._by_folder[folder] = batch_filter(records, self.repeats, self.furniture)
        return self._by_folder[folder]


def file_sentences(path: Path, input_format: str, furniture=None, data: bytes | None = None,
                   on_record=None) -> Iterator[dict]:
    """One file's sentences as predict rows; what both engines read (Spark passes the bytes)."""
    fmt = "articles" if input_format == "auto" else input_format
    if fmt == "sentences" and path.suffix != ".jsonl":
        raise InputError(path, 'sentences mode reads .jsonl files with {"id", "text"}')
    for record in iter_records(path, data):
        if on_record is not None:
            on_record(record)
        if fmt == "sentences":
            target = record.meta.get("target")
            if target is not None and not isinstance(target, str):
                raise InputError(path, "`target` must be a string (a target name) or absent", record.line)
            yield {"article_id": str(record.meta.get("article_id", "")), "sentence_id": record.id,
                   "text": record.text, "target": target}
            continue
        for s in story_sentences(record, furniture):
            yield {"article_id": s.article_id, "sentence_id": s.sentence_id, "text": s.text, "target": None}

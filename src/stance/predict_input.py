"""Predict's input as a lazy stream of sentences, with per-file skipping and byte progress.

A file named directly must be readable; an unreadable file found inside a directory or glob
is skipped with a warning and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from stance.articles import iter_lines, parse_json_line, resolve_inputs
from stance.errors import InputError
from stance.text import article_sentences

TITLE_KEYS = ("title", "headline")


@dataclass
class InputStream:
    spec: object
    input_format: str = "auto"
    files: list[Path] = field(default_factory=list)
    named: set[Path] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)
    bytes_read: int = 0

    def __post_init__(self):
        if self.input_format not in ("auto", "articles", "sentences"):
            raise InputError("input_format", f"must be auto, articles or sentences, not {self.input_format!r}")
        self.files = resolve_inputs(self.spec)
        specs = self.spec if isinstance(self.spec, (list, tuple)) else [self.spec]
        self.named = {Path(str(s)).expanduser() for s in specs}

    @property
    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files)

    def sentences(self) -> Iterator[dict]:
        """article_id, sentence_id, text, target (None: every target) per sentence, in input order."""
        for path in self.files:
            try:
                yield from self._file_sentences(path)
            except InputError as exc:
                if path in self.named:
                    raise
                self.skipped.append(str(exc))

    def _file_sentences(self, path: Path) -> Iterator[dict]:
        fmt = "articles" if self.input_format == "auto" else self.input_format
        if fmt == "sentences" and path.suffix != ".jsonl":
            raise InputError(path, 'sentences mode reads .jsonl files with {"id", "text"}')
        if path.suffix == ".txt":
            lines = [line for _, line, _ in iter_lines(path)]  # validate the whole file before yielding
            self.bytes_read += path.stat().st_size
            yield from _article(path.stem, "\n".join(lines), None, path)
            return
        if path.suffix != ".jsonl":
            raise InputError(path, f"unsupported file type {path.suffix!r} (use .txt or .jsonl)")
        for lineno, line, size in iter_lines(path):
            self.bytes_read += size
            if not line.strip():
                continue
            obj = parse_json_line(path, lineno, line)
            if fmt == "sentences":
                yield {"article_id": str(obj.get("article_id", "")), "sentence_id": str(obj["id"]),
                       "text": str(obj["text"]), "target": obj.get("target")}
            else:
                title = next((obj[k] for k in TITLE_KEYS if obj.get(k)), None)
                yield from _article(str(obj["id"]), str(obj["text"]), title, path, lineno)


def _article(article_id, text, title, path, lineno=None) -> Iterator[dict]:
    sents = article_sentences(article_id, text, title)
    if not sents:
        raise InputError(path, f"article {article_id!r} has no story text", lineno)
    for s in sents:
        yield {"article_id": s.article_id, "sentence_id": s.sentence_id, "text": s.text, "target": None}

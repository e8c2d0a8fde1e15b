"""Articles (and pre-split sentences) read from disk as records, one at a time. `prepare` and
`stance-predict` read through this one module, so both see the same text and the same errors.

Formats: `.txt` (one article per file, first line may be the title) and `.jsonl` (one object
per line, `{"id", "text", ...}`, an optional "title" or "headline")."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from stance.data.text import Sentence, article_sentences
from stance.errors import InputError
from stance.io import iter_lines, parse_json_line

TITLE_KEYS = ("title", "headline")


@dataclass
class Record:
    """One article (or one sentence, in sentences mode) read from disk."""

    id: str
    text: str
    path: str
    line: int | None = None
    meta: dict = field(default_factory=dict)
    size: int = 0  # bytes of input this record took (progress bars)

    @property
    def title(self) -> str | None:
        return next((str(self.meta[k]) for k in TITLE_KEYS if self.meta.get(k)), None)


def iter_records(path: Path) -> Iterator[Record]:
    """`.txt`: the whole file, validated before it is yielded; `.jsonl`: one record per line."""
    path = Path(path)
    if path.suffix == ".txt":
        lines = [line for _, line, _ in iter_lines(path)]
        text = "\n".join(lines)
        if not text.strip():
            raise InputError(path, "file is empty")
        yield Record(path.stem, text, str(path), size=path.stat().st_size)
    elif path.suffix == ".jsonl":
        for lineno, line, size in iter_lines(path):
            if not line.strip():
                continue
            obj = parse_json_line(path, lineno, line)
            meta = {k: v for k, v in obj.items() if k not in ("id", "text")}
            yield Record(str(obj["id"]), str(obj["text"]), str(path), lineno, meta, size)
    else:
        raise InputError(path, f"unsupported file type {path.suffix!r} (use .txt or .jsonl)")


def story_sentences(record: Record) -> list[Sentence]:
    """The article's story sentences, or an InputError when furniture removal leaves nothing."""
    sents = article_sentences(record.id, record.text, record.title)
    if not sents:
        raise InputError(record.path, f"article {record.id!r} has no story text left after removing "
                                      "page furniture", record.line)
    return sents

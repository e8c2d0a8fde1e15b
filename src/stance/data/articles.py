"""Articles (and pre-split sentences) read from disk as records, one at a time. `prepare` and
`stance-predict` read through this one module, so both see the same text and the same errors.

Formats: `.txt` (one article per file, first line may be the title), `.jsonl` (one object per
line, `{"id", "text", ...}`, an optional "title" or "headline") and saved web pages `.html` /
`.htm` (main text and title extracted with trafilatura; page chrome, comments and tables left out;
the declared or detected encoding honoured)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from stance.data.furniture import repeated_lines
from stance.data.text import Sentence, article_sentences, furniture_filter, normalise
from stance.errors import InputError
from stance.io import MAX_PAGE_BYTES, iter_lines, parse_json_line, read_text

TITLE_KEYS = ("title", "headline")
HTML_SUFFIXES = (".html", ".htm")


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


def iter_records(path: Path, data: bytes | None = None) -> Iterator[Record]:
    """`.txt`: the whole file, validated before it is yielded; `.jsonl`: one record per line.
    `data`: the file's bytes when they were read elsewhere (Spark's binaryFile reader)."""
    path = Path(path)
    if path.suffix == ".txt":
        size = len(data) if data is not None else path.stat().st_size
        yield Record(path.stem, read_text(path, data), str(path), size=size)
    elif path.suffix == ".jsonl":
        for lineno, line, size in iter_lines(path, data):
            if not line.strip():
                continue
            obj = parse_json_line(path, lineno, line)
            meta = {k: v for k, v in obj.items() if k not in ("id", "text")}
            yield Record(str(obj["id"]), str(obj["text"]), str(path), lineno, meta, size)
    elif path.suffix.lower() in HTML_SUFFIXES:
        yield read_html(path, data)
    else:
        raise InputError(path, f"unsupported file type {path.suffix!r} (use .txt, .jsonl, .html or .htm)")


def read_html(path: Path, data: bytes | None = None) -> Record:
    """One saved page as an article: its title first, then the main text, one paragraph a line."""
    import trafilatura

    size = len(data) if data is not None else path.stat().st_size
    if size == 0:
        raise InputError(path, "file is empty")
    if size > MAX_PAGE_BYTES:
        raise InputError(path, f"page has {size:,} bytes (limit {MAX_PAGE_BYTES:,})")
    data = data if data is not None else path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file, not a web page")
    doc = trafilatura.bare_extraction(data, include_comments=False, include_tables=False, with_metadata=True)
    body = (doc.text or "").strip() if doc is not None else ""
    if not any(len(line.split()) >= 5 for line in body.splitlines()):  # menus and labels only
        raise InputError(path, "no article text found in this page")
    title = (doc.title or "").strip()
    text = f"{title}\n{body}" if title and not body.startswith(title) else body
    return Record(path.stem, text, str(path), meta={"title": title} if title else {}, size=size)


def story_sentences(record: Record, furniture=None) -> list[Sentence]:
    """The article's story sentences, or an InputError when furniture removal leaves nothing.
    `furniture`: a FurnitureFilter (default: data/furniture.yaml)."""
    sents = article_sentences(record.id, record.text, record.title, furniture)
    if not sents:
        raise InputError(record.path, f"article {record.id!r} has no story text left after removing "
                                      "page furniture", record.line)
    return sents


def batch_filter(records: list[Record], repeats: int, furniture=None):
    """The furniture filter for pages of one source: `furniture` (default: the packaged patterns),
    plus, when `repeats` >= 2, every line found on that many of these pages (opt-in: the output
    of an article then depends on the other pages of its source)."""
    base = furniture or furniture_filter()
    if repeats < 2:
        return base
    pages = [[line for line in (normalise(raw) for raw in r.text.split("\n")) if line] for r in records]
    return base.with_repeated(repeated_lines(pages, repeats))

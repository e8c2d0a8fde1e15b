"""Read articles and sentence files lazily from a file, a directory or a glob.

Formats: `.txt` (one article per file, first line may be the title) and `.jsonl`
(`{"id", "text", ...}` per line). Every problem is an InputError naming the file and line.
"""

from __future__ import annotations

import glob
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from stance.errors import InputError

SUFFIXES = (".txt", ".jsonl")
MAX_LINE_CHARS = 200_000  # a longer line is a dump, not an article paragraph


@dataclass
class Record:
    """One article (or one sentence, in sentences mode) read from disk."""

    id: str
    text: str
    path: str
    line: int | None = None
    meta: dict = field(default_factory=dict)


def resolve_inputs(spec: str | Path | list) -> list[Path]:
    """Files named by a path, a directory (its .txt/.jsonl files) or a glob, sorted."""
    specs = spec if isinstance(spec, (list, tuple)) else [spec]
    files: list[Path] = []
    for item in specs:
        path = Path(str(item)).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
            if not found:
                raise InputError(path, "directory holds no .txt or .jsonl articles")
            files += found
        elif path.is_file():
            files.append(path)
        elif any(ch in str(item) for ch in "*?["):
            found = sorted(Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
            if not found:
                raise InputError(item, "glob matches no files")
            files += found
        else:
            raise InputError(path, "no such file or directory")
    return files


def read_text(path: Path) -> str:
    """UTF-8 text of a whole file (one article), or an InputError that says what is wrong."""
    text = "\n".join(line for _, line, _ in iter_lines(path))
    if not text.strip():
        raise InputError(path, "file is empty")
    return text


def iter_lines(path: Path) -> Iterator[tuple[int, str, int]]:
    """(line number, text, bytes) one line at a time: a large file is never held in memory.
    Empty, binary, non-UTF-8 files and over-long lines raise an InputError naming file and line."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
        if not head.strip():
            raise InputError(path, "file is empty")
        if b"\x00" in head:
            raise InputError(path, "binary file, not text")
        fh.seek(0)
        for lineno, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not valid UTF-8 (byte {exc.start} of the line)", lineno) from exc
            if len(text) > MAX_LINE_CHARS:
                raise InputError(path, f"line has {len(text):,} characters (limit {MAX_LINE_CHARS:,})", lineno)
            yield lineno, text.rstrip("\r\n"), len(raw)


def parse_json_line(path: Path, lineno: int, line: str, required: tuple[str, ...] = ("id", "text")) -> dict:
    """One JSONL line as an object with the required keys, or an InputError naming file and line."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON ({exc.msg})", lineno) from exc
    if not isinstance(obj, dict):
        raise InputError(path, "expected a JSON object", lineno)
    missing = [k for k in required if k not in obj]
    if missing:
        raise InputError(path, f"missing key(s) {', '.join(missing)}", lineno)
    return obj


def iter_jsonl(path: Path, required: tuple[str, ...] = ("id", "text")) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line, checking the required keys."""
    for lineno, line, _ in iter_lines(path):
        if line.strip():
            yield lineno, parse_json_line(path, lineno, line, required)


def iter_records(files: list[Path]) -> Iterator[Record]:
    """Articles (or sentences) one at a time: `.txt` file = one record, `.jsonl` line = one."""
    for path in files:
        if path.suffix == ".jsonl":
            for lineno, obj in iter_jsonl(path):
                text = str(obj["text"])
                meta = {k: v for k, v in obj.items() if k not in ("id", "text")}
                yield Record(str(obj["id"]), text, str(path), lineno, meta)
        elif path.suffix == ".txt":
            yield Record(path.stem, read_text(path), str(path))
        else:
            raise InputError(path, f"unsupported file type {path.suffix!r} (use .txt or .jsonl)")

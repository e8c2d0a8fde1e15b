"""Files in and out, one way each. Reading: files named by a path, a directory or a glob, read
line by line with every problem an InputError naming file and line. Writing: tables (.jsonl,
.csv, .parquet) and directories published atomically: written under a unique temporary name
beside the target and renamed over it only when complete."""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from stance.errors import InputError

ARTICLE_SUFFIXES = (".txt", ".jsonl", ".html", ".htm")
TABLE_FORMATS = (".jsonl", ".csv", ".parquet")
MAX_LINE_CHARS = 200_000  # a longer line is a dump, not an article paragraph
MAX_PAGE_BYTES = 20_000_000  # a saved web page larger than this is not one article


# --- reading ---------------------------------------------------------------------------------
def resolve_inputs(spec: str | Path | list) -> list[Path]:
    """Files named by a path, a directory (its .txt/.jsonl files) or a glob, sorted."""
    specs = spec if isinstance(spec, (list, tuple)) else [spec]
    files: list[Path] = []
    for item in specs:
        path = Path(str(item)).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in ARTICLE_SUFFIXES)
            if not found:
                raise InputError(path, "directory holds no .txt, .jsonl or .html articles")
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


def iter_lines(path: Path, data: bytes | None = None) -> Iterator[tuple[int, str, int]]:
    """(line number, text, bytes) one line at a time: a large file is never held in memory.
    Empty, binary, non-UTF-8 files and over-long lines raise an InputError naming file and line.
    `data`: the file's bytes, already read (by Spark), instead of opening `path`."""
    with (io.BytesIO(data) if data is not None else open(path, "rb")) as fh:
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


def read_text(path: Path, data: bytes | None = None) -> str:
    """UTF-8 text of a whole file, validated line by line, or an InputError saying what is wrong."""
    text = "\n".join(line for _, line, _ in iter_lines(path, data))
    if not text.strip():
        raise InputError(path, "file is empty")
    return text


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
    if "text" in required and not isinstance(obj["text"], str):
        raise InputError(path, "`text` must be a string", lineno)
    for key in ("id", "article_id", "sentence_id"):
        if key in obj and obj[key] is not None and (isinstance(obj[key], bool) or not isinstance(obj[key], (str, int))):
            raise InputError(path, f"`{key}` must be a string or a number", lineno)
    return obj


def iter_jsonl(path: Path, required: tuple[str, ...] = ("id", "text")) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line, checking the required keys."""
    for lineno, line, _ in iter_lines(path):
        if line.strip():
            yield lineno, parse_json_line(path, lineno, line, required)


def sha256(path: str | Path) -> str:
    """The hex sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_table(path: str | Path, stage_hint: str) -> pd.DataFrame:
    """A stage's parquet table, or an InputError naming the command that writes it."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, f"not found: run `{stage_hint}` first")
    return pd.read_parquet(path)


# --- writing ---------------------------------------------------------------------------------
def check_output_path(path: str | Path, dataset: bool = False) -> Path:
    """A table file to write (`dataset`: a Parquet dataset folder, as Spark writes)."""
    path = Path(path)
    if path.suffix not in TABLE_FORMATS:
        raise InputError(path, f"output must end in one of {', '.join(TABLE_FORMATS)}")
    if path.is_dir() and not dataset:
        raise InputError(path, "output is a directory; give a file name")
    return path


def temporary_sibling(path: Path) -> Path:
    """A unique hidden name beside `path`: two runs writing the same output never collide."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


class AtomicTableWriter:
    """`with AtomicTableWriter(path) as w: w.write(df)`; the final file appears only on success.
    Frames are appended as they come (streaming); the format follows the file's suffix."""

    def __init__(self, path: str | Path):
        self.path = check_output_path(path)
        self.tmp: Path | None = None
        self._fh = None
        self._parquet = None
        self.rows = 0

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = temporary_sibling(self.path)
        if self.path.suffix != ".parquet":
            self._fh = open(self.tmp, "w", encoding="utf-8", newline="")
        return self

    def write(self, df: pd.DataFrame) -> None:
        if df.empty and (self._parquet is not None or self.path.suffix != ".parquet"):
            return
        if self.path.suffix == ".jsonl":
            for rec in df.to_dict(orient="records"):
                self._fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        elif self.path.suffix == ".csv":
            df.to_csv(self._fh, header=self.rows == 0, index=False)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, preserve_index=False)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.tmp, table.schema)
            self._parquet.write_table(table.cast(self._parquet.schema))
        self.rows += len(df)

    def __exit__(self, exc_type, exc, tb):
        if self._fh:
            self._fh.close()
        if self._parquet:
            self._parquet.close()
        if exc_type is None and (self._fh or self._parquet):
            os.replace(self.tmp, self.path)
        elif self.tmp.exists():
            self.tmp.unlink()
        return False


def write_table(df: pd.DataFrame, path: str | Path) -> Path:
    """A whole table, atomically (a failed stage never leaves half a file)."""
    with AtomicTableWriter(path) as writer:
        writer.write(df)
    return Path(path)


def write_text(text: str, path: str | Path) -> Path:
    """A small text file (json, markdown), atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_sibling(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def replace_dir(target: Path, write: Callable[[Path], object]) -> None:
    """Write a directory beside `target`, then swap it in with one atomic exchange: the target is
    always either the old or the new folder, and a failed export keeps the old one."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent))
    try:
        fresh.rmdir()
        write(fresh)
        if not target.exists():
            fresh.rename(target)
        elif not _exchange(fresh, target):  # no renameat2 (not Linux): two renames, a short gap
            old = fresh.with_suffix(".old")
            target.rename(old)
            fresh.rename(target)
            fresh = old
    finally:
        shutil.rmtree(fresh, ignore_errors=True)

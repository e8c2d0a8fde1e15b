"""Labelled tables a user brings (`data=table`) -> the labelled-pairs table (`schema.PAIR_COLUMNS`,
plus `split` where the file defines one). CSV, TSV, JSON lines or Parquet; which column holds the
text, target, label, group (article) and id is configuration, and so are a label map and the
encodings tried line by line (SemEval-2016's release is UTF-8 with a few cp1252 lines). A bad row
is one InputError naming file and line; nothing is skipped silently."""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd

from stance.data.ids import sentence_id
from stance.data.text import normalise
from stance.errors import InputError
from stance.io import parse_json_line, resolve_inputs
from stance.schema import LABELS, PAIR_COLUMNS

log = logging.getLogger(__name__)
FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "tsv", ".jsonl": "jsonl", ".json": "jsonl", ".parquet": "parquet"}
SPLITS = ("train", "val", "test")


def decoded_lines(path: Path, encodings: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, text without its line ending), each line decoded with the first encoding that
    works: one odd line does not make the whole file unreadable."""
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            for encoding in encodings:
                try:
                    text = raw.decode("utf-8-sig" if encoding == "utf-8" and lineno == 1 else encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise InputError(path, f"line is not valid {' or '.join(encodings)}", lineno)
            yield lineno, text.rstrip("\r\n")


def label_key(value) -> str:
    """How a raw label is looked up in `label_map`: 2.0 and 2 and "2" are the same key."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class TableSource:
    """One data set in a table format. `files`: a file, directory or glob (or a list of them).
    `columns` maps our names (text, target, label, group, id, split) to the file's; a null target
    column means every row is about `target`; a null group means each row is its own article."""

    name: str
    files: list = field(default_factory=list)
    format: str = "auto"  # csv | tsv | jsonl | parquet | auto (by extension)
    columns: dict = field(default_factory=dict)
    label_map: dict | None = None  # raw label -> FAVOR / AGAINST / NONE
    encodings: list = field(default_factory=lambda: ["utf-8"])
    target: str | None = None  # the one target of every row, when the table has no target column
    quoting: str = "minimal"  # csv quoting: minimal ("..." fields) or none (quotes are text)

    def __post_init__(self):
        self.columns = {"text": "text", "target": "target", "label": "label", "group": None, "id": None,
                        "split": None} | dict(self.columns)
        self.label_map = {label_key(k): str(v) for k, v in dict(self.label_map or {}).items()}
        bad = sorted(set(self.label_map.values()) - set(LABELS))
        if bad:
            raise ValueError(f"label_map maps to {bad}: labels are {list(LABELS)}")

    # --- reading ------------------------------------------------------------------------------
    def _rows(self, path: Path) -> Iterator[tuple[int, dict]]:
        kind = self.format if self.format != "auto" else FORMATS.get(path.suffix.lower())
        if kind in ("csv", "tsv"):
            lines = decoded_lines(path, list(self.encodings))
            reader = csv.reader((line for _, line in lines), delimiter="," if kind == "csv" else "\t",
                                quoting=csv.QUOTE_NONE if self.quoting == "none" else csv.QUOTE_MINIMAL)
            header = next(reader, None)
            if not header:
                raise InputError(path, "file is empty (expected a header line)", 1)
            header = [h.strip() for h in header]
            for record in reader:
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) != len(header):
                    raise InputError(path, f"{len(record)} fields, header has {len(header)}", reader.line_num)
                yield reader.line_num, dict(zip(header, record))
        elif kind == "jsonl":
            for lineno, line in decoded_lines(path, list(self.encodings)):
                if line.strip():
                    yield lineno, parse_json_line(path, lineno, line, required=())
        elif kind == "parquet":  # no lines: errors name the row (1-based) instead
            for row, obj in enumerate(pd.read_parquet(path).to_dict("records"), 1):
                yield row, obj
        else:
            raise InputError(path, f"unknown table format {path.suffix!r} (set format: csv, tsv, jsonl or parquet)")

    def _field(self, path, lineno, obj, key, required=True):
        column = self.columns.get(key)
        if column is None:
            return None
        if column not in obj:
            if required:
                raise InputError(path, f"no column {column!r} (data.loader.columns.{key})", lineno)
            return None
        return obj[column]

    def _pair(self, path: Path, lineno: int, obj: dict) -> dict:
        text = self._field(path, lineno, obj, "text")
        if not isinstance(text, str) or not text.strip():
            raise InputError(path, "text is empty or not a string", lineno)
        target = self.target if self.columns["target"] is None else self._field(path, lineno, obj, "target")
        if not isinstance(target, str) or not target.strip():
            raise InputError(path, "target is empty or not a string (or set data.loader.target)", lineno)
        raw = self._field(path, lineno, obj, "label")
        label = self.label_map.get(label_key(raw), label_key(raw))
        if label not in LABELS:
            raise InputError(path, f"label {raw!r} is not one of {list(LABELS)} (map it in "
                                   f"data.loader.label_map)", lineno)
        group = self._field(path, lineno, obj, "group")
        ident = self._field(path, lineno, obj, "id")
        key = label_key(ident) if ident is not None else f"{path.stem}-{lineno}"
        article = f"{self.name}:{label_key(group) if group is not None else key}"
        text = normalise(text)
        row = {"article_id": article, "sentence_id": sentence_id(article, 0, f"{key}|{text}"), "index": 0,
               "text": text, "source": self.name, "style": self.name, "target": target.strip(),
               "label": label, "label_source": f"gold:{self.name}"}
        split = self._field(path, lineno, obj, "split")
        if split is not None:
            if split not in SPLITS:
                raise InputError(path, f"split {split!r} is not one of {list(SPLITS)}", lineno)
            row["split"] = split
        return row

    def __call__(self) -> pd.DataFrame:
        rows = [self._pair(path, lineno, obj) for path in resolve_table_files(self.files)
                for lineno, obj in self._rows(path)]
        if not rows:
            raise InputError(", ".join(map(str, self.files)), "no labelled rows")
        table = pd.DataFrame(rows)
        log.info("%s: %d labelled pairs, %d targets, labels %s", self.name, len(table), table.target.nunique(),
                 table.label.value_counts().to_dict())
        return table[[*PAIR_COLUMNS, *(["split"] if "split" in table else [])]]


def resolve_table_files(files) -> list[Path]:
    """Files named by paths, directories (their table files) or globs, in a stable order."""
    out: list[Path] = []
    for item in files if isinstance(files, (list, tuple)) else [files]:
        path = Path(str(item)).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in FORMATS)
            if not found:
                raise InputError(path, f"directory holds no table file ({', '.join(sorted(FORMATS))})")
            out += found
        else:
            out += resolve_inputs(path)
    return out

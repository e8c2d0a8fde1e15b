"""Streaming table writers (.jsonl, .csv, .parquet) that publish atomically: rows go to a
hidden temporary file beside the output, renamed over it only when the run completes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from stance.errors import InputError

FORMATS = (".jsonl", ".csv", ".parquet")


def check_output_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix not in FORMATS:
        raise InputError(path, f"output must end in one of {', '.join(FORMATS)}")
    if path.is_dir():
        raise InputError(path, "output is a directory; give a file name")
    return path


class AtomicTableWriter:
    """`with AtomicTableWriter(path) as w: w.write(df)`; the final file appears only on success."""

    def __init__(self, path: str | Path):
        self.path = check_output_path(path)
        self.tmp = self.path.with_name(f".{self.path.name}.tmp")
        self._fh = None
        self._parquet = None
        self.rows = 0

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.suffix != ".parquet":
            self._fh = open(self.tmp, "w", encoding="utf-8", newline="")
        return self

    def write(self, df: pd.DataFrame) -> None:
        if df.empty:
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
        if exc_type is None and (self.rows or self.path.suffix != ".parquet"):
            os.replace(self.tmp, self.path)
        elif self.tmp.exists():
            self.tmp.unlink()
        return False

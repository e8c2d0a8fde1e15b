"""Parquet in and out, written atomically so a failed stage never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from stance.errors import InputError


def write_atomic(df: pd.DataFrame, path: str | Path) -> Path:
    """Write `df` next to `path` under a temporary name, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def read_table(path: str | Path, stage_hint: str) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise InputError(path, f"not found: run `{stage_hint}` first")
    return pd.read_parquet(path)

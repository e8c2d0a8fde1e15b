"""One clear error line for bad input, and a non-zero exit, never a traceback wall."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)
log = logging.getLogger("stance")


class InputError(Exception):
    """Bad user input; the message names the file and, where it applies, the line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path, self.line = str(path), line


def exit_on_input_error(func: F) -> F:
    """Turn an InputError raised anywhere below an entry point into one stderr line and exit 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]

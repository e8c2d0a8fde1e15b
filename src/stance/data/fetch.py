"""Public data sets into data/external/: downloaded from a pinned commit, or copied from a local
mirror (`STANCE_DATA_MIRROR`, laid out as <name>/<file>), every file checked against its sha256
and published atomically. The only code in the project that touches the network."""

from __future__ import annotations

import logging
import shutil
import urllib.request
from pathlib import Path

from stance.errors import InputError
from stance.io import sha256, temporary_sibling

log = logging.getLogger(__name__)


def fetch_file(name: str, filename: str, expected: str, base_url: str, dest: Path, mirror: str | None) -> str:
    """One file into dest/name/filename; returns where it came from. Kept when already there and
    intact; never left half-written or unchecked under its final name."""
    final = dest / name / filename
    if final.exists() and sha256(final) == expected:
        return "already there"
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = temporary_sibling(final)
    try:
        if mirror:
            source = Path(mirror) / name / filename
            if not source.is_file():
                raise InputError(source, f"not in the mirror (STANCE_DATA_MIRROR={mirror} should hold {name}/{filename})")
            shutil.copyfile(source, partial)
            origin = str(source)
        else:
            origin = f"{base_url}/{filename}"
            try:
                with urllib.request.urlopen(origin, timeout=60) as response, open(partial, "wb") as out:
                    shutil.copyfileobj(response, out)
            except OSError as exc:
                raise InputError(origin, f"download failed ({exc}); offline? set STANCE_DATA_MIRROR=DIR to a "
                                         f"folder laid out as <dataset>/<file> and run `make data` again") from exc
        actual = sha256(partial)
        if actual != expected:
            raise InputError(origin, f"sha256 {actual[:12]}... does not match the pinned {expected[:12]}...")
        partial.replace(final)
        return origin
    finally:
        partial.unlink(missing_ok=True)


def fetch(datasets: list[str], sources: dict, dest: str | Path, mirror: str | None) -> None:
    for name in datasets:
        if name not in sources:
            raise InputError("datasets", f"unknown data set {name!r} (known: {sorted(sources)})")
        spec = sources[name]
        for filename, expected in spec["files"].items():
            origin = fetch_file(name, filename, expected, spec["base_url"], Path(dest), mirror)
            log.info("%s/%s: %s (sha256 ok)", name, filename, origin)

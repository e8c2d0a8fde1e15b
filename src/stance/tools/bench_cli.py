"""The bench's end-to-end measurement: a cold stance-predict process on a sentences file,
watched from outside (wall time, time to its first scored part, peak resident memory)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path


def cli_run(model_dir: Path, texts: list[str], tmp: Path, *options: str) -> dict:
    """One `stance-predict` process scoring `texts` (sentences mode, default backend)."""
    import psutil

    src = tmp / f"in-{len(texts)}.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    out = tmp / f"out-{len(texts)}.parquet"
    shutil.rmtree(out, ignore_errors=True) if out.is_dir() else out.unlink(missing_ok=True)
    parts = out.with_name(f".{out.name}.parts")
    cmd = [sys.executable, "-m", "stance.predict", f"model={model_dir}", f"input={src}", "input_format=sentences",
           f"output={out}", "quiet=true", *options]
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, first_part = 0, None
    while proc.poll() is None:
        try:
            peak = max(peak, sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]))
        except psutil.Error:
            pass
        if first_part is None and any(parts.glob("part-*.parquet")):
            first_part = time.perf_counter() - start
        time.sleep(0.02)
    wall = time.perf_counter() - start
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(proc.stderr.read()[-2000:])
    return {"wall_s": wall, "sent_per_s": len(texts) / wall, "first_part_s": first_part or wall,
            "peak_rss_mb": peak / 2**20}

"""Training checkpoints: after every epoch the whole training state (weights, optimizer,
scheduler, early-stopping bookkeeping, random generators) goes to `<dir>/epoch-NNN/`, written
under a temporary name and renamed, so a killed run leaves only whole checkpoints. A rerun with
`resume=true` continues after the last one, and reaches the model an uninterrupted run reaches.
Checkpoints are loaded with `torch.load(weights_only=True)`: tensors and plain values, no code."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path


log = logging.getLogger(__name__)
EPOCH = re.compile(r"^epoch-(\d{3})$")


class Checkpoints:
    def __init__(self, directory: str | Path, resume: bool = False):
        self.dir = Path(directory)
        self.resume = resume
        if not resume:
            self.clear()  # a fresh run never continues an old one by accident

    def latest(self) -> Path | None:
        found = sorted(p for p in self.dir.glob("epoch-*") if EPOCH.match(p.name) and (p / "state.pt").exists())
        return found[-1] if found else None

    def load(self, key: str) -> dict | None:
        """The last checkpoint's state, if it was written by the same training (same `key`)."""
        latest = self.latest() if self.resume else None
        if latest is None:
            if self.resume:
                log.warning("resume=true but no checkpoint in %s: training from the start", self.dir)
            return None
        if json.loads((latest / "meta.json").read_text()).get("key") != key:
            log.warning("the checkpoint in %s is from another configuration or data: training from the start",
                        latest)
            return None
        import torch  # here, not at import: stance-train for the baseline never needs it

        return torch.load(latest / "state.pt", map_location="cpu", weights_only=True)

    def save(self, epoch: int, key: str, state: dict) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        final = self.dir / f"epoch-{epoch:03d}"
        tmp = self.dir / f".{final.name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        import torch

        torch.save(state, tmp / "state.pt")
        (tmp / "meta.json").write_text(json.dumps({"key": key, "epoch": epoch}))
        os.replace(tmp, final)
        for older in self.dir.glob("epoch-*"):
            if older != final:
                shutil.rmtree(older, ignore_errors=True)

    def clear(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

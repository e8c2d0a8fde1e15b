"""Hydra glue shared by every entry point: the project root resolver and config helpers."""

from __future__ import annotations

import os
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

CONFIG_DIR = str(Path(__file__).resolve().parents[2] / "configs")
MARKERS = ("dvc.yaml", "configs")


def find_root(start: str | Path | None = None) -> str:
    """The project root: $STANCE_ROOT, else the nearest folder above cwd holding dvc.yaml and
    configs/, else the checkout this package was installed from (editable installs)."""
    if os.environ.get("STANCE_ROOT"):
        return str(Path(os.environ["STANCE_ROOT"]).resolve())
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if all((folder / m).exists() for m in MARKERS):
            return str(folder)
    return str(Path(CONFIG_DIR).parent)


if not OmegaConf.has_resolver("stance_root"):
    OmegaConf.register_new_resolver("stance_root", find_root)


def flatten(cfg: DictConfig | dict, prefix: str = "cfg") -> dict[str, str]:
    """Resolved config as flat `cfg.a.b` -> string params (what MLflow shows and compares)."""
    data = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else cfg
    out: dict[str, str] = {}

    def walk(node, key):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{key}.{k}")
        else:
            out[key] = str(node)[:6000]  # MLflow caps a param value at 6000 characters

    walk(data, prefix)
    return out

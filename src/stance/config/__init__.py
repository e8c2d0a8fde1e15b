"""Hydra glue shared by every entry point: where configs live, the project root resolver, the
structured-config schemas (registered on import) and config helpers."""

from __future__ import annotations

import os
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from hydra.core.config_store import ConfigStore

from stance.config.commands import PRIMARY_SCHEMAS
from stance.config.schemas import GROUP_SCHEMAS

CONFIG_DIR = str(Path(__file__).resolve().parents[3] / "configs")
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
    data = plain(cfg) if isinstance(cfg, DictConfig) else cfg
    out: dict[str, str] = {}

    def walk(node, key):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{key}.{k}")
        else:
            out[key] = str(node)[:6000]  # MLflow caps a param value at 6000 characters

    walk(data, prefix)
    return out


def plain(cfg: DictConfig) -> dict:
    """Resolved config as plain containers, Enum choices as their strings (what code receives)."""
    return OmegaConf.to_container(cfg, resolve=True, enum_to_str=True)


def register_schemas() -> None:
    """Every schema in the `schema` group, where YAML files find them (`/schema@_here_: <name>`)."""
    store = ConfigStore.instance()
    for name, node in {**GROUP_SCHEMAS, **PRIMARY_SCHEMAS}.items():
        store.store(group="schema", name=name, node=node)


register_schemas()

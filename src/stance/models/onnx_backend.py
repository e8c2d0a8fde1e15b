"""ONNX export of the fine-tuned network, dynamic int8 quantisation, and an onnxruntime runner
that returns the same (n, n_heads, 3) logits as the torch path."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

FP32, INT8 = "model.onnx", "model.int8.onnx"
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def export_onnx(net, directory: str | Path, quantize: bool = True) -> list[Path]:
    """Write model.onnx (fp32) and, with `quantize`, model.int8.onnx (dynamic int8 weights)."""
    import torch

    directory = Path(directory)
    fp32 = directory / FP32
    net = net.to("cpu").eval()
    dummy = tuple(torch.ones((2, 8), dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUTS} | {"logits": {0: "batch"}}
    with torch.inference_mode():
        torch.onnx.export(net, dummy, str(fp32), input_names=INPUTS, output_names=["logits"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
    written = [fp32]
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(directory / INT8), weight_type=QuantType.QInt8)
        written.append(directory / INT8)
    return written


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
        raise FileNotFoundError(f"{directory}: no {' or '.join(choices[backend])} in this model (torch only)")
    return None

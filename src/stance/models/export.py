"""ONNX export of the fine-tuned network (fp32) and its dynamically quantised int8 copy."""

from __future__ import annotations

from pathlib import Path

from stance.serving.onnx_runner import FP32, INPUTS, INT8


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

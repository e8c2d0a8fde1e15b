"""ONNX export of the fine-tuned network: model.onnx (fp32, the graph as torch runs it) and
model.int8.onnx, the scoring default: BERT graph fusions, then int8 weights per channel.

Measured on the default MiniLM (README "Scoring speed"): exporting with eager attention lets
onnxruntime's transformer optimizer fuse Attention, EmbedLayerNormalization, SkipLayerNormalization
and BiasGelu (the default SDPA export fuses no attention); quantising the fused graph with
per-channel weights was both faster and closer to fp32 than per-tensor int8 of the plain graph."""

from __future__ import annotations

import tempfile
from pathlib import Path

from stance.serving.onnx_runner import FP32, INPUTS, INT8


def export_onnx(net, directory: str | Path, quantize: bool = True) -> list[Path]:
    """Write model.onnx (fp32) and, with `quantize`, model.int8.onnx (fused, int8 per channel)."""
    import torch

    directory = Path(directory)
    fp32 = directory / FP32
    net = net.to("cpu").eval()
    dummy = tuple(torch.ones((2, 8), dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUTS} | {"logits": {0: "batch"}}
    config = net.encoder.config
    attention = getattr(config, "_attn_implementation", None)
    net.encoder.set_attn_implementation("eager")  # the pattern the optimizer fuses into Attention
    try:
        with torch.inference_mode():
            torch.onnx.export(net, dummy, str(fp32), input_names=INPUTS, output_names=["logits"],
                              dynamic_axes=axes, opset_version=17, dynamo=False)
    finally:
        if attention:
            net.encoder.set_attn_implementation(attention)
    written = [fp32]
    if quantize:
        quantize_fused(fp32, directory / INT8, config.num_attention_heads, config.hidden_size)
        written.append(directory / INT8)
    return written


def quantize_fused(fp32: Path, out: Path, num_heads: int, hidden_size: int) -> None:
    """onnxruntime's BERT fusions (Python passes only: the graph stays portable across CPUs),
    then dynamic int8 quantisation with one scale per output channel."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    fused = optimize_model(str(fp32), model_type="bert", num_heads=num_heads, hidden_size=hidden_size, opt_level=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fused.onnx"
        fused.save_model_to_file(str(path))
        # Fused ops come from the com.microsoft domain, where shape inference leaves some outputs
        # untyped; they are float.
        quantize_dynamic(str(path), str(out), weight_type=QuantType.QInt8, per_channel=True,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})

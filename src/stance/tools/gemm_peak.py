"""What this CPU can compute at all: onnxruntime's fp32 and int8 matrix products at the shape of
MiniLM's feed-forward layer, and what `make bench`'s speed goals would need from it.

    python -m stance.tools.gemm_peak [--tokens 4096] [--threads 2] [--repeats 20]

A sentence costs about 2 x 10.6M multiply-adds per token through MiniLM-L6's six layers (attention
adds little at 30 tokens), so a goal in sentences per second is a goal in operations per second.
When the int8 product alone cannot reach it, no change to the scoring code can.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper

HIDDEN, FFN = 384, 1536  # MiniLM-L6's hidden and feed-forward widths
ENCODER_WEIGHTS = 6 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN)  # multiply-adds per token


def product_graph(tokens: int, int8: bool) -> bytes:
    """One (tokens x HIDDEN) @ (HIDDEN x FFN) product: MatMulInteger (u8 x s8 -> s32) or fp32 MatMul."""
    shape_a, shape_b = [tokens, HIDDEN], [HIDDEN, FFN]
    if int8:
        node = helper.make_node("MatMulInteger", ["a", "b", "a_zero", "b_zero"], ["y"])
        inputs = [helper.make_tensor_value_info("a", TensorProto.UINT8, shape_a),
                  helper.make_tensor_value_info("b", TensorProto.INT8, shape_b),
                  helper.make_tensor_value_info("a_zero", TensorProto.UINT8, []),
                  helper.make_tensor_value_info("b_zero", TensorProto.INT8, [])]
        output = helper.make_tensor_value_info("y", TensorProto.INT32, [tokens, FFN])
    else:
        node = helper.make_node("MatMul", ["a", "b"], ["y"])
        inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in (("a", shape_a), ("b", shape_b))]
        output = helper.make_tensor_value_info("y", TensorProto.FLOAT, [tokens, FFN])
    graph = helper.make_graph([node], "product", inputs, [output])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


def int8_feeds(rng, tokens: int) -> dict:
    """7-bit activations: AVX2 without VNNI adds u8 x s8 pairs in int16, which saturates on full-range
    inputs (measured: wrong products); the speed is the same."""
    return {"a": rng.integers(0, 128, (tokens, HIDDEN), dtype=np.uint8),
            "b": rng.integers(-127, 128, (HIDDEN, FFN), dtype=np.int8),
            "a_zero": np.array(64, np.uint8), "b_zero": np.array(0, np.int8)}


def operations_per_s(tokens: int, int8: bool, threads: int, repeats: int) -> float:
    """Operations (a multiply-add counts two) per second of the best of `repeats` timed runs."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(product_graph(tokens, int8), options, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    if int8:
        feeds = int8_feeds(rng, tokens)
    else:
        feeds = {"a": rng.standard_normal((tokens, HIDDEN), dtype=np.float32),
                 "b": rng.standard_normal((HIDDEN, FFN), dtype=np.float32)}
    session.run(None, feeds)  # warm-up
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        session.run(None, feeds)
        best = min(best, time.perf_counter() - started)
    return 2 * tokens * HIDDEN * FFN / best


def sentence_ceiling(ops_per_s: float, tokens_per_sentence: float) -> float:
    """Sentences per second if every encoder product ran at `ops_per_s` and nothing else cost time."""
    return ops_per_s / (2 * ENCODER_WEIGHTS * tokens_per_sentence)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=4096, help="rows of the product (tokens in a batch)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--sentence-tokens", type=float, default=29.3,
                        help="mean tokens of a bench sentence (29.3 for make bench's sentences)")
    args = parser.parse_args()
    result = {}
    for kind, int8 in (("fp32", False), ("int8", True)):
        ops = operations_per_s(args.tokens, int8, args.threads, args.repeats)
        result[f"{kind}_gop_per_s"] = round(ops / 1e9, 1)
        result[f"{kind}_sentence_ceiling_per_s"] = round(sentence_ceiling(ops, args.sentence_tokens), 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

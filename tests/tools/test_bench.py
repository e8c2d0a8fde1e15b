"""`make bench` (stance.tools.bench): every measured key is written and positive."""

import json

import pytest

from conftest import run_cli


@pytest.mark.slow
def test_bench_writes_every_key(transformer_root, tmp_path):
    """`make bench` on the tiny exported models."""
    pipeline_root = transformer_root
    out = tmp_path / "bench.json"
    run_cli("bench", "--n", "30", "--out", str(out), root=pipeline_root)
    result = json.loads(out.read_text())
    for key in ("n_sentences", "pipeline_batched_sent_per_s", "torch_sent_per_s", "onnx_int8_sent_per_s",
                "onnx_int8_argmax_agreement", "peak_rss_mb_small", "peak_rss_mb_large", "logreg_sent_per_s"):
        assert result[key] > 0, key
    assert result["n_sentences"] == 30 and 0 <= result["onnx_int8_argmax_agreement"] <= 1

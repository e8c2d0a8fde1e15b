"""`make bench` (stance.tools.bench): every measured key is written, and the quality columns are
computed against torch fp32 on the labelled splits."""

import json

import pytest

from conftest import run_cli


@pytest.mark.slow
def test_bench_writes_every_key(transformer_root, tmp_path):
    """`make bench` on the tiny exported models (Spark's run is left out: test_batch_scoring runs it)."""
    pipeline_root = transformer_root
    out = tmp_path / "bench.json"
    run_cli("bench", "--n", "30", "--large", "40", "--out", str(out), "--starts", "2", "--no-spark", root=pipeline_root)
    result = json.loads(out.read_text())
    for key in ("pipeline_batched_sent_per_s", "torch_sent_per_s", "onnx-int8_sent_per_s", "onnx-fp32_sent_per_s",
                "onnx-int8_1_thread_sent_per_s", "cli_sent_per_s_small", "cli_sent_per_s_large",
                "cli_first_part_s_large", "peak_rss_mb_small", "peak_rss_mb_10x", "startup_10_sentences_s_median",
                "logreg_sent_per_s", "speedup_cli_large_vs_pipeline", "speedup_in_process_int8_vs_pipeline"):
        assert result[key] > 0, key
    assert result["n_sentences"] == 30 and result["n_large"] == 40
    for split in ("val", "test", "test_seeds"):
        assert 0 <= result[f"{split}/onnx-int8/agreement"] <= 1
        assert result[f"{split}/onnx-fp32/agreement"] == 1.0  # the same graph in fp32: the same labels
        assert result[f"{split}/onnx-int8/f_avg_change"] == pytest.approx(
            result[f"{split}/onnx-int8/f_avg"] - result[f"{split}/torch/f_avg"])

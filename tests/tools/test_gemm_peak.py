"""stance.tools.gemm_peak: the timed graphs compute the products they are said to, and the
sentence ceiling counts MiniLM-L6's multiply-adds."""

import numpy as np
import onnxruntime as ort
import pytest

from stance.tools.gemm_peak import ENCODER_WEIGHTS, int8_feeds, operations_per_s, product_graph, sentence_ceiling


@pytest.mark.parametrize("int8", [False, True])
def test_timed_graph_is_the_product(int8):
    session = ort.InferenceSession(product_graph(8, int8), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)
    if int8:
        feeds = int8_feeds(rng, 8)
        expected = (feeds["a"].astype(np.int32) - 64) @ feeds["b"].astype(np.int32)
        np.testing.assert_array_equal(session.run(None, feeds)[0], expected)
    else:
        a, b = rng.standard_normal((8, 384), dtype=np.float32), rng.standard_normal((384, 1536), dtype=np.float32)
        np.testing.assert_allclose(session.run(None, {"a": a, "b": b})[0], a @ b, rtol=1e-4, atol=1e-3)
    assert operations_per_s(8, int8, threads=1, repeats=2) > 0


def test_sentence_ceiling_counts_minilm_l6():
    assert ENCODER_WEIGHTS == pytest.approx(10.6e6, rel=0.01)  # 6 layers of 384-wide attention + 1536 FFN
    # 0.62 GOP a 29.3-token sentence: 100 GOP/s is about 161 sentences a second
    assert sentence_ceiling(100e9, 29.3) == pytest.approx(161, abs=1)

"""Scoring's tokenizer (the `tokenizers` library alone, for a fast start) gives the same ids as the
`transformers` tokenizer that training used: a model scores the text it was trained on."""

from __future__ import annotations

import numpy as np
import pytest

from stance.serving.encoding import BatchEncoder

TEXTS = ["Russia voiced support for Maduro.", "Cuba praised Guaido",
         "Maduro Guaido Cuba praised Russia voiced support for Maduro Guaido Cuba praised Russia voiced support"]


@pytest.mark.parametrize("pairs", [None, ["maduro", "guaido", "cuba praised russia"]])
@pytest.mark.parametrize("max_length", [6, 128])
def test_batch_encoder_matches_the_training_tokenizer(tiny_bert, pairs, max_length):
    from transformers import AutoTokenizer

    hf = AutoTokenizer.from_pretrained(tiny_bert)
    want = hf.pad(hf(TEXTS, pairs, truncation=True, max_length=max_length), return_tensors="np")
    for encoder in (BatchEncoder.from_dir(tiny_bert, max_length), BatchEncoder.from_hf(hf, max_length)):
        got = encoder(TEXTS, pairs)
        for key in ("input_ids", "attention_mask", "token_type_ids"):
            np.testing.assert_array_equal(got[key], want[key], err_msg=key)
        assert encoder.lengths(TEXTS, pairs) == [len(x) for x in hf(TEXTS, pairs)["input_ids"]]

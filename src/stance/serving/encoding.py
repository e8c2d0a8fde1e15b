"""Batch encoding for scoring with the `tokenizers` library alone: one Rust call per batch, padded
numpy arrays out, and no `transformers` import (seconds at start-up for an ONNX model).

It reads the same tokenizer.json that the training side's `AutoTokenizer` saved and gives the
same ids: `truncation=True, max_length=N` is `longest_first` truncation to N tokens including
the special ones; padding is to the longest input of the batch (tests/serving/test_encoding.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

TOKENIZER_FILE, CONFIG_FILE = "tokenizer.json", "tokenizer_config.json"


class BatchEncoder:
    """`encoder(texts, pairs=None) -> {"input_ids", "attention_mask", "token_type_ids"}` (int64)."""

    def __init__(self, tokenizer: Tokenizer, max_length: int, pad_token: str = "[PAD]"):
        self.max_length = int(max_length)
        self.full = Tokenizer.from_str(tokenizer.to_str())  # untruncated: lengths for `truncated`
        self.full.no_truncation()
        self.full.no_padding()
        self.batch = Tokenizer.from_str(tokenizer.to_str())
        self.batch.enable_truncation(self.max_length, strategy="longest_first")
        pad_id = self.batch.token_to_id(pad_token)
        self.batch.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token=pad_token)

    @classmethod
    def from_dir(cls, directory: str | Path, max_length: int) -> "BatchEncoder":
        """From a saved Hugging Face tokenizer folder (tokenizer.json, tokenizer_config.json)."""
        directory = Path(directory)
        config = directory / CONFIG_FILE
        pad = json.loads(config.read_text()).get("pad_token", "[PAD]") if config.exists() else "[PAD]"
        pad = pad.get("content", "[PAD]") if isinstance(pad, dict) else pad
        return cls(Tokenizer.from_file(str(directory / TOKENIZER_FILE)), max_length, pad)

    @classmethod
    def from_hf(cls, tokenizer, max_length: int) -> "BatchEncoder":
        """From a loaded `transformers` fast tokenizer (the training side)."""
        return cls(tokenizer.backend_tokenizer, max_length, tokenizer.pad_token or "[PAD]")

    @staticmethod
    def _inputs(texts, pairs):
        return list(texts) if pairs is None else list(zip(texts, pairs))

    def __call__(self, texts, pairs=None) -> dict[str, np.ndarray]:
        encodings = self.batch.encode_batch(self._inputs(texts, pairs))
        return {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64)}

    def lengths(self, texts, pairs=None) -> list[int]:
        """Token counts before truncation, special tokens included."""
        return [len(e.ids) for e in self.full.encode_batch(self._inputs(texts, pairs))]

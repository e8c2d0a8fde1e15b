"""Stable identifiers for articles and sentences."""

from __future__ import annotations

import hashlib
import json


def text_hash(text: str, length: int = 8) -> str:
    """Short content hash: ids change when a sentence's text changes, never silently."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def sentence_id(article_id: str, index: int, text: str) -> str:
    """`<article>:<index>:<hash>`, e.g. `000_ec08b3678edd9e5f:004:1a2b3c4d`."""
    return f"{article_id}:{index:03d}:{text_hash(text)}"


def fingerprint(value) -> str:
    """A short digest of any JSON-able value (keys sorted, other objects by their str): what a
    resumable output or a training checkpoint belongs to."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]

"""Stable identifiers for articles and sentences."""

from __future__ import annotations

import hashlib


def text_hash(text: str, length: int = 8) -> str:
    """Short content hash: ids change when a sentence's text changes, never silently."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def sentence_id(article_id: str, index: int, text: str) -> str:
    """`<article>:<index>:<hash>`, e.g. `000_ec08b3678edd9e5f:004:1a2b3c4d`."""
    return f"{article_id}:{index:03d}:{text_hash(text)}"

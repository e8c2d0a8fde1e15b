"""Article text -> clean story sentences. `prepare` and `predict` share this one function."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from stance.data.ids import sentence_id

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                        "\u00ab": '"', "\u00bb": '"', "\u00a0": " ", "\u2009": " ", "\u202f": " "})

# Lines that are page furniture, not story text.
BOILERPLATE = [re.compile(p, re.I) for p in (
    r"^all news$",
    r"^-?\s*advertisements?\s*-?$",
    r"^subscribe to (our|the) newsletter",
    r"^sign up (here|now|for)",
    r"^comments?$",
    r"^your comment$",
    r"^please let us know if you're having issues with commenting",
    r"^follow .{1,60} on (facebook|twitter|x|instagram)",
    r"^(by|written by) [A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3}$",
    r"^(updated|published|publish date|posted|last updated)( in| on)?\s*:",
    r"^news id\s*:",
    r"^message end/?$",
    r"^(read more|related|share this|click here)\b",
    r"^[A-Z0-9 ./&-]{2,40}/[A-Z0-9 ./&-]{2,40}$",  # photo credit such as "AFP/JOHN THYS"
)]
DATE_LINE = re.compile(
    r"^(\w+day,?\s+)?(\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4})([\s,-]+\d{1,2}:\d{2})?$")
# A caption cut off mid-phrase: no end punctuation and ends on a function word.
TRUNCATED = re.compile(r"\b(to|of|the|a|an|and|or|for|with|in|on|at|by|from|that)$", re.I)
# Datelines that open a story: "MOSCOW, February 7. /TASS/.", "TEHRAN (defapress) –", "MOSCOW –".
DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]{2,30}(,\s*\w+\s+\d{1,2}\.?)?\s*(\(\w+\)|/[A-Z]+/\.?)?\s*[–—-]?\s*(?=[A-Z\"'])")


@dataclass(frozen=True)
class Sentence:
    article_id: str
    sentence_id: str
    index: int
    text: str


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(QUOTES)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def is_boilerplate(line: str) -> bool:
    return (any(p.search(line) for p in BOILERPLATE) or bool(DATE_LINE.match(line))
            or (not re.search(r"[.!?\"')\]]$", line) and bool(TRUNCATED.search(line))))


def story_paragraphs(text: str, title: str | None = None) -> list[str]:
    """Normalised paragraphs with furniture dropped, datelines cut and repeated titles removed."""
    paragraphs: list[str] = []
    for raw in text.split("\n"):
        line = normalise(raw)
        if not line or is_boilerplate(line):
            continue
        if title and paragraphs and line.startswith(title):  # title repeated in the body
            line = line[len(title):].strip()
            if not line:
                continue
        if paragraphs:
            line = DATELINE.sub("", line, count=1) if DATELINE.match(line) and _dateline_ok(line) else line
        paragraphs.append(line)
    return paragraphs


def _dateline_ok(line: str) -> bool:
    """Only cut an upper-case opener that is a place, not an all-caps first word of a sentence."""
    head = DATELINE.match(line).group(0)
    return bool(re.search(r"[,(/–—-]", head)) or len(head.split()) <= 2 and head.strip().isupper()


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd  # imported lazily: start-up of commands that never split stays fast

    return pysbd.Segmenter(language="en", clean=False)


QUOTE_MASK = "\u00a7"  # pysbd never splits inside quotes; a masked quote lets it find those boundaries


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, also inside multi-sentence quotes; a stray closing quote or
    bracket joins the sentence before it."""
    masked = paragraph.replace(QUOTE_MASK, " ").replace('"', QUOTE_MASK)
    out: list[str] = []
    for piece in _segmenter().segment(masked):
        piece = piece.strip().replace(QUOTE_MASK, '"')
        if not piece:
            continue
        lead = re.match(r"^[\"')\]]+(?=\s)", piece)  # a closing quote cut from the sentence before
        if out and lead:
            out[-1] += lead.group(0)
            piece = piece[lead.end():].strip()
        if out and not re.search(r"\w", piece):
            out[-1] += piece
        elif piece:
            out.append(piece)
    return out


def article_sentences(article_id: str, text: str, title: str | None = None) -> list[Sentence]:
    """Split one article into story sentences with stable ids. The first line is taken as
    the title when `title` is not given (headlines are sentences too)."""
    if title is None:
        first = next((line for line in text.split("\n") if normalise(line) and not is_boilerplate(normalise(line))), "")
        title = normalise(first) or None
    out: list[Sentence] = []
    for paragraph in story_paragraphs(text, title):
        for sent in split_sentences(paragraph):
            out.append(Sentence(article_id, sentence_id(article_id, len(out), sent), len(out), sent))
    return out

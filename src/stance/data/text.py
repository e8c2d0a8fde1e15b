"""Article text -> clean story sentences. `prepare` and `predict` share this one function."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from stance.data.furniture import ENDS_SENTENCE, FurnitureFilter
from stance.data.ids import sentence_id
from stance.errors import InputError

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                        "\u00ab": '"', "\u00bb": '"', "\u00a0": " ", "\u2009": " ", "\u202f": " "})

# Furniture the seed outlets print, kept beside the configurable patterns (data/furniture.yaml).
SEED_FURNITURE = [re.compile(p, re.I) for p in (
    r"^all news$",
    r"^please let us know if you're having issues with commenting",
    r"^(by|written by) [A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3}$",
    r"^news id\s*:",
    r"^(read more|related|share this|click here)\b",
    r"^[A-Z0-9 ./&-]{2,40}/[A-Z0-9 ./&-]{2,40}$",  # photo credit such as "AFP/JOHN THYS"
    # a date line: "Monday, 4 February 2019", "February 4, 2019 - 10:30"
    r"^(\w+day,?\s+)?(\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4})([\s,-]+\d{1,2}:\d{2})?$",
    # a caption cut off mid-phrase: no end punctuation and ends on a function word
    r"^(?!.*[.!?\"')\]]$).*\b(to|of|the|a|an|and|or|for|with|from|that)$",  # not "in", "on": "results come in"
)]
# Datelines that open a story: "MOSCOW, February 7. /TASS/.", "TEHRAN (defapress) –", "MOSCOW –".
DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]{2,30}(,\s*\w+\s+\d{1,2}\.?)?\s*(\(\w+\)|/[A-Z]+/\.?)?\s*[–—-]?\s*(?=[A-Z\"'])")


@dataclass(frozen=True)
class Sentence:
    article_id: str
    sentence_id: str
    index: int
    text: str


# Items laid out in a row with runs of spaces ("Politics   Culture   Books"): a menu or a tab
# bar. Normalising collapses the spaces, so the row is recognised on the raw line. A gap after a
# sentence's end (two spaces between sentences) is not a column gap.
COLUMN_GAP = re.compile(r"(?<=[^\s.!?:;\"'\u201d\u2019])(?:[ \t]{2,}|\t)(?=\S)")
FOOTNOTE_MARK = re.compile(r"\[\d{1,3}\]|\d{1,3}")  # "[4]" or "4" cut off a sentence end: it joins that sentence


def layout_furniture(raw_lines: list[str], lines: list[str]) -> set[str]:
    """Lines the page's layout gives away, whatever their words: a row of items spaced apart (a
    menu, a tab bar), and an unpunctuated line found twice or more on the page (a running header
    or footer, a repeated label). Story paragraphs do not repeat within one page."""
    rows = {line for raw, line in zip(raw_lines, lines) if len(COLUMN_GAP.findall(raw.strip())) >= 2}
    repeated = {line for line, n in Counter(lines).items() if n >= 2 and not ENDS_SENTENCE.search(line)}
    return rows | repeated | pull_quotes(lines)


def pull_quotes(lines: list[str]) -> set[str]:
    """Quotes and sentences of 4+ words repeated inside a longer line of the same page: a pull
    quote set in large type beside the paragraph it comes from. (A headline repeated in a
    caption or a citation is neither, and stays.)"""
    out = set()
    for line in lines:
        core = line.strip("\"' ")
        if not (line.startswith('"') or ENDS_SENTENCE.search(line)) or len(core.split()) < 4:
            continue
        if any(core in other and len(other) > len(line) + 10 for other in lines):
            out.add(line)
    return out


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(QUOTES)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


@lru_cache(maxsize=8)
def furniture_filter(path: str | None = None) -> FurnitureFilter:
    """The patterns in `path` (default: data/furniture.yaml) plus the seed outlets' furniture;
    an unreadable or malformed file is an InputError naming it."""
    try:
        return FurnitureFilter.from_yaml(path, extra=SEED_FURNITURE)
    except Exception as exc:  # unreadable, not YAML, unknown group, a bad regular expression
        raise InputError(path or "furniture", f"not a furniture pattern file ({type(exc).__name__}: {exc})") from exc


def is_boilerplate(line: str, furniture: FurnitureFilter | None = None) -> bool:
    """Whether a line matches a furniture pattern (its place on the page is not considered)."""
    return (furniture or furniture_filter()).by_pattern(line)


def story_paragraphs(text: str, title: str | None = None,
                     furniture: FurnitureFilter | None = None) -> list[str]:
    """Normalised story paragraphs: furniture dropped, datelines cut, and a title (`title`, else
    the headline the filter found) repeated at the start of the body removed."""
    raw_lines = [raw for raw in text.split("\n") if raw.strip()]
    lines = [normalise(raw) for raw in raw_lines]
    drop = (furniture or furniture_filter()).mask(lines, title, layout_furniture(raw_lines, lines))
    kept = [line for line, is_furniture in zip(lines, drop) if not is_furniture]
    title = title or (kept[0] if kept else None)
    paragraphs: list[str] = []
    for line in kept:
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
    if not re.search(r"[a-z]", line[len(head):]):
        return False  # an all-caps subheading ("RATING SENSITIVITIES"), not a dateline before a sentence
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
        if out and (not re.search(r"\w", piece) or FOOTNOTE_MARK.fullmatch(piece)):
            out[-1] += piece
        elif piece:
            out.append(piece)
    return out


def article_sentences(article_id: str, text: str, title: str | None = None,
                      furniture: FurnitureFilter | None = None) -> list[Sentence]:
    """Split one article into story sentences with stable ids. Without a `title`, the headline is
    the first line of the page that is not furniture (headlines are sentences too)."""
    out: list[Sentence] = []
    for paragraph in story_paragraphs(text, title, furniture):
        for sent in split_sentences(paragraph):
            out.append(Sentence(article_id, sentence_id(article_id, len(out), sent), len(out), sent))
    return out

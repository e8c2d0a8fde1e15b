"""Data sources -> the sentence table (`schema.SENTENCE_COLUMNS`): the pure half of `prepare`.

Each entry of `data.sources` names a path and a format: `articles` (.txt / .jsonl articles,
segmented here) or `sentences` (pre-split, labelled corpus files with `article_id` and `text`).
"""

from __future__ import annotations

import logging

import pandas as pd

from stance.data.articles import batch_filter, iter_records, story_sentences
from stance.data.ids import sentence_id
from stance.data.text import normalise
from stance.errors import InputError
from stance.io import iter_jsonl, resolve_inputs
from stance.schema import SENTENCE_COLUMNS

log = logging.getLogger(__name__)


def sentences_from_articles(files, source: str, furniture=None, repeats: int = 0) -> list[dict]:
    """Segment each article into story sentences; with `repeats`, lines on that many of the
    source's pages are furniture too."""
    records = [rec for path in files for rec in iter_records(path)]
    furniture = batch_filter(records, repeats, furniture) if repeats else furniture
    rows = []
    for rec in records:
        style = rec.meta.get("style", source)
        rows += [{**s.__dict__, "source": source, "style": style} for s in story_sentences(rec, furniture)]
    return rows


def sentences_from_corpus(files, source: str, furniture=None, repeats: int = 0) -> list[dict]:
    """Pre-split sentence files (`article_id`, `sentence_id`, `text`): kept as written (no furniture
    removal: they are sentences already)."""
    rows, position = [], {}
    for path in files:
        for lineno, obj in iter_jsonl(path, required=("article_id", "text")):
            art = str(obj["article_id"])
            index = position[art] = position.get(art, -1) + 1
            text = normalise(str(obj["text"]))
            sid = str(obj.get("sentence_id") or sentence_id(art, index, text))
            rows.append({"article_id": art, "sentence_id": sid, "index": index, "text": text,
                         "source": source, "style": obj.get("style", source)})
    return rows


READERS = {"articles": sentences_from_articles, "sentences": sentences_from_corpus}


def sentence_table(sources, furniture=None, repeats: int = 0) -> pd.DataFrame:
    """All configured sources as one sentence table; sentence ids must be unique."""
    rows: list[dict] = []
    for src in sources:
        files = resolve_inputs(src["path"])
        part = READERS[str(src["format"])](files, src["name"], furniture, repeats)
        log.info("%s: %d files -> %d sentences", src["name"], len(files), len(part))
        rows += part
    df = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    dupes = df[df.sentence_id.duplicated()].sentence_id.tolist()
    if dupes:
        raise InputError(sources[0]["path"], f"duplicate sentence ids, e.g. {dupes[:3]}")
    return df

"""Stage prepare: articles -> one row per story sentence (data/interim/<data>/sentences.parquet)."""

from __future__ import annotations

import logging

import hydra
import pandas as pd
from omegaconf import DictConfig

from stance import config  # noqa: F401  (registers the ${stance_root:} resolver)
from stance.articles import iter_jsonl, iter_records, resolve_inputs
from stance.errors import InputError, exit_on_input_error
from stance.ids import sentence_id
from stance.tables import write_atomic
from stance.text import article_sentences, normalise

log = logging.getLogger(__name__)
COLUMNS = ["article_id", "sentence_id", "index", "text", "source", "style"]


def sentences_from_articles(files, source: str) -> list[dict]:
    """Segment each article into story sentences."""
    rows = []
    for rec in iter_records(files):
        sents = article_sentences(rec.id, rec.text, rec.meta.get("title"))
        if not sents:
            raise InputError(rec.path, "no story text left after removing boilerplate", rec.line)
        rows += [{**s.__dict__, "source": source, "style": rec.meta.get("style", source)} for s in sents]
    return rows


def sentences_from_corpus(files, source: str) -> list[dict]:
    """Pre-split sentence files (`article_id`, `sentence_id`, `text`): kept as written."""
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


def prepare(sources) -> pd.DataFrame:
    """All configured sources as one sentence table; sentence ids must be unique."""
    rows: list[dict] = []
    for src in sources:
        files = resolve_inputs(src["path"])
        read = sentences_from_articles if src["format"] == "articles" else sentences_from_corpus
        part = read(files, src["name"])
        log.info("%s: %d files -> %d sentences", src["name"], len(files), len(part))
        rows += part
    df = pd.DataFrame(rows, columns=COLUMNS)
    dupes = df[df.sentence_id.duplicated()].sentence_id.tolist()
    if dupes:
        raise InputError(sources[0]["path"], f"duplicate sentence ids, e.g. {dupes[:3]}")
    return df


@hydra.main(version_base="1.3", config_path=config.CONFIG_DIR, config_name="prepare")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    df = prepare(cfg.data.sources)
    write_atomic(df, cfg.output)
    log.info("wrote %d sentences from %d articles to %s", len(df), df.article_id.nunique(), cfg.output)


if __name__ == "__main__":
    main()

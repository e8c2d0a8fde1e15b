"""NewsMTSC (Hamborg and Donnay, EACL 2021) -> the labelled-pairs table: one row per target mention.

Each JSON line is a news sentence with one or more person mentions, each labelled with the
sentence's sentiment toward that person (2.0 negative, 4.0 neutral, 6.0 positive). Sentiment toward
a person is a proxy for stance, not stance: `polarity_map` (configurable) maps it to AGAINST /
NONE / FAVOR. The mention's text is the target; its character offsets are kept. Rows are grouped by
the article part of `primary_gid` (sentences of one article never straddle train and validation)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pandas as pd

from stance.data.ids import sentence_id
from stance.data.tables import label_key, resolve_table_files
from stance.data.text import normalise
from stance.errors import InputError
from stance.io import iter_jsonl
from stance.schema import LABELS, PAIR_COLUMNS, SPAN_COLUMNS

log = logging.getLogger(__name__)


def moved_offset(text: str, start: int, mention: str) -> int:
    """Where the mention starts once the sentence is normalised like every other sentence (quotes
    straightened, runs of spaces collapsed): the occurrence nearest its original offset."""
    clean, needle = normalise(text), normalise(mention)
    found = [m.start() for m in re.finditer(re.escape(needle), clean)]
    return min(found, key=lambda at: abs(at - start)) if found else -1


@dataclass
class NewsMTSCSource:
    name: str = "newsmtsc"
    files: list = field(default_factory=list)
    polarity_map: dict = field(default_factory=lambda: {2: "AGAINST", 4: "NONE", 6: "FAVOR"})
    # The article part of primary_gid: `allsides_<article>_<story>` or `polusa_v1_<article>`; the rest
    # (sentence index, mention, offsets) differs per sentence. No match: the whole id is the group.
    article_pattern: str = r"^(allsides_\d+_\d+|polusa_v\d+_\d+)"

    def __post_init__(self):
        self.polarity_map = {label_key(k): str(v) for k, v in dict(self.polarity_map).items()}
        bad = sorted(set(self.polarity_map.values()) - set(LABELS))
        if bad:
            raise ValueError(f"polarity_map maps to {bad}: labels are {list(LABELS)}")
        self._article = re.compile(self.article_pattern)

    def article_of(self, gid: str) -> str:
        match = self._article.match(gid)
        return f"{self.name}:{match.group(1) if match else gid}"

    def _pairs(self, path, lineno, obj) -> list[dict]:
        text, gid, targets = obj["sentence_normalized"], obj["primary_gid"], obj["targets"]
        if not isinstance(text, str) or not text.strip():
            raise InputError(path, "`sentence_normalized` is empty or not a string", lineno)
        if not isinstance(targets, list) or not targets:
            raise InputError(path, "`targets` must be a non-empty list", lineno)
        article = self.article_of(str(gid))
        sid = sentence_id(article, 0, f"{gid}|{text}")
        rows = []
        for target in targets:
            if not isinstance(target, dict) or not {"mention", "from", "to", "polarity"} <= set(target):
                raise InputError(path, "each target needs mention, from, to and polarity", lineno)
            label = self.polarity_map.get(label_key(target["polarity"]))
            if label is None:
                raise InputError(path, f"polarity {target['polarity']!r} not in data.loader.polarity_map", lineno)
            start, end, mention = target["from"], target["to"], target["mention"]
            if not isinstance(mention, str) or text[start:end] != mention:
                raise InputError(path, f"mention {mention!r} is not at characters {start}-{end}", lineno)
            clean, start = normalise(text), moved_offset(text, start, mention)
            rows.append({"article_id": article, "sentence_id": sid, "index": 0, "text": clean,
                         "source": self.name, "style": self.name, "target": normalise(mention), "label": label,
                         "label_source": f"gold:{self.name}", "mention_from": start,
                         "mention_to": start + len(normalise(mention))})
        return rows

    def __call__(self) -> pd.DataFrame:
        rows = [row for path in resolve_table_files(self.files)
                for lineno, obj in iter_jsonl(path, required=("primary_gid", "sentence_normalized", "targets"))
                for row in self._pairs(path, lineno, obj)]
        table = pd.DataFrame(rows, columns=[*PAIR_COLUMNS, *SPAN_COLUMNS])
        log.info("%s: %d sentences, %d target mentions, %d articles, labels %s", self.name,
                 table.sentence_id.nunique(), len(table), table.article_id.nunique(),
                 table.label.value_counts().to_dict())
        return table

"""Quality checks for a labelled sentence corpus: size, label balance, repeated wording.

Standard library only (plus the labels from stance.schema):
    python -m stance.tools.corpus_checks data/synthetic/*.jsonl
    python -m stance.tools.corpus_checks --card data/news_style/*.jsonl   # data/README.md's tables
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from stance.schema import LABELS

WORD = re.compile(r"[\w'’]+", re.UNICODE)


def read_rows(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from exc
    return rows


def shingles(text: str, n: int = 10) -> set[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def shared_run_share(texts: list[str], n: int = 10) -> tuple[float, list[tuple[str, str]]]:
    """Share of sentences that share a run of `n` words with another sentence, plus examples."""
    owners: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, text in enumerate(texts):
        for sh in shingles(text, n):
            owners[sh].add(i)
    flagged: set[int] = set()
    examples = []
    for idxs in owners.values():
        if len(idxs) > 1:
            flagged |= idxs
            a, b = sorted(idxs)[:2]
            examples.append((texts[a], texts[b]))
    return (len(flagged) / len(texts) if texts else 0.0), examples


def label_shares(rows: list[dict], target: str) -> dict[str, float]:
    counts = Counter(r["labels"][target] for r in rows)
    return {lab: counts[lab] / len(rows) for lab in LABELS}


def no_target_share(rows: list[dict], aliases: dict[str, list[str]]) -> float:
    """Share of sentences that name none of the targets (by alias, case-insensitive)."""
    pattern = re.compile("|".join(re.escape(a) for al in aliases.values() for a in al), re.I)
    return sum(1 for r in rows if not pattern.search(r["text"])) / len(rows)


DEFAULT_ALIASES = {"maduro": ["Maduro"], "guaido": ["Guaidó", "Guaido"]}


def report(rows: list[dict]) -> str:
    texts = [r["text"] for r in rows]
    share, examples = shared_run_share(texts)
    lines = [
        f"articles: {len({r['article_id'] for r in rows})}  sentences: {len(rows)}",
        f"styles: {dict(Counter(r.get('style') for r in rows))}",
    ]
    for target in DEFAULT_ALIASES:
        shares = label_shares(rows, target)
        lines.append(f"{target}: " + "  ".join(f"{k} {v:.1%}" for k, v in shares.items()))
    lines.append(f"sentences naming no target: {no_target_share(rows, DEFAULT_ALIASES):.1%}")
    lines.append(f"sentences sharing a 10-word run with another: {share:.2%}")
    lines += [f"  REPEAT: {a!r} <> {b!r}" for a, b in examples[:15]]
    return "\n".join(lines)


def data_card(rows: list[dict], name: str = "synthetic") -> str:
    """A corpus's tables in data/README.md, computed from the corpus (a test checks they match)."""
    by_style: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_style[r.get("style")].append(r)
    lines = ["| style | articles | sentences |", "| --- | ---: | ---: |"]
    lines += [f"| {style} | {len({r['article_id'] for r in part})} | {len(part)} |"
              for style, part in by_style.items()]
    lines += ["", f"| {name} ({len(rows):,} sentences) | FAVOR | AGAINST | NONE |", "| --- | ---: | ---: | ---: |"]
    for target in DEFAULT_ALIASES:
        counts = Counter(r["labels"][target] for r in rows)
        lines.append(f"| {target} | " + " | ".join(f"{counts[lab]} ({counts[lab] / len(rows):.1%})" for lab in LABELS)
                     + " |")
    years = Counter(r.get("year") for r in rows)
    lines += ["", f"{no_target_share(rows, DEFAULT_ALIASES):.0%} of sentences name neither target. Years: "
              + ", ".join(f"{y} {n} sentences" for y, n in sorted(years.items())) + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    card = "--card" in sys.argv  # print data/README.md's corpus tables instead of the checks
    paths = [Path(p) for p in sys.argv[1:] if p != "--card"] or sorted(Path("data/synthetic").glob("*.jsonl"))
    # The card is named after the corpus folder: synthetic, news_style.
    print(data_card(read_rows(paths), paths[0].parent.name) if card else report(read_rows(paths)))

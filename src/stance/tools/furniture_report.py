"""How well page furniture is removed: on pages whose every line is labelled story or furniture
(tests/fixtures/furniture/*.jsonl), the share of furniture lines removed and of story sentences
lost, per outlet format and in all.

    python -m stance.tools.furniture_report tests/fixtures/furniture/*.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from stance.data.text import article_sentences, normalise, split_sentences, story_paragraphs


def _kept(expected: str, produced: list[str]) -> bool:
    """A story sentence survives if it comes out whole, or with only a dateline cut off its start."""
    return any(expected == out or expected.endswith(out) and len(out) >= 0.5 * len(expected) or expected in out
               for out in produced)


def measure(pages: list[dict]) -> dict[str, dict[str, float]]:
    """Per outlet and `all`: furniture lines, removed, story sentences, lost, and the two shares."""
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    examples: dict[str, list[str]] = {"kept_furniture": [], "lost_story": []}
    for page in pages:
        lines = [line for line in page["lines"] if line["text"].strip()]
        page_text = "\n".join(line["text"] for line in lines)
        produced = [s.text for s in article_sentences(page["id"], page_text)]
        paragraphs = story_paragraphs(page_text)
        for line in lines:
            text = normalise(line["text"])
            if line["furniture"]:  # kept: a paragraph of the output is this line (less a cut dateline)
                kept = any(p == text or text.endswith(p) and len(p) >= 0.5 * len(text) for p in paragraphs)
                for key in (page["outlet"], "all"):
                    counts[key]["furniture"] += 1
                    counts[key]["removed"] += not kept
                if kept:
                    examples["kept_furniture"].append(f"{page['id']}: {line['text']}")
                continue
            for sentence in split_sentences(text):
                lost = not _kept(sentence, produced)
                for key in (page["outlet"], "all"):
                    counts[key]["story_sentences"] += 1
                    counts[key]["lost"] += lost
                if lost:
                    examples["lost_story"].append(f"{page['id']}: {sentence}")
    for row in counts.values():
        row["removed_share"] = row["removed"] / max(1, row["furniture"])
        row["lost_share"] = row["lost"] / max(1, row["story_sentences"])
    return {"outlets": {k: dict(v) for k, v in counts.items()}, "examples": examples}


def read_pages(paths) -> list[dict]:
    return [json.loads(line) for p in paths for line in Path(p).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def main() -> None:
    result = measure(read_pages(sys.argv[1:]))
    print(f"{'outlet':<22}{'furniture':>10}{'removed':>9}{'story sent.':>12}{'lost':>6}")
    for outlet, row in sorted(result["outlets"].items(), key=lambda kv: kv[0] == "all"):
        print(f"{outlet:<22}{row['furniture']:>10.0f}{row['removed_share']:>9.1%}{row['story_sentences']:>12.0f}"
              f"{row['lost_share']:>6.1%}")
    for kind, items in result["examples"].items():
        print(f"\n{kind} ({len(items)}):", *items[:40], sep="\n  ")


if __name__ == "__main__":
    main()

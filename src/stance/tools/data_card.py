"""A data card per external data set, measured from the files (docs/datasets.md prints its output):

    python -m stance.tools.data_card semeval2016 newsmtsc [--dir-root DIR]

Reads each set through its own data config (`configs/data/<name>.yaml`), exactly as stance-train
does, and prints sizes, groups, targets and label shares as markdown.
"""

from __future__ import annotations

import argparse

import pandas as pd
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate

from stance import config
from stance.schema import LABELS


def load_pairs(name: str, data_dir: str | None = None) -> tuple[pd.DataFrame, str]:
    overrides = [f"data={name}"] + ([f"data.dir={data_dir}"] if data_dir else [])
    with initialize_config_dir(config_dir=config.CONFIG_DIR, version_base="1.3"):
        cfg = compose("train", overrides=overrides)
    return instantiate(config.plain(cfg.data.loader), _convert_="all")(), cfg.data.description


def card(name: str, pairs: pd.DataFrame, description: str) -> str:
    shares = pairs.label.value_counts(normalize=True)
    top = pairs.target.value_counts().head(5)
    lines = [f"### {name}", "", description, "",
             "| pairs | sentences | groups (articles / tweets) | distinct targets | " + " | ".join(LABELS) + " |",
             "| ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in LABELS) + " |",
             f"| {len(pairs):,} | {pairs.sentence_id.nunique():,} | {pairs.article_id.nunique():,} | "
             f"{pairs.target.nunique():,} | " + " | ".join(f"{shares.get(lab, 0):.1%}" for lab in LABELS) + " |",
             "", "Most frequent targets: " + ", ".join(f"{t} ({n:,})" for t, n in top.items()), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="data config names, e.g. semeval2016 newsmtsc")
    parser.add_argument("--dir-root", help="folder holding <name>/ for each set (default: data/external)")
    args = parser.parse_args(argv)
    for name in args.names:
        pairs, description = load_pairs(name, f"{args.dir_root}/{name}" if args.dir_root else None)
        print(card(name, pairs, description))


if __name__ == "__main__":
    main()

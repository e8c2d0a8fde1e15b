"""The shipped labelled data: synthetic corpus size, balance and varied wording; seed gold."""

import json
import re
from pathlib import Path

import pytest

from stance.schema import LABELS
from stance.tools.corpus_checks import DEFAULT_ALIASES, label_shares, no_target_share, read_rows, shared_run_share

ROOT = Path(__file__).resolve().parents[2]
SYNTHETIC = sorted((ROOT / "data" / "synthetic").glob("*.jsonl"))
NEWS_STYLE = sorted((ROOT / "data" / "news_style").glob("*.jsonl"))


@pytest.fixture(scope="module")
def rows():
    return read_rows(SYNTHETIC)


@pytest.fixture(scope="module")
def news_rows():
    return read_rows(NEWS_STYLE)


@pytest.fixture(scope="module")
def news_hard_rows():
    return read_rows(sorted((ROOT / "data" / "news_hard").glob("*.jsonl")))


def test_synthetic_corpus_size_and_styles(rows):
    assert len({r["article_id"] for r in rows}) >= 120
    assert len(rows) >= 1500
    assert len({r["style"] for r in rows}) >= 10
    assert all(r["article_id"].startswith("syn-") for r in rows)  # marked as synthetic


def test_synthetic_labels_are_balanced(rows):
    for target in ("maduro", "guaido"):
        shares = label_shares(rows, target)
        assert shares["FAVOR"] >= 0.20 and shares["AGAINST"] >= 0.20, (target, shares)
    assert no_target_share(rows, DEFAULT_ALIASES) >= 0.25


def test_synthetic_wording_is_varied(rows):
    share, examples = shared_run_share([r["text"] for r in rows], n=10)
    assert share <= 0.02, examples[:5]


def test_every_label_is_valid_and_ids_unique(rows, news_rows, news_hard_rows):
    seeds = read_rows([ROOT / "data" / "annotations" / "seeds.jsonl"])
    for r in rows + news_rows + news_hard_rows + seeds:
        assert set(r["labels"]) == {"maduro", "guaido"} and set(r["labels"].values()) <= set(LABELS)
    ids = [r["sentence_id"] for r in rows + news_rows + news_hard_rows + seeds]
    assert len(ids) == len(set(ids))


def test_seeds_are_shipped_unchanged_and_fully_annotated():
    from stance.data.text import article_sentences

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    expected = {s.sentence_id for p in seeds for s in article_sentences(p.stem, p.read_text(encoding="utf-8"))}
    annotated = {json.loads(line)["sentence_id"] for line in (ROOT / "data/annotations/seeds.jsonl").open()}
    assert annotated == expected


def documented(path: Path, pattern: str) -> tuple[int, ...]:
    found = re.search(pattern, (ROOT / path).read_text(encoding="utf-8"))
    assert found, f"{path}: no match for {pattern!r}"
    return tuple(int(g.replace(",", "")) for g in found.groups())


def test_documented_corpus_numbers_are_the_corpus(rows):
    """README and the data card state the corpus size: they must say what the files hold."""
    articles, sentences = len({r["article_id"] for r in rows}), len(rows)
    styles = len({r.get("style") for r in rows})
    assert documented(Path("README.md"), r"(\d+) labelled synthetic articles \(([\d,]+) sentences, (\d+) outlet "
                                         r"styles") == (articles, sentences, styles)
    assert documented(Path("data/README.md"), r"\*\*(\d+) articles, ([\d,]+) sentences\*\*") == (articles, sentences)


def test_data_card_tables_are_computed_from_the_corpus(rows):
    from stance.tools.corpus_checks import data_card

    card = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert data_card(rows) in card, "rerun: python -m stance.tools.corpus_checks --card"


def test_corpus_checks_command_prints_the_card(rows):
    import subprocess
    import sys

    from stance.tools.corpus_checks import data_card

    out = subprocess.run([sys.executable, "-m", "stance.tools.corpus_checks", "--card", *map(str, SYNTHETIC)],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == data_card(rows)


# The two corpora written like real coverage: folder, article-id prefix, minimum articles and sentences,
# and the least share of sentences naming Maduro that take no side on him (measured 0.47 and 0.37).
NEWS_CORPORA = {"news_style": ("syn-news-", 50, 900, 0.4), "news_hard": ("syn-hard-", 40, 800, 0.35)}


@pytest.fixture(scope="module", params=sorted(NEWS_CORPORA))
def news_corpus(request):
    return request.param, read_rows(sorted((ROOT / "data" / request.param).glob("*.jsonl")))


def test_news_corpora_look_like_news_not_like_our_quotas(news_corpus):
    """The news-style articles exist to teach what real coverage is full of: sentences that name a
    target without taking a side. Mostly NONE, yet every label present for both targets."""
    name, news = news_corpus
    prefix, min_articles, min_sentences, named_without_stance = NEWS_CORPORA[name]
    assert len({r["article_id"] for r in news}) >= min_articles and len(news) >= min_sentences
    assert len({r["style"] for r in news}) >= 10
    assert all(r["article_id"].startswith(prefix) for r in news)
    for target in ("maduro", "guaido"):
        shares = label_shares(news, target)
        assert shares["NONE"] >= 0.65 and min(shares.values()) >= 0.03, (target, shares)
    named = [r for r in news if re.search("Maduro", r["text"])]
    assert sum(r["labels"]["maduro"] == "NONE" for r in named) / len(named) >= named_without_stance


def test_news_corpora_wording_is_their_own(rows, news_rows, news_hard_rows):
    share, examples = shared_run_share([r["text"] for r in rows + news_rows + news_hard_rows], n=10)
    assert share <= 0.02, examples[:5]


def test_news_corpus_cards_are_computed_from_the_corpus(news_corpus):
    from stance.tools.corpus_checks import data_card

    name, news = news_corpus
    card = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert data_card(news, name) in card, f"rerun: python -m stance.tools.corpus_checks --card data/{name}/*.jsonl"


def test_documented_news_corpus_numbers_are_the_corpus(news_corpus):
    name, news = news_corpus
    counts = (len({r["article_id"] for r in news}), len(news), len({r["style"] for r in news}))
    assert documented(Path("README.md"), rf"`data/{name}/`: (\d+) labelled articles \(([\d,]+) sentences, (\d+) outlet formats") == counts
    assert documented(Path("data/README.md"), rf"`data/{name}/\*\.jsonl` holds \*\*(\d+) articles, ([\d,]+) sentences\*\* in (\d+) outlet formats") == counts

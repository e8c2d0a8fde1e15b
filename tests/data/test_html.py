"""Saved HTML pages are articles: main text and title extracted (trafilatura), page chrome left out,
declared encodings honoured; prepare and stance-predict read them like .txt articles."""

import json
from pathlib import Path

import pytest

from conftest import run_cli
from stance.data.articles import iter_records, story_sentences
from stance.data.text import normalise

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
EXPECTED = json.loads((PAGES / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_main_text_and_title_are_extracted(name):
    (record,) = iter_records(PAGES / name)
    expected = EXPECTED[name]
    assert record.title == expected["title"]
    sentences = {s.text for s in story_sentences(record)}
    text = " ".join(sentences)
    for sentence in expected["story"]:  # sentences come out normalised (straight quotes, spaces)
        assert normalise(sentence) in text, sentence
    for chrome in expected["furniture"]:
        assert normalise(chrome) not in text, chrome


def test_a_page_with_no_article_is_a_clear_error(tmp_path):
    from stance.errors import InputError

    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>")
    with pytest.raises(InputError, match="no article text found in this page"):
        list(iter_records(page))


@pytest.mark.slow
def test_predict_scores_a_folder_of_html_pages(pipeline_root, tmp_path):
    out = tmp_path / "o.jsonl"
    proc = run_cli("predict", f"model={pipeline_root}/experiments/models/logreg", f"input={PAGES}",
                   f"output={out}", root=pipeline_root)
    articles = {json.loads(line)["article_id"] for line in out.read_text().splitlines()}
    assert articles == {Path(name).stem for name in EXPECTED} and "0 skipped" in proc.stderr

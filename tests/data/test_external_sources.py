"""Every external source produces the same labelled-pairs table: SemEval-2016's official format
(header, CRLF, cp1252 lines), NewsMTSC (one pair per mention, polarity map, article groups) and a
user's own table (CSV/TSV/JSONL/Parquet, column names, label map); a bad row is one error naming
file and line."""

import json
from pathlib import Path

import pandas as pd
import pytest
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate

from stance import config
from stance.data.newsmtsc import NewsMTSCSource
from stance.data.tables import TableSource
from stance.errors import InputError
from stance.schema import LABELS, PAIR_COLUMNS, SPAN_COLUMNS

FIXTURES = Path(__file__).parents[1] / "fixtures" / "external"


def load(data: str, *overrides: str) -> pd.DataFrame:
    """The data config's own loader, composed as stance-train composes it."""
    with initialize_config_dir(config_dir=config.CONFIG_DIR, version_base="1.3"):
        cfg = compose("train", overrides=[f"data={data}", *overrides])
    return instantiate(config.plain(cfg.data.loader), _convert_="all")()


def test_semeval2016_official_files_load_with_crlf_header_and_cp1252_lines():
    pairs = load("semeval2016", f"data.dir={FIXTURES / 'semeval2016'}")
    assert list(pairs.columns) == PAIR_COLUMNS
    assert len(pairs) == 10 + 46  # trial + training, header lines not rows
    assert set(pairs.target) == {"Atheism", "Climate Change is a Real Concern", "Feminist Movement",
                                 "Hillary Clinton", "Legalization of Abortion"}
    assert set(pairs.label) <= set(LABELS)
    assert not pairs.text.str.contains("\r").any(), "CRLF line endings are not part of the text"
    assert "She's the one I trust on the economy #SemST" in set(pairs.text), "the cp1252 line is decoded"
    assert pairs.article_id.is_unique, "each tweet is its own group"


def test_a_utf8_only_reader_names_the_cp1252_line(tmp_path):
    source = TableSource(name="s", files=[str(FIXTURES / "semeval2016" / "trainingdata-all-annotations.txt")],
                         format="tsv", quoting="none", columns={"text": "Tweet", "target": "Target", "label": "Stance"})
    with pytest.raises(InputError, match=r"trainingdata-all-annotations.txt:47: line is not valid utf-8"):
        source()


def test_a_bad_row_is_one_error_naming_file_and_line(tmp_path):
    path = tmp_path / "labels.tsv"
    path.write_text("ID\tTarget\tTweet\tStance\r\n1\tAtheism\tfine text\tFAVOR\r\n2\tAtheism\tbroken row\r\n")
    with pytest.raises(InputError, match=r"labels.tsv:3: 3 fields, header has 4"):
        load("semeval2016", f"data.dir={tmp_path}", f"data.loader.files=[{path}]")
    path.write_text("ID\tTarget\tTweet\tStance\n1\tAtheism\tfine text\tMAYBE\n")
    with pytest.raises(InputError, match=r"labels.tsv:2: label 'MAYBE' is not one of"):
        load("semeval2016", f"data.loader.files=[{path}]")


def test_user_table_with_own_columns_and_label_map(tmp_path):
    path = tmp_path / "mine.csv"
    pd.DataFrame({"sentence": ["Ana backs the plan.", "Ana opposes it.", "It rained."],
                  "who": ["Ana", "Ana", "Ana"], "stance": ["pro", "con", "neutral"],
                  "doc": ["d1", "d1", "d2"]}).to_csv(path, index=False)
    pairs = load("table", f"data.dir={path}", "data.loader.columns={text: sentence, target: who, label: stance, group: doc}",
                 "data.loader.label_map={pro: FAVOR, con: AGAINST, neutral: NONE}")
    assert pairs.label.tolist() == ["FAVOR", "AGAINST", "NONE"]
    assert pairs.article_id.nunique() == 2, "rows of one group share an article id"
    pairs.to_parquet(tmp_path / "again.parquet")
    with pytest.raises(InputError, match=r"no column 'sentence'"):
        load("table", f"data.dir={tmp_path / 'again.parquet'}",
             "data.loader.columns={text: sentence, target: who, label: stance}")


def test_user_jsonl_with_a_fixed_target_and_a_split_column(tmp_path):
    path = tmp_path / "mine.jsonl"
    rows = [{"text": "Good move by the council.", "label": "FAVOR", "split": "train"},
            {"text": "A bad move.", "label": "AGAINST", "split": "val"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    pairs = load("table", f"data.dir={path}", "data.loader.target=council", "data.loader.columns.target=null",
                 "data.loader.columns.split=split")
    assert pairs.target.tolist() == ["council", "council"] and pairs.split.tolist() == ["train", "val"]
    path.write_text(json.dumps(rows[0]) + "\n{not json\n")
    with pytest.raises(InputError, match=r"mine.jsonl:2: invalid JSON"):
        load("table", f"data.dir={path}", "data.loader.target=council", "data.loader.columns.target=null")


def test_newsmtsc_one_pair_per_mention_with_mapped_polarity_and_article_groups():
    pairs = load("newsmtsc", f"data.dir={FIXTURES / 'newsmtsc'}")
    assert list(pairs.columns) == [*PAIR_COLUMNS, *SPAN_COLUMNS]
    assert len(pairs) == 36 + 12  # one row per mention: 36 sentences, 12 with a second mention
    assert pairs.sentence_id.nunique() == 36
    first = pairs.iloc[0]
    assert (first.target, first.label) == ("Senator Hale", "FAVOR")  # polarity 6.0
    assert first.text[first.mention_from:first.mention_to] == first.target
    assert set(pairs.label) == {"FAVOR", "AGAINST", "NONE"}
    # The article part of primary_gid groups its sentences: 12 articles of 3 sentences.
    assert pairs.groupby("article_id").sentence_id.nunique().tolist() == [3] * 12
    assert "newsmtsc:allsides_101_41" in set(pairs.article_id) and "newsmtsc:polusa_v1_9000" in set(pairs.article_id)


def test_newsmtsc_polarity_map_is_configuration(tmp_path):
    flipped = NewsMTSCSource(files=[str(FIXTURES / "newsmtsc" / "train.jsonl")],
                             polarity_map={2: "FAVOR", 4: "NONE", 6: "AGAINST"})()
    assert flipped.iloc[0].label == "AGAINST"
    bad = tmp_path / "train.jsonl"
    line = json.loads((FIXTURES / "newsmtsc" / "train.jsonl").read_text().splitlines()[0])
    line["targets"][0]["polarity"] = 5.0
    bad.write_text(json.dumps(line) + "\n")
    with pytest.raises(InputError, match=r"train.jsonl:1: polarity 5.0 not in data.loader.polarity_map"):
        NewsMTSCSource(files=[str(bad)])()

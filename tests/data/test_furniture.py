"""Page furniture from outlets the filter was not written against (tests/fixtures/furniture, 90
pages in 60 formats, each part written before the filter changed: part_c after two rounds of
tuning, part_d after five, part_e after six, part_f after seven, from the written labelling convention in data/README.md,
to measure afresh): >= 95% of furniture lines removed, <= 1% of story sentences lost.
Tuning happens on data/furniture_dev, never on these pages."""

from pathlib import Path

import pandas as pd
import pytest

from stance.tools.furniture_report import measure, read_pages

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "furniture").glob("*.jsonl"))


@pytest.fixture(scope="module")
def result():
    return measure(read_pages(FIXTURES))


def test_the_test_set_is_large_enough(result):
    overall = result["outlets"]["all"]
    assert overall["story_sentences"] >= 1000 and overall["furniture"] >= 300
    assert len(result["outlets"]) - 1 >= 10  # outlet formats


def test_furniture_removal_does_not_regress(result):
    """Measured 87.6% on parts A-F (1,580 of 1,804), both when part F (15 new formats) was written
    after round 7 and after round 8 (tuned on dev pages14): part F 76.8% then 77.2%, part E 75.3% then
    73.4%, part D 85.4% then 86.9% (part C 92.6% when written; 17.3% before the filter)."""
    assert result["outlets"]["all"]["removed_share"] >= 0.875


def test_story_loss_does_not_regress(result):
    """Measured 1.6% on parts A-F (36 of 2,261 sentences) when part F was written and after round 8:
    part F alone 2.7%, A-E 1.4% (part E 9.3% when written, 5.3% after round 7)."""
    assert result["outlets"]["all"]["lost_share"] <= 0.016, result["examples"]["lost_story"][:20]


@pytest.mark.xfail(strict=True, reason="the 95% bar is not met: 87.6% measured (part F, unseen formats: 76.8%); "
                                       "tune on data/furniture_dev, never on these pages")
def test_furniture_is_removed(result):
    assert result["outlets"]["all"]["removed_share"] >= 0.95


@pytest.mark.xfail(strict=True, reason="the 1% bar is not met: 1.6% measured (part F, unseen formats: 2.7%); "
                                       "tune on data/furniture_dev, never on these pages")
def test_story_sentences_are_kept(result):
    assert result["outlets"]["all"]["lost_share"] <= 0.01, result["examples"]["lost_story"][:20]


def test_a_pattern_file_of_ones_own_changes_what_prepare_drops(project, tmp_path):
    from conftest import error_lines, run_cli

    own = tmp_path / "furniture.yaml"
    table = project / "data/interim/synthetic/sentences.parquet"
    run_cli("prepare", root=project)
    assert "Talks in Oslo" in set(pd.read_parquet(table).text)  # a headline line, kept by default
    own.write_text("labels:\n  - '^talks in oslo$'\n")
    run_cli("prepare", f"furniture={own}", root=project)
    texts = set(pd.read_parquet(table).text)
    assert "Talks in Oslo" not in texts and "Cuba praised Maduro for his resistance." in texts
    own.write_text("sections:\n  - x\n")
    proc = run_cli("prepare", f"furniture={own}", root=project, check=False)
    assert proc.returncode == 2 and error_lines(proc)[0].startswith(f"error: {own}: not a furniture pattern file")


def test_repeated_boilerplate_is_dropped_only_when_asked(tmp_path):
    from stance.predict.inputs import InputStream

    folder = tmp_path / "one-source"
    folder.mkdir()
    boilerplate = "The Caracas Ledger is funded by its readers and answers to no party."
    for i, event in enumerate(["Cuba praised Maduro on Monday.", "Brazil recognized Guaido on Tuesday.",
                               "Talks resumed in Oslo on Friday."]):
        (folder / f"a{i}.txt").write_text(f"Headline number {i} about Venezuela today\n{event}\n{boilerplate}\n")
    default = [r["text"] for r in InputStream(str(folder)).sentences()]
    asked = [r["text"] for r in InputStream(str(folder), repeats=3).sentences()]
    assert default.count(boilerplate) == 3  # off by default: each page is read on its own
    assert boilerplate not in asked and "Talks resumed in Oslo on Friday." in asked
    alone = [r["text"] for r in InputStream(str(folder / "a0.txt"), repeats=3).sentences()]
    assert boilerplate in alone  # one page is no batch: nothing repeats

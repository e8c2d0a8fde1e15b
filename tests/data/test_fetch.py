"""`make data` / stance-data: copies from STANCE_DATA_MIRROR (or downloads), checks every sha256,
and never leaves an unchecked or half-written file under a final name. No test touches the network."""

import hashlib
import shutil
import urllib.request
from pathlib import Path

import pytest

from stance.data.fetch import fetch
from stance.errors import InputError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "external"


def pinned(name: str, filename: str) -> dict:
    digest = hashlib.sha256((FIXTURES / name / filename).read_bytes()).hexdigest()
    return {name: {"base_url": "https://example.invalid/data", "files": {filename: digest}}}


def test_mirror_copy_is_checked_and_published(tmp_path):
    sources = pinned("newsmtsc", "train.jsonl")
    fetch(["newsmtsc"], sources, tmp_path / "external", str(FIXTURES))
    copied = tmp_path / "external" / "newsmtsc" / "train.jsonl"
    assert copied.read_bytes() == (FIXTURES / "newsmtsc" / "train.jsonl").read_bytes()
    assert [p.name for p in copied.parent.iterdir()] == ["train.jsonl"], "no temporary file left behind"


def test_a_file_with_the_wrong_digest_is_refused_and_not_published(tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(FIXTURES, mirror)
    sources = pinned("newsmtsc", "train.jsonl")
    (mirror / "newsmtsc" / "train.jsonl").write_text("tampered\n")
    with pytest.raises(InputError, match="sha256 .* does not match the pinned"):
        fetch(["newsmtsc"], sources, tmp_path / "external", str(mirror))
    assert not any((tmp_path / "external").rglob("*.jsonl"))


def test_missing_mirror_file_and_offline_download_say_what_to_do(tmp_path, monkeypatch):
    sources = pinned("semeval2016", "trialdata-all-annotations.txt")
    with pytest.raises(InputError, match="not in the mirror"):
        fetch(["semeval2016"], sources, tmp_path / "external", str(tmp_path))

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(InputError, match="download failed .* set STANCE_DATA_MIRROR=DIR"):
        fetch(["semeval2016"], sources, tmp_path / "external", None)
    with pytest.raises(InputError, match="unknown data set 'imdb'"):
        fetch(["imdb"], sources, tmp_path / "external", None)

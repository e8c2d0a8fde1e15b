"""Atomic writing: a crash at any step leaves either the old or the new file or folder, never none."""

from pathlib import Path

import pytest

from stance.io import replace_dir, write_text


def test_replace_dir_never_leaves_the_target_missing(tmp_path, monkeypatch):
    target = tmp_path / "model"
    target.mkdir()
    (target / "v").write_text("old")
    calls = []
    real_rename = Path.rename

    def crash_on_second_rename(self, dest):
        calls.append(self)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed between the two renames")
        return real_rename(self, dest)

    monkeypatch.setattr(Path, "rename", crash_on_second_rename)
    with pytest.raises(KeyboardInterrupt):
        replace_dir(target, lambda p: (p.mkdir(), (p / "v").write_text("new")))
        raise KeyboardInterrupt("the swap itself took one step")  # no second rename happened
    assert (target / "v").read_text() in ("old", "new")


def test_two_writers_of_one_file_use_different_temporary_names(tmp_path):
    from stance.io import AtomicTableWriter

    out = tmp_path / "o.jsonl"
    with AtomicTableWriter(out) as a, AtomicTableWriter(out) as b:
        assert a.tmp != b.tmp


def test_write_text_is_complete_or_absent(tmp_path):
    path = write_text("x" * 10, tmp_path / "deep" / "f.json")
    assert path.read_text() == "x" * 10 and not list(path.parent.glob(".*"))

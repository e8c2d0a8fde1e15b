"""Bad input: one clear error line naming the file (and line), exit code != 0, nothing lost."""

import json

import pytest

from conftest import error_lines, run_cli


def prepare_fails(root, bad_name: str, content: bytes):
    (root / "seeds" / bad_name).write_bytes(content)
    proc = run_cli("prepare", root=root, check=False)
    assert proc.returncode != 0
    errors = error_lines(proc)
    assert len(errors) == 1, proc.stderr[-2000:]
    return errors[0]


@pytest.mark.parametrize("name, content, expected", [
    ("empty.txt", b"", "file is empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("latin1.txt", b"Title\nMaduro habl\xf3 en Caracas.\n", "not valid UTF-8"),
    ("giant.txt", b"Title\n" + b"word " * 60_000, "characters (limit"),
])
def test_prepare_rejects_bad_article_and_keeps_previous_output(project, name, content, expected):
    run_cli("prepare", root=project)
    output = project / "data" / "interim" / "synthetic" / "sentences.parquet"
    before = output.read_bytes()
    message = prepare_fails(project, name, content)
    assert name in message and expected in message
    if expected in ("not valid UTF-8", "characters (limit"):
        assert f"{name}:2:" in message  # the line is named
    assert output.read_bytes() == before


def test_directory_without_articles(project, tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "notes.md").write_text("not an article")
    out = tmp_path / "out.jsonl"
    proc = run_cli("predict", "model=/does/not/matter", f"input={empty}", f"output={out}", root=project, check=False)
    assert proc.returncode != 0
    assert error_lines(proc) == [f"error: {empty}: directory holds no .txt, .jsonl or .html articles"]
    assert not out.exists()


def test_unknown_config_key_is_rejected_before_any_work(project):
    proc = run_cli("train", "model.no_such_option=3", root=project, check=False)
    assert proc.returncode != 0
    assert "no_such_option" in proc.stderr
    assert not (project / "experiments" / "mlflow.db").exists()


def test_missing_model_path(project, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run_cli("predict", f"model={tmp_path}/no-model", f"input={project}/seeds", f"output={out}",
                   root=project, check=False)
    assert proc.returncode == 2
    assert error_lines(proc)[0].startswith(f"error: {tmp_path}/no-model: no MLflow model here")
    assert not out.exists()


def edit_annotation(root, lineno: int, change) -> None:
    path = root / "data" / "annotations" / "seeds.jsonl"
    lines = path.read_text().splitlines()
    obj = json.loads(lines[lineno - 1])
    change(obj)
    lines[lineno - 1] = json.dumps(obj)
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.slow  # prepare, then label, through the CLI: make test, not test-fast
@pytest.mark.parametrize("change, expected", [
    (lambda o: o["labels"].update(maduro="POSITIVE"), "unknown label 'POSITIVE' for maduro"),
    (lambda o: o.update(sentence_id="a1:099:deadbeef"), "unknown sentence id 'a1:099:deadbeef'"),
])
def test_bad_annotation_line_is_named(project, change, expected):
    run_cli("prepare", root=project)
    run_cli("label", root=project)
    labelled = project / "data" / "processed" / "synthetic" / "labelled.parquet"
    before = labelled.read_bytes()
    edit_annotation(project, 3, change)
    proc = run_cli("label", root=project, check=False)
    assert proc.returncode == 2
    assert error_lines(proc) == [f"error: {project}/data/annotations/seeds.jsonl:3: {expected}"
                                 + (" (use FAVOR/AGAINST/NONE)" if "label" in expected else " (not produced by prepare)")]
    assert labelled.read_bytes() == before

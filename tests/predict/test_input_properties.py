"""Property-based bad input: whatever bytes a file holds (random unicode, control characters,
mixed encodings, blank lines, huge lines, HTML fragments, JSON lines with missing, extra or
wrongly typed fields), reading it gives sentences or one InputError naming the file (and line),
never a traceback; inside a directory a bad file is skipped and counted."""

import json
import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stance.errors import InputError
from stance.predict.inputs import InputStream

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                           max_leaves=6)
OBJECTS = st.dictionaries(st.sampled_from(["id", "text", "target", "title", "article_id", "x"]), JSON_VALUES)
LINES = st.one_of(OBJECTS.map(json.dumps), JSON_VALUES.map(json.dumps), st.text(max_size=80), st.just(""))
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.text(
    alphabet=string.printable + "\x00\x07\x1b\u200b\u202e\ufeffÁé中文", max_size=400)
HTML = st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<script>x()</script>", "Maduro met Guaidó.", "<h1>T</h1>",
                                 "&amp;", "<!--", "<br>", "text "]), max_size=40).map("".join)


def read(path, input_format="auto"):
    """Sentences, or the InputError (which must name the file)."""
    try:
        rows = list(InputStream(str(path), input_format).sentences())
    except InputError as exc:
        assert str(exc).startswith(str(path)), exc
        return exc
    for row in rows:
        assert isinstance(row["text"], str) and row["text"].strip()
        assert row["target"] is None or isinstance(row["target"], str)
    return rows


@SETTINGS
@given(data=st.binary(max_size=3000) | TEXT.map(lambda t: t.encode("utf-8")) | TEXT.map(
    lambda t: t.encode("cp1252", errors="replace")))
@example(data=b"Title\n\n" + b"x" * 250_000 + b"\n")
@example(data=b"\xef\xbb\xbfTitle\n\nCuba praised Maduro.\n")
@example(data=b"\n\n\n")
def test_any_text_file_reads_or_fails_clearly(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("txt") / "a.txt"
    path.write_bytes(data)
    read(path)


@SETTINGS
@given(lines=st.lists(LINES, max_size=8), mode=st.sampled_from(["auto", "articles", "sentences"]))
@example(lines=['{"id": 1, "text": ["a", "b"]}'], mode="sentences")
@example(lines=['{"id": "s", "text": "Cuba praised Maduro.", "target": {"t": 1}}'], mode="sentences")
def test_any_json_lines_read_or_fail_clearly(tmp_path_factory, lines, mode):
    path = tmp_path_factory.mktemp("jsonl") / "a.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read(path, mode)
    if isinstance(result, InputError) and result.line is not None:
        assert f"{path}:{result.line}:" in str(result)


@SETTINGS
@given(html=HTML)
def test_any_html_fragment_reads_or_fails_clearly(tmp_path_factory, html):
    path = tmp_path_factory.mktemp("html") / "a.html"
    path.write_text(html, encoding="utf-8")
    read(path)


@SETTINGS
@given(data=st.binary(max_size=500))
def test_a_bad_file_in_a_directory_is_skipped_and_counted(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("dir")
    (folder / "good.txt").write_text("Title\n\nCuba praised Maduro on Monday.\n")
    (folder / "other.jsonl").write_bytes(data)
    stream = InputStream(str(folder))
    rows = list(stream.sentences())
    assert {r["article_id"] for r in rows} >= {"good"}
    assert len(stream.skipped) <= 1 and all("other.jsonl" in s for s in stream.skipped)


def test_wrongly_typed_fields_are_errors_naming_the_line(tmp_path):
    cases = {'{"id": "s1", "text": ["a", "b"]}': "`text` must be a string",
             '{"id": {"a": 1}, "text": "Cuba praised Maduro."}': "`id` must be a string or a number",
             '{"id": true, "text": "Cuba praised Maduro."}': "`id` must be a string or a number"}
    for i, (line, message) in enumerate(cases.items()):
        path = tmp_path / f"case{i}.jsonl"
        path.write_text('{"id": "ok", "text": "Brazil recognized Guaido."}\n' + line + "\n")
        for mode in ("articles", "sentences"):
            result = read(path, mode)
            assert isinstance(result, InputError) and str(result) == f"{path}:2: {message}", result

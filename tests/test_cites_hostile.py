"""Hostile records through `extractor cites`, end to end: fields missing or of the wrong
type, error-like records, lines that are no JSON object, damaged gzip, undecodable file
names and text that UTF-8 cannot hold.

Each case runs the real command in a subprocess and checks what a user sees: the exit code
the README gives, a one-line stderr without a traceback or click's "Aborted!", and after
damage a summary of exactly the records before it.  A hypothesis property checks the
library under the commands: arbitrary JSON values in record fields raise nothing but
ExtractorError, and every row keeps its columns' types.
"""

from __future__ import annotations

import copy
import csv
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.cites import citation_rows, read_records, summarize
from extractor.cites.rows import COLUMN_NAMES, COLUMNS
from extractor.cites.terminal import render_summary
from extractor.cites.writers import write_rows
from extractor.errors import ExtractorError
from tests.paths import ROOT, SAMPLES

Record = dict[str, Any]


def golden(name: str) -> Record:
    """The golden record of a sample, without the fields `cites` does not read."""
    record: Record = json.loads((ROOT / "output" / f"{name}.json").read_text())
    for field in ("categories", "dates"):
        del record[field]
    for citation in record["citations"]:
        del citation["params"]
    return record


#: Records of every golden: more than one 8 KB gzip piece of data, several pages.
GOLDENS = [
    record
    for path in sorted((ROOT / "output").glob("*.json"))
    for value in [json.loads(path.read_text())]
    for record in (value if isinstance(value, list) else [value])
]
GOLDEN_LINES = b"".join(orjson.dumps(r) + b"\n" for r in GOLDENS)


def cites(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `extractor cites ARGS` in a subprocess; both must
    be UTF-8."""
    result = subprocess.run(
        [sys.executable, "-m", "extractor", "cites", *args],
        capture_output=True,
        cwd=cwd,
        timeout=300,
    )
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def assert_one_line(err: str, *words: str) -> None:
    """stderr is one line, with no traceback and no "Aborted!", holding ``words``."""
    assert 1 == len(err.strip().splitlines()), err
    assert "Traceback" not in err and "Aborted!" not in err, err
    for word in words:
        assert word in err, err


def jsonl(path: Path, *records: Any) -> Path:
    """Write ``records`` as JSONL (Python's json: lone surrogates become escapes)."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def listed(folder: Path, name: str) -> list[Record]:
    """The rows of `cites list NAME --format jsonl`, which must succeed quietly."""
    code, out, err = cites("list", name, "--format", "jsonl", cwd=folder)
    assert (0, "") == (code, err)
    return [json.loads(line) for line in out.splitlines()]


ARTICLE = {"title": "T", "redirect": None, "sections": [], "citations": []}
CITE = {"index": 0, "section": 0, "kind": "web", "identifiers": [], "problems": []}

#: (record, what its one row holds): fields missing or of the wrong type count as absent.
MALFORMED = [
    ({"citations": [{}]}, {"page_title": None, "index": None, "kind": None, "archived": False,
                          "dead": False, "identifiers": None, "problem_count": 0}),
    ({"title": 5, "page_id": "7", "dates": "x", "sections": "y", "citations": [
        {"index": "0", "section": [], "kind": 1, "template": 2, "url": 7, "title": 5.0,
         "identifiers": "doi:10.1/x", "authors": None, "editors": "E", "problems": "p",
         "ref": 5}]},
     {"page_id": None, "page_title": None, "index": None, "section": None, "kind": None,
      "template": None, "url": None, "domain": None, "title": None, "identifiers": None,
      "authors": None, "editors": None, "problems": None, "ref_name": None}),
    ({**ARTICLE, "citations": [{**CITE, "identifiers": [
        5, None, {"kind": "doi"}, {"kind": 5, "value": "x"},
        {"kind": "doi", "value": "10.1/x", "valid": "yes"}]}]},
     {"doi": "10.1/x", "doi_valid": False, "identifier_kinds": "doi", "invalid_kinds": "doi",
      "identifiers": '[{"kind":"doi","value":"10.1/x","valid":false}]'}),
    ({**ARTICLE, "citations": [{**CITE, "authors": [None, 5, {"last": 5, "first": "A"},
                                                   {"last": "B", "first": None}]}]},
     {"authors": "A; B"}),
    ({**ARTICLE, "citations": [{**CITE, "date": "²⁰⁰⁵", "access_date": "2005-13-45",
                                "archive_date": "2005-12-31"}]},
     {"date": "²⁰⁰⁵", "year": None, "access_date": "2005-13-45", "access_year": None}),
    ({**ARTICLE, "citations": [{**CITE, "date": "2005-12-31", "access_date": "1999-02"}]},
     {"year": 2005, "access_year": 1999}),
    ({**ARTICLE, "page_id": 1 << 64, "citations": [{**CITE, "index": True, "section": 1.0,
                                                    "ref": {"name": 5, "reuses": "2"}}]},
     {"page_id": None, "index": None, "section": None, "ref_name": None, "ref_reuses": None}),
    ({**ARTICLE, "citations": [{**CITE, "problems": ["p", 5, None, ["q"]], "url": "http://[x"}]},
     {"problems": '["p"]', "problem_count": 1, "url": "http://[x", "domain": None}),
]  # fmt: skip


@pytest.mark.parametrize(("record", "expected"), MALFORMED)
def test_fields_of_the_wrong_type_count_as_absent(
    record: Record, expected: Record, tmp_path: Path
) -> None:
    """A malformed citation is a row with nulls where its fields are unusable, exit 0."""
    jsonl(tmp_path / "r.jsonl", record)
    rows = listed(tmp_path, "r.jsonl")
    assert [name for name, _ in COLUMNS] == list(rows[0])
    assert [expected] == [{key: row[key] for key in expected} for row in rows]


def test_section_titles_need_a_whole_section(tmp_path: Path) -> None:
    """Only a section object with an integer index and a text title names a section."""
    sections = [7, {"index": "0", "title": "No"}, {"index": 1, "title": 5}, {"index": 2,
                "title": "Two"}]  # fmt: skip
    citations = [{**CITE, "section": n} for n in (0, 1, 2, 3)]
    jsonl(tmp_path / "r.jsonl", {**ARTICLE, "sections": sections, "citations": citations})
    titles = [row["section_title"] for row in listed(tmp_path, "r.jsonl")]
    assert [None, None, "Two", None] == titles


@pytest.mark.parametrize(
    ("record", "pages", "citations"),
    [
        ({"citations": 5}, 0, 0),
        ({"title": "T", "citations": [5, "x", None, [], {"index": 0}]}, 1, 1),
        ({"title": "T", "redirect": 5, "citations": []}, 1, 0),
        ({"title": "T", "redirect": "U", "citations": [{}]}, 0, 0),
        ({"reason": 5}, 0, 0),
        ({}, 0, 0),
    ],
)
def test_what_makes_an_article(record: Record, pages: int, citations: int, tmp_path: Path) -> None:
    """An article needs a citations list and no redirect text; its non-objects are left out."""
    jsonl(tmp_path / "r.jsonl", record)
    code, out, err = cites("summary", "r.jsonl", "--format", "json", cwd=tmp_path)
    data = json.loads(out)
    assert (0, "", 1) == (code, err, data["records"])
    assert (pages, citations) == (data["pages"], data["citations"])


def test_every_command_and_format_takes_malformed_records(tmp_path: Path) -> None:
    """All the malformed records in one file: every command and format, exit 0, quiet."""
    jsonl(tmp_path / "r.jsonl", *(record for record, _ in MALFORMED))
    for args in (
        ["summary"], ["summary", "--format", "json"], ["list"], ["list", "--format", "csv"],
        ["list", "-o", "t.parquet"], ["report", "-o", "r.html"], ["list", "--has", "doi"],
        ["summary", "--year-from", "2000", "--problem", "p", "--domain", "x.org"],
    ):  # fmt: skip
        code, _, err = cites(*args, "r.jsonl", cwd=tmp_path)
        assert (0, "") == (code, err), args


def test_an_error_like_record_is_reported_and_counted(tmp_path: Path) -> None:
    """`{"reason": "x"}` is an error record: its line, the count, exit 1; the rest is used."""
    jsonl(tmp_path / "r.jsonl", golden("Actrius.wiki"), {"reason": "x"})
    code, out, err = cites("summary", "r.jsonl", "--format", "json", cwd=tmp_path)
    assert 1 == code
    assert [
        'extractor: error: {"title":null,"page_id":null,"source":null,"reason":"x"}',
        "extractor: 1 page(s) could not be extracted; see the messages above",
    ] == err.splitlines()
    assert (2, 6) == (json.loads(out)["records"], json.loads(out)["citations"])


def test_an_error_record_of_any_shape_prints_as_one_line(tmp_path: Path) -> None:
    """An error record too deep for JSON output, with a number title and a surrogate: a line."""
    deep: Any = []
    for _ in range(300):
        deep = [deep]
    record = {"reason": "r\udce9", "title": 5, "page_id": 3, "source": deep, "extra": deep}
    jsonl(tmp_path / "r.jsonl", record)
    code, _, err = cites("summary", "r.jsonl", cwd=tmp_path)
    line = 'extractor: error: {"title":null,"page_id":3,"source":null,"reason":"r\\\\xe9"}'
    assert (1, line) == (code, err.splitlines()[0])


@pytest.mark.parametrize(
    "line",
    [b"5", b"[1]", b'"x"', b'{"title": ', b'{"title": "caf\xe9"}', b'{"a": NaN}', b"\x00\x01"],
)
def test_a_line_that_is_no_json_object_is_exit_2(line: bytes, tmp_path: Path) -> None:
    """Not JSON, not an object, or not UTF-8: one line naming file:line, exit 2."""
    (tmp_path / "bad.jsonl").write_bytes(orjson.dumps(ARTICLE) + b"\n\n" + line + b"\n")
    for args in (["summary"], ["list"], ["report", "-o", "r.html"]):
        code, _, err = cites(*args, "bad.jsonl", cwd=tmp_path)
        assert 2 == code, args
        assert_one_line(err, "bad.jsonl:3: not a JSON")


def test_lone_surrogates_are_written_escaped_in_every_format(tmp_path: Path) -> None:
    """A lone surrogate escape in a title is read, and every writer writes it as `\\xe9`
    (U+FFFD for a surrogate that stands for no byte)."""
    record = {**ARTICLE, "title": "caf\udce9", "citations": [{**CITE, "title": "\ud800x"}]}
    jsonl(tmp_path / "r.jsonl", record)
    assert [("caf\\xe9", "\ufffdx")] == [
        (row["page_title"], row["title"]) for row in listed(tmp_path, "r.jsonl")
    ]
    for args in (["list", "--columns", "page_title,title"], ["list", "-o", "t.csv"],
                 ["list", "-o", "t.parquet"], ["report", "-o", "r.html"], ["summary"]):  # fmt: skip
        code, _, err = cites(*args, "r.jsonl", cwd=tmp_path)
        assert (0, "") == (code, err), args
    assert "caf\\xe9" in cites("list", "r.jsonl", cwd=tmp_path)[1]
    table = csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8")))
    assert [("caf\\xe9", "\ufffdx")] == [(row["page_title"], row["title"]) for row in table]
    pq = pytest.importorskip("pyarrow.parquet")
    assert ["caf\\xe9"] == pq.read_table(tmp_path / "t.parquet")["page_title"].to_pylist()
    assert "caf\\xe9" in (tmp_path / "r.html").read_text(encoding="utf-8")


def damaged_summary(tmp_path: Path, data: bytes) -> tuple[str, list[Record]]:
    """Run `summary` over damaged gzip ``data``: exit 3, and the summary counts exactly the
    first records of the goldens; return stderr and those records."""
    (tmp_path / "r.jsonl.gz").write_bytes(data)
    code, out, err = cites("summary", "r.jsonl.gz", "--format", "json", "--top", "100",
                           cwd=tmp_path)  # fmt: skip
    got = json.loads(out)
    before = GOLDENS[: got["records"]]
    assert 3 == code, err
    assert summarize(before, top=100) == got
    assert_one_line(err, "r.jsonl.gz: ", "gzip", f"; {len(before)} line")
    return err, before


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.97])
def test_a_truncated_gzip_keeps_the_records_before_and_exits_3(cut: float, tmp_path: Path) -> None:
    """A .jsonl.gz cut short: the records before the cut count, one line, exit 3 (no "Aborted!")."""
    data = gzip.compress(GOLDEN_LINES)
    err, before = damaged_summary(tmp_path, data[: int(len(data) * cut)])
    assert "truncated" in err
    assert cut < 0.5 or before


@pytest.mark.parametrize(("where", "level"), [(0.3, 9), (0.6, 9), (0.5, 0), (0.9, 0)])
def test_a_corrupt_gzip_keeps_the_records_before_and_exits_3(
    where: float, level: int, tmp_path: Path
) -> None:
    """Flipped bytes: deflate errors, or garbage lines the end check blames on damage: exit 3."""
    data = bytearray(gzip.compress(GOLDEN_LINES, compresslevel=level))
    start = int(len(data) * where)
    data[start : start + 40] = bytes(b ^ 0x5A for b in data[start : start + 40])
    err, _ = damaged_summary(tmp_path, bytes(data))
    assert "corrupt" in err


def test_a_small_corrupt_gzip_is_still_a_records_file(tmp_path: Path) -> None:
    """Damage within the first 64 KB does not hide that the file holds records."""
    data = bytearray(gzip.compress(GOLDEN_LINES[:40_000]))
    data[len(data) // 2] ^= 0xFF
    damaged_summary(tmp_path, bytes(data))


def test_damaged_gzip_keeps_the_rows_before_in_list_and_report(tmp_path: Path) -> None:
    """`list` and `report` write what the records before the damage hold, then exit 3."""
    data = gzip.compress(GOLDEN_LINES)
    (tmp_path / "r.jsonl.gz").write_bytes(data[: len(data) // 2] + b"trailing")
    code, out, err = cites("list", "r.jsonl.gz", "--format", "jsonl", cwd=tmp_path)
    rows = [json.loads(line) for line in out.splitlines()]
    assert 3 == code and rows
    assert_one_line(err, "r.jsonl.gz: gzip")
    assert list(citation_rows(GOLDENS))[: len(rows)] == rows
    code, _, err = cites("report", "r.jsonl.gz", "-o", "r.html", cwd=tmp_path)
    assert 3 == code and "</html>" in (tmp_path / "r.html").read_text()
    assert_one_line(err, "r.jsonl.gz: gzip")


def test_bytes_after_the_gzip_stream_are_damage(tmp_path: Path) -> None:
    """Garbage after a whole gzip stream: every record is used, then one line, exit 3."""
    data = gzip.compress(GOLDEN_LINES) + b"not gzip"
    err, before = damaged_summary(tmp_path, data)
    assert len(GOLDENS) == len(before) and "after the end" in err


UNDECODABLE = os.fsdecode(b"caf\xe9")


def test_undecodable_records_file_names(tmp_path: Path) -> None:
    """Records files whose names are not UTF-8: read; any message escapes the name."""
    good, bad = f"{UNDECODABLE}.jsonl", f"{UNDECODABLE}-bad.jsonl"
    jsonl(tmp_path / good, golden("Actrius.wiki"))
    (tmp_path / bad).write_bytes(b"{}\n[]\n")
    gz = gzip.compress(GOLDEN_LINES)
    (tmp_path / f"{UNDECODABLE}.jsonl.gz").write_bytes(gz[: len(gz) // 2])
    assert 6 == len(listed(tmp_path, good))
    code, _, err = cites("summary", bad, cwd=tmp_path)
    assert 2 == code
    assert_one_line(err, "caf\\xe9-bad.jsonl:2: not a JSON object")
    code, _, err = cites("summary", f"{UNDECODABLE}-missing.jsonl", cwd=tmp_path)
    assert 2 == code
    assert_one_line(err, "caf\\xe9-missing.jsonl: no such file")
    code, _, err = cites("list", f"{UNDECODABLE}.jsonl.gz", cwd=tmp_path)
    assert 3 == code
    assert_one_line(err, "caf\\xe9.jsonl.gz: gzip stream truncated")
    code, _, err = cites("list", good, "-o", f"missing/{UNDECODABLE}.csv", cwd=tmp_path)
    assert 2 == code
    assert_one_line(err, "missing/caf\\xe9.csv")


def test_pages_of_undecodable_file_names_in_every_format(tmp_path: Path) -> None:
    """A page from a file named in non-UTF-8 bytes goes through every command and format."""
    (tmp_path / "pages").mkdir()
    shutil.copy(SAMPLES / "Actrius.wiki", tmp_path / "pages" / f"{UNDECODABLE}.wiki")
    for args in (["summary"], ["list"], ["list", "--format", "jsonl"], ["list", "-o", "t.csv"],
                 ["list", "-o", f"{UNDECODABLE}.parquet"],
                 ["report", "-o", "r.html", "--title", UNDECODABLE]):  # fmt: skip
        code, out, err = cites(*args, "pages", "-j", "1", cwd=tmp_path)
        shown = "caf\\xe9" in out.replace("\\\\", "\\")  # JSON doubles the backslash
        assert (0, "", "-o" not in args) == (code, err, shown), args
    assert "caf\\xe9" in (tmp_path / "t.csv").read_text(encoding="utf-8")
    assert "<h1>caf\\xe9</h1>" in (tmp_path / "r.html").read_text(encoding="utf-8")
    pq = pytest.importorskip("pyarrow.parquet")
    with (tmp_path / f"{UNDECODABLE}.parquet").open("rb") as f:
        assert {"caf\\xe9"} == set(pq.read_table(f)["page_title"].to_pylist())


def test_a_binary_file_named_in_undecodable_bytes_is_one_line(tmp_path: Path) -> None:
    """A source that cannot be read, named in non-UTF-8 bytes: one line, the name escaped."""
    (tmp_path / f"{UNDECODABLE}.dat").write_bytes(bytes(range(256)) * 20)
    code, _, err = cites("summary", f"{UNDECODABLE}.dat", "-j", "1", cwd=tmp_path)
    assert 2 == code
    assert_one_line(err, "caf\\xe9.dat")


#: Any JSON value, lone surrogates in texts included (they reach the file as escapes).
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=()), max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                 max_size=3),
    max_leaves=8,
)  # fmt: skip
#: The fields that the rows read, by where they are.
FIELDS = {
    "record": ("title", "page_id", "redirect", "reason", "sections", "citations", "source"),
    "citation": ("index", "section", "ref", "template", "kind", "title", "authors", "editors",
                 "work", "publisher", "location", "volume", "issue", "pages", "language",
                 "date", "url", "access_date", "archive_url", "archive_date", "url_status",
                 "text", "identifiers", "problems"),
    "identifier": ("kind", "value", "valid"),
    "section": ("index", "title"),
    "author": ("last", "first"),
}  # fmt: skip
BASES = [golden("Actrius.wiki"), golden("Vagococcus_silagei.wiki")]


@st.composite
def hostile_records(draw: st.DrawFn) -> Record:
    """A sample's record with some fields, at any depth, set to arbitrary JSON values."""
    record = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 5))):
        where = draw(st.sampled_from(sorted(FIELDS)))
        citation = _first(record.get("citations"))
        holder = {
            "record": record,
            "citation": citation,
            "identifier": _first(citation.get("identifiers")),
            "section": _first(record.get("sections")),
            "author": _first(citation.get("authors")),
        }[where]
        holder[draw(st.sampled_from(FIELDS[where]))] = draw(JSON_VALUES)
    return record


def _first(items: Any) -> Record:
    """The first item of a list when it is an object (else a dict nobody reads)."""
    first = items[0] if isinstance(items, list) and items else None
    return first if isinstance(first, dict) else {}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property")


@settings(max_examples=150, deadline=None)
@given(records=st.lists(hostile_records(), min_size=1, max_size=3))
def test_arbitrary_field_values_raise_nothing_but_extractor_errors(
    records: list[Record], scratch: Path
) -> None:
    """Any JSON values in record fields: only ExtractorError, and rows of the column types."""
    path = jsonl(scratch / "records.jsonl", *records)
    types = {"int": int, "str": str, "bool": bool}
    try:
        read = list(read_records([str(path)]))
        data = summarize(read)
        render_summary(data).encode()
        rows = list(citation_rows(read))
        for fmt in ("table", "jsonl", "csv"):
            write_rows(rows, fmt, str(scratch / f"rows.{fmt}"), COLUMN_NAMES)
    except ExtractorError:
        return
    assert data["citations"] == len(rows)
    assert [] == [
        (column, row[column])
        for row in rows
        for column, type_ in COLUMNS
        if row[column] is not None and type(row[column]) is not types[type_]
    ]


@pytest.mark.parametrize("what", ["records", "gzip records", "wikitext"])
def test_a_pipe_is_read_once(what: str, tmp_path: Path) -> None:
    """`cites summary <(...)`: a pipe of records (plain or gzip) or of a page is read
    once, from its first byte: the same summary as from the file."""
    data = {"records": GOLDEN_LINES, "gzip records": gzip.compress(GOLDEN_LINES),
            "wikitext": (SAMPLES / "Albedo.wiki").read_bytes()}[what]  # fmt: skip
    read, write = os.pipe()
    (tmp_path / str(read)).write_bytes(data)  # the name a page of /dev/fd/N is titled by
    expected = cites("summary", str(read), "--format", "json", "-j", "1", cwd=tmp_path)
    assert 0 == expected[0]
    with subprocess.Popen(
        [sys.executable, "-m", "extractor", "cites", "summary", f"/dev/fd/{read}",
         "--format", "json", "-j", "1"],
        cwd=tmp_path, pass_fds=(read,), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as process:  # fmt: skip
        os.close(read)
        with open(write, "wb") as f:
            f.write(data)
        out, err = process.communicate(timeout=300)
    assert (0, expected[1], "") == (process.returncode, out.decode(), err.decode())


def test_list_over_its_input_is_refused(tmp_path: Path) -> None:
    """`cites list X -o X` (and `report -o X`): one line, exit 2, X untouched."""
    (tmp_path / "r.jsonl").write_bytes(GOLDEN_LINES)
    for args in (["list", "r.jsonl", "-o", "r.jsonl"], ["report", "r.jsonl", "-o", "r.jsonl"]):
        code, _, err = cites(*args, cwd=tmp_path)
        assert 2 == code
        assert_one_line(err, "refusing")
        assert GOLDEN_LINES == (tmp_path / "r.jsonl").read_bytes()

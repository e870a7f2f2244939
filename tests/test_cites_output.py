"""`extractor cites list` and the inputs: row contents, formats, streaming sources, errors.

Expected rows come straight from the record dicts (see tests/test_cites.py for how the
records are made).
"""

from __future__ import annotations

import bz2
import csv
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from extractor.cites.rows import COLUMNS
from extractor.cites.summary import problem_type
from extractor.run.runner import run_dump
from tests.test_cites import (
    DUMP_NAMES,
    DUMPS,
    Cite,
    Record,
    articles,
    build_records,
    cites_cli,
    host,
    ids_of,
    year,
)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ...]:
    return build_records(tmp_path_factory.mktemp("cites"))


@pytest.fixture(scope="module")
def cites(inputs: tuple[Path, ...]) -> list[tuple[Record, Cite]]:
    return [(page, c) for page in articles(inputs) for c in page["citations"]]


def test_rows_carry_page_section_ref_and_identifier_columns(
    inputs: tuple[Path, ...], cites: list[tuple[Record, Cite]]
) -> None:
    """A row: page, section title by index, ref name and reuses, fields, identifier columns."""
    code, out, _ = cites_cli("list", *map(str, inputs), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert 0 == code and len(cites) == len(rows)
    for (page, c), row in zip(cites, rows, strict=True):
        assert [name for name, _ in COLUMNS] == list(row)
        section = next(s["title"] for s in page["sections"] if s["index"] == c["section"])
        ref = c["ref"] or {}
        assert (page["page_id"], page["title"], section) == (
            row["page_id"], row["page_title"], row["section_title"])  # fmt: skip
        assert (ref.get("name"), ref.get("reuses")) == (row["ref_name"], row["ref_reuses"])
        for field in ("kind", "template", "title", "url", "work", "date", "access_date"):
            assert c[field] == row[field], field
        assert (host(c["url"]), year(c["date"])) == (row["domain"], row["year"])
        doi = ids_of(c, "doi")
        expected = (doi[0]["value"], doi[0]["valid"]) if doi else (None, None)
        assert expected == (row["doi"], row["doi_valid"])
        assert [[i["kind"], i["value"]] for i in c["identifiers"]] == [
            [i["kind"], i["value"]] for i in json.loads(row["identifiers"] or "[]")
        ]
        assert (bool(c["archive_url"]), c["url_status"] == "dead") == (row["archived"], row["dead"])


def test_jsonl_csv_and_parquet_hold_the_same_rows(inputs: tuple[Path, ...], tmp_path: Path) -> None:
    """The three file formats round-trip to the same typed rows (Parquet read by pyarrow;
    its list columns hold as structures what the text formats hold as text; CSV unguarded,
    and guarded only by a `'` before a formula's first character)."""
    pq = pytest.importorskip("pyarrow.parquet")
    args = ("list", *map(str, inputs), "--kind", "journal", "--kind", "web")
    for suffix in ("jsonl", "csv", "parquet"):  # the format follows -o's suffix
        code, _, err = cites_cli(*args, "-o", str(tmp_path / f"rows.{suffix}"))
        assert 0 == code, err
    code, _, err = cites_cli(*args, "-o", str(tmp_path / "raw.csv"), "--no-csv-guard")
    assert 0 == code, err
    from_jsonl = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text().splitlines()]
    from_parquet = pq.read_table(tmp_path / "rows.parquet").to_pylist()
    with (tmp_path / "raw.csv").open(newline="", encoding="utf-8") as f:
        from_csv = [
            {name: _typed(row[name], kind) for name, kind in COLUMNS} for row in csv.DictReader(f)
        ]
    with (tmp_path / "rows.csv").open(newline="", encoding="utf-8") as f:
        guarded = [
            {name: _typed(row[name], kind) for name, kind in COLUMNS} for row in csv.DictReader(f)
        ]
    types = dict(COLUMNS)
    assert len(from_jsonl) > 100
    assert from_jsonl == [_as_text(row) for row in from_parquet]
    assert [{k: (None if v == "" else v) for k, v in row.items()} for row in from_jsonl] == from_csv
    assert [{k: _guard(v, types[k]) for k, v in row.items()} for row in from_csv] == guarded
    schema = pq.read_schema(tmp_path / "rows.parquet")
    assert {"int": "int64", "str": "string", "bool": "bool"}[types["year"]] == str(
        schema.field("year").type
    )


def _as_text(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row with its list columns as the text formats write them (problems: each
    item's type is that of its text)."""
    text = dict(row)
    for name in ("authors", "editors"):
        people = row[name] or []
        assert all(["last", "first", "link"] == list(p) for p in people)
        names = (", ".join(n for n in (p["last"], p["first"]) if n) for p in people)
        text[name] = "; ".join(names) or None
    text["identifiers"] = _compact(row["identifiers"])
    problems = row["problems"] or []
    assert all(p["type"] == problem_type(p["text"]) for p in problems)
    text["problems"] = _compact([p["text"] for p in problems])
    return text


def _compact(items: list[Any] | None) -> str | None:
    return json.dumps(items, separators=(",", ":"), ensure_ascii=False) if items else None


def _guard(value: Any, kind: str) -> Any:
    """What the CSV guard makes of a cell (OWASP's formula characters)."""
    if kind == "str" and isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _typed(text: str, kind: str) -> Any:
    if text == "":
        return None
    return int(text) if kind == "int" else text == "true" if kind == "bool" else text


def test_table_and_chosen_columns(
    inputs: tuple[Path, ...], cites: list[tuple[Record, Cite]]
) -> None:
    """The terminal table: aligned header, rule, one line per row; --columns picks columns."""
    code, out, _ = cites_cli(
        "list", str(inputs[1]), "--page", "Albedo", "--columns", "kind,year,doi"
    )
    lines = out.decode().splitlines()
    albedo = [c for p, c in cites if p["title"] == "Albedo"]
    assert 0 == code and len(albedo) + 2 == len(lines)
    assert ["kind", "year", "doi"] == lines[0].split() and set(lines[1]) == {"-", " "}
    assert lines[2].startswith(albedo[0]["kind"])
    code, _, err = cites_cli("list", str(inputs[1]), "--columns", "kind,nope")
    assert 2 == code and "nope" in err


def test_a_dump_source_is_extracted_on_the_fly(tmp_path: Path) -> None:
    """Given a dump instead of records, the summary equals the one of its records file."""
    dump = str(DUMPS / DUMP_NAMES[1])
    records = tmp_path / "r.jsonl"
    assert 0 == run_dump([dump], str(records), jobs=1, progress=False).exit_code
    on_the_fly = cites_cli("summary", dump, "-j", "2", "--format", "json")
    from_file = cites_cli("summary", str(records), "--format", "json")
    assert 0 == on_the_fly[0] and on_the_fly[1] == from_file[1]
    assert json.loads(from_file[1])["citations"] > 50


def test_stdin_plain_and_gzip(inputs: tuple[Path, ...]) -> None:
    """`-` reads records from stdin, gzip or not."""
    plain = inputs[1].read_bytes()
    expected = cites_cli("summary", str(inputs[1]), "--format", "json")[1]
    for data in (plain, gzip.compress(plain)):
        code, out, err = cites_cli("summary", "-", "--format", "json", stdin=data)
        assert (0, expected) == (code, out), err


def test_wikitext_starting_with_a_brace_is_not_taken_for_records(tmp_path: Path) -> None:
    """A page opening with `{{` is a source to extract, not a records file."""
    page = tmp_path / "p.wiki"
    page.write_text("{{Infobox}}\nText.<ref>{{cite web|url=https://a.org/x|title=X}}</ref>\n")
    code, out, err = cites_cli("list", str(page), "-j", "1", "--format", "jsonl")
    assert 0 == code, err
    assert "a.org" == json.loads(out)["domain"]


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["summary", "missing.jsonl"], 2, "missing.jsonl"),
        (["list", "{records}", "--format", "parquet"], 2, "-o FILE.parquet"),
        (["list", "{records}", "--has", "nonsense"], 2, "nonsense"),
    ],
)
def test_errors_are_one_line_with_an_exit_code(
    args: list[str], code: int, needle: str, inputs: tuple[Path, ...]
) -> None:
    """Unusable input or options: exit 2, a short message, no traceback."""
    got, out, err = cites_cli(*(a.format(records=inputs[1]) for a in args))
    assert (code, b"") == (got, out)
    assert needle in err and "Traceback" not in err


@pytest.mark.parametrize("content", [b"", bytes(range(256)) * 20])
def test_an_unusable_source_is_exit_2(content: bytes, tmp_path: Path) -> None:
    """An empty or binary input: one line naming it, exit 2."""
    path = tmp_path / "input.dat"
    path.write_bytes(content)
    code, out, err = cites_cli("summary", str(path), "-j", "1")
    assert (2, b"") == (code, out)
    assert "input.dat" in err and 1 == len(err.strip().splitlines())


def test_a_damaged_dump_keeps_what_came_before_and_exits_3(tmp_path: Path) -> None:
    """XML cut inside its third page: the pages `dump` writes before the damage are
    counted, then one line and exit 3."""
    xml = bz2.decompress((DUMPS / DUMP_NAMES[1]).read_bytes())
    cut = xml.index(b"</page>", xml.index(b"</page>") + 1) + len(b"</page>") + 300
    damaged, records = tmp_path / "damaged.xml", tmp_path / "before.jsonl"
    damaged.write_bytes(xml[:cut])
    assert 3 == run_dump([str(damaged)], str(records), jobs=1, progress=False).exit_code
    before = [json.loads(line) for line in records.read_text().splitlines()]
    code, out, err = cites_cli("summary", str(damaged), "-j", "1", "--format", "json")
    assert 3 == code and "damaged.xml" in err and 1 == len(err.strip().splitlines())
    data = json.loads(out)
    assert before and data["citations"] > 0
    assert (len(before), sum(len(r["citations"]) for r in before)) == (
        data["pages"],
        data["citations"],
    )


def test_a_bad_records_line_is_one_line_error(tmp_path: Path) -> None:
    """A records file with a broken line stops with the line number, exit 2."""
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"title": "A", "redirect": null, "sections": [], "citations": []}\n{"title": \n'
    )
    code, _, err = cites_cli("summary", str(path))
    assert 2 == code and "bad.jsonl:2" in err and 1 == len(err.strip().splitlines())


def test_missing_pyarrow_is_a_clear_error(
    inputs: tuple[Path, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pyarrow, Parquet output says how to get it."""
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    code, _, err = cites_cli("list", str(inputs[1]), "-o", str(tmp_path / "x.parquet"))
    assert 2 == code and "extractor[parquet]" in err


def test_every_cites_command_has_an_example_in_its_help() -> None:
    """The group and each of its commands show an Example in --help."""
    from extractor.cites.cli import cites as group

    for command in ("", *group.commands):
        code, out, _ = cites_cli(*([command] if command else []), "--help")
        assert 0 == code and b"Example" in out, command

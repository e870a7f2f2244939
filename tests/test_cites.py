"""`extractor cites`: the summary's numbers and the filters, checked against the records.

Records come from `extractor dump` over small shared dumps (as .jsonl.gz) and from
`extractor extract --jsonl` over samples/ and tests/data/cites/.  Every expected number and
row set is computed here straight from the record dicts, not through extractor.cites (only
the problem grouping, tested on its own, is shared).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from extractor.cites.summary import Summary, problem_type
from extractor.cli import cli
from extractor.run.runner import run_dump
from tests.paths import SAMPLES, require_shared

DUMPS = require_shared() / "corpus" / "dumps"
CASES = Path(__file__).parent / "data" / "cites"
DUMP_NAMES = (
    "wikiciteparser__bulk_dump_sample.xml.bz2",
    "wikipedia2vec__enwiki-pages-articles-sample.xml.bz2",
    "json-wikipedia__wikipedia-small-test.xml.bz2",
    "pywikibot__dummy-reflinks.xml",
    "json-wikipedia__mercedes.xml",
    "gensim__enwiki-table-markup.xml.bz2",
    "extraction-framework__minidump_de_wiki.xml.bz2",
)
Record = dict[str, Any]
Cite = dict[str, Any]


def build_records(folder: Path) -> tuple[Path, ...]:
    """Records files: the shared dumps (gzip JSONL, via `dump`), samples/ and the hand-made
    identifier cases in tests/data/cites/ (via `extract --jsonl`)."""
    dumped = folder / "dumps.jsonl.gz"
    summary = run_dump([str(DUMPS / n) for n in DUMP_NAMES], str(dumped), jobs=2, progress=False)
    assert not summary.damage  # a page that fails is an error record, beside the records
    files = [dumped]
    for name, source in (("samples", SAMPLES), ("cases", CASES)):
        files.append(folder / f"{name}.jsonl")
        args = ["extract", str(source), "--jsonl", "-o", str(files[-1])]
        result = CliRunner().invoke(cli, args)
        assert 0 == result.exit_code, result.output
    return tuple(files)


def load(path: Path) -> list[Record]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ...]:
    return build_records(tmp_path_factory.mktemp("cites"))


def articles(inputs: tuple[Path, ...]) -> list[Record]:
    """The article records (no redirects) of the records files, in input order."""
    records = [record for path in inputs for record in load(path)]
    return [r for r in records if "citations" in r and r["redirect"] is None]


@pytest.fixture(scope="module")
def pages(inputs: tuple[Path, ...]) -> list[Record]:
    return articles(inputs)


@pytest.fixture(scope="module")
def cites(pages: list[Record]) -> list[tuple[Record, Cite]]:
    return [(page, c) for page in pages for c in page["citations"]]


def cites_cli(*args: str, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, ["cites", *args], input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def host(url: str | None) -> str | None:
    if not url:
        return None
    name = urlsplit(url if "//" in url else "//" + url).hostname
    return name[4:] if name and name.startswith("www.") else name


def year(iso: str | None) -> int | None:
    return int(iso[:4]) if iso and iso[:4].isdigit() else None


def in_domain(url: str | None, domain: str) -> bool:
    name = host(url) or ""
    return name == domain or name.endswith("." + domain)


def first_doi(c: Cite) -> str:
    doi = ids_of(c, "doi")
    return doi[0]["value"].lower() if doi else ""


def ids_of(c: Cite, kind: str) -> list[Cite]:
    return [i for i in c["identifiers"] if i["kind"] == kind]


def counts(entries: list[dict[str, Any]]) -> dict[Any, int]:
    """A summary top list (objects of exactly a name and a count) as a dict, names unique."""
    assert all(["name", "count"] == list(entry) for entry in entries), entries
    assert len({entry["name"] for entry in entries}) == len(entries)
    return {entry["name"]: entry["count"] for entry in entries}


def test_the_corpus_is_not_trivial(pages: list[Record], cites: list[tuple[Record, Cite]]) -> None:
    """Enough citations of enough kinds for the checks below to mean something."""
    assert len(cites) > 1000 and len(pages) > 30
    assert {"web", "journal", "book", "news", "text", "bare"} <= {c["kind"] for _, c in cites}


def test_summary_equals_counts_from_the_records(
    inputs: tuple[Path, ...], pages: list[Record], cites: list[tuple[Record, Cite]]
) -> None:
    """Every number of `summary --format json` equals the same count made here."""
    code, out, err = cites_cli("summary", *map(str, inputs), "--format", "json", "--top", "10000")
    assert 0 == code, err
    data = json.loads(out)
    cs = [c for _, c in cites]
    assert len(pages) == data["pages"]
    assert len(cs) == data["citations"]
    assert sum(1 for p in pages if p["citations"]) == data["pages_with_citations"]
    assert Counter(c["kind"] for c in cs) == counts(data["kinds"])
    assert Counter(c["template"] for c in cs) == counts(data["templates"])
    kinds = {i["kind"] for c in cs for i in c["identifiers"]}
    assert kinds <= set(data["identifiers"])
    for kind in kinds:
        having = [c for c in cs if ids_of(c, kind)]
        valid = [c for c in having if all(i["valid"] for i in ids_of(c, kind))]
        assert {"citations": len(having), "valid": len(valid)} == data["identifiers"][kind], kind
    having = [c for c in cs if c["identifiers"]]
    valid = [c for c in having if all(i["valid"] for i in c["identifiers"])]
    assert {"citations": len(having), "valid": len(valid)} == data["identifiers"]["any"]
    assert Counter(h for c in cs if (h := host(c["url"]))) == counts(data["domains"])
    assert Counter(c["work"] for c in cs if c["work"]) == counts(data["works"])
    assert Counter(c["publisher"] for c in cs if c["publisher"]) == counts(data["publishers"])
    for field, name in (("date", "years"), ("access_date", "access_years")):
        years = Counter(str(year(c[field])) for c in cs if year(c[field]))
        assert years == data[name], name
    assert {
        "with_url": sum(1 for c in cs if c["url"]),
        "archived": sum(1 for c in cs if c["archive_url"]),
        "dead": sum(1 for c in cs if c["url_status"] == "dead"),
    } == data["links"]
    assert sum(1 for c in cs if c["problems"]) == data["with_problems"]
    problems = Counter(t for c in cs for t in {problem_type(p) for p in c["problems"]})
    assert problems == counts(data["problems"])
    busiest = sorted(enumerate(pages), key=lambda ip: (-len(ip[1]["citations"]), ip[0]))
    expected = [
        {"name": p["title"], "lang": p["lang"], "count": len(p["citations"])}
        for _, p in busiest
        if p["citations"]
    ]
    assert expected == data["most_cited_pages"]
    without = [{"name": p["title"], "lang": p["lang"]} for p in pages if not p["citations"]]
    assert {"count": len(without), "pages": without} == data["pages_without_citations"]


def test_top_lists_are_bounded(inputs: tuple[Path, ...], pages: list[Record]) -> None:
    """--top N cuts every list to N, keeping the largest counts and the first empty pages."""
    code, out, _ = cites_cli("summary", *map(str, inputs), "--format", "json", "--top", "3")
    data = json.loads(out)
    assert 0 == code
    most = sorted((len(p["citations"]) for p in pages), reverse=True)[:3]
    assert most == [p["count"] for p in data["most_cited_pages"]]
    assert [p["title"] for p in pages if not p["citations"]][:3] == [
        p["name"] for p in data["pages_without_citations"]["pages"]
    ]
    for name in ("templates", "domains", "works", "publishers", "problems"):
        assert len(data[name]) <= 3, name


def test_summary_keeps_bounded_state() -> None:
    """Page lists never grow past --top, however many pages stream through."""
    summary = Summary(top=5)
    for n in range(3000):
        cite = {"index": 0, "kind": "web", "section": 0, "identifiers": [], "problems": []}
        summary.add({"title": f"P{n}", "sections": [], "citations": [cite] * (n % 3)})
    data = summary.to_dict()
    assert 5 == len(data["most_cited_pages"]) == len(data["pages_without_citations"]["pages"])
    assert 1000 == data["pages_without_citations"]["count"]
    assert ["P2", "P5", "P8", "P11", "P14"] == [p["name"] for p in data["most_cited_pages"]]


def test_problem_types_drop_the_particular_value() -> None:
    """Problems group by type: values, quoted dates and varying numbers are dropped."""
    assert "url without a scheme" == problem_type("url without a scheme in url=www.x.org")
    assert "access-date: unparseable date" == problem_type("access-date: unparseable date '11-07'")
    assert "date: impossible date" == problem_type("date: impossible date 'Feb 30, 2008': no")
    assert "'firstN' without a last name" == problem_type("'first2' without a last name")
    assert "bibcode has N characters; expected 19" == problem_type(
        "bibcode has 20 characters; expected 19 in bibcode=10.1364/AO.47.004981"
    )
    assert "duplicate parameter 'isbn'" == problem_type("duplicate parameter 'isbn'")


def test_text_summary_is_readable(inputs: tuple[Path, ...], pages: list[Record]) -> None:
    """The default output: a headline and aligned tables with shares."""
    code, out, _ = cites_cli("summary", str(inputs[1]))
    text = out.decode()
    assert 0 == code
    total = sum(len(p["citations"]) for p in load(inputs[1]) if p["redirect"] is None)
    assert text.startswith(f"{total:,} citations in")
    for heading in ("Kind", "Identifier", "Domain", "Work", "Publisher", "Problem"):
        assert any(line.startswith(heading + " ") for line in text.splitlines()), heading
    assert "Publication year" in text and "█" in text and "%" in text


FILTERS: list[tuple[list[str], Callable[[Record, Cite], bool]]] = [
    (["--kind", "journal"], lambda p, c: c["kind"] == "journal"),
    (["--kind", "web", "--kind", "news"], lambda p, c: c["kind"] in ("web", "news")),
    (["--template", "Cite Book"], lambda p, c: c["template"] == "cite book"),
    (["--domain", "nytimes.com"], lambda p, c: in_domain(c["url"], "nytimes.com")),
    (["--domain", "WWW.Google.com"], lambda p, c: in_domain(c["url"], "google.com")),
    (["--has", "doi"], lambda p, c: bool(ids_of(c, "doi"))),
    (["--has", "doi", "--has", "pmid"], lambda p, c: bool(ids_of(c, "doi") and ids_of(c, "pmid"))),
    (["--invalid"], lambda p, c: any(not i["valid"] for i in c["identifiers"])),
    (["--has", "isbn", "--invalid"], lambda p, c: any(not i["valid"] for i in ids_of(c, "isbn"))),
    (["--has", "pmid", "--invalid"], lambda p, c: any(not i["valid"] for i in ids_of(c, "pmid"))),
    (["--doi-prefix", "10.1038"], lambda p, c: first_doi(c).startswith("10.1038/")),
    (["--doi-prefix", "10.1016/j.s"], lambda p, c: first_doi(c).startswith("10.1016/j.s")),
    (["--year-from", "2000", "--year-to", "2009"],
     lambda p, c: 2000 <= (year(c["date"]) or 0) <= 2009),
    (["--page", "Albedo", "--page", "Identifier cases"],
     lambda p, c: p["title"] in ("Albedo", "Identifier cases")),
    (["--problem", "DUPLICATE"], lambda p, c: any("duplicate" in x for x in c["problems"])),
    (["--kind", "journal", "--has", "doi", "--year-from", "2005"],
     lambda p, c: c["kind"] == "journal" and bool(ids_of(c, "doi"))
     and (year(c["date"]) or 0) >= 2005),
    (["--kind", "news", "--domain", "nytimes.com", "--page", "Barry Goldwater"],
     lambda p, c: c["kind"] == "news" and in_domain(c["url"], "nytimes.com")
     and p["title"] == "Barry Goldwater"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "keep"), FILTERS, ids=[" ".join(a) for a, _ in FILTERS])
def test_filters_return_exactly_the_matching_rows(
    args: list[str],
    keep: Callable[[Record, Cite], bool],
    inputs: tuple[Path, ...],
    cites: list[tuple[Record, Cite]],
) -> None:
    """Each filter (and a combination) selects exactly what a hand-written predicate does."""
    code, out, err = cites_cli("list", *map(str, inputs), *args, "--format", "jsonl")
    assert 0 == code, err
    got = [(r["page_title"], r["index"]) for r in map(json.loads, out.splitlines())]
    expected = [(p["title"], c["index"]) for p, c in cites if keep(p, c)]
    assert 0 < len(expected) < len(cites)
    assert expected == got


def test_pages_read_on_the_fly_give_the_rows_of_their_records(inputs: tuple[Path, ...]) -> None:
    """`cites list samples/` (pages extracted on the fly) and `cites list` of the same
    pages' records file give the same rows: problems included."""
    samples = next(path for path in inputs if path.name == "samples.jsonl")
    code, direct, _ = cites_cli("list", str(SAMPLES), "--format", "jsonl")
    assert code == 0
    code, from_records, _ = cites_cli("list", str(samples), "--format", "jsonl")
    assert code == 0
    assert direct == from_records
    rows = [json.loads(line) for line in direct.splitlines()]
    assert any(row["problem_count"] for row in rows)

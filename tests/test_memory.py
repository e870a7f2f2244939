"""Per-page memory: bounded peaks on pathological pages, and pieces read as the whole page.

A page's parse used to peak at 50-180x its size, mostly on the tokenizer's tokens: long
pages are now tokenized in pieces (:mod:`extractor.parse.walk_tokens`).  The peaks are measured
with tracemalloc (a count of allocated bytes, not a timing) in a fresh interpreter per page,
all pages at once.  A record has an inherent size (a page of ``<ref>x</ref>`` gives ~35x its
size in JSON), so the bound is on what ``extract()`` holds beyond the record it returns.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.parse import Document, parse, walk_tokens
from extractor.sources import read_pages
from tests.paths import ROOT, SAMPLES, require_shared
from tests.strategies import MARKUP_FRAGMENTS

#: One unit of each pathological page, repeated to ~2 MB.
UNITS = {
    "refs": "<ref>x</ref>",
    "cite refs": "<ref>{{cite web|url=http://a.b/c|title=t}}</ref>",
    "categories": "[[Category:X]]",
    "prose dates": "On 3 May 1990 the town grew. ",
    "headings": "== H ==\n",
    "links": "[[link]] ",
    "table": "|-\n| [[A b]] || 1990 || x\n",
}
#: Around the repeated unit: a table of 2 MB of rows is one construct, read in rows.
AROUND = {"table": ('{| class="wikitable"\n', "|}\n")}
SIZE = 2_000_000
BOUND = 20
#: Pages mwparserfromhell's tokenizer itself needs seconds for (see test_fast_path.py).
TOO_SLOW = ("Wikirreto", "Bretagne")

_MEASURE = """
import gc, json, sys, tracemalloc
from extractor import extract
text = sys.argv[3] + sys.argv[1] * (int(sys.argv[2]) // len(sys.argv[1].encode())) + sys.argv[4]
gc.collect()
tracemalloc.start()
article = extract(text)
record, peak = tracemalloc.get_traced_memory()
print(json.dumps({"size": len(text.encode()), "peak": peak, "record": record}))
"""


@pytest.fixture(scope="module")
def peaks() -> dict[str, dict[str, int]]:
    """Each page's size, the peak of ``extract()`` on it and the size of its record."""
    runs = {
        kind: subprocess.Popen(
            [sys.executable, "-c", _MEASURE, unit, str(SIZE), *AROUND.get(kind, ("", ""))],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for kind, unit in UNITS.items()
    }
    return {kind: json.loads(run.communicate()[0]) for kind, run in runs.items()}


@pytest.mark.parametrize("kind", UNITS)
def test_extract_holds_under_20x_the_page_beyond_its_record(
    kind: str, peaks: dict[str, dict[str, int]]
) -> None:
    """Beyond the record it returns, extract() never holds 20x the page's UTF-8 size."""
    figures = peaks[kind]
    assert figures["peak"] - figures["record"] < BOUND * figures["size"]


@pytest.mark.parametrize("kind", ["categories", "links", "table"])
def test_small_records_peak_under_20x_the_page(kind: str, peaks: dict[str, dict[str, int]]) -> None:
    """A page whose record is small peaks under 20x its size in all."""
    figures = peaks[kind]
    assert figures["peak"] < BOUND * figures["size"]


def _located(doc: Document) -> tuple[object, ...]:
    return (doc.templates, doc.refs, doc.links, doc.headings, doc.ref_lists, doc.prose)


@contextmanager
def _in_pieces(piece: int) -> Iterator[None]:
    """Tokenize every page, however short, in pieces of about ``piece`` characters."""
    before = walk_tokens.WHOLE, walk_tokens.PIECE
    walk_tokens.WHOLE, walk_tokens.PIECE = 0, piece
    try:
        yield
    finally:
        walk_tokens.WHOLE, walk_tokens.PIECE = before


@pytest.mark.parametrize("piece", [40, 2000])
def test_pages_read_in_pieces_as_whole(piece: int) -> None:
    """Every corpus and sample page read in pieces gives the Document of a whole-page read."""
    corpus = require_shared() / "corpus" / "wikitext"
    for path in sorted([*corpus.glob("*/*.wiki"), *SAMPLES.iterdir()]):
        if any(slow in path.name for slow in TOO_SLOW):
            continue
        for page in read_pages(path):
            whole = _located(parse(page.text, "wikitext"))
            with _in_pieces(piece):
                assert whole == _located(parse(page.text, "wikitext")), path.name


#: Markup that cuts between pieces must not split: tags, links, lists, headings, braces.
_FRAGMENTS = [
    *MARKUP_FRAGMENTS, " ", "word ", "<span>", "</span>", '<span a="b">', "<li>", "<br>",
    "</br>", "<div>", "</div>", "<math>", "</math>", "== H ==\n", "\n;", "\n*", ":",
    "[//q.org t]", "http://y.org/z", "news:", "{{{", "}}}", "<10 ",
    "\n{|", "\n|}", "\n|-", "\n|", "||", "\n!", "!!", "\n{|\n|-\n| a\n|}",
]  # fmt: skip
_SOUP = st.lists(
    st.one_of(
        st.sampled_from(_FRAGMENTS), st.text(alphabet="ab <>[]{}|=\n:/'\"!-*#;&", max_size=4)
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_SOUP, piece=st.sampled_from([1, 2, 5, 13]))
def test_markup_soup_read_in_pieces_as_whole(text: str, piece: int) -> None:
    """Any markup soup cut into pieces of a few characters reads as the whole page."""
    whole = _located(parse(text, "wikitext"))
    with _in_pieces(piece):
        assert whole == _located(parse(text, "wikitext"))


_CELLS = st.lists(st.sampled_from(_FRAGMENTS), max_size=4).map("".join)
_TABLES = st.builds(
    lambda head, rows, end, tail: head + "{|\n" + "".join(rows) + end + tail,
    _SOUP,
    st.lists(st.builds(lambda a, b: f"|-\n| {a} || {b}\n", _CELLS, _CELLS), max_size=30),
    st.sampled_from(["|}", "", "|}\n|}", "\n"]),
    _SOUP,
)


@settings(max_examples=300, deadline=None)
@given(text=_TABLES, piece=st.sampled_from([1, 2, 5, 13, 40]))
def test_tables_read_in_rows_as_whole(text: str, piece: int) -> None:
    """A table cut into rows (closed, unclosed, nested, with markup soup in its cells and
    around it) reads as the whole page, or falls back to a whole read where it may not."""
    whole = _located(parse(text, "wikitext"))
    with _in_pieces(piece):
        assert whole == _located(parse(text, "wikitext"))


def test_long_table_is_read_in_rows() -> None:
    """A table longer than a piece is read in rows, never whole (what bounds its peak)."""
    rows = "".join(f"|-\n| [[A{i}]] || {{{{cite web|url=http://a.b/{i}}}}}\n" for i in range(300))
    text = "Intro.\n{|\n" + rows + "|}\nAfter [[Category:X]]"
    whole = _located(parse(text, "wikitext"))
    longest: list[int] = []
    real = walk_tokens.CTokenizer

    class Counting:
        def tokenize(self, text: str, *args: object) -> object:
            longest.append(len(text))
            return real().tokenize(text, *args)

    walk_tokens.CTokenizer = Counting
    try:
        with _in_pieces(200):
            assert whole == _located(parse(text, "wikitext"))
    finally:
        walk_tokens.CTokenizer = real
    assert max(longest) < len(text) / 4

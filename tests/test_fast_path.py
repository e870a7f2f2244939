"""The fast parse path gives exactly the records of the reference (full tree) path.

Speed must never change a fact: every page of the shared corpus and of samples/, and
generated markup, is extracted both ways and the records' JSON compared byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract
from extractor.page import Page
from extractor.sources import read_pages
from tests.paths import SAMPLES, require_shared
from tests.strategies import markup_soup, wikitext_pages

CORPUS = require_shared() / "corpus"
#: Pages mwparserfromhell itself needs many seconds for (3.5 s and 11 s).
TOO_SLOW = ("Wikirreto", "Bretagne")
PAGES = sorted(
    p
    for p in [*(CORPUS / "wikitext").glob("*/*.wiki"), *SAMPLES.iterdir()]
    if not any(slow in p.name for slow in TOO_SLOW)
)


def _pages(path: Path) -> list[Page]:
    return list(read_pages(path))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_fast_records_equal_reference_records(path: Path) -> None:
    """Every record of every corpus page is byte-identical on both paths."""
    from extractor.article import extract_page

    for page in _pages(path):
        assert extract_page(page, reference=True).to_json() == extract_page(page).to_json()


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), markup_soup), dialect=st.sampled_from(["wikitext", "flat"]))
def test_fast_path_equals_reference_on_any_text(text: str, dialect: str) -> None:
    """Any text, any markup soup: both paths give the same record."""
    fast = extract(text, dialect=dialect)
    assert extract(text, dialect=dialect, reference=True).to_json() == fast.to_json()


@settings(max_examples=100, deadline=None)
@given(page=wikitext_pages())
def test_fast_path_equals_reference_on_generated_pages(page) -> None:  # type: ignore[no-untyped-def]
    """Generated pages with categories, headings and cites: same records both ways."""
    fast = extract(page.text, dialect="wikitext")
    assert extract(page.text, dialect="wikitext", reference=True).to_json() == fast.to_json()


def test_reference_flag_reaches_the_tree_walker(monkeypatch: pytest.MonkeyPatch) -> None:
    """extract(reference=True) really takes the tree path (else the tests above are void)."""
    import extractor.parse

    calls: list[str] = []
    monkeypatch.setattr(extractor.parse, "_walk_reference", lambda doc: calls.append("tree"))
    monkeypatch.setattr(extractor.parse, "_walk_fast", lambda doc: calls.append("tokens"))
    extract("x", dialect="wikitext", reference=True)
    extract("x", dialect="wikitext")
    assert ["tree", "tokens"] == calls

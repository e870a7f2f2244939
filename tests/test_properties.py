"""Invariants that hold for any input: no crash, spans inside the input, JSON round trip,
generated facts found again."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract
from extractor.records import Article
from tests.strategies import Generated, markup_soup, wikitext_pages

DIALECTS = st.sampled_from(["auto", "wikitext", "flat", "text"])


def _spans(article: Article) -> list[tuple[int, int]]:
    spans = [c.span for c in article.categories] + [s.span for s in article.sections]
    spans += [c.span for c in article.citations] + [d.span for d in article.dates]
    return spans


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), markup_soup), dialect=DIALECTS)
def test_extract_never_raises_and_spans_lie_in_input(text: str, dialect: str) -> None:
    """Any text in any dialect gives a record whose spans lie inside the input."""
    article = extract(text, dialect=dialect)
    for start, end in _spans(article):
        assert 0 <= start <= end <= len(text)
    for date in article.dates:
        assert text[date.span[0] : date.span[1]] == date.text


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(), markup_soup), dialect=DIALECTS)
def test_records_round_trip_through_json(text: str, dialect: str) -> None:
    """The JSON of a record parses back to the record's dict."""
    article = extract(text, dialect=dialect)
    assert article.to_dict() == orjson.loads(article.to_json())


@settings(max_examples=200, deadline=None)
@given(page=wikitext_pages())
def test_generated_facts_are_found_with_their_spans(page: Generated) -> None:
    """Every generated category, heading and cite template is found where it was put."""
    article = extract(page.text, dialect="wikitext")
    assert list(page.categories) == [(c.name, c.span) for c in article.categories]
    assert list(page.headings) == [(s.level, s.title, s.span[0]) for s in article.sections[1:]]
    assert list(page.cites) == [(c.title, c.span) for c in article.citations]

"""Invariants that hold for any input: no crash, spans inside the input, JSON round trip,
generated facts found again, the same output for one worker and for two."""

from __future__ import annotations

from unittest import mock

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import extractor.run.batch
from extractor import extract
from extractor.records import Article
from extractor.run.batch import Options
from extractor.run.runner import run_dump
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


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    texts=st.lists(
        st.one_of(wikitext_pages().map(lambda page: page.text), markup_soup),
        min_size=1,
        max_size=7,
    ),
    layout=st.sampled_from(["wiki folder", "flat file"]),
)
def test_serial_output_equals_parallel_output(
    texts: list[str], layout: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`run_dump` with one worker and with two writes the same bytes (cut into units of
    two pages, so that units finish out of order)."""
    folder = tmp_path_factory.mktemp("pages")
    source = folder / "in"
    if layout == "wiki folder":
        source.mkdir()
        for i, text in enumerate(texts):
            (source / f"p{i:03d}.wiki").write_text(text, encoding="utf-8")
    else:
        flat = "\n\n".join(f"[[Page {i}]]\n\n{text}" for i, text in enumerate(texts))
        flat = flat.replace("\x00", "")  # a NUL makes the one file binary: nothing to compare
        source.write_text(flat, encoding="utf-8")
    outputs = []
    options = Options(namespaces=frozenset(), redirects=True)
    with mock.patch.object(extractor.run.batch, "BATCH_PAGES", 2):
        for jobs in (1, 2):
            out = folder / f"j{jobs}.jsonl"
            summary = run_dump([str(source)], str(out), jobs=jobs, options=options,
                               progress=False)  # fmt: skip
            errors = folder / f"j{jobs}.errors.jsonl"
            # The error file is made with the first error record only.
            errs = errors.read_bytes() if errors.exists() else None
            outputs.append((out.read_bytes(), errs, summary.counts))
    assert outputs[0] == outputs[1]

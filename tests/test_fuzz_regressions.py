"""Regression tests for what fuzzing and the pathological-page hunt found.

Every crash a fuzz target (``fuzz/``) finds becomes a test here, and so does every
pathological input found by scaling constructs up (deep nesting, many headings).  How the
time of such inputs grows is a figure, not a test: ``benchmarks/bench_pathological.py``
prints it (timed assertions flake on a busy machine).
"""

from __future__ import annotations

import pytest

from extractor import extract


@pytest.mark.parametrize("depth", [500, 10_000])
def test_deeply_nested_templates_do_not_raise(depth: int) -> None:
    """Deeply nested templates give a record, not a RecursionError (found at depth 500)."""
    text = "{{" * depth + "x" + "}}" * depth
    article = extract(text, dialect="wikitext")
    assert article.dialect == "wikitext"


def test_many_headings_and_nested_refs_give_records() -> None:
    """100 000 headings (once quadratic) and 1000 nested refs (once quadratic) give records;
    how their time grows is measured by ``benchmarks/bench_pathological.py``."""
    headings = extract("== H ==\n" * 100_000, dialect="wikitext")
    assert 100_001 == len(headings.sections)
    nested = extract("<ref>" * 1000 + "x" + "</ref>" * 1000, dialect="wikitext")
    assert nested.citations


@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        ("[[" * 10_000 + "x" + "]]" * 10_000, "wikitext"),
        ("{{" * 10_000 + "x", "wikitext"),
        ("[tpl]" * 3_000 + "x" + "[/tpl]" * 3_000, "flat"),
        ("{{a|" * 200 + "}}" * 100, "wikitext"),
    ],
    ids=["nested-links", "unclosed-braces", "nested-flat-tpl", "half-closed"],
)
def test_deep_nesting_of_other_constructs_gives_a_record(text: str, dialect: str) -> None:
    """Deep nesting that the parse stage already survives keeps surviving."""
    article = extract(text, dialect=dialect)
    for s in article.sections:
        assert 0 <= s.span[0] <= s.span[1] <= len(text)

"""Date facts on a page: from citations, date templates and prose, with provenance."""

from __future__ import annotations

from pathlib import Path

from extractor import extract

SAMPLES = Path(__file__).parent.parent / "samples"


def test_juno_prose_dates_skip_numbers_that_are_not_years() -> None:
    """The seed page's prose dates are found; chart numbers and counts are not dates."""
    text = (SAMPLES / "Juno_(soundtrack).txt").read_text(encoding="utf-8")
    prose = [(d.iso, d.text) for d in extract(text).dates if d.kind == "prose"]
    assert ("2008-01-08", "January 8, 2008") == prose[0]
    assert ("2008-02-24", "February 24, 2008") in prose
    assert ("2008-02-09", "February 9, 2008") in prose
    assert ("1997", "1997") in prose
    texts = {t for _, t in prose}
    assert not texts & {"1046", "200", "65,000", "1,000,000", "16"}


def test_prose_review_decade_and_no_false_years() -> None:
    """The prose seed gives its adjectival year (the 2007 comedy-drama), the mid-2000s
    decade and no '16-year-old' date."""
    text = (SAMPLES / "Juno_review.txt").read_text(encoding="utf-8")
    dates = extract(text).dates
    assert [("2007", "year", "2007", 0), ("2000", "decade", "mid-2000s", 1)] == [
        (d.iso, d.precision, d.text, d.section) for d in dates
    ]


def test_template_dates_have_roles_and_spans() -> None:
    """Birth/death templates give dated facts whose span is the template."""
    text = "Born {{Birth date|1909|1|2}}.\n{{Death date and age|1998|5|29|1909|1|2}}"
    dates = [(d.iso, d.role, d.kind, d.text[:8]) for d in extract(text).dates]
    assert [
        ("1909-01-02", "birth", "template", "{{Birth "),
        ("1998-05-29", "death", "template", "{{Death "),
        ("1909-01-02", "birth", "template", "{{Death "),
    ] == dates


def test_citation_dates_point_at_the_parameter_value() -> None:
    """A citation's date fact spans exactly the parameter's value and names the citation."""
    text = "x<ref>{{cite web|title=T|date=8 January 2008|access-date=2011-02-20}}</ref>"
    dates = extract(text).dates
    assert [
        ("2008-01-08", "date", "8 January 2008", 0),
        ("2011-02-20", "access-date", "2011-02-20", 0),
    ] == [(d.iso, d.role, d.text, d.citation) for d in dates]


def test_impossible_dates_are_problems_not_facts() -> None:
    """February 30 in prose or a template is reported, never turned into a date."""
    article = extract("It opened on February 30, 2008. {{Start date|2008|2|30}}")
    assert () == article.dates
    assert 2 == sum("impossible" in p for p in article.problems)


def test_years_before_the_common_era_are_not_dates() -> None:
    """'1600 BC' and '(c. 1550 BCE)' are not reported as common-era years."""
    article = extract("In 1600 BC, the Egyptians wrote. It fell (c. 1550 BCE). In 1990 it rose.")
    assert ["1990"] == [d.iso for d in article.dates]


def test_citation_date_span_excludes_comments() -> None:
    """A date field's trailing comment is not part of the date's span or text."""
    text = "{{cite web|title=T|date=29 August 2007<!--Added by bot-->}}"
    (date,) = extract(text).dates
    assert "29 August 2007" == date.text == text[date.span[0] : date.span[1]]


def test_a_date_never_runs_across_table_cells() -> None:
    """``| 2 || January 1993`` is a month and a number, not 2 January (cells are apart)."""
    text = "{|\n|-\n| 2 || January 1993\n|-\n| 3\n| May 1990 !! 4 June 2001\n|}"
    dates = [(d.iso, d.text) for d in extract(text).dates]
    assert dates == [
        ("1993-01", "January 1993"),
        ("1990-05", "May 1990"),
        ("2001-06-04", "4 June 2001"),
    ]


def test_a_bare_years_context_never_reaches_across_table_cells() -> None:
    """``| A b || 1990 || x``: the 'A b' of one cell makes no adjectival year of the next."""
    text = "{|\n|-\n| A b || 1990 || x\n|-\n| the 1964 election\n|}"
    assert [(d.iso, d.text) for d in extract(text).dates] == [("1964", "1964")]

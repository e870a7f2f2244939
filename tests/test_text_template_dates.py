"""Dates in the text of inline text templates (``{{nowrap|5 May 1950}}``): a reader sees
that text, so its dates are prose dates, with spans into the input as given.

Which templates and parameters count is ``extractor/locales/text_templates.json``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract
from extractor.facts.dates import _TEXT_DEPTH
from extractor.locales import text_templates
from tests.paths import require_shared

NIHONGO = "{{nihongo|Kōsaku Yamada|山田 耕筰|Yamada Kōsaku|extra=June 9, 1886 – December 29, 1965}}"
SMALL = "{{small|(April 21, 1832 – March 3, 1900)}}"


def _dates(text: str, **kwargs: str) -> list[tuple[str, str, str]]:
    """(iso, precision, text) of each date, after checking that it is a prose date whose
    span slices the input to exactly its text."""
    article = extract(text, **kwargs)
    for date in article.dates:
        assert ("prose", None) == (date.kind, date.role)
        assert date.text == text[date.span[0] : date.span[1]]
    return [(d.iso, d.precision, d.text) for d in article.dates]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            f"'''Kōsaku Yamada''' {NIHONGO} was a composer.",
            None,
            [("1886-06-09", "day", "June 9, 1886"), ("1965-12-29", "day", "December 29, 1965")],
        ),
        (
            f"Lincoln {SMALL} served.",
            None,
            [("1832-04-21", "day", "April 21, 1832"), ("1900-03-03", "day", "March 3, 1900")],
        ),
        ("Born {{nowrap|5 May 1950}}.", None, [("1950-05-05", "day", "5 May 1950")]),
        ("Born {{Nobr|May 1950}}.", None, [("1950-05", "month", "May 1950")]),
        ("Prise {{lang|fr|le 14 juillet 1789}}.", "fr", [("1789-07-14", "day", "14 juillet 1789")]),
        ("{{lang|fr|text=le 14 juillet 1789}}", "fr", [("1789-07-14", "day", "14 juillet 1789")]),
        ("{{langx|de|Am 9. November 1989}}", "de", [("1989-11-09", "day", "9. November 1989")]),
        ("{{lang-de|am 9. November 1989}}", "de", [("1989-11-09", "day", "9. November 1989")]),
        ("{{Template:Nihongo|x|X|x|1 June 1900}}", None, [("1900-06-01", "day", "1 June 1900")]),
    ],
)
def test_the_text_of_a_text_template_is_prose(
    text: str, lang: str | None, expected: list[tuple[str, str, str]]
) -> None:
    """The examples of issue 12 give their dates, kind prose, role null, exact spans."""
    assert expected == (_dates(text, lang=lang) if lang else _dates(text))


def test_a_date_in_a_parameter_that_is_not_text_is_not_read() -> None:
    """Nihongo's 2nd (the Japanese script) and lang's code are not running text; nor are
    a text template's parameters not listed (small has only its 1st)."""
    assert [] == _dates("{{nihongo|Kōsaku Yamada|5 May 1950|Yamada Kōsaku}}")
    assert [] == _dates("{{lang|5 May 1950|text}}")
    assert [] == _dates("{{small|text|5 May 1950|x=5 May 1950}}")
    assert [] == _dates("{{Not a text template|5 May 1950}}")


def test_the_last_of_a_repeated_parameter_counts() -> None:
    """MediaWiki shows the last value given for a parameter; only its dates are read."""
    assert [("1950-05-05", "day", "5 May 1950")] == _dates("{{nowrap|1=6 June 1944|1=5 May 1950}}")


def test_templates_in_refs_infoboxes_or_citations_are_not_prose() -> None:
    """A text template inside a ref, or in another template's parameter, is not read."""
    assert [] == _dates("Text.<ref>{{small|5 May 1950}}</ref>")
    assert [] == _dates("Text.<ref name=a>Seen {{nowrap|5 May 1950}}.</ref>")
    assert [] == _dates("{{Infobox person|born={{small|5 May 1950}}}}")
    assert [] == _dates("{{quote|text=said {{nowrap|5 May 1950}}}}")
    article = extract("x<ref>{{cite web|title=T {{small|5 May 1950}}|url=http://a.org}}</ref>")
    assert [] == [d for d in article.dates if d.kind == "prose"]


def test_a_text_template_inside_a_text_template_is_read() -> None:
    """``{{small|{{nowrap|…}}}}`` reaches the inner text, several levels deep."""
    assert [("1950-05-05", "day", "5 May 1950")] == _dates("{{small|{{nowrap|5 May 1950}}}}")
    deep = "{{small|" * 5 + "in 1950" + "}}" * 5
    assert [("1950", "year", "1950")] == _dates(deep)
    text = "{{small|On {{nowrap|5 May 1950}}, and {{lang|en|6 June 1944}}}}"
    assert [("1950-05-05", "day", "5 May 1950"), ("1944-06-06", "day", "6 June 1944")] == (
        _dates(text)
    )


@pytest.mark.parametrize("depth", [_TEXT_DEPTH, _TEXT_DEPTH + 1, 20, 2000])
def test_nesting_past_the_bound_is_not_read(depth: int) -> None:
    """The depth is bounded (each level parses its parameter again): a date ``_TEXT_DEPTH``
    text templates deep is read, one deeper is not, and nothing raises.  Past the parser's
    own nesting limit (2000) the braces it left unclosed are not parsed again: that takes
    its tokenizer's quadratic path (seconds for this page, milliseconds now)."""
    deep = "{{small|" * depth + "5 May 1950" + "}}" * depth
    expected = [("1950-05-05", "day", "5 May 1950")] if depth <= _TEXT_DEPTH else []
    assert expected == _dates(deep)


@pytest.mark.parametrize(
    "fragment",
    [
        "born [[5 May]] 1950 in [[Paris]]",
        "born '''5 May 1950'''<!-- x --> in [[Paris|the capital]]<ref>6 June 1944</ref>",
        "in 1950, the [[1950 FIFA World Cup|World Cup]] ({{circa|1950}})",
        "{{birth date|1950|5|5}} or 5 May 1950",
        "x\n{|\n| 2 || January 1993\n|}",
    ],
)
def test_the_text_reads_as_the_same_text_in_prose(fragment: str) -> None:
    """Markup in the text (links, comments, refs, templates, table cells) is read as the
    page's prose reads it: the prose dates of ``{{nowrap|X}}`` are those of ``X``, moved."""
    as_prose = [d for d in extract(fragment).dates if d.kind == "prose"]
    inline = [d for d in extract("{{nowrap|" + fragment + "}}").dates if d.kind == "prose"]
    assert as_prose, "the fragment must hold a prose date"
    assert [(d.iso, d.text, (d.span[0] + 9, d.span[1] + 9)) for d in as_prose] == [
        (d.iso, d.text, d.span) for d in inline
    ]


def test_impossible_dates_in_text_templates_are_problems() -> None:
    """February 30 in a text template is a problem at its offset, never a fact."""
    text = "It opened {{nowrap|February 30, 2008}}."
    article = extract(text)
    assert () == article.dates
    assert [f"impossible date 'February 30, 2008': day out of range (offset {10 + 9})"] == [
        p for p in article.problems if "impossible" in p
    ]


def test_flat_dialect_spans_map_to_the_input() -> None:
    """The flat dialect's ``[tpl]small|…[/tpl]`` gives the same dates, spans in the input."""
    text = "Lincoln [tpl]small|(April 21, 1832 – March 3, 1900)[/tpl] served."
    assert [("1832-04-21", "day", "April 21, 1832"), ("1900-03-03", "day", "March 3, 1900")] == (
        _dates(text, dialect="flat")
    )


def test_a_real_page() -> None:
    """Afghanistan.wiki's table header ``{{small|2004–2014 estimate}}`` gives its year;
    Abraham_Lincoln.wiki's ``{{small|(April 21, 1832 – July 10, 1832)}}`` stand in its
    infobox, so are not prose."""
    corpus = require_shared() / "corpus" / "wikitext" / "en"
    text = (corpus / "Afghanistan.wiki").read_text(encoding="utf-8")
    at = text.index("{{small|2004–2014 estimate}}") + len("{{small|")
    dates = [d for d in extract(text).dates if d.span[0] == at]
    assert [("2004", "year", "2004–2014", "prose")] == [
        (d.iso, d.precision, d.text, d.kind) for d in dates
    ]
    text = (corpus / "Abraham_Lincoln.wiki").read_text(encoding="utf-8")
    at = text.index("{{small|(April 21, 1832 – July 10, 1832)}}")
    assert not [d for d in extract(text).dates if at <= d.span[0] < at + 45]


def test_the_data_file_is_normalized_and_sourced() -> None:
    """Every name is looked up normalized, every entry lists its text parameters."""
    table = text_templates()
    assert {"nihongo", "small", "nowrap", "lang", "langx", "lang-*"} <= set(table)
    assert {"1", "3", "extra", "extra2"} <= table["nihongo"]
    assert "2" not in table["nihongo"]
    assert {"2", "text"} == table["lang"]
    for name, params in table.items():
        assert name == name.lower().strip() and "_" not in name
        assert params


_PIECES = [
    "{{small|", "{{nowrap|", "{{nihongo|", "{{lang|fr|", "{{langx|de|", "{{lang-de|",
    "{{ill|", "{{sic|", "extra=", "text=", "lt=", "|", "}}", "{{", "[[", "]]", "<ref>",
    "</ref>", "<!--", "-->", "''", "\n", "{|", "|}", "||", "[tpl]small|", "[tpl]nowrap|",
    "[/tpl]", "5 May 1950", "June 9, 1886 – December 29, 1965", "in 1950", "February 30, 2008",
    "14 juillet 1789", "9. November 1989", "=", "é", "\x00",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=40),
    dialect=st.sampled_from(["wikitext", "flat", "auto"]),
    lang=st.sampled_from([None, "fr", "de"]),
)
def test_extract_never_raises_and_spans_stay_in_the_input(
    pieces: list[str], dialect: str, lang: str | None
) -> None:
    """Text mixing text templates and markup: extract never raises, every date's span lies
    inside the input and its text is the input there."""
    text = "".join(pieces)
    article = extract(text, dialect=dialect, lang=lang)
    for date in article.dates:
        start, end = date.span
        assert 0 <= start <= end <= len(text)
        assert date.text == text[start:end]

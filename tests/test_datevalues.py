"""Dates: whole field values, dates in running prose, and date templates."""

from __future__ import annotations

import calendar
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.facts import datevalues
from extractor.facts.datevalues import (
    DateValue,
    FoundDate,
    ImpossibleDate,
    TemplateDate,
    find_prose_dates,
    parse_date,
    template_dates,
)


def day(iso: str) -> DateValue:
    return DateValue(iso=iso, precision="day")


def month(iso: str) -> DateValue:
    return DateValue(iso=iso, precision="month")


def year(iso: str) -> DateValue:
    return DateValue(iso=iso, precision="year")


def decade(iso: str) -> DateValue:
    return DateValue(iso=iso, precision="decade")


def found(text: str) -> list[tuple[str, str | None, str | None]]:
    """(matched text, iso, precision or problem) for each prose date in text."""
    return [
        (
            text[f.start : f.end],
            f.value.iso if f.value else None,
            f.value.precision if f.value else f.problem,
        )
        for f in find_prose_dates(text)
    ]


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2008-01-30", day("2008-01-30")),
        ("2008-01", month("2008-01")),
        ("2008", year("2008")),
        ("January 8, 2008", day("2008-01-08")),
        ("Jan 8, 2008", day("2008-01-08")),
        ("Sept. 8, 2008", day("2008-09-08")),
        ("8 January 2008", day("2008-01-08")),
        ("8 Jan 2008", day("2008-01-08")),
        ("January 2008", month("2008-01")),
        ("Jan. 2008", month("2008-01")),
        ("january 8, 2008", day("2008-01-08")),
        ("JAN 8, 2008", day("2008-01-08")),
        ("January 8 2008", day("2008-01-08")),
        ("January 8 , 2008", day("2008-01-08")),
        ("8th January 2008", day("2008-01-08")),
        ("Tuesday, January 8, 2008", day("2008-01-08")),
        ("2008-01-30T12:00:00Z", day("2008-01-30")),
        ("2008-01-30 12:00", day("2008-01-30")),
        ("1997a", year("1997")),
        ("January 8, 2008b", day("2008-01-08")),
        ("c. 1997", year("1997")),
        ("circa 1997", year("1997")),
        ("Winter 2008", year("2008")),
        ("Spring 2008", year("2008")),
        ("mid-2008", year("2008")),
        ("1990s", decade("1990")),
        ("850", year("0850")),
    ],
)
def test_parse_date_single_dates(value: str, expected: DateValue) -> None:
    """Every single-date shape editors write parses to its ISO value and precision."""
    assert expected == parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("January 8–10, 2008", day("2008-01-08")),
        ("8–10 January 2008", day("2008-01-08")),
        ("January–February 2008", month("2008-01")),
        ("January-February 2008", month("2008-01")),
        ("January 8 – February 3, 2008", day("2008-01-08")),
        ("December 2007 – January 2008", month("2007-12")),
        ("2007–2008", year("2007")),
        ("1997–98", year("1997")),
        ("1997-98", year("1997")),
        ("1999–00", year("1999")),
        ("Winter 2007–2008", year("2007")),
        ("Winter–Spring 2008", year("2008")),
        ("2008 – present", year("2008")),
        ("1980s–1990s", decade("1980")),
    ],
)
def test_parse_date_ranges_are_their_start(value: str, expected: DateValue) -> None:
    """A range is the date it starts on, with the end borrowed from where it is written."""
    assert expected == parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[[January 8]], [[2008]]", day("2008-01-08")),
        ("''January 8, 2008''", day("2008-01-08")),
        ("[[2008 in music|2008]]", year("2008")),
        ("January&nbsp;8, 2008", day("2008-01-08")),
        ("  January 8, 2008.  ", day("2008-01-08")),
        ("January 8, 2008<!-- checked -->", day("2008-01-08")),
    ],
)
def test_parse_date_tolerates_markup(value: str, expected: DateValue) -> None:
    """Links, italics, entities, comments and stray spaces around a value are ignored."""
    assert expected == parse_date(value)


@pytest.mark.parametrize(
    "value",
    [
        "n.d.",
        "undated",
        "",
        "   ",
        "0",
        "2201",
        "3000",
        "January 3000",
        "January 8",
        "May",
        "Winter",
        "1/8/2008",
        "2008.5",
        "2008–2007",
        "hello",
        "{{{date}}}",
    ],
)
def test_parse_date_not_a_date(value: str) -> None:
    """Values that name no date at all (or a year outside 1..2200) give None."""
    assert None is parse_date(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("February 30, 2008", "day out of range"),
        ("2008-13-01", "month out of range"),
        ("2008-02-30", "day out of range"),
        ("31 April 2008", "day out of range"),
        ("February 29, 2007", "day out of range"),
        ("January 8–40, 2008", "day out of range"),
    ],
)
def test_parse_date_impossible(value: str, reason: str) -> None:
    """Date-shaped values naming no real day raise ImpossibleDate with a one-line reason."""
    with pytest.raises(ImpossibleDate) as info:
        parse_date(value)
    assert f"impossible date {value!r}: {reason}" == str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("February 29, 2008", day("2008-02-29")),
        ("29 February 2000", day("2000-02-29")),
        ("1900-02-28", day("1900-02-28")),
    ],
)
def test_parse_date_leap_years(value: str, expected: DateValue) -> None:
    """February 29 exists in leap years only (2000 is one, 1900 and 2007 are not)."""
    assert expected == parse_date(value)
    with pytest.raises(ImpossibleDate):
        parse_date("1900-02-29")


@pytest.mark.parametrize("padding", ["", "<!--" + "x" * 100 + "-->"])
def test_parse_date_repeats_its_answer(padding: str) -> None:
    """Asked again (short values are remembered, long ones not), parse_date answers the same
    and an impossible value raises every time."""
    for _ in range(3):
        assert day("2008-01-08") == parse_date("8 January 2008" + padding)
        assert None is parse_date("no date" + padding)
        with pytest.raises(ImpossibleDate, match="day out of range"):
            parse_date("February 30, 2008" + padding)


def test_impossible_date_is_a_value_error() -> None:
    """ImpossibleDate is a ValueError, so callers catching ValueError still see it."""
    assert issubclass(ImpossibleDate, ValueError)


@given(st.text())
def test_parse_date_raises_only_impossible_date(value: str) -> None:
    """On any text parse_date returns a value or None, or raises ImpossibleDate."""
    try:
        result = parse_date(value)
    except ImpossibleDate as exc:
        assert "\n" not in str(exc)
    else:
        assert result is None or result.precision in {"day", "month", "year", "decade"}


@given(st.dates())
def test_parse_date_roundtrips_iso(date: object) -> None:
    """Every real day written in ISO parses back to itself (years 1..2200)."""
    iso = str(date)
    expected = day(iso) if int(iso[:4]) <= 2200 else None
    assert expected == parse_date(iso)


# --------------------------------------------------------------------------- prose


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Music from the Motion Picture Juno, released on January 8, 2008, is the soundtrack",
            [("January 8, 2008", "2008-01-08", "day")],
        ),
        (
            "Rolling Stone 1046, February 24, 2008, p. 16",
            [("February 24, 2008", "2008-02-24", "day")],
        ),
        (
            "The soundtrack debuted at number eight on the U.S. Billboard 200 after its first "
            "week of release, climbing to number three and number two in the following weeks. "
            "In the issue dated February 9, 2008, the album hit number one, with 65,000 copies "
            "sold. After being number 1 for one week, it dropped to number 2. The album has "
            "since become a platinum record in the U.S. selling over 1,000,000 copies.",
            [("February 9, 2008", "2008-02-09", "day")],
        ),
        (
            "It was the first number one soundtrack for a 20th Century Fox movie since Titanic "
            "in 1997.",
            [("1997", "1997", "year")],
        ),
        (
            "By the mid-2000s, home computing and iTunes had stunted",
            [("mid-2000s", "2000", "decade")],
        ),
        ("an offbeat 16-year-old navigating", []),
        ("the Oscar-nominated 2007 comedy-drama", [("2007", "2007", "year")]),
        ("On April 8, 2008, a second soundtrack", [("April 8, 2008", "2008-04-08", "day")]),
        ("on November 18, 2008", [("November 18, 2008", "2008-11-18", "day")]),
        ("in the 1990s", [("1990s", "1990", "decade")]),
    ],
)
def test_prose_juno_passages(text: str, expected: list[tuple[str, str, str]]) -> None:
    """Sentences of a real article yield exactly their dates, with exact spans."""
    assert expected == found(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("released January 8, 2008 in", [("January 8, 2008", "2008-01-08", "day")]),
        ("released 8 January 2008 in", [("8 January 2008", "2008-01-08", "day")]),
        ("on 2008-01-30 it", [("2008-01-30", "2008-01-30", "day")]),
        ("in January 2008 it", [("January 2008", "2008-01", "month")]),
        ("in March 2008 it", [("March 2008", "2008-03", "month")]),
        ("Sept. 8, 2008", [("Sept. 8, 2008", "2008-09-08", "day")]),
        ("January 8–10, 2008", [("January 8–10, 2008", "2008-01-08", "day")]),
        ("8–10 January 2008", [("8–10 January 2008", "2008-01-08", "day")]),
        ("January–February 2008", [("January–February 2008", "2008-01", "month")]),
        ("the 1990s", [("1990s", "1990", "decade")]),
        ("the early 1980s", [("early 1980s", "1980", "decade")]),
        ("1980s music", [("1980s", "1980", "decade")]),
        ("the 1990s and 2000s", [("1990s", "1990", "decade"), ("2000s", "2000", "decade")]),
    ],
)
def test_prose_full_dates_and_decades(text: str, expected: list[tuple[str, str, str]]) -> None:
    """Full dates, month-year, ISO, day and month ranges and decades are found."""
    assert expected == found(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("January 8  , 2008", [("January 8  , 2008", "2008-01-08", "day")]),
        ("[[January 8]], [[2008]]", [("January 8]], [[2008", "2008-01-08", "day")]),
        ("on January\n8,\n  2008.", [("January\n8,\n  2008", "2008-01-08", "day")]),
        ("on 8   [[January]]   2008", [("8   [[January]]   2008", "2008-01-08", "day")]),
        ("in [[1997]]", [("1997", "1997", "year")]),
    ],
)
def test_prose_blanked_markup_between_parts(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    """Whitespace runs and link brackets between the parts of a date are spanned over."""
    assert expected == found(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 1997", [("1997", "1997", "year")]),
        ("In 1997, the band", [("1997", "1997", "year")]),
        ("since 1997", [("1997", "1997", "year")]),
        ("by 1997", [("1997", "1997", "year")]),
        ("until 1997", [("1997", "1997", "year")]),
        ("during 1997", [("1997", "1997", "year")]),
        ("before 1997", [("1997", "1997", "year")]),
        ("after 1997", [("1997", "1997", "year")]),
        ("circa 1850", [("1850", "1850", "year")]),
        ("c. 1850", [("1850", "1850", "year")]),
        ("around 1850", [("1850", "1850", "year")]),
        ("in early 1997", [("1997", "1997", "year")]),
        ("in mid-1997", [("1997", "1997", "year")]),
        ("the year 1997", [("1997", "1997", "year")]),
        ("in Summer 2008", [("2008", "2008", "year")]),
        ("Juno (2007) is", [("2007", "2007", "year")]),
        ("the 1997–98 season", [("1997–98", "1997", "year")]),
        ("the 1997-98 season", [("1997-98", "1997", "year")]),
        ("in 2008–09", [("2008–09", "2008", "year")]),
        ("from 1997 to 1999", [("1997", "1997", "year"), ("1999", "1999", "year")]),
        ("between 1997 and 1999", [("1997", "1997", "year"), ("1999", "1999", "year")]),
    ],
)
def test_prose_bare_years_in_year_slots(text: str, expected: list[tuple[str, str, str]]) -> None:
    """A bare year counts after a context word, in parentheses, or in a year range."""
    assert expected == found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Rolling Stone 1046",
        "65,000 copies",
        "1,000,000 copies",
        "Billboard 200",
        "16-year-old",
        "number 1",
        "p. 16",
        "pp. 1046–50",
        "http://example.com/index.php?oldid=1046692",
        "Route 1997",
        "3:16",
        "19 tracks",
        "call 555-1997 or 2125551997",
        "2008.5",
        "May I go",
        "may 2008",
        "in 1500 copies",
        "the top 1000 companies",
        "the first 1500 copies",
        "a 1500 horsepower engine",
        "Rolling Stone 1046 was",
        "the 2007",
        "in 1990Foo",
        "of 2000 people",
        "March 18 was",
        "in 2008-01",
    ],
)
def test_prose_not_dates(text: str) -> None:
    """Counts, catalogue numbers, pages, times, URLs and lowercase months are not dates."""
    expected: list[tuple[str, str | None, str | None]] = []
    assert expected == found(text)


def test_prose_impossible_date_has_problem() -> None:
    """An impossible prose date is reported with no value and a one-line problem."""
    text = "dated February 30, 2008 in"
    expected = [
        FoundDate(
            start=6,
            end=23,
            value=None,
            problem="impossible date 'February 30, 2008': day out of range",
        )
    ]
    assert expected == find_prose_dates(text)


def test_prose_overlaps_keep_earliest_longest() -> None:
    """``8 January 2008`` wins over the ``January 2008`` inside it."""
    expected = [("8 January 2008", "2008-01-08", "day")]
    assert expected == found("8 January 2008")


def test_prose_large_input_runs() -> None:
    """A megabyte of digits, spaces and commas is scanned (no catastrophic backtracking);
    date parts 100 000 blanked characters apart are not joined, a date after them is found."""
    tail = "January 8" + " " * 100_000 + ", 2008 and on March 3, 2009"
    text = "1, 22 , 333  4444 , " * 50_000 + tail
    result = find_prose_dates(text)
    assert [(len(text) - 13, len(text))] == [(f.start, f.end) for f in result]


def test_prose_date_parts_join_across_blanked_markup() -> None:
    """Parts of a date separated by up to ~80 blanked characters (a masked ref) still join."""
    text = "on January 8" + " " * 80 + ", 2008."
    (found,) = find_prose_dates(text)
    assert ("2008-01-08", 3, len(text) - 1) == (
        found.value and found.value.iso,
        found.start,
        found.end,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xMay 3, 2008 and xJune 2009", []),
        (
            "12 May 2008, 112 May 2008",
            [("12 May 2008", "2008-05-12", "day"), ("May 2008", "2008-05", "month")],
        ),
        ("x2008-01-01 and 2008-01-01", [("2008-01-01", "2008-01-01", "day")]),
        ("x1997 and 1999", []),
        ("1997 and 1999", [("1999", "1999", "year")]),
        ("in 1997 – 2008 – 2010", [("1997 – 2008", "1997", "year")]),
        ("on May 3, 1997 – 2008 – 2010", [("May 3, 1997", "1997-05-03", "day")]),
        ("throughout" + " " * 30 + "[[1997]]", [("1997", "1997", "year")]),
        ("(" + " " * 40 + "1997 )", [("1997", "1997", "year")]),
        ("in the mid- 1990s and x1990s", [("1990s", "1990", "decade")]),
    ],
)
def test_prose_word_starts_and_overlapping_ranges(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    """Dates start at a word (``xMay``, ``x1997`` are not), a year range overlapping an
    earlier one is not a second range, and a context word may stand far before its year."""
    assert expected == found(text)


_MONTH_NAMES = list(calendar.month_name[1:])


@st.composite
def prose_dates(draw: st.DrawFn) -> tuple[str, str]:
    """A real day written ``D Month YYYY`` or ``Month D, YYYY``, and its ISO form."""
    y = draw(st.integers(min_value=1000, max_value=2100))
    m = draw(st.integers(min_value=1, max_value=12))
    d = draw(st.integers(min_value=1, max_value=calendar.monthrange(y, m)[1]))
    name = _MONTH_NAMES[m - 1]
    text = draw(st.sampled_from([f"{d} {name} {y}", f"{name} {d}, {y}"]))
    return text, f"{y:04d}-{m:02d}-{d:02d}"


@given(prose_dates(), st.integers(min_value=0, max_value=30))
def test_prose_finds_generated_dates(date: tuple[str, str], n: int) -> None:
    """A valid generated date embedded in prose is found with its exact span and ISO."""
    written, iso = date
    text = "x" * n + " " + written + " y"
    assert [FoundDate(n + 1, n + 1 + len(written), day(iso), None)] == find_prose_dates(text)


@given(st.text())
def test_prose_spans_sorted_and_disjoint(text: str) -> None:
    """On any text: spans lie within it, sorted by start, and never overlap."""
    result = find_prose_dates(text)
    for date in result:
        assert 0 <= date.start < date.end <= len(text)
        assert (date.value is None) != (date.problem is None)
    for first, second in itertools.pairwise(result):
        assert first.end <= second.start


@given(
    st.lists(
        st.sampled_from(
            [
                "January",
                "May",
                "8",
                "2008",
                "1997",
                " ",
                ",",
                "–",
                "[[",
                "]]",
                "in",
                "the",
                "s",
                "mid-",
                "(",
                ")",
                "-",
                "\n",
                "x",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_prose_spans_on_date_soup(text: str) -> None:
    """On date-like soup: spans are sorted, disjoint and within the text."""
    result = find_prose_dates(text)
    assert sorted(result, key=lambda f: f.start) == result
    for first, second in itertools.pairwise(result):
        assert first.end <= second.start
    assert all(0 <= f.start < f.end <= len(text) for f in result)


# --------------------------------------------------------------------------- templates


def td(value: DateValue, role: str) -> TemplateDate:
    """A template date with a value and no problem."""
    return TemplateDate(value, role, None)


def positional(*values: str, **named: str) -> list[tuple[str, str]]:
    """Template params: positional values named "1", "2", ..., then the named ones."""
    return [(str(i), v) for i, v in enumerate(values, start=1)] + list(named.items())


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("Start date", positional("2008", "1", "8"), [td(day("2008-01-08"), "start")]),
        ("Start date and age", positional("2008", "1", df="y"), [td(month("2008-01"), "start")]),
        ("End date", positional("2008"), [td(year("2008"), "end")]),
        ("End date and age", positional("2008", "12", "31"), [td(day("2008-12-31"), "end")]),
        ("Birth date", positional("1909", "1", "1", mf="yes"), [td(day("1909-01-01"), "birth")]),
        ("Birth date and age", positional("1970", "05", "09"), [td(day("1970-05-09"), "birth")]),
        ("bda", positional("1970", "5", "9"), [td(day("1970-05-09"), "birth")]),
        ("Birth year and age", positional("1970", "5"), [td(month("1970-05"), "birth")]),
        ("Death date", positional("1998", "5", "29"), [td(day("1998-05-29"), "death")]),
        (
            "Death date and age",
            positional("1998", "5", "29", "1909", "1", "1"),
            [td(day("1998-05-29"), "death"), td(day("1909-01-01"), "birth")],
        ),
        (
            "dda",
            positional("1998", "5", "29", "1909"),
            [td(day("1998-05-29"), "death"), td(year("1909"), "birth")],
        ),
        (
            "Death year and age",
            positional("2017", "1927", "12"),
            [td(month("2017-12"), "death"), td(year("1927"), "birth")],
        ),
        (
            "Birth date and age2",
            positional("2010", "1", "1", "1980", "5", "5"),
            [td(day("2010-01-01"), "as of"), td(day("1980-05-05"), "birth")],
        ),
        (
            "Film date",
            positional("2007", "09", "01", "Telluride", "2007", "12", "05"),
            [td(day("2007-09-01"), "film"), td(day("2007-12-05"), "film")],
        ),
        ("dts", positional("2008", "1", "8"), [td(day("2008-01-08"), "date")]),
        ("dts", positional("2008", "Jan", "8"), [td(day("2008-01-08"), "date")]),
        ("dts", positional("January 8, 2008"), [td(day("2008-01-08"), "date")]),
        ("dts", positional("8", "January", "2008"), [td(day("2008-01-08"), "date")]),
        ("As of", positional("2008", "1"), [td(month("2008-01"), "as of")]),
        ("As of", positional("2008", "1", "8", alt="early 2008"), [td(day("2008-01-08"), "as of")]),
        ("Date", positional("2008-01-08"), [td(day("2008-01-08"), "date")]),
        ("Start-date", positional("January 8, 2008"), [td(day("2008-01-08"), "start")]),
        ("End-date", positional("8 January 2008"), [td(day("2008-01-08"), "end")]),
        ("Birth-date", positional("June 1950"), [td(month("1950-06"), "birth")]),
        ("Death-date", positional("1993"), [td(year("1993"), "death")]),
        (
            "Death-date and age",
            positional("24 February 1993", "12 April 1941"),
            [td(day("1993-02-24"), "death"), td(day("1941-04-12"), "birth")],
        ),
        ("Release date", positional("2008", "1", "8"), [td(day("2008-01-08"), "release")]),
        ("Release date and age", positional("2008"), [td(year("2008"), "release")]),
        ("Start date", positional("January 8, 2008"), [td(day("2008-01-08"), "start")]),
        ("Start date", [], []),
    ],
)
def test_template_dates_known_templates(
    name: str, params: list[tuple[str, str]], expected: list[TemplateDate]
) -> None:
    """Each date template yields its dates in param order, with their roles."""
    assert expected == template_dates(name, params)


@pytest.mark.parametrize(
    "name",
    [
        "Start date",
        "start date",
        "START DATE",
        "  Start_date ",
        "Start  date",
        "Template:Start date",
    ],
)
def test_template_name_normalized(name: str) -> None:
    """Names match whatever their case, underscores, spacing and Template: prefix."""
    assert [td(day("2008-01-08"), "start")] == template_dates(name, positional("2008", "1", "8"))


def test_template_params_stripped_and_last_wins() -> None:
    """Values are stripped of whitespace and comments; a repeated param keeps its last value."""
    params = [("1", " 2007 "), ("2", "1<!-- month -->"), ("3", "8\n"), ("1", "2008")]
    assert [td(day("2008-01-08"), "birth")] == template_dates("Birth date", params)


@pytest.mark.parametrize(
    ("name", "params", "problem"),
    [
        (
            "Birth date",
            positional("2008", "2", "30"),
            "impossible date '2008-2-30': day out of range",
        ),
        ("Birth date", positional("2008", "13"), "impossible date '2008-13': month out of range"),
        ("Birth date", positional("{{{year}}}", "1", "2"), "year '{{{year}}}' is not a number"),
        ("Birth date", positional("{{{year}}}"), "not a date: '{{{year}}}'"),
        ("Birth date", positional("3000"), "year 3000 out of range"),
        ("Birth date", positional("2008", "Smarch"), "month 'Smarch' is not a month"),
        ("Birth date", positional("2008", "1", "x"), "day 'x' is not a number"),
        ("Birth date", positional("2008", "", "8"), "day without a month"),
        ("Birth date", positional("", "1", "8"), "month or day without a year"),
        (
            "Start-date",
            positional("February 30, 2008"),
            "impossible date 'February 30, 2008': day out of range",
        ),
        ("dts", positional("someday"), "not a date: 'someday'"),
    ],
)
def test_template_dates_problems(name: str, params: list[tuple[str, str]], problem: str) -> None:
    """Unusable dates carry a one-line problem and no value instead of raising."""
    result = template_dates(name, params)
    assert result is not None
    expected = [TemplateDate(None, result[0].role if result else "", problem)]
    assert expected == result


@pytest.mark.parametrize("name", ["Infobox album", "cite web", "Convert", "Citation needed", ""])
def test_template_dates_not_date_templates(name: str) -> None:
    """Templates that carry no dates give None."""
    assert None is template_dates(name, positional("2008", "1", "8"))


@given(
    st.sampled_from(["Start date", "Death date and age", "Film date", "dts", "Date", "As of"]),
    st.lists(st.tuples(st.sampled_from(["1", "2", "3", "4", "5", "df", "x"]), st.text(max_size=8))),
)
def test_template_dates_never_raise(name: str, params: list[tuple[str, str]]) -> None:
    """Any params give a list whose entries have either a value or a problem."""
    result = template_dates(name, params)
    assert result is not None
    assert all((d.value is None) != (d.problem is None) for d in result)


def test_window_prefilters_hold_for_every_pattern() -> None:
    """The cheap checks that let a window skip patterns hold what those patterns need:
    every month name starts with a three-letter name and every decade ends in ``0s``/``0's``."""
    for name in datevalues._MONTH_NAMES:
        assert datevalues._MONTH_START.match(name.capitalize()), name
    for decade in ("1990s", "1990's", "early 1800s", "mid-2000's"):
        match = datevalues._PROSE_DECADE.search(decade)
        assert match is not None
        assert datevalues._DECADE_END.search(match.group()), decade


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("the 1964 election", "1964"),
        ("a 2008 by-election", "2008"),
        ("her 1999 album", "1999"),
        ("the 1994 FIFA World Cup", "1994"),
        ("Rolling Stone ranked the 2003 release", "2003"),
    ],
)
def test_adjectival_year_is_a_year(text: str, year: str) -> None:
    """A year that qualifies what it names (after a determiner) is a year-precision date."""
    assert [(h.value.iso, h.value.precision) for h in find_prose_dates(text) if h.value] == [
        (year, "year")
    ]


def test_full_date_glued_to_a_flattened_ref_is_a_date() -> None:
    """The flat dialect glued refs to the word before them: the date before still counts."""
    text = "(January 2, 1909Internet Accuracy Project, – May 29, 1998)"
    found = [(text[h.start : h.end], h.value.iso) for h in find_prose_dates(text) if h.value]
    assert found == [("January 2, 1909", "1909-01-02"), ("May 29, 1998", "1998-05-29")]

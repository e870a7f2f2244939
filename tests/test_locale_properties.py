"""Properties of every language's data: any date its formats describe is read back, in prose
and as a citation field, and any localized citation template gives the fields it names.

The dates and templates are generated from the locale files themselves, so a language added
as a file is held to the same properties without a test of its own.
"""

from __future__ import annotations

import calendar
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract
from extractor.facts.localdates import find_local_dates, read_field_date
from extractor.locales import Locale, known_languages, locale

#: A format's parts: day, month number, month name, year; anything else is literal.
_PART = re.compile(r"MONTH|[DMY]")


def _dated(lang: str) -> list[str]:
    return [fmt for fmt in locale(lang).date_formats if "Y" in fmt]


LANGS_WITH_DATES = [lang for lang in known_languages() if _dated(lang)]


@st.composite
def _date(draw: st.DrawFn, loc: Locale) -> tuple[str, str]:
    """A date written in one of ``loc``'s formats, and its ISO form at the format's
    precision."""
    fmt = draw(st.sampled_from(_dated(loc.lang)))
    year = draw(st.integers(1000, 2100))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    spellings = sorted(name for name, number in loc.months.items() if number == month)
    name = draw(st.sampled_from(spellings)) if spellings else ""
    if "MONTH" in fmt and not name:
        name = str(month)  # (no month names: such a format is not generated below)
    parts = {"D": str(day), "M": str(month), "MONTH": name, "Y": str(year)}
    text = _PART.sub(lambda part: parts[part[0]], fmt)
    if loc.digits:
        text = text.translate(str.maketrans("0123456789", loc.digits))
    if "D" in fmt:
        iso = f"{year:04d}-{month:02d}-{day:02d}"
    elif "M" in _PART.findall(fmt) or "MONTH" in fmt:
        iso = f"{year:04d}-{month:02d}"
    else:
        iso = f"{year:04d}"
    return text, iso


@pytest.mark.parametrize("lang", LANGS_WITH_DATES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_date_a_format_describes_is_read_back(lang: str, data: st.DataObject) -> None:
    """A date written in any of the language's formats, with any spelling of its month,
    is found in prose whole, with its day, and read as a citation field."""
    loc = locale(lang)
    text, iso = data.draw(_date(loc))
    prose = f"x {text} x"
    found = [
        (hit.start, hit.end, hit.value and hit.value.iso) for hit in find_local_dates(prose, loc)
    ]
    assert (2, 2 + len(text), iso) in found, (text, found)
    value = read_field_date(text, loc)
    assert value is not None and value.iso == iso, (text, value)


def _templates(lang: str) -> list[tuple[str, dict[str, str]]]:
    """(template name, English CS1 name -> localized parameter) for the templates of a
    language that name a title and a URL parameter."""
    found = []
    for name, (_kind, params) in sorted(locale(lang).citation_templates.items()):
        english: dict[str, str] = {}
        for local, cs1 in sorted(params.items()):
            if "#" not in local:
                english.setdefault(cs1, local)
        if "title" in english:
            found.append((name, english))
    return found


LANGS_WITH_TEMPLATES = [lang for lang in known_languages() if _templates(lang)]
_WORDS = st.from_regex(r"T[a-z]{2,8}( [a-z]{1,8}){0,2}", fullmatch=True)


@pytest.mark.parametrize("lang", LANGS_WITH_TEMPLATES)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_localized_citation_template_gives_its_fields(lang: str, data: st.DataObject) -> None:
    """A localized citation template with localized title, URL and date parameters (in
    any order) gives the citation those parameters mean, on a page of its language."""
    loc = locale(lang)
    name, english = data.draw(st.sampled_from(_templates(lang)))
    title = data.draw(_WORDS)
    params = {english["title"]: title}
    if "url" in english:
        params[english["url"]] = "https://example.org/a"
    iso = None
    if "date" in english and _dated(lang):
        written, iso = data.draw(_date(loc))
        params[english["date"]] = written
    order = data.draw(st.permutations(sorted(params)))
    text = "{{" + name + "".join(f" |{key}={params[key]}" for key in order) + "}}"
    article = extract(text, lang=lang)
    assert len(article.citations) == 1, text
    cite = article.citations[0]
    assert cite.title == title, text
    if "url" in english:
        assert cite.url == "https://example.org/a", text
    if iso is not None:
        assert cite.date == iso, (text, cite.date)

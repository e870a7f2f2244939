"""Locale files: each one follows the format, and each language's hand-checked cases
(``tests/data/locales/LANG.json``) come out as written there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractor.facts.datevalues import parse_date
from extractor.facts.localdates import find_local_dates, parse_local_date
from extractor.locales import LocaleError, any_locale, known_languages, locale

CASES = Path(__file__).parent / "data" / "locales"


def cases(kind: str) -> list[Any]:
    """(lang, case) for every case of ``kind`` of every language with a case file."""
    found = []
    for path in sorted(CASES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found += [pytest.param(path.stem, case, id=f"{path.stem}-{i}") for i, case in
                  enumerate(data.get(kind, ()))]  # fmt: skip
    return found


@pytest.mark.parametrize("lang", known_languages())
def test_every_locale_file_follows_the_format(lang: str) -> None:
    """Each file loads, names its sources, and has categories, months and date formats."""
    loc = locale(lang)
    assert lang == loc.lang
    assert loc.category_names and loc.date_formats
    assert loc.months or all("MONTH" not in f for f in loc.date_formats)


@pytest.mark.parametrize("lang", known_languages())
def test_every_language_has_its_cases(lang: str) -> None:
    """Adding a language is adding its file and its test cases."""
    assert (CASES / f"{lang}.json").is_file()


def test_unknown_language_is_one_line_listing_the_known() -> None:
    """An unknown language code: LocaleError naming every known language."""
    with pytest.raises(LocaleError) as info:
        locale("xx")
    assert "\n" not in str(info.value)
    assert all(lang in str(info.value) for lang in known_languages())


def test_any_locale_holds_every_language_category_name() -> None:
    """The locale of unknown-language pages accepts every language's names."""
    names = set(any_locale().category_names)
    for lang in known_languages():
        assert set(locale(lang).category_names) <= names


@pytest.mark.parametrize(("lang", "case"), cases("dates"))
def test_prose_dates(lang: str, case: dict[str, Any]) -> None:
    """The dates of a sentence, each as [its text, ISO value]; traps give none."""
    text = case["text"]
    found = [
        [text[f.start : f.end], f.value.iso]
        for f in find_local_dates(text, locale(lang))
        if f.value is not None
    ]
    assert case["dates"] == found


@pytest.mark.parametrize(("lang", "case"), cases("dates"))
def test_a_prose_date_alone_is_a_field_value(lang: str, case: dict[str, Any]) -> None:
    """Each date found in prose, alone, reads as the same value in a citation field
    (there a bare year or year range is read as in English)."""
    for text, iso in case["dates"]:
        value = parse_local_date(text, locale(lang)) or parse_date(text)
        assert value is not None and iso == value.iso, text

"""Dates as other languages write them, read with a locale's data (:mod:`extractor.locales`).

The English reader (:mod:`extractor.facts.datevalues`) keeps its hand-tuned rules; every
other language is read here by the same code from its file: its month spellings, its date
formats (``D. MONTH Y``, ``Y年M月D日``), the words that make a bare year a date
(``im Jahr 1990``, ``в 1990 году``) and its digits.  :func:`find_local_dates` finds dates
in running prose, :func:`parse_local_date` reads a whole field value.

Rules:

* A day, month and year must make a real Gregorian day (else a problem, never a fact);
  years lie in 1..2200, four digits in prose.
* A date of another calendar (a locale's ``calendars``: Solar Hijri, Hijri) is converted
  when its day is known, with the calendar named on the result; a month or year of such a
  calendar has no exact Gregorian equivalent and is left out with a problem.
* Formats are tried in the locale's order, most specific first; a shorter match inside a
  longer one is not reported again.  A repeated token (``D.–D. MONTH Y``, a range) takes
  its value from its first occurrence: a range is its start.
* Month names match in any case; digits of the language's own script count as digits.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

import attrs
from convertdate import islamic, persian

from extractor.facts.datevalues import (
    MAX_YEAR,
    MIN_YEAR,
    DateValue,
    FoundDate,
    ImpossibleDate,
    calendar_date,
    parse_date,
)
from extractor.locales import Locale

__all__ = ["find_local_dates", "parse_local_date", "read_field_date"]

_TOKEN = re.compile(r"MONTH|[DMY]| +|.", re.DOTALL)
_ASCII_DIGITS = "0123456789"


@attrs.frozen
class _Format:
    """One compiled date format: its regex and, for another calendar's months, its name."""

    regex: re.Pattern[str]
    calendar: str | None


class _Reader:
    """A locale's dates, each part compiled on first use: a page of unknown language reads
    its citation fields with every locale's, and most of them are English dates that never
    need the others' regexes (compiling them all costs about a second per process)."""

    def __init__(self, loc: Locale) -> None:
        self._loc = loc
        self.months: Mapping[str, int] = loc.months
        self.calendar_months: Mapping[str, Mapping[str, int]] = loc.calendars
        self.digits: dict[int, int] = str.maketrans(loc.digits, _ASCII_DIGITS) if loc.digits else {}

    def _formats(self, *, prose: bool) -> tuple[_Format, ...]:
        loc, found = self._loc, []
        for calendar, months in (None, loc.months), *loc.calendars.items():
            for fmt in loc.date_formats:
                if ("MONTH" in fmt and not months) or ("MONTH" not in fmt and calendar):
                    continue
                found.append(_Format(_compile(fmt, months, prose=prose), calendar))
        return tuple(found)

    @functools.cached_property
    def formats(self) -> tuple[_Format, ...]:
        """The formats as they stand in prose (a year of four digits)."""
        return self._formats(prose=True)

    @functools.cached_property
    def whole(self) -> tuple[_Format, ...]:
        """The formats as a whole field value (a year of one to four digits)."""
        return self._formats(prose=False)

    @functools.cached_property
    def year_words(self) -> re.Pattern[str] | None:
        """The words that make a bare year a date in prose."""
        return _year_words(self._loc.year_words, self._loc.counted_words)


_DAY = r"0?[1-9]|[12]\d|3[01]"
_DASH = r"\s?[–—\-－~〜～]\s?"


def _piece(token: str, seen: set[str], months: str, year: str) -> str:
    """The regex of one format token (a group only at its first occurrence).  A day may
    be a range (``3.–5.``, ``13–14``) and a month name an abbreviation with its dot."""
    name = {"D": "d", "M": "m", "MONTH": "month", "Y": "y"}.get(token)
    if name is None:
        return r"\s+" if token.startswith(" ") else re.escape(token)
    body = {"d": _DAY, "m": r"0?[1-9]|1[0-2]", "month": months, "y": year}[name]
    group = f"(?:{body})" if name in seen else f"(?P<{name}>{body})"
    seen.add(name)
    if name == "d":
        return rf"{group}(?:\.?{_DASH}(?:{_DAY}))?"
    if name == "month":
        return rf"{group}\.?"
    return group


def _compile(fmt: str, months: Mapping[str, int], *, prose: bool) -> re.Pattern[str]:
    """The regex of a date format (``D. MONTH Y``) over ``months``' spellings."""
    alternation = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    tokens = _TOKEN.findall(fmt)
    seen: set[str] = set()
    year = r"\d{4}" if prose else r"\d{1,4}"
    body = "".join(_piece(t, seen, alternation or "(?!)", year) for t in tokens)
    first, last = tokens[0], tokens[-1]
    before = r"(?<!\w)" if first == "MONTH" else r"(?<!\d)" if first in "DMY" else ""
    after = r"(?!\w)" if last == "MONTH" else r"(?!\d)" if last in "DMY" else ""
    return re.compile(before + body + after, re.IGNORECASE)


def _year_words(words: tuple[str, ...], counted: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for every year word: ``im Jahr`` before the year, ``в {} году`` around it,
    ``{}-ben`` after it (a space in the word is any white space, none is none).  The year
    may be a range (``1914–1918``); group ``yN`` is the year, ``rN`` the year or range.
    Before a ``counted`` word a number is a count (``seit 1500 Jahren``), not a year."""
    if not words:
        return None
    count = (
        r"(?!\s+(?:" + "|".join(map(_literal, sorted(counted, key=len, reverse=True))) + r")(?!\w))"
        if counted
        else ""
    )
    alternatives = []
    for number, word in enumerate(sorted(words, key=len, reverse=True)):
        head, _, tail = (word if "{}" in word else word + " {}").partition("{}")
        year = rf"(?P<r{number}>(?P<y{number}>\d{{4}})(?:{_DASH}\d{{2,4}})?)(?!\d)" + (
            "" if tail.strip() else count
        )
        before = _literal(head) if head.strip() else ""
        after = _literal(tail) + (r"(?!\w)" if _spaced(tail[-1:]) else "") if tail else ""
        start = r"(?<!\w)" if head[:1].isalnum() else r"(?<!\d)"
        alternatives.append(start + before + year + after)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _spaced(char: str) -> bool:
    """Whether ``char`` is a letter or digit of a script that spaces its words, so that a
    year word ending in it must end a word (``yılında``), unlike ``年`` in ``1990年に``."""
    return char.isalnum() and not unicodedata.name(char, "").startswith(_UNSPACED)


_UNSPACED = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA")


def _literal(text: str) -> str:
    """``text`` as a regex in which each run of spaces is any run of white space."""
    return r"\s+".join(map(re.escape, text.split(" "))).replace(r"\s+\s+", r"\s+")


@functools.cache
def _reader(loc: Locale) -> _Reader:
    return _Reader(loc)


def find_local_dates(text: str, loc: Locale) -> list[FoundDate]:
    """Dates in running prose of ``loc``'s language, in text order."""
    reader = _reader(loc)
    if reader.digits:
        text = text.translate(reader.digits)  # same length: spans stay the caller's
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for fmt in reader.formats:
        for match in fmt.regex.finditer(text):
            span = match.span()
            if not _overlaps(span, taken):
                taken.append(span)
                found.append(_found(match, fmt.calendar, reader, span))
    if reader.year_words is not None:
        for match in reader.year_words.finditer(text):
            number = next(g for g, v in match.groupdict().items() if v is not None)[1:]
            span = match.span(f"r{number}")
            if not _overlaps(span, taken):
                taken.append(span)
                found.append(_value_found(span, _year_value(int(match[f"y{number}"]))))
    found.sort(key=lambda f: f.start)
    return _ranges([f for f in found if f.value is not None or f.problem is not None], text)


def _ranges(found: list[FoundDate], text: str) -> list[FoundDate]:
    """Two dates joined by a dash (``19. heinäkuuta 1952 – 3. elokuuta 1952``) are one
    range: its span is both, its value the first one's."""
    merged: list[FoundDate] = []
    for date in found:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.value is not None
            and date.value is not None
            and _JOIN.fullmatch(text, last.end, date.start)
        ):
            merged[-1] = attrs.evolve(last, end=date.end)
        else:
            merged.append(date)
    return merged


_JOIN = re.compile(r"\s*[–—\-－~〜～]\s*")


def read_field_date(value: str, loc: Locale) -> DateValue | None:
    """The date of a citation field on a page of ``loc``'s language: as English (ISO,
    ``May 3, 2010``, a bare year or year range) once its digits are read, else as the
    language writes it; raises :class:`ImpossibleDate` for a date that names no day."""
    reader = _reader(loc)
    ascii_value = value.translate(reader.digits) if reader.digits else value
    return parse_date(ascii_value) or parse_local_date(ascii_value, loc)


def parse_local_date(value: str, loc: Locale) -> DateValue | None:
    """The date a whole field value of ``loc``'s language holds, or None; raises
    :class:`~extractor.facts.datevalues.ImpossibleDate` for a date that names no day."""
    reader = _reader(loc)
    text = " ".join(value.translate(reader.digits).split()) if reader.digits else value.strip()
    built = _whole(text, reader)
    if built is None:  # a range of two dates is its start
        for join in _JOIN.finditer(text):
            first = _whole(text[: join.start()], reader)
            if first is not None and _whole(text[join.end() :], reader) is not None:
                built = first
                break
    if isinstance(built, str):
        raise ImpossibleDate(built)
    return built


def _whole(text: str, reader: _Reader) -> DateValue | str | None:
    for fmt in reader.whole:
        match = fmt.regex.fullmatch(text)
        if match is not None:
            return _value(match, fmt.calendar, reader)
    return None


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _found(
    match: re.Match[str], calendar: str | None, reader: _Reader, span: tuple[int, int]
) -> FoundDate:
    return _value_found(span, _value(match, calendar, reader))


def _value_found(span: tuple[int, int], built: DateValue | str | None) -> FoundDate:
    if isinstance(built, str):
        return FoundDate(span[0], span[1], None, built)
    return FoundDate(span[0], span[1], built, None)


def _year_value(year: int) -> DateValue | None:
    return DateValue(iso=f"{year:04d}", precision="year") if MIN_YEAR <= year <= MAX_YEAR else None


def _value(match: re.Match[str], calendar: str | None, reader: _Reader) -> DateValue | str | None:
    """The date a match names (Gregorian), why it is impossible, or None (out of range)."""
    parts = match.groupdict()
    year = int(parts["y"])
    day = int(parts["d"]) if parts.get("d") else None
    if parts.get("month"):
        months = reader.calendar_months[calendar] if calendar else reader.months
        month: int | None = months[parts["month"].lower()]
    else:
        month = int(parts["m"]) if parts.get("m") else None
    if calendar is not None:
        return _converted(calendar, year, month, day)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return calendar_date(year, month, day)


def _converted(calendar: str, year: int, month: int | None, day: int | None) -> DateValue | str:
    """A day of another calendar as a Gregorian date, or why it cannot be given."""
    if month is None or day is None:
        return f"a {calendar} calendar date without a day has no exact Gregorian date"
    module = {"persian": persian, "islamic": islamic}.get(calendar)
    if module is None:
        return f"the {calendar} calendar is not known"
    try:
        y, m, d = module.to_gregorian(year, month, day)
    except ValueError as exc:
        return f"not a {calendar} calendar date ({exc})"
    if module.from_gregorian(y, m, d) != (year, month, day):
        return f"day out of range in the {calendar} calendar"
    return calendar_date(y, m, d)

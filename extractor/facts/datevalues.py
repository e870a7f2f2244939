"""Dates as editors write them: citation fields, running prose and date templates.

Three pure entry points share one calendar check:

* :func:`parse_date` reads a whole field value (CS1 ``|date=``, ``|access-date=``, ...);
* :func:`find_prose_dates` finds dates inside running English prose;
* :func:`template_dates` reads the dates a date template (``{{Start date}}``, ``{{dts}}``,
  ``{{Death date and age}}``, ...) carries.

A result is a :class:`DateValue`: an ISO string cut to the precision that was written
(``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``; a decade is its first year).  A value shaped like a
date that names no real day (February 30, month 13) is *impossible*: :func:`parse_date`
raises :class:`ImpossibleDate`, the other two report a one-line ``problem`` instead.

Rules for the ambiguous cases:

* Years must lie in 1..2200; anything else is not a date (``None`` / not reported).  A
  year followed by ``BC``/``BCE`` is not reported (ISO years here are of the common era).
* A range (``January 8–10, 2008``, ``8–10 January 2008``, ``2007–08``) is its start; a year
  range must run forwards.  Seasons (``Winter 2008``) and ``Christmas 2008`` have year
  precision; ``c.``/``circa`` and ``early``/``mid``/``late`` are dropped.  Numeric forms such
  as ``1/8/2008`` are ambiguous and are not dates.
* ``YYYY-MM`` is a month when MM is 01..12, otherwise a year range (``1997-98``).
* In prose, month names must be capitalized (``may 2008`` is not a date) and a date needs a
  year (``March 18`` alone is not reported).  A bare four-digit year (1000..2100) counts only
  in a year-ish slot: right after a context word (``in``, ``since``, ``by``, ``until``,
  ``from``, ``of``, ``during``, ``before``, ``after``, ``circa``, ``c.``, ``around``,
  ``early``, ``late``, ``mid``, ``year``, a season, ...), alone in parentheses ``(1997)``, as
  the end of ``1997 and/to 1999``, or in a forward year range ``1997–98``; and never when a
  counted noun follows (``in 1500 copies``).  An adjectival year is a year of the thing it
  names: after a determiner or possessive and at most two words (``the 1964 election``, ``a
  2008 by-election``, ``the Oscar-nominated 2007 comedy-drama``, ``her 1999 album``) and before
  a lower-case word; not after a quantity word (``the top 1000 companies``) nor before a
  counted noun.  Issue numbers (``Rolling Stone 1046``) have no determiner and stay out.
  Decades (``1980s``, ``the mid-2000s``) are reported with their modifier.
* A full date directly followed by a capitalized word is still a date: the flat dialect
  glued flattened refs to the word before them (``January 2, 1909Internet Accuracy``).
* The parts of a prose date must lie within about 90 characters of its year (blanked
  markup included): patterns only run in windows around four-digit numbers, for speed.

The English words these rules name (months, seasons, context words, counted nouns, ...) and
the date templates are data, ``extractor/locales/en.json`` (:func:`extractor.locales.english`),
read once at import into the patterns and tables below.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping

import attrs

from extractor.locales import DateTemplate
from extractor.locales import english as english_data
from extractor.parse.plaintext import COMMENT

__all__ = [
    "DateValue",
    "FoundDate",
    "ImpossibleDate",
    "TemplateDate",
    "calendar_date",
    "find_prose_dates",
    "parse_date",
    "template_dates",
]

MIN_YEAR = 1
MAX_YEAR = 2200


@attrs.frozen
class DateValue:
    """A date cut to the precision it was written with.

    Attributes:
        iso: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a decade is its first year (``2000``).
        precision: ``day``, ``month``, ``year`` or ``decade``.
    """

    iso: str
    precision: str


class ImpossibleDate(ValueError):
    """A string shaped like a date that names no real day (February 30, month 13)."""


@attrs.frozen
class FoundDate:
    """A date found in prose: ``text[start:end]`` and its value, or why it is impossible."""

    start: int
    end: int
    value: DateValue | None
    problem: str | None


@attrs.frozen
class TemplateDate:
    """A date carried by a date template, with what it is (``birth``, ``start``, ...)."""

    value: DateValue | None
    role: str
    problem: str | None


# --------------------------------------------------------------------------- calendar

_ENGLISH = english_data()
#: Lower-case English month names and abbreviations -> month number.
_MONTHS: Mapping[str, int] = _ENGLISH.months

#: Month names, longest first so that ``Sept`` wins over ``Sep``.
_MONTH_NAMES = sorted(_MONTHS, key=len, reverse=True)


def _month(name: str) -> int | None:
    """The number of an English month name or abbreviation (any case, optional dot)."""
    return _MONTHS.get(name.rstrip(".").casefold())


#: Days in each month of a common year (index 1..12).
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def calendar_date(year: int, month: int | None = None, day: int | None = None) -> DateValue | str:
    """The value of a Gregorian year with optional month and day, or why no such day
    exists (``"day out of range"``)."""
    if month is None:
        return DateValue(iso=f"{year:04d}", precision="year")
    if not 1 <= month <= 12:
        return "month out of range"
    if day is None:
        return DateValue(iso=f"{year:04d}-{month:02d}", precision="month")
    if not 1 <= day <= (29 if month == 2 and calendar.isleap(year) else _DAYS[month]):
        return "day out of range"
    return DateValue(iso=f"{year:04d}-{month:02d}-{day:02d}", precision="day")


def _in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _year(year: int) -> DateValue:
    return DateValue(iso=f"{year:04d}", precision="year")


def _decade(year: int) -> DateValue:
    return DateValue(iso=f"{year:04d}", precision="decade")


def _impossible(text: str, reason: str) -> str:
    """The one-line problem message for an impossible date written as ``text``."""
    shown = " ".join(text.split())
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"impossible date {shown!r}: {reason}"


def _range_end_ok(start: int, end_text: str, max_gap: int) -> bool:
    """Whether ``end_text`` (``98`` or ``1998``) plausibly ends a year range from ``start``.

    Two digits continue the century (``1997–98``) and may roll over once (``1999–00``).
    """
    end = int(end_text)
    if len(end_text) <= 2:
        end += start - start % 100
        if end <= start:
            return end + 100 - start <= 10
        return True
    return 0 < end - start <= max_gap


# --------------------------------------------------------------------------- parse_date

_F = re.IGNORECASE | re.ASCII
_MON = "(?:" + "|".join(_MONTH_NAMES) + r")\.?"
_SEASON = "(?:" + "|".join(map(re.escape, _ENGLISH.seasons)) + ")"
_ORD = r"(?:st|nd|rd|th)?"

_PIPED_LINK = re.compile(r"\[\[[^\[\]|]*\|([^\[\]]*)\]\]")
_COMMA = re.compile(r"\s*,\s*")
_PREFIXES = re.compile(
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+|c\.\s*|ca\.\s*|c\s+|ca\s+|circa\s+"
    r"|approx\.\s*|approximately\s+|(?:early|mid|late)(?:-|\s+))+",
    _F,
)
#: CS1 year disambiguation (``1997a``); an ``s`` after a year ending in 0 is a decade.
_YEAR_LETTER = re.compile(r"(?<=[0-9]{4})(?:[a-rt-z]|(?<![0-9]{3}0)s)\Z")
_UNDATED = _ENGLISH.undated_words
_ONGOING = _ENGLISH.ongoing_words

#: Shapes of one side of a value, tried in order; each sets some of y, m/mon, d, num, dec.
_PARTS = [
    re.compile(
        r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
        r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
        r" ?(?:Z|UTC|[+-][0-9]{2}:?[0-9]{2})?)?",
        _F,
    ),
    re.compile(r"(?P<y>[0-9]{4})-(?P<m>0[1-9]|1[0-2])", _F),
    re.compile(rf"(?P<d>[0-9]{{1,2}}){_ORD} (?P<mon>{_MON}),? (?P<y>[0-9]{{3,4}})", _F),
    re.compile(rf"(?P<mon>{_MON}) (?P<d>[0-9]{{1,2}}){_ORD},? (?P<y>[0-9]{{3,4}})", _F),
    re.compile(rf"(?P<mon>{_MON}),? (?P<y>[0-9]{{3,4}})", _F),
    re.compile(rf"(?P<season>{_SEASON}),? (?P<y>[0-9]{{3,4}})", _F),
    re.compile(rf"(?P<d>[0-9]{{1,2}}){_ORD} (?P<mon>{_MON})", _F),
    re.compile(rf"(?P<mon>{_MON}) (?P<d>[0-9]{{1,2}}){_ORD}", _F),
    re.compile(rf"(?P<mon>{_MON})", _F),
    re.compile(rf"(?P<season>{_SEASON})", _F),
    re.compile(r"(?P<d>[0-9]{1,2}), (?P<y>[0-9]{3,4})", _F),
    re.compile(r"(?P<dec>[0-9]{3}0)'?s", _F),
    re.compile(r"(?P<num>[0-9]{1,4})", _F),
]

#: Range separators, strongest first: dashes, a spaced hyphen, a slash, a bare hyphen.
_SEPARATORS = [
    re.compile(r"\s*[–—‒―−]\s*"),
    re.compile(r"\s+-\s+"),
    re.compile(r"\s*/\s*"),
    re.compile(r"-"),
]


@attrs.frozen
class _Part:
    """One side of a value: whatever of year, month, day it names."""

    y: int | None = None
    m: int | None = None
    d: int | None = None
    num: str | None = None  # a bare number: a year alone, a day before "10 January 2008"
    dec: int | None = None
    season: bool = False


def _part(text: str) -> _Part | None:
    """Read one side of a value, or None when it has no date shape."""
    for pattern in _PARTS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = {k: v for k, v in match.groupdict().items() if v is not None}
        month = int(groups["m"]) if "m" in groups else None
        if "mon" in groups:
            month = _month(groups["mon"])
        return _Part(
            y=int(groups["y"]) if "y" in groups else None,
            m=month,
            d=int(groups["d"]) if "d" in groups else None,
            num=groups.get("num"),
            dec=int(groups["dec"]) if "dec" in groups else None,
            season="season" in groups,
        )
    return None


def _clean(value: str) -> str:
    """Drop comments and link/italic markup, normalize spaces and commas."""
    text = COMMENT.sub("", value) if "<!--" in value else value
    if "[[" in text:
        text = _PIPED_LINK.sub(r"\1", text)
    for markup in ("[[", "]]", "''"):
        text = text.replace(markup, "")
    if "&" in text:
        text = text.replace("&nbsp;", " ").replace("&ndash;", "–").replace("&mdash;", "—")
    text = " ".join(text.split())
    if "," in text:
        text = _COMMA.sub(", ", text)
    text = text.strip(" ,;")
    if text.endswith(".") and text[-2:-1].isdigit():
        text = text[:-1]
    return text


def _value(part: _Part, written: str) -> DateValue | None:
    """The value of a complete single part; raises ImpossibleDate."""
    if part.dec is not None:
        return _decade(part.dec) if _in_range(part.dec) else None
    year = int(part.num) if part.num is not None else part.y
    if year is None or not _in_range(year):
        return None
    built = calendar_date(year, None if part.season else part.m, part.d)
    if isinstance(built, str):
        raise ImpossibleDate(_impossible(written, built))
    return built


def _range(text: str, written: str) -> DateValue | None:
    """The start of a range such as ``January 8–10, 2008``; raises ImpossibleDate."""
    for separator in _SEPARATORS:
        match = separator.search(text)
        if match is not None:
            left_text, right_text = text[: match.start()], text[match.end() :]
            break
    else:
        return None
    left = _part(left_text)
    if left is None:
        return None
    if right_text.casefold() in _ONGOING:
        return _value(left, written) if left.num is None or len(left.num) >= 3 else None
    right = _part(right_text)
    if right is None:
        return None
    if left.dec is not None:
        return _value(left, written) if right.dec is not None and right.dec > left.dec else None
    if left.num is not None:
        if len(left.num) >= 3:  # a year range: 2007–2008, 1997–98, 2007 – January 2008
            start = int(left.num)
            if right.num is not None and not _range_end_ok(start, right.num, MAX_YEAR):
                return None
            if right.num is None and (right.y is None or right.y < start):
                return None
            return _value(left, written)
        if right.y is None or right.m is None or right.d is None:
            return None  # a day range needs its month and year on the right
        left = _Part(y=right.y, m=right.m, d=int(left.num))
    elif left.y is None:  # January 8–10, 2008; January–February 2008; Winter–Spring 2008
        if right.y is None:
            return None
        if right.d is not None and right.m is None:
            right = attrs.evolve(right, m=left.m)
        left = attrs.evolve(left, y=right.y)
    elif right.y is None and right.num is None:
        return None
    if right.y is not None and right.m is not None and _in_range(right.y):
        _value(right, written)  # an impossible end makes the whole value impossible
    return _value(left, written)


def parse_date(value: str) -> DateValue | None:
    """Parse a whole date field value as editors write it in citation templates.

    Covers CS1 ``|date=``, ``|access-date=``, ``|archive-date=`` and ``|year=``: ISO dates
    and timestamps, ``January 8, 2008``, ``8 Jan 2008``, ``Sept. 2008``, ``1997a``,
    ``c. 1997``, seasons, ranges (their start) and link/italic markup around any of them.
    Returns None when the value is not a date at all; raises :class:`ImpossibleDate` when it
    is date-shaped but impossible.
    """
    parsed = _parsed(value) if len(value) <= _CACHED_LENGTH else _parse(value)
    if isinstance(parsed, str):
        raise ImpossibleDate(parsed)
    return parsed


#: Values up to this long are cached: pages repeat them (access dates), and each citation
#: date is read twice (for the citation record and for its date fact).
_CACHED_LENGTH = 64


@functools.lru_cache(maxsize=4096)
def _parsed(value: str) -> DateValue | str | None:
    """:func:`_parse`, cached."""
    return _parse(value)


def _parse(value: str) -> DateValue | str | None:
    """The value of :func:`parse_date`, or the message of the ImpossibleDate it raises."""
    text = _clean(value)
    if not text or text.casefold() in _UNDATED:
        return None
    prefix = _PREFIXES.match(text)
    if prefix is not None:
        text = text[prefix.end() :]
    part = _part(text)
    if part is None and _YEAR_LETTER.search(text):
        text = _YEAR_LETTER.sub("", text)
        part = _part(text)
    try:
        if part is not None:
            if part.num is None and part.y is None and part.dec is None:
                return None  # "January 8", "Winter": no year
            return _value(part, value.strip())
        return _range(text, value.strip())
    except ImpossibleDate as exc:
        return str(exc)


# --------------------------------------------------------------------------- prose

#: What may stand between the parts of a full date once the caller blanked markup out:
#: whitespace and link brackets (a character class keeps backtracking cheap).
_S = r"[\s\[\]]"
#: A capitalized month name at the start of a word.  The lookbehind follows each name and
#: looks back past it: re skips ahead to a pattern's possible first letters, but tries a
#: pattern that starts with a lookbehind at every position.
_P_MON = (
    "(?P<mon>"
    + "|".join(rf"{n.capitalize()}(?<!\w.{{{len(n)}}})" for n in _MONTH_NAMES)
    + r")(?![A-Za-z])\.?"
)
_P_MON2 = _P_MON.replace("?P<mon>", "?P<mon2>")
_P_YEAR_END = r"(?P<y>[0-9]{4})(?![a-z0-9_]|[A-Z](?![a-z])|[.,][0-9])"
_P_TO_YEAR = rf"(?:{_S}*,{_S}*|{_S}+)"
_P_DAY_RANGE = rf"(?:{_S}*[–—-]{_S}*[0-9]{{1,2}}(?![0-9]){_ORD})?"

_PROSE_MDY = re.compile(
    rf"{_P_MON}{_S}+(?P<d>[0-9]{{1,2}})(?![0-9]){_ORD}{_P_DAY_RANGE}{_P_TO_YEAR}{_P_YEAR_END}"
)
#: The day's lookbehind follows its first digit, for the same reason as the month's.
_PROSE_DMY = re.compile(
    rf"(?P<d>[0-9](?<![\w.,:/#–—-][0-9])[0-9]?)(?![0-9]){_ORD}{_P_DAY_RANGE}{_S}+{_P_MON}"
    rf"{_P_TO_YEAR}{_P_YEAR_END}"
)
_PROSE_MY = re.compile(rf"{_P_MON}(?:{_S}*[–—/-]{_S}*{_P_MON2})?{_S}+{_P_YEAR_END}")
_PROSE_ISO = re.compile(
    r"(?<![\w/.:-])(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?Z?)?(?![\w/-]|[.:][0-9])"
)
_PROSE_DECADE = re.compile(
    rf"(?<![\w'-])(?:(?i:early|mid|late)(?:-|{_S}+))?(?P<dec>[12][0-9]{{2}}0)'?s(?!\w)"
)
_PROSE_YEAR_RANGE = re.compile(
    r"(?<![\w.,/#:–—-])(?<!p\.\s)(?<!pp\.\s)(?P<y>[0-9]{4})\s*[–—-]\s*(?P<end>[0-9]{4}|[0-9]{2})"
    r"(?![\w–—-]|[.,:][0-9])"
)
_PROSE_YEAR = re.compile(r"(?<![\w.,/#:])(?P<y>[0-9]{4})(?![\w%]|[.,:][0-9]|-[0-9A-Za-z])")

_CONTEXT_WORDS = "|".join(map(re.escape, _ENGLISH.year_words))
#: The longest context word: a context starts at most this far before the gap to its year.
_LONGEST_CONTEXT = max(map(len, _ENGLISH.year_words))
#: Checked against the few characters before a bare year (bounded window: linear time).
_YEAR_CONTEXT = re.compile(
    rf"(?:(?<!\w)(?i:{_CONTEXT_WORDS}){_S}+|(?<!\w)(?i:mid|early|late)-|(?<!\w)ca?\.{_S}*"
    rf"|\({_S}*)\Z"
)
#: The lookbehind follows the first digit, as in ``_PROSE_DMY``.
_YEAR_CHAIN_WORDS = "|".join(map(re.escape, _ENGLISH.year_range_words))
_YEAR_CHAIN = re.compile(
    rf"(?P<y0>[0-9](?<![\w.,][0-9])[0-9]{{3}}){_S}+(?i:{_YEAR_CHAIN_WORDS}){_S}+\Z"
)
_CLOSE_PAREN = re.compile(rf"{_S}*\)")
#: A determiner or possessive and at most two words before an adjectival year; the words
#: are not quantities (``the top 1000``) and hold no digits.
_DETERMINERS = "|".join(map(re.escape, _ENGLISH.determiners))
_ADJECTIVAL_BEFORE = re.compile(
    rf"(?<![\w-])(?i:{_DETERMINERS})((?:\s+[A-Za-z][A-Za-z'-]*){{0,2}})\s+\Z"
)
_QUANTITY_WORDS = _ENGLISH.quantity_words
#: The lower-case word an adjectival year names (``election``, ``by-election``).
_NAMED_WORD = re.compile(r"\s+([A-Za-z][A-Za-z-]*)(?![\w])")
_NEXT_WORD = re.compile(r"\s*(%|[A-Za-z]+)")
#: Nouns that make a preceding number a count, not a year.
_COUNTED = _ENGLISH.counted_words
_WINDOW = 48
_BARE_MIN, _BARE_MAX = 1000, 2100


#: An era marker after a number: such years are before the common era, which ISO years in
#: 1..2200 cannot express.
_BEFORE_COMMON_ERA = re.compile(r"\s*(?:BC|BCE|B\.\s?C\.(?:\s?E\.)?)(?![A-Za-z])")


def _counted(text: str, end: int) -> bool:
    """Whether a counted noun (``copies``, ``people``, ``%``) follows a number ending at end."""
    match = _NEXT_WORD.match(text, end)
    return match is not None and match.group(1).lower() in _COUNTED


def _found(match: re.Match[str]) -> FoundDate | None:
    """A FoundDate for a full-date match (groups y, mon or m, optional d).

    None when the year is out of range.
    """
    year = int(match["y"])
    if not _in_range(year):
        return None
    groups = match.groupdict()
    month = _month(groups["mon"]) if groups.get("mon") else int(match["m"])
    day = int(groups["d"]) if groups.get("d") else None
    built = calendar_date(year, month, day)
    if isinstance(built, str):
        return FoundDate(match.start(), match.end(), None, _impossible(match[0], built))
    return FoundDate(match.start(), match.end(), built, None)


def _without_gap(text: str) -> str:
    """``text`` without the whitespace and link brackets (``_S``) at its end."""
    while (trimmed := text.rstrip().rstrip("[]")) != text:
        text = trimmed
    return text


def _bare_year_ok(text: str, start: int, end: int, year: int) -> bool:
    """Whether a lone four-digit number at [start, end) stands in a year-ish slot."""
    if not _BARE_MIN <= year <= _BARE_MAX or _counted(text, end):
        return False
    if _BEFORE_COMMON_ERA.match(text, end):
        return False
    before = text[max(0, start - _WINDOW) : start]
    trimmed = before.rstrip()
    last = trimmed[-1:]
    if not (last.isalpha() or last in ".([-"):
        return False  # cheap exit before the window searches
    # A context ends where the gap before the year starts, at most _LONGEST_CONTEXT
    # characters ("throughout") after its own start.
    context = _YEAR_CONTEXT.search(before, max(0, len(_without_gap(trimmed)) - _LONGEST_CONTEXT))
    if context is not None:
        if context.group().startswith("("):
            return _CLOSE_PAREN.match(text, end) is not None
        return True
    chain = _YEAR_CHAIN.search(before)
    if chain is not None:
        first = int(chain.group("y0"))
        return first >= _BARE_MIN and 0 < year - first <= 200
    return _adjectival(text, before, end)


def _adjectival(text: str, before: str, end: int) -> bool:
    """Whether a year ending at ``end`` is adjectival: ``the 1964 election``."""
    named = _NAMED_WORD.match(text, end)
    if named is None or named.group(1).lower() in _COUNTED:
        return False
    determiner = _ADJECTIVAL_BEFORE.search(before)
    if determiner is None:
        return False
    return not any(word.lower() in _QUANTITY_WORDS for word in determiner.group(1).split())


#: Every prose date holds a four-digit year, so the patterns only run in windows around
#: four-digit numbers: this far before one (a month, a day, separators, blanked markup) and
#: this far after (a range's end, a time).  Parts of a date further apart are not joined.
_BEFORE_YEAR, _AFTER_YEAR = 96, 32
#: Spelled out: re scans for this twice as fast as for ``[0-9]{4}``.
_FOUR_DIGITS = re.compile(r"[0-9][0-9][0-9][0-9]")
#: What every full date (a month) and every decade (``0s``) holds: windows without it skip
#: those patterns.
_MONTH_START = re.compile("|".join(n.capitalize() for n in _MONTH_NAMES if len(n) == 3))
_DECADE_END = re.compile("0'?s")


@attrs.define
class _Window:
    """A [start, end) window and the starts of the four-digit numbers inside it."""

    start: int
    end: int
    numbers: list[int]


def _windows(text: str) -> list[_Window]:
    """Merged windows around the four-digit numbers of ``text``."""
    windows: list[_Window] = []
    for match in _FOUR_DIGITS.finditer(text):
        number = match.start()
        end = min(len(text), number + 4 + _AFTER_YEAR)
        if windows and number - _BEFORE_YEAR <= windows[-1].end:
            windows[-1].end = end
            windows[-1].numbers.append(number)
        else:
            windows.append(_Window(max(0, number - _BEFORE_YEAR), end, [number]))
    return windows


def _at_numbers(pattern: re.Pattern[str], text: str, window: _Window) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, window.start, window.end)`` for a pattern whose matches start
    with a whole four-digit number (ISO dates, year ranges, bare years): only the window's
    numbers are tried."""
    resume = 0
    for number in window.numbers:
        if number >= resume and (match := pattern.match(text, number, window.end)):
            resume = match.end()
            yield match


def _candidates(text: str) -> list[FoundDate]:
    """Every date-shaped match in text, overlapping ones included."""
    found: list[FoundDate | None] = []
    for window in _windows(text):
        _window_candidates(text, window, found)
    return [f for f in found if f is not None]


def _window_candidates(text: str, window: _Window, found: list[FoundDate | None]) -> None:
    """Matches inside one window; lookbehinds still see the text before it."""
    start, end = window.start, window.end
    if _MONTH_START.search(text, start, end):
        for pattern in (_PROSE_MDY, _PROSE_DMY, _PROSE_MY):
            found.extend(map(_found, pattern.finditer(text, start, end)))
    found.extend(map(_found, _at_numbers(_PROSE_ISO, text, window)))
    if _DECADE_END.search(text, start, end):
        for match in _PROSE_DECADE.finditer(text, start, end):
            decade = int(match["dec"])
            if 1000 < decade <= _BARE_MAX:
                found.append(FoundDate(match.start(), match.end(), _decade(decade), None))
    for match in _at_numbers(_PROSE_YEAR_RANGE, text, window):
        year = int(match["y"])
        if (
            _BARE_MIN <= year <= _BARE_MAX
            and _range_end_ok(year, match["end"], 200)
            and not _counted(text, match.end())
        ):
            found.append(FoundDate(match.start(), match.end(), _year(year), None))
    for match in _at_numbers(_PROSE_YEAR, text, window):
        year = int(match["y"])
        if _bare_year_ok(text, match.start(), match.end(), year):
            found.append(FoundDate(match.start(), match.end(), _year(year), None))


def find_prose_dates(text: str) -> list[FoundDate]:
    """Find dates in running prose, sorted by start, non-overlapping.

    Full dates may have whitespace and ``[[``/``]]`` between their parts (markup blanked out
    by the caller); the span then runs from the first to the last character of the date.
    Where matches overlap, the earliest wins, then the longest.  Impossible dates are
    reported with ``value=None`` and a ``problem``.  See the module docstring for which bare
    years count.
    """
    chosen: list[FoundDate] = []
    end = 0
    for candidate in sorted(_candidates(text), key=lambda f: (f.start, -f.end)):
        if candidate.start >= end:
            chosen.append(candidate)
            end = candidate.end
    return chosen


# --------------------------------------------------------------------------- templates

#: (year, month, day, role): the positional params of one date in a numeric template.
_Group = tuple[str | None, str | None, str | None, str]

#: Date templates -> where each of their dates is: numeric year|month|day params, or one
#: param holding a whole date string (``value``).
_DATE_TEMPLATES: Mapping[str, tuple[DateTemplate, ...]] = _ENGLISH.date_templates

_DIGITS = re.compile(r"[0-9]{1,4}")


def _template_key(name: str) -> str:
    """``" Birth_date  and age"`` -> ``"birth date and age"``; a ``Template:`` prefix goes."""
    key = " ".join(name.replace("_", " ").split()).lower()
    return key.removeprefix("template:").strip()


def _param_text(value: str) -> str:
    """A param value without comments, link/italic markup and surrounding whitespace."""
    text = COMMENT.sub("", value)
    text = _PIPED_LINK.sub(r"\1", text)
    for markup in ("[[", "]]", "''"):
        text = text.replace(markup, "")
    return text.strip()


def _from_string(text: str, role: str) -> TemplateDate:
    """A template date given as one whole string (``January 8, 2008``)."""
    try:
        value = parse_date(text)
    except ImpossibleDate as exc:
        return TemplateDate(None, role, str(exc))
    if value is None:
        return TemplateDate(None, role, f"not a date: {_short(text)!r}")
    return TemplateDate(value, role, None)


def _short(text: str) -> str:
    shown = " ".join(text.split())
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _from_numbers(year_text: str, month_text: str, day_text: str, role: str) -> TemplateDate:
    """A template date given as year, month (number or name) and day params."""
    if not year_text:
        return TemplateDate(None, role, "month or day without a year")
    if not _DIGITS.fullmatch(year_text):
        if not month_text and not day_text:
            return _from_string(year_text, role)
        return TemplateDate(None, role, f"year {_short(year_text)!r} is not a number")
    year = int(year_text)
    if not _in_range(year):
        return TemplateDate(None, role, f"year {year} out of range")
    month: int | None = None
    if month_text:
        month = int(month_text) if _DIGITS.fullmatch(month_text) else _month(month_text)
        if month is None:
            return TemplateDate(None, role, f"month {_short(month_text)!r} is not a month")
    day: int | None = None
    if day_text:
        if not _DIGITS.fullmatch(day_text):
            return TemplateDate(None, role, f"day {_short(day_text)!r} is not a number")
        day = int(day_text)
        if month is None:
            return TemplateDate(None, role, "day without a month")
    built = calendar_date(year, month, day)
    if isinstance(built, str):
        written = "-".join(p for p in (f"{year:04d}", month_text, day_text) if p)
        return TemplateDate(None, role, _impossible(written, built))
    return TemplateDate(built, role, None)


def _template_date(args: dict[str, str], spec: DateTemplate) -> TemplateDate | None:
    """The date ``spec`` places in a template's ``args``, None when its params are empty."""
    if spec.value is not None:
        text = args.get(spec.value)
        return _from_string(text, spec.role) if text else None
    return _group(args, (spec.year, spec.month, spec.day, spec.role))


def _group(args: dict[str, str], group: _Group) -> TemplateDate | None:
    """The date of one positional group, None when all its params are empty."""
    year_key, month_key, day_key, role = group
    year = args.get(year_key, "") if year_key else ""
    month = args.get(month_key, "") if month_key else ""
    day = args.get(day_key, "") if day_key else ""
    if not (year or month or day):
        return None
    return _from_numbers(year, month, day, role)


def _numbers(args: dict[str, str]) -> list[int]:
    """The positional parameter numbers actually given, in order (never a range up to the
    largest: ``{{Film date|100000000000=x}}`` must not allocate that much)."""
    return sorted(int(k) for k in args if len(k) < 8 and k.isascii() and k.isdigit() and int(k) > 0)


def _dts(args: dict[str, str]) -> list[TemplateDate]:
    """``{{dts}}``: ``|2008|1|8``, ``|2008|Jan|8``, ``|January 8, 2008`` or ``|8|January|2008``."""
    values = [args[str(n)] for n in _numbers(args) if args[str(n)]]
    if not values:
        return []
    if len(values) == 1 or (_DIGITS.fullmatch(values[0]) and len(values[0]) >= 3):
        found = _group(args, ("1", "2", "3", "date"))
        return [found] if found else []
    return [_from_string(" ".join(values), "date")]


def _film_date(args: dict[str, str]) -> list[TemplateDate]:
    """``{{Film date}}``: repeating groups of year, month, day, location."""
    dates = []
    for first in sorted({(n - 1) // 4 * 4 + 1 for n in _numbers(args)}):
        found = _group(args, (str(first), str(first + 1), str(first + 2), "film"))
        if found is not None:
            dates.append(found)
    return dates


#: Date templates with their own param layouts.
_OTHER: dict[str, Callable[[dict[str, str]], list[TemplateDate]]] = {
    "dts": _dts,
    "film date": _film_date,
}


def template_dates(name: str, params: Iterable[tuple[str, str]]) -> list[TemplateDate] | None:
    """Dates carried by a date template.

    ``name`` as written (any case, underscores or spaces, surrounding whitespace); params are
    (name, value) pairs in order, positional params named ``"1"``, ``"2"``, ...; a repeated
    name keeps its last value, as MediaWiki does.  Named options (``df=y``, ``mf=yes``) are
    ignored.  Returns None when the template is not a date template; otherwise a (possibly
    empty) list in param order, an unusable date carrying a ``problem`` instead of a value.
    """
    key = _template_key(name)
    specs = _DATE_TEMPLATES.get(key)
    if specs is None and key not in _OTHER:
        return None  # its params are never read
    args = {k.strip(): _param_text(v) for k, v in params}
    if specs is None:
        return _OTHER[key](args)
    return [d for spec in specs if (d := _template_date(args, spec)) is not None]

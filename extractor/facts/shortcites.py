"""Short citations (``{{sfn}}``, ``{{harvnb}}``, ``{{sfnm}}``, ...) and the full citations
they name.

A full citation has CS1's ``CITEREF`` anchor (Module:Citation/CS1 ``anchor_id``): ``CITEREF``
followed by up to four last names (of its authors, else of its editors; an ``author=`` that
the record splits at its comma is one name to CS1: ``CITEREFReitman,_Jason2007``) and its
year: the year of ``date=`` (else of ``year=``, else of ``publication-date=``, as CS1 promotes
them) with its disambiguating letter (``2007a``, ``n.d.``, ``c. 1900``, ``1999–2000``), or
``year=`` itself when both are given; unless ``ref=`` names one outright
(``ref={{harvid|Smith|2006}}``, ``ref=CITEREFfoo``; ``ref=none`` is none, ``ref=harv`` the
default).  A short citation names ``CITEREF`` + its positional parameters run together
(Module:Footnotes), or its ``ref=``.
Anchors are compared as MediaWiki writes them into the page: markup removed, white space as
``_``, case kept.  A short citation whose anchor no citation has is a problem, as Wikipedia's
own harv-error check reports it; so is an anchor several citations have (the first is the
target, as a link goes to the first element with that id).

The template names and their parameters are data (``extractor/locales/footnotes.json``); the
CS1 parameter names (``ref``, ``year``, ``date``) stay with CS1, in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from extractor.locales import Footnotes, ShortCitations
from extractor.parse.document import Param, TemplateNode
from extractor.parse.plaintext import plain_text
from extractor.records import Author, Citation

__all__ = [
    "ShortCite",
    "citation_anchor",
    "harvid_anchor",
    "link_short_citations",
    "pages_of",
    "short_cites",
]

_PREFIX = "CITEREF"
_NO_DATE = re.compile(r"(?:n\.d\.|nd)[a-z]?")
_CIRCA = re.compile(r"c\. [1-9]\d{2,3}[a-z]?")
_ISO = re.compile(r"(\d{4})-\d\d-\d\d")
_RANGE = re.compile(r"(?<!\d)(\d{3,4})–(\d{2,4}[a-z]?)\Z")
_LAST_YEAR = re.compile(r"(?<!\d)(\d{3,4}[a-z]?)\Z")
_PLAIN = re.compile(r"[\[{<&']")
_AUTHOR = re.compile(r"author(\d*)")
#: CS1's date parameters that give an anchor its year, by the name CS1 reads them as.
_DATES = {
    "date": "date", "air-date": "date", "airdate": "date", "year": "year",
    "publication-date": "publication-date", "publicationdate": "publication-date",
}  # fmt: skip


@attrs.frozen
class ShortCite:
    """One source a short-citation template names: its anchor, the pages it cites, and the
    template's parameters that belong to it (as written)."""

    anchor: str
    pages: str | None
    params: tuple[tuple[str, str], ...]


def _plain(value: str) -> str:
    """A parameter value as text (most are plain words: no parse for them)."""
    return plain_text(value) if _PLAIN.search(value) else " ".join(value.split())


def _anchor(text: str) -> str:
    """An anchor as MediaWiki writes it: white space runs as one ``_``."""
    return "_".join(text.split())


def pages_of(named: Mapping[str, str], groups: Sequence[Sequence[str]]) -> str | None:
    """The pages a template's parameters (``named``: name -> raw value) give: the first
    parameter of each group of aliases that is set, as text, joined with ``", "``."""
    found = []
    for group in groups:
        for name in group:
            value = named.get(name)
            if value and (text := _plain(value)):
                found.append(text)
                break
    return ", ".join(found) or None


def _explicit(named: Mapping[str, str], names: Iterable[str]) -> str | None:
    for name in names:
        value = named.get(name)
        if value and (text := _plain(value)):
            return _anchor(text)
    return None


def short_cites(node: TemplateNode, numbered: bool, fn: Footnotes) -> list[ShortCite]:
    """The sources a short-citation template names (one, or one per number for
    ``{{sfnm}}``), in order."""
    if numbered:
        return _numbered(node, fn.numbered_short_citations)
    form = fn.short_citations
    named = {p.name: p.value for p in node.params}  # the last of a duplicate wins
    anchor = _explicit(named, form.anchor)
    if anchor is None:
        names = dict(_positional(node))  # the last of a duplicate wins
        parts = [_plain(names[n]) for n in sorted(names) if 1 <= n <= 5]
        anchor = _PREFIX + _anchor("".join(parts))
    params = tuple((p.name, p.value) for p in node.params)
    return [ShortCite(anchor, pages_of(named, form.pages), params)]


_NUMBERED = re.compile(r"([0-9]{1,3})(\D.*)")


def _numbered(node: TemplateNode, form: ShortCitations) -> list[ShortCite]:
    """``{{sfnm|1a1=Smith|1y=2006|1p=5|2a1=Jones|2y=2001}}``: source N's parameters are the
    ones named N + something."""
    groups: dict[int, list[tuple[str, Param]]] = {}
    for p in node.params:
        match = _NUMBERED.fullmatch(p.name)
        if match:
            groups.setdefault(int(match[1]), []).append((match[2], p))
    found = []
    for number in sorted(groups):
        named = {name: p.value for name, p in groups[number]}
        anchor = _explicit(named, form.anchor)
        if anchor is None:
            lasts = (named.get(f"{form.last}{i}", "") for i in range(1, 5))
            parts = [*map(_plain, lasts), _plain(named.get(form.year, ""))]
            anchor = _PREFIX + _anchor("".join(parts))
        pages = pages_of(named, form.pages)
        params = tuple((p.name, p.value) for _, p in groups[number])
        found.append(ShortCite(anchor, pages, params))
    return found


def citation_anchor(
    params: Sequence[Param],
    authors: Sequence[Author],
    editors: Sequence[Author],
    harvids: Mapping[int, str],
) -> str | None:
    """The ``CITEREF`` anchor of a full citation (see the module docstring); ``harvids``
    maps where a ``{{harvid}}`` call starts to the anchor it makes."""
    ref = None
    dates: dict[str, str] = {}
    whole: dict[int, str] = {}  # author=/authorN=, which CS1 takes as the last name whole
    for p in params:  # the last of a duplicate wins, as in MediaWiki
        if p.name == "ref":
            ref = p
        elif p.name in _DATES and p.value.strip():
            dates[_DATES[p.name]] = p.value
        elif p.name.startswith("author") and (number := _AUTHOR.fullmatch(p.name)):
            whole[int(number[1] or 1)] = p.value
    if ref is not None and ref.value.strip():
        made = harvids.get(ref.start)
        if made is not None:
            return made
        text = _plain(ref.value)
        if text.lower() == "none":
            return None
        if text.lower() != "harv" and text:
            return _anchor(text)
    names = [
        _plain(whole[i]) if i in whole and a.first and "," in whole[i] else a.last
        for i, a in enumerate(authors or editors, 1)
        if a.last
    ][:4]  # an author= we split at its comma ("Reitman, Jason") is one name to CS1
    date = dates.get("date") or dates.get("year") or dates.get("publication-date")
    when = _anchor_year(_plain(date)) if date else None
    if "date" in dates and "year" in dates:  # CS1: "Year first", to disambiguate YMD dates
        when = _plain(dates["year"])
    if not names and not when:
        return None
    return _PREFIX + _anchor("".join(names) + (when or ""))


def harvid_anchor(node: TemplateNode) -> str:
    """The anchor a ``{{harvid|Smith|Jones|2006}}`` call makes: its positional parameters
    run together."""
    names = sorted(_positional(node))
    return _PREFIX + _anchor("".join(_plain(value) for _, value in names))


def _positional(node: TemplateNode) -> list[tuple[int, str]]:
    """A template's positional parameters: number, value (a name of ASCII digits, and a
    short one: ``²=`` or a name of 5,000 digits is no position, and no int() of it)."""
    return [
        (int(p.name), p.value)
        for p in node.params
        if len(p.name) < 4 and p.name.isascii() and p.name.isdigit()
    ]


def _anchor_year(date: str) -> str | None:
    """The year CS1 puts into an anchor from ``date=``: with its disambiguating letter,
    ``n.d.``/``nd``, ``c. 1900``, a range of years as ``1999–2000``; None when there is none."""
    if not date:
        return None
    if _NO_DATE.fullmatch(date) or _CIRCA.fullmatch(date):
        return date
    if match := _ISO.fullmatch(date):
        return match[1]
    if match := _RANGE.search(date):
        return f"{match[1]}–{match[2]}"
    if match := _LAST_YEAR.search(date):
        return match[1]
    return None


def link_short_citations(citations: list[Citation]) -> None:
    """Point every short citation at the full citation whose anchor it names (``target``),
    in place; a problem when none or several have it."""
    owners: dict[str, list[int]] = {}
    for citation in citations:
        if citation.kind != "short" and citation.anchor is not None:
            owners.setdefault(citation.anchor, []).append(citation.index)
    for i, citation in enumerate(citations):
        if citation.kind != "short" or citation.anchor is None:
            continue
        found = owners.get(citation.anchor, [])
        problems = list(citation.problems)
        if not found:
            problems.append(f"sfn target not found: {citation.anchor}")
        elif len(found) > 1:
            problems.append(f"sfn multiple targets ({len(found)}×): {citation.anchor}")
        target = found[0] if found else None
        citations[i] = attrs.evolve(citation, target=target, problems=tuple(problems))

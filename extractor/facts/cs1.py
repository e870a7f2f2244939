"""CS1/CS2 citation templates: which templates are citations, and what their parameters say.

Wikipedia's citation templates (``{{cite web}}``, ``{{cite journal}}``, ``{{citation}}`` ...)
accept many spellings of the same field (``accessdate``/``access-date``, ``last1``/``surname1``/
``author1-last``, ``journal``/``website``/``work``).  :func:`citation_fields` folds them into one
:class:`CitationFields` record using Module:Citation/CS1/Configuration's alias lists and
precedence order, and records what CS1 itself would complain about (conflicting aliases,
duplicated parameters, malformed identifiers) as ``problems`` instead of dropping data.

Values are reduced to plain text when they carry wiki markup, so ``[[World Bank]]`` becomes
``World Bank`` and ``&amp;`` becomes ``&`` (by :func:`extractor.parse.plain_text`, as
:mod:`extractor.parse` hands templates over with raw values).

Decisions on ambiguous cases:

* ``author=Reitman, Jason`` (a full-name form with exactly one comma and no ``first=``) is split
  into last ``Reitman`` / first ``Jason``; ``author=Jason Reitman`` is kept whole in ``last``
  because a name without a comma cannot be split safely (``World Health Organization``).
  wikiciteparser keeps ``"Margovenko, A"`` whole as the last name; we split it.
* A name written as a single wikilink (``author=[[Jason Reitman]]``) gives ``link`` too, as
  CS1 renders it, unless an ``author-link`` is given.
* Author lists follow CS1's precedence: ``lastN``/``authorN`` forms, else ``vauthors``, else
  ``authors``; using more than one is a conflict.  Numbered authors are ordered by N
  (unnumbered = 1) and gaps in the numbering are tolerated.
* A URL without a scheme (``www.x.com``) is kept as written with a problem recorded;
  protocol-relative ``//x.com`` is fine.
* ``date`` falls back to ``year``, then ``publication-date``; ``location`` prefers
  ``publication-place`` over ``place``/``location`` (CS1 renders the latter as "written at").
* Short-form references (``sfn``, ``harv``, ``harvnb``, ``harvard citation``) point at a full
  citation and are not citations themselves; ``cite Quran``/``cite bible`` and any other
  ``cite X`` are citations of kind ``"other"``.  Template subpages (``cite web/doc``) are not.
* Only English CS1 names are known; localized templates (``Internetquelle``, ``lien web``)
  are not recognized.

:class:`~extractor.records.Author` (last, first, link) is the record type, re-exported here.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import attrs

from extractor.facts.identifiers import IDENTIFIER_PARAMS, Identifier, normalize_identifier
from extractor.parse import plain_text
from extractor.plaintext import COMMENT
from extractor.records import Author

__all__ = [
    "Author",
    "CitationFields",
    "citation_fields",
    "citation_kind",
    "normalize_template_name",
]

# --- template names ---------------------------------------------------------------------------

_TEMPLATE_PREFIX = re.compile(r"^template\s*:\s*", re.IGNORECASE)


def normalize_template_name(name: str) -> str:
    """Canonical lookup key for a template name: ``" Template:Cite_Web "`` -> ``"cite web"``.

    Strips, drops a leading ``Template:`` (any case), turns underscores into spaces,
    collapses whitespace and lowercases.
    """
    text = " ".join(name.replace("_", " ").split())
    return _TEMPLATE_PREFIX.sub("", text).lower()


#: Normalized template name -> citation kind.  The CS1/CS2 family with the kind CS1 gives it
#: (spelled with spaces), their common redirects, and specific-source citation templates.
CITATION_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "citation": "citation",
        "cite": "citation",
        "cite arxiv": "arxiv",
        "cite av media": "av media",
        "cite av media notes": "av media notes",
        "cite biorxiv": "biorxiv",
        "cite book": "book",
        "cite citeseerx": "citeseerx",
        "cite conference": "conference",
        "cite document": "document",
        "cite encyclopedia": "encyclopedia",
        "cite episode": "episode",
        "cite interview": "interview",
        "cite journal": "journal",
        "cite magazine": "magazine",
        "cite mailing list": "mailing list",
        "cite map": "map",
        "cite medrxiv": "medrxiv",
        "cite news": "news",
        "cite newsgroup": "newsgroup",
        "cite podcast": "podcast",
        "cite press release": "press release",
        "cite report": "report",
        "cite serial": "serial",
        "cite sign": "sign",
        "cite speech": "speech",
        "cite ssrn": "ssrn",
        "cite tech report": "tech report",
        "cite thesis": "thesis",
        "cite web": "web",
        # redirects to the above
        "cite album notes": "av media notes",
        "cite album-notes": "av media notes",
        "cite dictionary": "encyclopedia",
        "cite dvd notes": "av media notes",
        "cite encyclopaedia": "encyclopedia",
        "cite liner notes": "av media notes",
        "cite mailinglist": "mailing list",
        "cite media": "av media",
        "cite music release notes": "av media notes",
        "cite newspaper": "news",
        "cite paper": "journal",
        "cite pressrelease": "press release",
        "cite techreport": "tech report",
        "cite url": "web",
        "cite video": "av media",
        "cite website": "web",
        "web cite": "web",
        # specific-source and wrapper citation templates
        "cite court": "court",
        "cite doi": "doi",
        "cite gnis": "gnis",
        "cite hansard": "hansard",
        "cite isbn": "isbn",
        "cite iucn": "iucn",
        "cite legislation": "legislation",
        "cite letter": "letter",
        "cite patent": "patent",
        "cite pmid": "pmid",
        "cite tweet": "tweet",
        "cite video game": "video game",
        "cite wikisource": "wikisource",
    }
)

#: Maintenance and short-form templates that look cite-like but carry no citation.
NOT_CITATIONS: frozenset[str] = frozenset(
    {
        "better source", "better source needed", "cbignore", "citation broken",
        "citation needed", "citation needed span", "citation style", "citations broken",
        "citations missing", "citations needed", "cite check", "cite error", "cite needed",
        "cn", "cns", "dead link", "fact", "failed verification", "full citation needed",
        "harv", "harvard citation", "harvard citation no brackets", "harvard citation text",
        "harvnb", "harvtxt", "more citations needed", "more citations needed section",
        "page needed", "refimprove", "refimprove section", "sfn", "sfnp", "unreferenced",
        "unreferenced section", "verification needed", "webarchive",
    }
)  # fmt: skip


#: Short footnotes: they point at a full citation elsewhere on the page.  A ``<ref>`` holding
#: one is a citation of kind ``short``.
SHORT_FOOTNOTES: frozenset[str] = frozenset(
    {
        "sfn", "sfnp", "sfnm", "harv", "harvnb", "harvp", "harvtxt", "harvcol", "harvcolnb",
        "harvcoltxt", "harvard citation", "harvard citation no brackets",
        "harvard citation text", "citeref",
    }
)  # fmt: skip


def citation_kind(name: str) -> str | None:
    """The citation kind of template ``name`` (``"cite web"`` -> ``"web"``), else ``None``.

    Unlisted ``cite X`` templates are kind ``"other"``; ``vcite X`` and the spaceless
    redirects (``citeweb``) take the kind of ``cite X``.  Maintenance templates
    (``citation needed``, ``cite check``) and template subpages (``cite web/doc``) are not
    citations.
    """
    key = normalize_template_name(name)
    if key in NOT_CITATIONS or "/" in key:
        return None
    kind = CITATION_KINDS.get(key)
    if kind is not None:
        return kind
    if key.startswith("vcite "):
        return CITATION_KINDS.get("cite " + key[len("vcite ") :], "other")
    if key.startswith("cite "):
        return "other"
    if key.startswith("cite") and " " not in key:  # redirects such as {{citeweb}}
        return CITATION_KINDS.get("cite " + key[len("cite") :])
    return None


# --- result types -----------------------------------------------------------------------------


@attrs.frozen
class CitationFields:
    """The fields of one citation template, aliases folded, values in plain text.

    ``date`` is the raw ``date=`` (or ``year=``, or ``publication-date=``) text for the
    caller to parse; ``identifiers`` come in parameter order; ``problems`` lists one-line
    notes about what CS1 would flag (duplicates, conflicting aliases, bad identifiers).
    """

    title: str | None = None
    url: str | None = None
    authors: tuple[Author, ...] = ()
    editors: tuple[Author, ...] = ()
    date: str | None = None
    year: str | None = None
    access_date: str | None = None
    archive_url: str | None = None
    archive_date: str | None = None
    url_status: str | None = None
    work: str | None = None
    publisher: str | None = None
    location: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    language: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    problems: tuple[str, ...] = ()


# --- plain text -------------------------------------------------------------------------------

_MARKUP = ("[[", "''", "{{", "<", "&")
_BRACKETED_URL = re.compile(r"\[(?:https?:|ftp:|//)", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def _plain(value: str) -> str | None:
    """Plain text of a parameter value, or ``None`` when nothing is left.

    Values without ``[[``, ``''``, ``{{``, ``<``, ``&`` or a bracketed external link
    (``[http://x Title]``) are returned with white space collapsed; others go through
    :func:`extractor.parse.plain_text`.
    """
    if not any(marker in value for marker in _MARKUP) and not _BRACKETED_URL.search(value):
        return " ".join(value.split()) or None
    return plain_text(value) or None


def _clean_url(value: str) -> str | None:
    """A URL-ish value without comments, with ``&amp;``-style entities and ``{{!}}`` decoded.

    Unlike :func:`_plain` this leaves ``&`` query separators and brackets alone and only
    decodes entities that end in ``;`` (``&para=1`` stays as written).
    """
    text = COMMENT.sub("", value).replace("{{!}}", "|")
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text).strip()
    return text or None


_HIDDEN_LINK_PREFIXES = ("file:", "image:", "category:")
_WIKILINK_ONLY = re.compile(r"\[\[\s*([^\[\]|]+?)\s*(?:\|[^\[\]]*)?\]\]")


def _link_target(value: str) -> str | None:
    """Target of a value that is one wikilink (``[[A|B]]`` -> ``A``), else ``None``."""
    match = _WIKILINK_ONLY.fullmatch(value.strip())
    if match is None or match.group(1).lower().startswith(_HIDDEN_LINK_PREFIXES):
        return None
    return match.group(1).lstrip(":").strip() or None


# --- alias tables (Module:Citation/CS1/Configuration, current and retired aliases) ------------

_Groups = Sequence[Sequence[str]]

_TITLE: _Groups = (("title",),)
_URL: _Groups = (("url", "URL"),)
_DATE: _Groups = (("date", "air-date", "airdate"),)
_YEAR: _Groups = (("year",),)
_PUBLICATION_DATE: _Groups = (("publication-date", "publicationdate"),)
_ACCESS_DATE: _Groups = (("access-date", "accessdate"),)
_ARCHIVE_URL: _Groups = (("archive-url", "archiveurl"),)
_ARCHIVE_DATE: _Groups = (("archive-date", "archivedate"),)
_URL_STATUS: _Groups = (("url-status", "dead-url", "deadurl"),)
_WORK: _Groups = (
    (
        "journal", "magazine", "newspaper", "periodical", "website", "work",
        "encyclopedia", "encyclopaedia", "dictionary", "mailing-list", "mailinglist",
        "newsgroup",
    ),
)  # fmt: skip
_PUBLISHER: _Groups = (("publisher", "institution", "distributor"),)
_LOCATION: _Groups = (("publication-place", "publicationplace"), ("place", "location"))
_VOLUME: _Groups = (("volume",),)
_ISSUE: _Groups = (("issue", "number"),)
_PAGES: _Groups = (("page", "p", "pages", "pp", "at"),)
_LANGUAGE: _Groups = (("language", "lang"),)


@attrs.frozen
class _NameList:
    """The parameter patterns of one CS1 name list (``#`` stands for the number)."""

    last: tuple[str, ...]
    first: tuple[str, ...]
    link: tuple[str, ...]
    full_name: frozenset[str]  # patterns in ``last`` whose value is a whole name
    vancouver: str  # the Vancouver-style list parameter
    free: tuple[str, ...]  # free-form lists separated by ";"


_AUTHORS = _NameList(
    last=(
        "last#", "author-last#", "author#-last", "surname#", "author-surname#",
        "author#-surname", "author#", "subject#", "host#",
    ),
    first=("first#", "author-first#", "author#-first", "given#", "author-given#", "author#-given"),
    link=(
        "author-link#", "author#-link", "subject-link#", "subject#-link", "authorlink#",
        "author#link", "subjectlink#", "subject#link",
    ),
    full_name=frozenset({"author#", "subject#", "host#"}),
    vancouver="vauthors",
    free=("authors", "people", "credits"),
)  # fmt: skip

_EDITORS = _NameList(
    last=("editor-last#", "editor#-last", "editor-surname#", "editor#-surname", "editor#"),
    first=("editor-first#", "editor#-first", "editor-given#", "editor#-given"),
    link=("editor-link#", "editor#-link", "editorlink#", "editor#link"),
    full_name=frozenset({"editor#"}),
    vancouver="veditors",
    free=("editors",),
)


def _pattern_alternative(pattern: str) -> str:
    """``"author#-last"`` -> a regex alternative matching ``author-last``, ``author1-last``,
    ``author12-last``, with the number as its one non-empty group."""
    head, _, tail = pattern.partition("#")
    return re.escape(head) + r"([1-9][0-9]{0,5})?" + re.escape(tail)


def _numbered_regex(names: _NameList) -> re.Pattern[str]:
    """One regex for every numbered parameter of a name list (one match per parameter)."""
    patterns = (*names.last, *names.first, *names.link)
    return re.compile("|".join(f"(?:{_pattern_alternative(p)})" for p in patterns))


_NUMBERED: Mapping[int, re.Pattern[str]] = MappingProxyType(
    {id(names): _numbered_regex(names) for names in (_AUTHORS, _EDITORS)}
)

_URL_SCHEME = re.compile(r"(?:[A-Za-z][A-Za-z0-9+-]*:|//)")
_URL_STATUS_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "dead": "dead", "live": "live", "unfit": "unfit", "usurped": "usurped",
        "deviated": "deviated", "bot: unknown": "bot: unknown",
    }
)  # fmt: skip
_DEADURL_WORDS: Mapping[str, str] = MappingProxyType(
    {"yes": "dead", "true": "dead", "y": "dead", "no": "live", "unfit": "unfit",
     "usurped": "usurped"}
)  # fmt: skip
_VANCOUVER_SUFFIXES = frozenset(
    {"Jr", "Sr", "Jnr", "Snr", "2nd", "3rd", "4th", "5th", "6th", "II", "III", "IV", "V", "VI"}
)
_ET_AL = re.compile(r"et\.?\s*al(?:ii|ia|iae)?\.?", re.IGNORECASE)


# --- extraction -------------------------------------------------------------------------------


@functools.cache
def _order(names: tuple[str, ...]) -> dict[str, int]:
    """Each distinct name of an alias group -> its precedence (computed once per group)."""
    return {name: i for i, name in enumerate(dict.fromkeys(names))}


class _Collector:
    """Effective parameters (last duplicate wins) and the problems found on the way."""

    def __init__(self, params: Sequence[tuple[str, str]]) -> None:
        self.values: dict[str, str] = {}
        self.position: dict[str, int] = {}
        self.problems: list[str] = []
        for index, (name, value) in enumerate(params):
            name, value = name.strip(), value.strip()
            if name in self.values:
                self.note(f"duplicate parameter {name!r}")
            self.values[name] = value
            self.position[name] = index
        self.given = {name: value for name, value in self.values.items() if value}

    def note(self, problem: str) -> None:
        """Record ``problem`` once."""
        if problem not in self.problems:
            self.problems.append(problem)

    def choose(self, names: Sequence[str]) -> str | None:
        """The first of ``names`` that is set (CS1 precedence); the others are conflicts."""
        order = _order(tuple(names))
        present = sorted(order.keys() & self.given.keys(), key=order.__getitem__)
        for loser in present[1:]:
            self.note(f"conflicting aliases {present[0]!r} and {loser!r}")
        return present[0] if present else None

    def pick(self, groups: _Groups) -> tuple[str | None, str | None]:
        """(name, value) from the first group with a set alias; conflicts only within it."""
        for group in groups:
            name = self.choose(group)
            if name is not None:
                return name, self.given[name]
        return None, None

    def text(self, groups: _Groups) -> str | None:
        """Plain-text value of a field."""
        _, value = self.pick(groups)
        return None if value is None else _plain(value)

    def url(self, groups: _Groups) -> str | None:
        """A URL field, kept as written; a missing scheme is recorded as a problem."""
        name, value = self.pick(groups)
        if name is None or value is None:
            return None
        url = _clean_url(value)
        if url is not None and not _URL_SCHEME.match(url):
            self.note(f"url without a scheme in {name}={url}")
        return url


def _split_list(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside ``[[..]]``, ``{{..}}`` and ``((..))``."""
    items: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in ("[[", "{{", "(("):
            depth += 1
            i += 2
            continue
        if pair in ("]]", "}}", "))") and depth:
            depth -= 1
            i += 2
            continue
        if text[i] == separator and not depth:
            items.append(text[start:i])
            start = i + 1
        i += 1
    items.append(text[start:])
    return [item.strip() for item in items if item.strip()]


def _split_full_name(name: str) -> tuple[str, str | None]:
    """``"Reitman, Jason"`` -> (``"Reitman"``, ``"Jason"``); names without exactly one
    comma are kept whole."""
    if name.count(",") != 1:
        return name, None
    last, first = (part.strip() for part in name.split(","))
    if not last:
        return name, None
    return last, first or None


def _full_name_author(item: str) -> Author | None:
    """An author from a free-form name (``authors=`` item)."""
    text = _plain(item)
    if text is None:
        return None
    last, first = _split_full_name(text)
    return Author(last, first, _link_target(item))


def _vancouver_author(item: str) -> Author | None:
    """An author from one ``vauthors=`` item: ``"Smith JA"``, ``"((World Bank))"``."""
    link = _link_target(item)
    text = _plain(item)
    if text is None or _ET_AL.fullmatch(text):
        return None
    if text.startswith("((") and text.endswith("))"):
        return Author(text[2:-2].strip() or None, None, link)
    tokens = text.split()
    if len(tokens) >= 3 and tokens[-1] in _VANCOUVER_SUFFIXES:
        return Author(" ".join(tokens[:-2]), " ".join(tokens[-2:]), link)
    if len(tokens) >= 2:
        return Author(" ".join(tokens[:-1]), tokens[-1], link)
    return Author(text, None, link)


def _candidates(patterns: Sequence[str], number: int) -> list[str]:
    """Parameter names for slot ``number`` in CS1's order (slot 1 also unnumbered, first)."""
    names: list[str] = []
    for pattern in patterns:
        if number == 1:
            names.append(pattern.replace("#", ""))
        names.append(pattern.replace("#", str(number)))
    return names


@attrs.frozen
class _Numbered:
    """What the numbered parameters of one name list hold."""

    people: tuple[Author, ...]  # slots with a last or first name, by number
    first_param: str | None  # the first name parameter used, for conflict messages
    orphan_links: Mapping[int, tuple[str, str]]  # number -> (parameter, link), name-less slots


def _numbered_names(found: _Collector, names: _NameList) -> _Numbered:
    """Names from ``lastN``/``firstN``/``authorN``/``author-linkN`` in number order."""
    numbers: set[int] = set()
    regex = _NUMBERED[id(names)]
    for param in found.given:
        match = regex.fullmatch(param)
        if match:
            number = next((g for g in match.groups() if g), None)
            numbers.add(int(number or 1))
    people: list[Author] = []
    first_param: str | None = None
    orphan_links: dict[int, tuple[str, str]] = {}
    for number in sorted(numbers):
        last_name = found.choose(_candidates(names.last, number))
        first_name = found.choose(_candidates(names.first, number))
        link_name = found.choose(_candidates(names.link, number))
        last = _plain(found.given[last_name]) if last_name else None
        first = _plain(found.given[first_name]) if first_name else None
        link = _plain(found.given[link_name]) if link_name else None
        if last_name and link is None:
            link = _link_target(found.given[last_name])
        full_name = {p.replace("#", "") for p in names.full_name}
        full_name |= {p.replace("#", str(number)) for p in names.full_name}
        if last is not None and first is None and last_name in full_name:
            last, first = _split_full_name(last)
        if last is None and first is None:
            if link_name and link:
                orphan_links[number] = (link_name, link)
            continue
        if last is None and first_name:
            found.note(f"{first_name!r} without a last name")
        first_param = first_param or last_name or first_name
        people.append(Author(last, first, link))
    return _Numbered(tuple(people), first_param, orphan_links)


def _name_list(found: _Collector, names: _NameList) -> tuple[Author, ...]:
    """One CS1 name list: numbered forms, else the Vancouver list, else the free-form list.

    As in CS1, ``author-linkN`` also links the Nth name of a ``vauthors`` list.
    """
    numbered = _numbered_names(found, names)
    vancouver = names.vancouver if names.vancouver in found.given else None
    free = found.choose(names.free)
    sources = [name for name in (numbered.first_param, vancouver, free) if name is not None]
    for loser in sources[1:]:
        found.note(f"conflicting aliases {sources[0]!r} and {loser!r}")
    people: list[Author] = []
    links = dict(numbered.orphan_links)
    if numbered.first_param is not None:
        people = list(numbered.people)
    elif vancouver is not None:
        items = _split_list(found.given[vancouver], ",")
        people = [p for p in map(_vancouver_author, items) if p is not None]
        for number, (_, link) in list(links.items()):
            if number <= len(people):
                people[number - 1] = attrs.evolve(people[number - 1], link=link)
                del links[number]
    elif free is not None:
        items = _split_list(found.given[free], ";")
        people = [p for p in map(_full_name_author, items) if p is not None]
    for link_param, _ in links.values():
        found.note(f"{link_param!r} without a name")
    return tuple(people)


def _url_status(found: _Collector) -> str | None:
    """``url-status``, or the retired ``deadurl`` mapped to it (``yes`` -> ``dead``)."""
    name, value = found.pick(_URL_STATUS)
    if name is None or value is None:
        return None
    word = " ".join((_plain(value) or "").lower().split())
    table = _URL_STATUS_WORDS if name == "url-status" else _DEADURL_WORDS
    if word in table:
        return table[word]
    found.note(f"unrecognized value in {name}={value}")
    return word or None


_PARAMS_BY_KIND: dict[str, tuple[str, ...]] = {
    kind: tuple(p for p, k in IDENTIFIER_PARAMS.items() if k == kind)
    for kind in dict.fromkeys(IDENTIFIER_PARAMS.values())
}


def _identifiers(found: _Collector) -> tuple[Identifier, ...]:
    """Identifiers in parameter order; CS1 precedence when a kind is given twice."""
    present = {IDENTIFIER_PARAMS[p] for p in found.given if p in IDENTIFIER_PARAMS}
    chosen: list[tuple[int, str, Identifier]] = []
    for kind, params in _PARAMS_BY_KIND.items():
        if kind not in present:
            continue
        name = found.choose(params)
        if name is None:
            continue
        raw = found.given[name]
        text = _clean_url(raw) or ""
        if any(marker in text for marker in ("[[", "{{", "''")):
            text = _plain(text) or ""
        identifier = attrs.evolve(normalize_identifier(kind, text), raw=raw)
        chosen.append((found.position[name], name, identifier))
    chosen.sort(key=lambda item: item[0])
    for _, name, identifier in chosen:
        if not identifier.valid:
            found.note(f"{identifier.problem} in {name}={identifier.raw}")
    return tuple(identifier for _, _, identifier in chosen)


def citation_fields(params: list[tuple[str, str]]) -> CitationFields:
    """Fold a citation template's ``(name, value)`` parameters into :class:`CitationFields`.

    Names match case-sensitively, as in CS1 (identifier parameters have their own
    uppercase aliases).  An empty value counts as absent.  A name given twice keeps its
    last value (MediaWiki semantics); several aliases of one field keep the first in CS1's
    precedence order.  Both cases are recorded in ``problems``.  Never raises.
    """
    found = _Collector(params)
    date = found.text(_DATE)
    year = found.text(_YEAR)
    if date is None:
        date = year if year is not None else found.text(_PUBLICATION_DATE)
    return CitationFields(
        title=found.text(_TITLE),
        url=found.url(_URL),
        authors=_name_list(found, _AUTHORS),
        editors=_name_list(found, _EDITORS),
        date=date,
        year=year,
        access_date=found.text(_ACCESS_DATE),
        archive_url=found.url(_ARCHIVE_URL),
        archive_date=found.text(_ARCHIVE_DATE),
        url_status=_url_status(found),
        work=found.text(_WORK),
        publisher=found.text(_PUBLISHER),
        location=found.text(_LOCATION),
        volume=found.text(_VOLUME),
        issue=found.text(_ISSUE),
        pages=found.text(_PAGES),
        language=found.text(_LANGUAGE),
        identifiers=_identifiers(found),
        problems=tuple(found.problems),
    )

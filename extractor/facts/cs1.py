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
  into last ``Reitman`` / first ``Jason`` only when it is unmistakably "Last, First": one
  surname word (after lower-case particles such as ``von``), then one to four given names or
  initials (a suffix such as ``Jr.`` and a note in parentheses allowed).  Anything else is kept
  whole, as CS1 keeps ``author=``: ``Harvard Student Agencies, Inc.``, ``Vánky K, Bauer R.``
  (two Vancouver names), ``Torsten Krauel, Chefkommentator``; so is ``author=Jason Reitman``
  (``World Health Organization``).  wikiciteparser keeps ``"Margovenko, A"`` whole; we split it.
* "et al." (``et al``, ``etal``, ``''et al.''``) and "and others" closing a name or a list are
  nobody, as in CS1's ``name_has_etal``; ``((World Bank))`` is a name to take as written.
* A name written as a single wikilink (``author=[[Jason Reitman]]``) gives ``link`` too, as
  CS1 renders it, unless an ``author-link`` is given.
* Author lists follow CS1's precedence: ``lastN``/``authorN`` forms, else ``vauthors``, else
  ``authors``; using more than one is a conflict.  Numbered authors are ordered by N
  (unnumbered = 1) and gaps in the numbering are tolerated.
* A URL without a scheme (``www.x.com``) is kept as written with a problem recorded;
  protocol-relative ``//x.com`` is fine.  A value that is no link with a host is not a URL
  (None, and a problem): a template (``{{google books|…}}``, whose URL only the wiki knows),
  another scheme (``javascript:``, ``data:``, ``mailto:``).  ``chapter-url`` and its aliases
  give the URL when ``url`` is not set.
* ``title`` falls back to ``script-title`` without its language prefix (``ja:``); a journal
  citation's ``title=none`` is no title.  ``date=n.d.`` (CS1's "no date") is no date and no
  problem.
* A few parameters mean something else in one kind of template (:data:`_KIND_PARAMS`):
  ``{{cite tweet}}``'s ``number`` is the tweet's id (and ``user`` + ``number`` its URL),
  ``{{cite gnis|ID|Name}}`` names the feature second.
* ``date`` falls back to ``year``, then ``publication-date``; ``location`` prefers
  ``publication-place`` over ``place``/``location`` (CS1 renders the latter as "written at").
* Short-form references (``sfn``, ``harv``, ``harvnb``, ``harvard citation``) point at a full
  citation and are not citations themselves; ``cite Quran``/``cite bible`` and any other
  ``cite X`` are citations of kind ``"other"``.  Template subpages (``cite web/doc``) are not.
* Localized citation templates (``Internetquelle``, ``lien web``) are known from the page's
  locale (:mod:`extractor.locales`): their kind, and their parameters' English CS1 names
  (:func:`localized_params`), so that the same folding applies to them.

:class:`~extractor.records.Author` (last, first, link) is the record type, re-exported here.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType

import attrs

from extractor.facts.identifiers import IDENTIFIER_PARAMS, Identifier, normalize_identifier
from extractor.locales import Locale
from extractor.locales import english as english_data
from extractor.parse import plain_text
from extractor.parse.plaintext import COMMENT, ENTITY, decode_entity
from extractor.records import Author

__all__ = [
    "Author",
    "CitationFields",
    "citation_fields",
    "citation_kind",
    "localized_params",
    "normalize_template_name",
]

# --- template names ---------------------------------------------------------------------------

_TEMPLATE_PREFIX = re.compile(r"^template\s*:\s*", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def normalize_template_name(name: str) -> str:
    """Canonical lookup key for a template name: ``" Template:Cite_Web "`` -> ``"cite web"``.

    Strips, drops a leading ``Template:`` (any case), turns underscores into spaces,
    collapses whitespace and lowercases.  Cached: the same few names come on every page.
    """
    text = " ".join(name.replace("_", " ").split())
    return _TEMPLATE_PREFIX.sub("", text).lower()


#: Normalized template name -> citation kind (``locales/en.json``): the CS1/CS2 family with
#: the kind CS1 gives it (spelled with spaces), their common redirects, and specific-source
#: citation templates.
CITATION_KINDS: Mapping[str, str] = english_data().citation_kinds

#: Maintenance and short-form templates that look cite-like but carry no citation
#: (``locales/en.json``).
NOT_CITATIONS: frozenset[str] = english_data().not_citations


def citation_kind(name: str, loc: Locale | None = None) -> str | None:
    """The citation kind of template ``name`` (``"cite web"`` -> ``"web"``), else ``None``.

    Unlisted ``cite X`` templates are kind ``"other"``; ``vcite X`` and the spaceless
    redirects (``citeweb``) take the kind of ``cite X``.  Maintenance templates
    (``citation needed``, ``cite check``) and template subpages (``cite web/doc``) are not
    citations.  With a locale, its citation templates (``Internetquelle``) are citations
    of the CS1 kind its file gives them, their names written with or without its template
    namespace (``Vorlage:``).
    """
    if loc is not None and loc.citation_templates:
        localized = loc.citation_templates.get(_local_key(name, loc))
        if localized is not None:
            return localized[0]
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


@functools.lru_cache(maxsize=8192)
def _local_key(name: str, loc: Locale) -> str:
    """``name`` as a locale's template table is keyed: without ``Template:`` or the
    locale's own template namespace, normalized."""
    key = normalize_template_name(name)
    head, colon, rest = key.partition(":")
    if colon and head.strip() in _template_namespaces(loc):
        key = rest.strip()
    return key


@functools.cache
def _template_namespaces(loc: Locale) -> frozenset[str]:
    return frozenset(normalize_template_name(n) for n in loc.template_names)


def localized_params(
    name: str, params: Sequence[tuple[str, str]], loc: Locale | None
) -> Sequence[tuple[str, str]]:
    """``params`` of template ``name`` with the names of a localized citation template
    (``titel``, ``nachname2``) turned into the English CS1 names they stand for
    (``title``, ``last2``), for :func:`citation_fields`.  Names are matched in any case (as
    editors write ``Titel`` and ``titel``); names the locale does not list are kept."""
    if loc is None or not loc.citation_templates:
        return params
    key = _local_key(name, loc)
    if key not in loc.citation_templates:
        return params
    rename = _renamer(loc, key)
    return [(rename(n), v) for n, v in params]


@functools.cache
def _renamer(loc: Locale, key: str) -> Callable[[str], str]:
    """The renaming of one localized template's parameters, compiled once.  In a
    template with an English CS1 name (several wikis have their own ``cite web``), and on
    a page of unknown language, a name that is itself an English CS1 parameter keeps its
    English meaning; in a template of the language's own (``Ref-web``) the locale's
    meaning wins (Catalan ``editor`` is the publisher)."""
    english_wins = loc.lang == "*" or citation_kind(key) is not None
    mapping = {
        local: english
        for local, english in loc.citation_templates[key][1].items()
        if not english_wins or local == english or _slot(local.replace("#", "")) is None
    }
    exact = {local: english for local, english in mapping.items() if "#" not in local}
    numbered = [
        (re.compile(_pattern_alternative(local)), english)
        for local, english in mapping.items()
        if "#" in local
    ]

    def find(name: str) -> str:
        lowered = name.strip().lower()
        english = exact.get(lowered)
        if english is not None:
            return english
        for regex, english in numbered:
            match = regex.fullmatch(lowered)
            if match is not None:
                return english.replace("#", match.group(1) or "")
        return name

    if not mapping:
        return str
    # The same few names recur in every citation; short ones are remembered.
    return functools.lru_cache(maxsize=1024)(find)


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


#: The fields of a citation without parameters (a ``<ref>`` without a template).
_NO_FIELDS = CitationFields()


# --- plain text -------------------------------------------------------------------------------

#: Wiki markup, an entity or a bracketed external link (``[http://x Title]``): what makes a
#: value need :func:`extractor.parse.plain_text`.
_NEEDS_PARSING = re.compile(r"\[\[|''|\{\{|<|&|\[(?:https?:|ftp:|//)", re.IGNORECASE)


def _plain(value: str) -> str | None:
    """Plain text of a parameter value, or ``None`` when nothing is left.

    Values without ``[[``, ``''``, ``{{``, ``<``, ``&`` or a bracketed external link
    (``[http://x Title]``) are returned with white space collapsed; others go through
    :func:`extractor.parse.plain_text`.
    """
    if _NEEDS_PARSING.search(value) is None:
        return " ".join(value.split()) or None
    return plain_text(value) or None


def _clean_url(value: str) -> str | None:
    """A URL-ish value without comments, with ``&amp;``-style entities and ``{{!}}`` decoded.

    Unlike :func:`_plain` this leaves ``&`` query separators and brackets alone and only
    decodes entities that end in ``;`` (``&para=1`` stays as written), a control character
    MediaWiki does not decode as U+FFFD (:func:`extractor.parse.plaintext.decode_entity`).
    """
    text = COMMENT.sub("", value) if "<!--" in value else value
    text = text.replace("{{!}}", "|")
    if "&" in text:
        text = ENTITY.sub(lambda m: decode_entity(m.group(0)), text)
    return text.strip() or None


_HIDDEN_LINK_PREFIXES = ("file:", "image:", "category:")
_WIKILINK_ONLY = re.compile(r"\[\[\s*([^\[\]|]+?)\s*(?:\|[^\[\]]*)?\]\]")


def _link_target(value: str) -> str | None:
    """Target of a value that is one wikilink (``[[A|B]]`` -> ``A``), else ``None``."""
    if "[[" not in value:
        return None
    match = _WIKILINK_ONLY.fullmatch(value.strip())
    if match is None or match.group(1).lower().startswith(_HIDDEN_LINK_PREFIXES):
        return None
    return match.group(1).lstrip(":").strip() or None


# --- alias tables (Module:Citation/CS1/Configuration, current and retired aliases) ------------

_Groups = Sequence[Sequence[str]]

#: Field -> its alias groups, each in CS1's precedence order; a later group counts only when
#: no alias of an earlier one is set.  Keys are CitationFields attributes, and
#: ``publication_date`` (the last fallback for ``date``).
_FIELDS: Mapping[str, _Groups] = MappingProxyType(
    {
        "title": (("title",), ("script-title",)),
        "url": (
            ("url", "URL"),
            (
                "chapter-url", "chapterurl", "contribution-url", "contributionurl",
                "entry-url", "article-url", "section-url", "sectionurl",
            ),
        ),
        "date": (("date", "air-date", "airdate"),),
        "year": (("year",),),
        "publication_date": (("publication-date", "publicationdate"),),
        "access_date": (("access-date", "accessdate"),),
        "archive_url": (("archive-url", "archiveurl"),),
        "archive_date": (("archive-date", "archivedate"),),
        "url_status": (("url-status", "dead-url", "deadurl"),),
        "work": (
            (
                "journal", "magazine", "newspaper", "periodical", "website", "work",
                "encyclopedia", "encyclopaedia", "dictionary", "mailing-list", "mailinglist",
                "newsgroup",
            ),
        ),
        "publisher": (("publisher", "institution", "distributor"),),
        "location": (("publication-place", "publicationplace"), ("place", "location")),
        "volume": (("volume",),),
        "issue": (("issue", "number"),),
        "pages": (("page", "p", "pages", "pp", "at"),),
        "language": (("language", "lang"),),
    }
)  # fmt: skip


@attrs.frozen
class _NameList:
    """The parameter patterns of one CS1 name list (``#`` stands for the number)."""

    key: str  # "author" or "editor": names the slots its parameters fill
    last: tuple[str, ...]
    first: tuple[str, ...]
    link: tuple[str, ...]
    full_name: frozenset[str]  # patterns in ``last`` whose value is a whole name
    vancouver: str  # the Vancouver-style list parameter
    free: tuple[str, ...]  # free-form lists separated by ";"


_AUTHORS = _NameList(
    key="author",
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
    key="editor",
    last=("editor-last#", "editor#-last", "editor-surname#", "editor#-surname", "editor#"),
    first=("editor-first#", "editor#-first", "editor-given#", "editor#-given"),
    link=("editor-link#", "editor#-link", "editorlink#", "editor#link"),
    full_name=frozenset({"editor#"}),
    vancouver="veditors",
    free=("editors",),
)

_ROLES = ("last", "first", "link")


def _pattern_alternative(pattern: str) -> str:
    """``"author#-last"`` -> a regex alternative matching ``author-last``, ``author1-last``,
    ``author12-last``, with the number as its one non-empty group."""
    head, _, tail = pattern.partition("#")
    return re.escape(head) + r"([1-9][0-9]{0,5})?" + re.escape(tail)


def _numbered_regex(names: _NameList) -> re.Pattern[str]:
    """One regex for every numbered parameter of a name list (one match per parameter)."""
    patterns = (*names.last, *names.first, *names.link)
    return re.compile("|".join(f"(?:{_pattern_alternative(p)})" for p in patterns))


_NUMBERED: tuple[tuple[_NameList, re.Pattern[str]], ...] = tuple(
    (names, _numbered_regex(names)) for names in (_AUTHORS, _EDITORS)
)

_PARAMS_BY_KIND: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        kind: tuple(p for p, k in IDENTIFIER_PARAMS.items() if k == kind)
        for kind in dict.fromkeys(IDENTIFIER_PARAMS.values())
    }
)
_KIND_ORDER: Mapping[str, int] = MappingProxyType(
    {kind: i for i, kind in enumerate(_PARAMS_BY_KIND)}
)

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
#: "et al." or "and others" closing a name or a list (CS1's ``name_has_etal``):
#: ``Bunnage ME ''et al''``, ``etal``, ``et al.``; see :func:`_without_et_al`.
_ET_AL = re.compile(r"(?:et\.?\s*al(?:ii|ia|iae)?|and\s+others)$", re.IGNORECASE)
_ET_AL_MARGIN = " .;,\"'"  # what may stand around it
#: A name written to be taken as it stands (CS1's accept-this-as-written markup).
_AS_WRITTEN = re.compile(r"\(\((.*)\)\)", re.DOTALL)

#: Lower-case particles that may open a surname (``von Hirschhausen``, ``de la Cruz``).
_SURNAME_PARTICLES = frozenset(
    {
        "al", "bin", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos",
        "du", "el", "ibn", "la", "le", "st.", "ten", "ter", "van", "von", "zu",
    }
)  # fmt: skip
#: Words after a comma that make a name an organization's, not "Last, First".
_NOT_GIVEN_NAMES = frozenset(
    {"inc", "ltd", "llc", "llp", "plc", "corp", "co", "gmbh", "ag", "sa", "nv", "bv", "pty"}
)
#: Suffixes that may close the given names of "Last, First".
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "jnr", "snr", "ii", "iii", "iv", "v"})
_NAME_NOTE = re.compile(r"\s*\([^()]*\)$")  # (ed.), (Tim), (Director)
#: CS1's "no date" keywords: ``n.d.`` or ``nd``, with a letter that tells apart several
#: works of one author without a date (``n.d.a``).
_NO_DATE = re.compile(r"n\.d\.[a-z]?|nd[a-z]?")
#: A ``script-title``'s language prefix (``ja:``, ``zh-hant:``), which CS1 does not show.
_SCRIPT_PREFIX = re.compile(r"[a-z]{2,3}(?:-[a-z]+)?\s*:\s*")
#: Schemes MediaWiki links with a host after ``//`` (``$wgUrlProtocols``), the only ones a
#: citation's URL can have a domain with.
_LINK_SCHEMES = frozenset(
    {
        "ftp", "ftps", "git", "gopher", "http", "https", "irc", "ircs", "mms", "nntp", "redis",
        "sftp", "ssh", "svn", "telnet", "worldwind",
    }
)  # fmt: skip
_SCHEME_PREFIX = re.compile(r"([A-Za-z][A-Za-z0-9+-]*):(//)?")

#: Parameters that mean something else in one kind of citation template: kind -> parameter
#: -> the CS1 parameter it stands for ("" for none).  ``{{cite tweet}}``'s ``number`` is the
#: tweet's id, not an issue; ``{{cite gnis|ID|Name}}`` names its feature second.  A renamed
#: parameter gives way to the CS1 parameter itself when that is given too.
_KIND_PARAMS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "tweet": MappingProxyType({"number": ""}),
        "gnis": MappingProxyType({"2": "title", "name": "title"}),
    }
)
#: Kind -> the URL its template builds from its parameters when no URL is given.
_KIND_URLS: Mapping[str, str] = MappingProxyType(
    {"tweet": "https://twitter.com/{user}/status/{number}"}
)
#: Kinds whose ``title=none`` means "no title" (CS1, when ``journal=`` names the work).
_TITLE_NONE_KINDS = frozenset({"journal", "citation"})


# --- parameter slots ----------------------------------------------------------------------------

#: What a parameter fills: a field (``"title"``), an identifier kind (``"doi"``), a name
#: list's Vancouver or free-form list (``"author vancouver"``, ``"author list"``) or one of its
#: numbered name slots (``("author", 2, "first")``).
_Key = str | tuple[str, int, str]
#: (alias group, precedence within the group, parameter); lower groups and precedences win.
_Entry = tuple[int, int, str]
_Slot = tuple[_Key, _Entry]


def _precedence(names: Iterable[str]) -> dict[str, int]:
    """Each distinct name -> its precedence (the index of its first occurrence)."""
    return {name: i for i, name in enumerate(dict.fromkeys(names))}


def _alias_slots() -> dict[str, _Slot]:
    """Every alias of a field, identifier kind, or Vancouver or free-form list -> its slot."""
    families: dict[str, _Groups] = {
        **_FIELDS,
        **{f"{names.key} vancouver": ((names.vancouver,),) for names in (_AUTHORS, _EDITORS)},
        **{f"{names.key} list": (names.free,) for names in (_AUTHORS, _EDITORS)},
        **{kind: (params,) for kind, params in _PARAMS_BY_KIND.items()},
    }
    return {
        name: (key, (group, rank, name))
        for key, groups in families.items()
        for group, aliases in enumerate(groups)
        for name, rank in _precedence(aliases).items()
    }


_ALIAS_SLOTS: Mapping[str, _Slot] = MappingProxyType(_alias_slots())


def _candidates(patterns: Sequence[str], number: int) -> list[str]:
    """Parameter names for slot ``number`` in CS1's order (slot 1 also unnumbered, first)."""
    names: list[str] = []
    for pattern in patterns:
        if number == 1:
            names.append(pattern.replace("#", ""))
        names.append(pattern.replace("#", str(number)))
    return names


#: Names up to this long are cached (aliases are at most 17 characters): a page full of
#: long made-up names must not fill a worker's memory.
_CACHED_LENGTH = 64


def _slot(name: str) -> _Slot | None:
    """The slot parameter ``name`` fills and its entry there, or ``None`` when no field
    takes it.

    A numbered name-list parameter (``last2``, ``author-link``; unnumbered is 1) fills
    ``(list key, number, role)`` with its precedence among that number's candidates.
    """
    return _cached_slot(name) if len(name) <= _CACHED_LENGTH else _find_slot(name)


@functools.lru_cache(maxsize=4096)
def _cached_slot(name: str) -> _Slot | None:
    """:func:`_find_slot`, cached: the same few hundred names recur in every citation."""
    return _find_slot(name)


def _find_slot(name: str) -> _Slot | None:
    """See :func:`_slot`."""
    slot = _ALIAS_SLOTS.get(name)
    if slot is not None:
        return slot
    for names, regex in _NUMBERED:
        match = regex.fullmatch(name)
        if match is None:
            continue
        number = int(next((g for g in match.groups() if g), None) or 1)
        for role, patterns in zip(_ROLES, (names.last, names.first, names.link), strict=True):
            rank = _precedence(_candidates(patterns, number)).get(name)
            if rank is not None:
                return (names.key, number, role), (0, rank, name)
    return None


# --- extraction -------------------------------------------------------------------------------


class _Collector:
    """Effective parameters (last duplicate wins), the slots they fill, and the problems
    found on the way."""

    def __init__(self, params: Sequence[tuple[str, str]]) -> None:
        self.params = params
        self.problems: list[str] = []
        values = {name.strip(): value.strip() for name, value in params}
        if len(values) < len(params):
            seen: set[str] = set()
            for name in [name.strip() for name, _ in params]:
                if name in seen:
                    self.note(f"duplicate parameter {name!r}")
                seen.add(name)
        self.given = {name: value for name, value in values.items() if value}
        #: slot key -> the entries of the set parameters filling it
        self.present: dict[_Key, list[_Entry]] = {}
        #: name-list key -> the numbers of its set numbered parameters
        self.numbers: dict[str, set[int]] = {}
        for slot in map(_slot, self.given):
            if slot is not None:
                key, entry = slot
                self.present.setdefault(key, []).append(entry)
                if isinstance(key, tuple):
                    self.numbers.setdefault(key[0], set()).add(key[1])

    def note(self, problem: str) -> None:
        """Record ``problem`` once."""
        if problem not in self.problems:
            self.problems.append(problem)

    def winner(self, entries: list[_Entry]) -> str:
        """The parameter CS1 uses of those filling one slot: first group, then precedence.

        The other set aliases in that group are conflicts.
        """
        if len(entries) > 1:
            entries.sort()
            group, _, winner = entries[0]
            for other_group, _, loser in entries[1:]:
                if other_group == group:
                    self.note(f"conflicting aliases {winner!r} and {loser!r}")
        return entries[0][2]

    def choose(self, key: _Key) -> str | None:
        """The set parameter CS1 uses for ``key``, if any."""
        entries = self.present.get(key)
        return None if entries is None else self.winner(entries)

    def text(self, key: str) -> str | None:
        """Plain-text value of a field."""
        name = self.choose(key)
        return None if name is None else _plain(self.given[name])

    def url(self, key: str) -> str | None:
        """A URL field, kept as written; a missing scheme is recorded as a problem.

        A value that is no link with a host, a template (``{{google books|…}}``, whose
        URL only the wiki's templates know) or a URL of another scheme (``javascript:``,
        ``data:``, ``mailto:``), is not a URL: None, and a problem says so.
        """
        name = self.choose(key)
        if name is None:
            return None
        url = _clean_url(self.given[name])
        if url is None:
            return None
        if "{{" in url:
            self.note(f"url is a template in {name}={url}")
            return None
        scheme = _SCHEME_PREFIX.match(url)
        if scheme is not None and not (scheme[2] and scheme[1].lower() in _LINK_SCHEMES):
            self.note(f"url is not a web link in {name}={url}")
            return None
        if scheme is None and not url.startswith("//"):
            self.note(f"url without a scheme in {name}={url}")
        return url


def _split_list(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside ``[[..]]``, ``{{..}}`` and ``((..))``, and not at the
    ``;`` that closes an entity (``&nbsp;``)."""
    items: list[str] = []
    depth = 0
    start = 0
    i = 0
    entity_ends = {m.end() - 1 for m in ENTITY.finditer(text)} if "&" in text else set()
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
        if text[i] == separator and not depth and i not in entity_ends:
            items.append(text[start:i])
            start = i + 1
        i += 1
    items.append(text[start:])
    return [item.strip() for item in items if item.strip()]


def _split_full_name(name: str) -> tuple[str, str | None]:
    """``"Reitman, Jason"`` -> (``"Reitman"``, ``"Jason"``) when the name is unmistakably
    "Last, First"; anything else is kept whole, as CS1 keeps ``author=``."""
    last, comma, first = name.partition(",")
    if not comma or "," in first:
        return name, None
    last, first = last.strip(), first.strip()
    if not (_is_surname(last) and _are_given_names(first)):
        return name, None
    return last, first


def _is_surname(text: str) -> bool:
    """One word (``O'Brien``, ``Gemzell-Danielsson``), perhaps after lower-case particles
    (``von``, ``de la``): not two names (``Lavina Melwani``), nor a Vancouver name
    (``Vánky K``), nor an organization (``Safefood Consulting``)."""
    *particles, word = text.split() or [""]
    return all(p.lower() in _SURNAME_PARTICLES for p in particles) and _is_word(word)


def _is_word(word: str) -> bool:
    """A name's word: letters, with ``-``, ``'``, ``’`` or ``.`` inside, starting with a letter."""
    return (
        bool(word)
        and word[0].isalpha()
        and word.replace("-", "").replace("'", "").replace("’", "").replace(".", "").isalpha()
    )


def _are_given_names(text: str) -> bool:
    """One to four given names or initials (``Susan A.``, ``J.R.``, ``FE``), perhaps with a
    suffix (``Jr.``, ``III``) and a note in parentheses (``(ed.)``): not an organization's
    ending (``Inc.``), a place, a title or a second author (``Bauer R.``, ``New York``)."""
    text = _NAME_NOTE.sub("", text)
    tokens = text.split()
    if tokens and tokens[-1].lower() in _NAME_SUFFIXES and len(tokens) > 1:
        tokens.pop()
    if not 1 <= len(tokens) <= 4:
        return False
    for token in tokens:
        letters = token.replace(".", "").replace("-", "")
        if token.lower().rstrip(".") in _NOT_GIVEN_NAMES or not _is_word(token):
            return False
        if not letters[0].isupper():
            return False
        initials = letters.isupper() and len(letters) <= 3
        if not initials and not letters[1:].islower():
            return False
    return True


def _without_et_al(name: str) -> str:
    """``name`` without a closing "et al." or "and others" (CS1's ``name_has_etal``); an
    empty string when that is all it is."""
    core = name.rstrip(_ET_AL_MARGIN)
    match = _ET_AL.search(core)
    if match is None or (match.start() and core[match.start() - 1] not in _ET_AL_MARGIN):
        return name
    return core[: match.start()].rstrip(" ;,\"'")


def _name(value: str) -> tuple[str | None, bool]:
    """Plain text of a name parameter without "et al.", and whether it was written to be
    taken as it stands (``((World Bank))``)."""
    text = _plain(value)
    if text is None:
        return None, False
    written = _AS_WRITTEN.fullmatch(text)
    if written is not None:
        return written[1].strip() or None, True
    return _without_et_al(text) or None, False


def _full_name_author(item: str) -> Author | None:
    """An author from a free-form name (``authors=`` item)."""
    text, as_written = _name(item)
    if text is None:
        return None
    last, first = (text, None) if as_written else _split_full_name(text)
    return Author(last, first, _link_target(item))


def _vancouver_author(item: str) -> Author | None:
    """An author from one ``vauthors=`` item: ``"Smith JA"``, ``"((World Bank))"``."""
    link = _link_target(item)
    text, as_written = _name(item)
    if text is None:
        return None
    if as_written:
        return Author(text, None, link)
    tokens = text.split()
    if len(tokens) >= 3 and tokens[-1] in _VANCOUVER_SUFFIXES:
        return Author(" ".join(tokens[:-2]), " ".join(tokens[-2:]), link)
    if len(tokens) >= 2:
        return Author(" ".join(tokens[:-1]), tokens[-1], link)
    return Author(text, None, link)


def _full_names(names: _NameList, number: int) -> set[str]:
    """The parameters of slot ``number`` whose value is a whole name (``author``, ``author2``)."""
    full_name = {pattern.replace("#", "") for pattern in names.full_name}
    return full_name | {pattern.replace("#", str(number)) for pattern in names.full_name}


@attrs.frozen
class _Numbered:
    """What the numbered parameters of one name list hold."""

    people: tuple[Author, ...]  # slots with a last or first name, by number
    first_param: str | None  # the first name parameter used, for conflict messages
    orphan_links: Mapping[int, tuple[str, str]]  # number -> (parameter, link), name-less slots


_NO_NUMBERED = _Numbered((), None, MappingProxyType({}))


def _numbered_names(found: _Collector, names: _NameList) -> _Numbered:
    """Names from ``lastN``/``firstN``/``authorN``/``author-linkN`` in number order."""
    numbers = found.numbers.get(names.key)
    if numbers is None:
        return _NO_NUMBERED
    people: list[Author] = []
    first_param: str | None = None
    orphan_links: dict[int, tuple[str, str]] = {}
    for number in sorted(numbers):
        last_name = found.choose((names.key, number, "last"))
        first_name = found.choose((names.key, number, "first"))
        link_name = found.choose((names.key, number, "link"))
        last, as_written = _name(found.given[last_name]) if last_name else (None, False)
        first = _name(found.given[first_name])[0] if first_name else None
        link = _plain(found.given[link_name]) if link_name else None
        if last_name and link is None:
            link = _link_target(found.given[last_name])
        whole = as_written or last_name not in _full_names(names, number)
        if last is not None and first is None and not whole:
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
    vancouver = names.vancouver if f"{names.key} vancouver" in found.present else None
    free = found.choose(f"{names.key} list")
    if numbered.first_param is None and not numbered.orphan_links and not (vancouver or free):
        return ()  # nothing to list, nothing to flag
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
                person = people[number - 1]
                people[number - 1] = Author(person.last, person.first, link)
                del links[number]
    elif free is not None:
        items = _split_list(found.given[free], ";")
        people = [p for p in map(_full_name_author, items) if p is not None]
    for link_param, _ in links.values():
        found.note(f"{link_param!r} without a name")
    return tuple(people)


def _url_status(found: _Collector) -> str | None:
    """``url-status``, or the retired ``deadurl`` mapped to it (``yes`` -> ``dead``)."""
    name = found.choose("url_status")
    if name is None:
        return None
    value = found.given[name]
    word = " ".join((_plain(value) or "").lower().split())
    table = _URL_STATUS_WORDS if name == "url-status" else _DEADURL_WORDS
    if word in table:
        return table[word]
    found.note(f"unrecognized value in {name}={value}")
    return word or None


def _identifiers(found: _Collector) -> tuple[Identifier, ...]:
    """Identifiers in parameter order; CS1 precedence when a kind is given twice."""
    kinds = _KIND_ORDER.keys() & found.present.keys()
    if not kinds:
        return ()
    position = {name.strip(): index for index, (name, _) in enumerate(found.params)}
    chosen: list[tuple[int, str, Identifier]] = []
    for kind in sorted(kinds, key=_KIND_ORDER.__getitem__):
        name = found.winner(found.present[kind])
        raw = found.given[name]
        text = _clean_url(raw) or ""
        if any(marker in text for marker in ("[[", "{{", "''")):
            text = _plain(text) or ""
        identifier = normalize_identifier(kind, text)
        if identifier.raw != raw:  # keep the value as written, not as cleaned
            identifier = Identifier(
                kind=identifier.kind,
                value=identifier.value,
                raw=raw,
                valid=identifier.valid,
                problem=identifier.problem,
            )
        chosen.append((position[name], name, identifier))
    chosen.sort(key=lambda item: item[0])
    for _, name, identifier in chosen:
        if not identifier.valid:
            found.note(f"{identifier.problem} in {name}={identifier.raw}")
    return tuple(identifier for _, _, identifier in chosen)


def citation_fields(params: list[tuple[str, str]], kind: str | None = None) -> CitationFields:
    """Fold a citation template's ``(name, value)`` parameters into :class:`CitationFields`.

    Names match case-sensitively, as in CS1 (identifier parameters have their own
    uppercase aliases).  An empty value counts as absent.  A name given twice keeps its
    last value (MediaWiki semantics); several aliases of one field keep the first in CS1's
    precedence order.  Both cases are recorded in ``problems``.  ``kind`` is the
    template's citation kind (:func:`citation_kind`), for the parameters that mean
    something else in one kind (``{{cite tweet}}``'s ``number``).  Never raises.
    """
    if not params:
        return _NO_FIELDS
    found = _Collector(_kind_params(params, kind))
    if not found.present:
        return CitationFields(problems=tuple(found.problems))
    date, year = found.text("date"), _dated(found.text("year"))
    if date is None:
        date = year if year is not None else found.text("publication_date")
    date = _dated(date)
    url = found.url("url")
    if url is None and "url" not in found.present:
        url = _built_url(params, kind)
    return CitationFields(
        title=_title(found, kind),
        url=url,
        authors=_name_list(found, _AUTHORS),
        editors=_name_list(found, _EDITORS),
        date=date,
        year=year,
        access_date=found.text("access_date"),
        archive_url=found.url("archive_url"),
        archive_date=found.text("archive_date"),
        url_status=_url_status(found),
        work=found.text("work"),
        publisher=found.text("publisher"),
        location=found.text("location"),
        volume=found.text("volume"),
        issue=found.text("issue"),
        pages=found.text("pages"),
        language=found.text("language"),
        identifiers=_identifiers(found),
        problems=tuple(found.problems),
    )


def _dated(text: str | None) -> str | None:
    """A date field's text; None for CS1's "no date" (``n.d.``), which is no date to read."""
    return None if text is None or _NO_DATE.fullmatch(text) else text


def _title(found: _Collector, kind: str | None) -> str | None:
    """``title``, else ``script-title`` without its language prefix (``ja:``); None for the
    ``title=none`` of a journal citation."""
    name = found.choose("title")
    if name is None:
        return None
    text = _plain(found.given[name])
    if text is None:
        return None
    if name == "script-title":
        prefix = _SCRIPT_PREFIX.match(text)
        return (text[prefix.end() :] if prefix else text) or None
    if text == "none" and kind in _TITLE_NONE_KINDS and found.choose("work") == "journal":
        return None
    return text


def _kind_params(params: Sequence[tuple[str, str]], kind: str | None) -> Sequence[tuple[str, str]]:
    """``params`` with the parameters of :data:`_KIND_PARAMS` renamed to what they stand for
    in a template of ``kind`` (or left out)."""
    renames = _KIND_PARAMS.get(kind or "")
    if renames is None:
        return params
    given = {name.strip() for name, value in params if value.strip()}
    kept = []
    for name, value in params:
        target = renames.get(name.strip())
        if target is None:
            kept.append((name, value))
        elif target and target not in given:
            kept.append((target, value))
    return kept


def _built_url(params: Sequence[tuple[str, str]], kind: str | None) -> str | None:
    """The URL a template of ``kind`` builds from its parameters (:data:`_KIND_URLS`), when
    every parameter it needs is given."""
    pattern = _KIND_URLS.get(kind or "")
    if pattern is None:
        return None
    values = {name.strip(): _clean_url(value) for name, value in params}
    needed = [field for _, field, _, _ in string.Formatter().parse(pattern) if field]
    if not all(values.get(field) for field in needed):
        return None
    return pattern.format(**{field: values[field] for field in needed})

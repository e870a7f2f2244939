"""What the language-independent code knows of each language, read from data files.

One JSON file per language beside this module (``de.json``, ``pt.json``, …; the format is in
``README.md`` here), and ``namespaces.json``, the namespace names and magic words of every
language MediaWiki ships.  :func:`locale` gives the :class:`Locale` of one language with a
file, :func:`locale_of` that of any page's language, :func:`known_languages` the languages
there are files for, and :func:`any_locale` the union of all of them, for pages whose
language is unknown (a name of any language is then accepted, as categories always were).
Files are read once, on first use, and checked: a file that does not follow the format is
a :class:`LocaleError` naming the file and key.  ``footnotes.json`` holds what the footnote
templates of every wiki look like (short citations, ``{{rp}}``, reference lists); its names
are accepted on every page, as English template names are: :func:`footnotes`.  ``en.json``
holds English, which every page is read as besides its own language: :func:`english`, read
by the language-independent code itself and not a page language's locale.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, NoReturn

import attrs

from extractor.errors import ExtractorError

__all__ = [
    "CS1_KINDS",
    "DateTemplate",
    "English",
    "Footnotes",
    "Locale",
    "LocaleError",
    "ShortCitations",
    "any_locale",
    "check_language",
    "english",
    "footnotes",
    "foreign_category_languages",
    "foreign_template_languages",
    "known_languages",
    "locale",
    "locale_of",
]

#: The kinds a localized citation template may have: CS1's, and ``other``.
CS1_KINDS = frozenset(
    {
        "citation", "arxiv", "av media", "av media notes", "biorxiv", "book", "citeseerx",
        "conference", "document", "encyclopedia", "episode", "interview", "journal",
        "magazine", "mailing list", "map", "medrxiv", "news", "newsgroup", "podcast",
        "press release", "report", "serial", "sign", "speech", "ssrn", "tech report",
        "thesis", "web", "other",
    }
)  # fmt: skip

_LANG = re.compile(r"[a-z]{2,3}(?:-[a-z]+)*")
_ROLES = frozenset({"date", "birth", "death", "start", "end"})
_FORMAT_TOKENS = re.compile(r"MONTH|[DMY]")
#: English's file (:func:`english`): not among :func:`known_languages`, so that a page said
#: to be English gets only MediaWiki's names (:func:`locale_of`), and the union of
#: :func:`any_locale` none of English's data: English is read on every page anyway.
_ENGLISH = "en"


class LocaleError(ExtractorError):
    """A locale file that does not follow the format, or a language with no file."""

    exit_code = 2


@attrs.frozen
class DateTemplate:
    """Where a date template keeps the parts of its date: 1-based positions (as ``"1"``)
    or parameter names; ``value`` is one parameter holding a whole date."""

    role: str
    year: str | None = None
    month: str | None = None
    day: str | None = None
    value: str | None = None


@attrs.frozen(eq=False)
class Locale:
    """The data of one language (or of all, for :func:`any_locale`); one object per
    language (cached), compared and hashed by identity.

    Attributes:
        lang: The language code (``"*"`` for the union of all).
        category_names, file_names, template_names: Namespace names and aliases.
        redirect_words, defaultsort_words: Magic words, without ``#`` and ``:``.
        citation_templates: Normalized template name -> (CS1 kind, localized parameter
            name -> English CS1 parameter name; ``#`` stands for a number).
        months: Lower-case month spelling -> month number.
        date_formats: Prose date formats (see the README), most specific first.
        year_words: Words that make a following bare year a date in prose.
        counted_words: Words that make a number before them a count, not a year, even
            after a year word (``seit 1500 Jahren``).
        date_templates: Normalized template name -> where its date is.
        calendars: Calendar name -> its lower-case month spellings -> month number.
        digits: The language's own digits 0-9, or ``""``.
    """

    lang: str
    category_names: tuple[str, ...] = ()
    file_names: tuple[str, ...] = ()
    template_names: tuple[str, ...] = ()
    redirect_words: tuple[str, ...] = ()
    defaultsort_words: tuple[str, ...] = ()
    citation_templates: Mapping[str, tuple[str, Mapping[str, str]]] = attrs.field(
        factory=lambda: MappingProxyType({})
    )
    months: Mapping[str, int] = attrs.field(factory=lambda: MappingProxyType({}))
    date_formats: tuple[str, ...] = ()
    year_words: tuple[str, ...] = ()
    counted_words: tuple[str, ...] = ()
    date_templates: Mapping[str, DateTemplate] = attrs.field(factory=lambda: MappingProxyType({}))
    calendars: Mapping[str, Mapping[str, int]] = attrs.field(factory=lambda: MappingProxyType({}))
    digits: str = ""


def normalize_name(name: str) -> str:
    """A template name as looked up: underscores as spaces, whitespace collapsed, lower
    case (as :func:`extractor.facts.cs1.normalize_template_name`, without the namespace)."""
    return " ".join(name.replace("_", " ").split()).lower()


def _read_json(name: str) -> Any:
    """The JSON of the data file ``name`` beside this module; :class:`LocaleError` when it
    cannot be read or is no JSON."""
    try:
        return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LocaleError(f"locales/{name}: not readable JSON ({exc})") from None


@functools.cache
def known_languages() -> tuple[str, ...]:
    """The codes of the languages there is a locale file for, sorted; not English's
    (``en.json`` is :func:`english`)."""
    files = resources.files(__name__).iterdir()
    names = (entry.name.removesuffix(".json") for entry in files if entry.name.endswith(".json"))
    return tuple(sorted(name for name in names if _LANG.fullmatch(name) and name != _ENGLISH))


@functools.cache
def locale(lang: str) -> Locale:
    """The :class:`Locale` of ``lang``; :class:`LocaleError` when there is no file for it
    (the message lists the known languages) or the file is not valid."""
    if lang not in known_languages():
        raise LocaleError(
            f"unknown language {lang!r}; the known languages are {', '.join(known_languages())}"
        )
    name = f"{lang}.json"
    loc = _parse(name, lang, _read_json(name))
    entry = _names().get(lang)
    return _with_names(loc, entry) if entry else loc


_LINK_PREFIX = re.compile(r"\[\[\s*([^\[\]|:\n]{1,40}?)\s*:")


def foreign_category_languages(text: str, lang: str) -> tuple[str, ...]:
    """The languages with a locale file whose category namespace name (but not
    ``lang``'s) is the prefix of a link in ``text``: ``("de",)`` for ``[[Kategorie:X]]`` on a
    page said to be English.  Empty when every link is ``lang``'s own (or no category)."""
    own = {name.casefold() for name in locale_of(lang).category_names}
    for prefix in _LINK_PREFIX.findall(text):
        key = prefix.casefold()
        if key not in own:
            owners = _owners("category").get(key)
            if owners:
                return owners
    return ()


@functools.cache
def _owners(of: str) -> Mapping[str, tuple[str, ...]]:
    """The languages whose locale file has a name: its category namespace names
    (``of="category"``, casefolded, not the English ``Category``) or its citation template
    names (``of="template"``, not those named ``cite …``/``citation …``: the English family's,
    which many wikis share; the caller knows the rest of English)."""
    owners: dict[str, list[str]] = {}
    for lang in known_languages():
        loc = locale(lang)
        if of == "category":
            names = [name.casefold() for name in loc.category_names if name != "Category"]
        else:
            names = [n for n in loc.citation_templates if not n.startswith(("cite", "citation"))]
        for name in names:
            owners.setdefault(name, []).append(lang)
    return MappingProxyType({name: tuple(langs) for name, langs in owners.items()})


#: A template call's name: ``{{Internetquelle |…}}``.
_TEMPLATE_CALL = re.compile(r"\{\{\s*([^{}|<>\[\]\n]{1,60}?)\s*(?=[|}])")


def foreign_template_languages(
    text: str, lang: str, english: Callable[[str], bool]
) -> tuple[str, ...]:
    """The languages with a locale file one of whose citation templates is called in
    ``text``, not ``lang``'s and not one ``english`` knows (a CS1 name or redirect, which
    many wikis share: ``{{web cite}}``): ``("de",)`` for ``{{Internetquelle |…}}`` on a page
    said to be English."""
    own = locale_of(lang).citation_templates
    owners = _owners("template")
    for call in _TEMPLATE_CALL.finditer(text):
        key = normalize_name(call[1])
        if key not in own:
            found = owners.get(key)
            if found and not english(key):
                return found
    return ()


def check_language(lang: str) -> None:
    """Raise :class:`LocaleError` (listing the known ones) unless MediaWiki or a locale
    file knows ``lang``."""
    if lang not in known_languages() and lang not in _names():
        raise LocaleError(
            f"unknown language {lang!r}; the languages with full support are "
            f"{', '.join(known_languages())} (and any of MediaWiki's for namespace names)"
        )


@functools.cache
def _names() -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """``namespaces.json``: the namespace names and magic words of every language MediaWiki
    ships (made by ``tools/make_namespaces.py`` from its message files)."""
    data = _read_json(_NAMES)
    return MappingProxyType(
        {
            lang: MappingProxyType({key: tuple(names) for key, names in entry.items()})
            for lang, entry in data.items()
            if not lang.startswith("_")
        }
    )


_NAMES = "namespaces.json"


def _with_names(loc: Locale, entry: Mapping[str, tuple[str, ...]]) -> Locale:
    """``loc`` with the names of a ``namespaces.json`` entry added after its own."""

    def more(names: tuple[str, ...], key: str) -> tuple[str, ...]:
        return _union((names, entry.get(key, ())))

    return attrs.evolve(
        loc,
        category_names=more(loc.category_names, "category"),
        file_names=more(loc.file_names, "file"),
        template_names=more(loc.template_names, "template"),
        redirect_words=more(loc.redirect_words, "redirect"),
        defaultsort_words=more(loc.defaultsort_words, "defaultsort"),
    )


@functools.cache
def locale_of(lang: str | None) -> Locale:
    """The locale of a page whose language is ``lang``: its file's data; for a language
    without a file, the names MediaWiki gives it (``ltg``: ``Kategoreja``); for an unknown
    one, :func:`any_locale`."""
    if lang is not None and lang in known_languages():
        return locale(lang)
    entry = _names().get(lang or "")
    return _with_names(Locale(lang=lang or "*"), entry) if entry else any_locale()


@functools.cache
def any_locale() -> Locale:
    """The union of every language's data: for a page of unknown language."""
    locales = [locale(lang) for lang in known_languages()]
    locales += [_with_names(Locale(lang=lang), entry) for lang, entry in _names().items()]
    kinds: dict[str, str] = {}
    params: dict[str, dict[str, str]] = {}
    date_templates: dict[str, DateTemplate] = {}
    months: dict[str, int] = {}
    calendars: dict[str, dict[str, int]] = {}
    for each in locales:  # a name several wikis use (Cita web): every one's parameters
        for key, (kind, mapping) in each.citation_templates.items():
            kinds.setdefault(key, kind)
            for local, english in mapping.items():
                params.setdefault(key, {}).setdefault(local, english)
        for key, template in each.date_templates.items():
            date_templates.setdefault(key, template)
        for key, number in each.months.items():
            months.setdefault(key, number)
        for calendar, spellings in each.calendars.items():
            for key, number in spellings.items():
                calendars.setdefault(calendar, {}).setdefault(key, number)
    codes = {lang.casefold() for lang in _names()} | set(known_languages())

    def namespace(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
        # A name that is also a language code (Tyap's "Sa") is an interwiki link
        # (``[[sa:…]]``) on a page whose language is unknown.
        return tuple(n for n in _union(groups) if n.casefold() not in codes)

    return Locale(
        lang="*",
        category_names=namespace(each.category_names for each in locales),
        file_names=namespace(each.file_names for each in locales),
        template_names=namespace(each.template_names for each in locales),
        redirect_words=_union(each.redirect_words for each in locales),
        defaultsort_words=_union(each.defaultsort_words for each in locales),
        citation_templates=MappingProxyType(
            {key: (kind, MappingProxyType(params.get(key, {}))) for key, kind in kinds.items()}
        ),
        months=MappingProxyType(months),
        date_formats=_union(each.date_formats for each in locales),
        year_words=_union(each.year_words for each in locales),
        counted_words=_union(each.counted_words for each in locales),
        date_templates=MappingProxyType(date_templates),
        calendars=MappingProxyType(
            {name: MappingProxyType(names) for name, names in calendars.items()}
        ),
    )


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))


@attrs.frozen
class ShortCitations:
    """A family of short-citation templates (``{{sfn}}``, ``{{sfnm}}``): their normalized
    names, the parameters that give an anchor outright (``ref``), and the page parameters:
    groups of aliases, the first one set in each group, groups joined with ``", "``.  A
    numbered family names source N with parameters ``N`` + ``last`` + 1..4 and ``N`` +
    ``year``; the other family names its source with its positional parameters."""

    names: frozenset[str]
    anchor: tuple[str, ...]
    pages: tuple[tuple[str, ...], ...]
    last: str = ""
    year: str = ""


@attrs.frozen
class Footnotes:
    """What footnote templates look like (``footnotes.json``, format in ``README.md``).

    Attributes:
        short_citations, numbered_short_citations: The short citations (``{{sfn}}``,
            ``{{harvnb}}``; ``{{sfnm}}``).
        anchor_templates: Templates making a CITEREF anchor for a citation's ``ref=``.
        page_templates, page_template_pages: ``{{rp}}`` and where its pages are.
        ref_templates, ref_template_group, ref_template_pages: ``{{r}}`` (a
            ``<ref name=x />`` per positional name), its group and page parameters.
        reference_lists, reference_list_refs: ``{{reflist}}`` and the parameters holding
            list-defined references.
        sentence_abbreviations: Lower-case words after which a full stop ends no sentence.
    """

    short_citations: ShortCitations
    numbered_short_citations: ShortCitations
    anchor_templates: frozenset[str]
    page_templates: frozenset[str]
    page_template_pages: tuple[tuple[str, ...], ...]
    ref_templates: frozenset[str]
    ref_template_group: tuple[str, ...]
    ref_template_pages: tuple[tuple[str, ...], ...]
    reference_lists: frozenset[str]
    reference_list_refs: tuple[str, ...]
    sentence_abbreviations: frozenset[str]


_FOOTNOTES = "footnotes.json"


@functools.cache
def footnotes() -> Footnotes:
    """The :class:`Footnotes` of ``footnotes.json``, read once and checked
    (:class:`LocaleError` naming the key when it does not follow the format)."""
    return _parse_footnotes(_FOOTNOTES, _read_json(_FOOTNOTES))


def _parse_footnotes(name: str, data: Any) -> Footnotes:
    """Check ``data`` (the JSON of ``footnotes.json``) and make its :class:`Footnotes`."""
    r = _Reader(name, data)
    d = r.data
    if not isinstance(d.get("sources"), dict) or not d["sources"]:
        r.fail("sources", "must say where the facts come from")

    def names(value: Any, key: str) -> frozenset[str]:
        found = r.texts(value, key)
        if not found:
            r.fail(key, "must name at least one template")
        return frozenset(normalize_name(n) for n in found)

    def short(key: str, numbered: bool) -> ShortCitations:
        entry = r.table(d.get(key), key)
        last, year = entry.get("last", ""), entry.get("year", "")
        for part, value in (("last", last), ("year", year)):
            if not (isinstance(value, str) and bool(value) == numbered):
                what = "the parameter name after the number" if numbered else "left out"
                r.fail(f"{key}.{part}", f"must be {what}")
        return ShortCitations(
            names=names(entry.get("names"), f"{key}.names"),
            anchor=r.texts(entry.get("anchor"), f"{key}.anchor"),
            pages=r.groups(entry.get("pages"), f"{key}.pages"),
            last=last,
            year=year,
        )

    pages = r.table(d.get("page_templates"), "page_templates")
    refs = r.table(d.get("ref_templates"), "ref_templates")
    lists = r.table(d.get("reference_lists"), "reference_lists")
    abbreviations = r.texts(d.get("sentence_abbreviations"), "sentence_abbreviations")
    if any(word != word.lower() or "." in word for word in abbreviations):
        r.fail("sentence_abbreviations", "must be lower-case words without their full stop")
    return Footnotes(
        short_citations=short("short_citations", numbered=False),
        numbered_short_citations=short("numbered_short_citations", numbered=True),
        anchor_templates=names(d.get("anchor_templates"), "anchor_templates"),
        page_templates=names(pages.get("names"), "page_templates.names"),
        page_template_pages=r.groups(pages.get("pages"), "page_templates.pages"),
        ref_templates=names(refs.get("names"), "ref_templates.names"),
        ref_template_group=r.texts(refs.get("group"), "ref_templates.group"),
        ref_template_pages=r.groups(refs.get("pages"), "ref_templates.pages"),
        reference_lists=names(lists.get("names"), "reference_lists.names"),
        reference_list_refs=r.texts(lists.get("refs"), "reference_lists.refs"),
        sentence_abbreviations=frozenset(abbreviations),
    )


# --- reading a file -----------------------------------------------------------------------


class _Reader:
    """Checks one file's values as they are taken, naming the file and key on failure."""

    def __init__(self, name: str, data: Any) -> None:
        self.name = name
        if not isinstance(data, dict):
            self.fail("", "the file must hold a JSON object")
        self.data: dict[str, Any] = data

    def fail(self, key: str, what: str) -> NoReturn:
        raise LocaleError(f"locales/{self.name}: {key + ': ' if key else ''}{what}")

    def texts(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
            self.fail(key, "must be a list of non-empty strings")
        return tuple(value)

    def groups(self, value: Any, key: str) -> tuple[tuple[str, ...], ...]:
        if not (isinstance(value, list) and value):
            self.fail(key, "must be a list of lists of parameter names")
        groups = tuple(self.texts(group, f"{key}[{i}]") for i, group in enumerate(value))
        if not all(groups):
            self.fail(key, "must be a list of lists of parameter names")
        return groups

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(key, "must be an object")
        return value

    def months(self, value: Any, key: str) -> Mapping[str, int]:
        table = self.table(value, key)
        for name, number in table.items():
            if not (name and name == name.lower() and type(number) is int and 1 <= number <= 12):
                self.fail(f"{key}.{name}", "must be a lower-case name -> a month number 1-12")
        return MappingProxyType(dict(table))


def _citation_templates(
    r: _Reader, of: str, kinds: frozenset[str] | None
) -> dict[str, tuple[str, Mapping[str, str]]]:
    """The citation templates of key ``of``: normalized name -> (kind, parameters); a kind
    must be one of ``kinds`` (any lower-case name when None)."""
    templates: dict[str, tuple[str, Mapping[str, str]]] = {}
    for i, entry in enumerate(r.data.get(of) or ()):
        key = f"{of}[{i}]"
        entry = r.table(entry, key)
        kind = entry.get("kind")
        if kinds is not None and kind not in kinds:
            r.fail(f"{key}.kind", f"{kind!r} is not a CS1 kind")
        if not (isinstance(kind, str) and kind and kind == kind.lower()):
            r.fail(f"{key}.kind", "must be a lower-case name")
        params = r.table(entry.get("params"), f"{key}.params")
        for local, english in params.items():
            if not (isinstance(english, str) and english and local == local.lower()):
                r.fail(f"{key}.params.{local}", "must map a lower-case name to a CS1 name")
            if local.count("#") != english.count("#"):
                r.fail(f"{key}.params.{local}", "'#' must stand on both sides or neither")
        names = r.texts(entry.get("names"), f"{key}.names")
        if not names:
            r.fail(f"{key}.names", "must name the template")
        for template in names:
            templates[normalize_name(template)] = (kind, MappingProxyType(dict(params)))
    return templates


def _date_template(
    r: _Reader, entry: dict[str, Any], key: str, roles: frozenset[str] | None
) -> DateTemplate:
    """Where one date of a date template is; its role one of ``roles`` (any when None)."""
    role = entry.get("role", "date")
    if roles is not None and role not in roles:
        r.fail(f"{key}.role", f"must be one of {', '.join(sorted(roles))}")
    if not (isinstance(role, str) and role):
        r.fail(f"{key}.role", "must be a name")
    parts = {p: entry.get(p) for p in ("year", "month", "day", "value")}
    if not (parts["value"] or parts["year"]):
        r.fail(key, "must say where the year (or the whole value) is")
    for part, where in parts.items():
        if where is not None and not isinstance(where, (int, str)):
            r.fail(f"{key}.{part}", "must be a position or a parameter name")
    return DateTemplate(role, **{p: None if w is None else str(w) for p, w in parts.items()})


def _parse(name: str, lang: str, data: Any) -> Locale:
    """Check ``data`` (the JSON of file ``name``) and make its :class:`Locale`."""
    r = _Reader(name, data)
    d = r.data
    if d.get("lang") != lang:
        r.fail("lang", f"must be {lang!r}, the file's name")
    if not isinstance(d.get("sources"), (dict, list)) or not d["sources"]:
        r.fail("sources", "must say where the facts come from")
    namespaces = r.table(d.get("namespaces"), "namespaces")
    words = r.table(d.get("magic_words"), "magic_words")
    digits = d.get("digits", "")
    if not (isinstance(digits, str) and len(digits) in (0, 10)):
        r.fail("digits", "must be the ten digits 0-9 of the language")
    templates = _citation_templates(r, "citation_templates", CS1_KINDS)
    date_templates: dict[str, DateTemplate] = {}
    for i, entry in enumerate(d.get("date_templates") or ()):
        key = f"date_templates[{i}]"
        entry = r.table(entry, key)
        spec = _date_template(r, entry, key, _ROLES)
        for template in r.texts(entry.get("names"), f"{key}.names"):
            date_templates[normalize_name(template)] = spec
    formats = r.texts(d.get("date_formats"), "date_formats")
    for fmt in formats:
        tokens = _FORMAT_TOKENS.findall(fmt)
        if "Y" not in tokens or not {"M", "MONTH"} & set(tokens):
            r.fail("date_formats", f"{fmt!r} needs a year and a month")
    calendars = {
        calendar: r.months(names, f"calendars.{calendar}")
        for calendar, names in r.table(d.get("calendars"), "calendars").items()
    }
    return Locale(
        lang=lang,
        category_names=r.texts(namespaces.get("category"), "namespaces.category"),
        file_names=r.texts(namespaces.get("file"), "namespaces.file"),
        template_names=r.texts(namespaces.get("template"), "namespaces.template"),
        redirect_words=r.texts(words.get("redirect"), "magic_words.redirect"),
        defaultsort_words=r.texts(words.get("defaultsort"), "magic_words.defaultsort"),
        citation_templates=MappingProxyType(templates),
        months=r.months(d.get("months"), "months"),
        date_formats=formats,
        year_words=r.texts(d.get("year_words"), "year_words"),
        counted_words=r.texts(d.get("counted_words"), "counted_words"),
        date_templates=MappingProxyType(date_templates),
        calendars=MappingProxyType(calendars),
        digits=digits,
    )


# --- text templates: text_templates.json ---------------------------------------------------

_TEXT_TEMPLATES = "text_templates.json"


@functools.cache
def text_templates() -> Mapping[str, frozenset[str]]:
    """``text_templates.json`` (format in ``README.md``): the inline templates whose
    parameters a reader sees as running text, normalized name -> those parameters' names
    (``nowrap`` -> ``{"1"}``); a name ending in ``*`` stands for every name it starts
    (``lang-*``: ``lang-de``, ``lang-fr``, …).  Read once and checked: :class:`LocaleError`
    naming the key when the file does not follow the format."""
    r = _Reader(_TEXT_TEMPLATES, _read_json(_TEXT_TEMPLATES))
    sources = r.table(r.data.get("_sources"), "_sources")
    if not sources:
        r.fail("_sources", "must say where the facts come from")
    sourced = {normalize_name(name) for key in sources for name in key.split(",")}
    table: dict[str, frozenset[str]] = {}
    for name, params in r.data.items():
        if name.startswith("_"):
            continue
        key = normalize_name(name)
        if not (key and r.texts(params, name)):
            r.fail(name, "must name a template and list its text parameters")
        if key not in sourced:
            r.fail("_sources", f"must say where {name!r} comes from")
        table[key] = frozenset(params)
    return MappingProxyType(table)


# --- English: en.json --------------------------------------------------------------------------


@attrs.frozen
class English:
    """English's knowledge (``en.json``, format in ``README.md``), which the
    language-independent code (:mod:`extractor.facts.cs1`, :mod:`extractor.facts.datevalues`)
    applies to every page, built into its tables and patterns at import.

    Attributes:
        citation_kinds: Normalized citation template name -> its kind: the CS1 family and
            its redirects (a CS1 kind), then the specific-source templates (a kind each).
        not_citations: Normalized names of templates named like citations that are none.
        months: Lower-case month name or abbreviation -> month number.
        seasons: Lower-case names of a season (or ``christmas``) a date may give.
        year_words: Words that make a following bare year a date in prose.
        year_range_words: Words joining two years (``1997 to 1999``).
        determiners: Words opening a phrase an adjectival year stands in (``the``).
        quantity_words: Words after a determiner that make a number a quantity (``top``).
        counted_words: Words that make a number before them a count (``copies``, ``%``).
        undated_words: Lower-case date field values that say there is no date (``n.d.``).
        ongoing_words: Lower-case words that end an open range (``present``).
        date_templates: Normalized template name -> where each of its dates is, in order.
    """

    citation_kinds: Mapping[str, str]
    not_citations: frozenset[str]
    months: Mapping[str, int]
    seasons: tuple[str, ...]
    year_words: tuple[str, ...]
    year_range_words: tuple[str, ...]
    determiners: tuple[str, ...]
    quantity_words: frozenset[str]
    counted_words: frozenset[str]
    undated_words: frozenset[str]
    ongoing_words: frozenset[str]
    date_templates: Mapping[str, tuple[DateTemplate, ...]]


_ENGLISH_FILE = f"{_ENGLISH}.json"
#: The word lists of ``en.json``: each required, in lower case.
_ENGLISH_WORDS = (
    "not_citations", "seasons", "year_words", "year_range_words", "determiners",
    "quantity_words", "counted_words", "undated_words", "ongoing_words",
)  # fmt: skip


@functools.cache
def english() -> English:
    """The :class:`English` of ``en.json``, read once and checked (:class:`LocaleError`
    naming the key when it does not follow the format)."""
    return _parse_english(_ENGLISH_FILE, _read_json(_ENGLISH_FILE))


def _parse_english(name: str, data: Any) -> English:
    """Check ``data`` (the JSON of ``en.json``) and make its :class:`English`: the keys of
    a locale file as there, except that a date template may give several ``dates`` and
    their roles are any; and English's own keys, each a required list of words."""
    r = _Reader(name, data)
    d = r.data
    if d.get("lang") != _ENGLISH:
        r.fail("lang", f"must be {_ENGLISH!r}, the file's name")
    sources = r.table(d.get("sources"), "sources")
    sourced = {part.strip() for key in sources for part in key.split(",")}
    for key in sorted(d.keys() - {"lang", "name", "sources"}):
        if key not in sourced:
            r.fail("sources", f"must say where {key!r} comes from")
    words: dict[str, tuple[str, ...]] = {}
    for key in _ENGLISH_WORDS:
        words[key] = r.texts(d.get(key), key)
        if not words[key] or any(word != word.lower() for word in words[key]):
            r.fail(key, "must list lower-case words")
    templates = {
        **_citation_templates(r, "citation_templates", CS1_KINDS),
        **_citation_templates(r, "source_templates", None),
    }
    if not templates:
        r.fail("citation_templates", "must name the citation templates")
    date_templates: dict[str, tuple[DateTemplate, ...]] = {}
    for i, entry in enumerate(d.get("date_templates") or ()):
        key = f"date_templates[{i}]"
        entry = r.table(entry, key)
        if "dates" not in entry:
            specs: tuple[DateTemplate, ...] = (_date_template(r, entry, key, None),)
        elif isinstance(entry["dates"], list) and entry["dates"]:
            specs = tuple(
                _date_template(r, r.table(part, f"{key}.dates[{j}]"), f"{key}.dates[{j}]", None)
                for j, part in enumerate(entry["dates"])
            )
        else:
            r.fail(f"{key}.dates", "must list where each date is")
        for template in r.texts(entry.get("names"), f"{key}.names"):
            date_templates[normalize_name(template)] = specs
    if not date_templates:
        r.fail("date_templates", "must name the date templates")
    months = r.months(d.get("months"), "months")
    if set(months.values()) != set(range(1, 13)):
        r.fail("months", "must name every month")
    return English(
        citation_kinds=MappingProxyType({key: kind for key, (kind, _) in templates.items()}),
        not_citations=frozenset(normalize_name(n) for n in words["not_citations"]),
        months=months,
        seasons=words["seasons"],
        year_words=words["year_words"],
        year_range_words=words["year_range_words"],
        determiners=words["determiners"],
        quantity_words=frozenset(words["quantity_words"]),
        counted_words=frozenset(words["counted_words"]),
        undated_words=frozenset(words["undated_words"]),
        ongoing_words=frozenset(words["ongoing_words"]),
        date_templates=MappingProxyType(date_templates),
    )

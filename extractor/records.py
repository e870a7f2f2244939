"""Stage 4: the record an article becomes, as attrs frozen classes, and its JSON form.

Field names are a contract with users: ``schema.json`` describes them and the README documents
them.  Spans are ``[start, end)`` character offsets into the page text as the caller gave it;
``section`` is the index of the section a fact stands in (0 = the lead).

JSON is deterministic: fields in declaration order, no floats, UTF-8, same input same bytes.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

import attrs
import orjson

#: Bumped whenever a field is added, renamed, removed or changes meaning (1.1 added ``lang``;
#: 1.2 added citations' ``anchor``, ``target`` and ``uses``, and short citations outside refs).
SCHEMA_VERSION = "1.2"

Span = tuple[int, int]


@attrs.frozen
class Category:
    """A category the page belongs to.

    Attributes:
        name: Normalized like MediaWiki titles: no namespace prefix, underscores as spaces,
            runs of spaces collapsed, first letter upper case.
        sort_key: The sort key after the pipe, exactly as written; None without a pipe.
        section: Index of the section the link stands in.
        span: Where the first occurrence stands (a flat ``CATEGORIES:`` line: the name itself).
    """

    name: str
    sort_key: str | None
    section: int
    span: Span


@attrs.frozen
class Section:
    """The lead (index 0, level 0, title None) or a section opened by a heading.

    Attributes:
        index: Position in page order, 0 for the lead.
        level: Heading level (``==X==`` is 2), 0 for the lead.
        title: Heading text as plain text (markup removed); None for the lead.
        parent: Index of the nearest preceding section of a lower level (the lead for
            top-level headings); None for the lead.
        span: From the heading's first character to the next heading (or the end of page).
        empty: True when nothing but whitespace follows the heading before the next one.
    """

    index: int
    level: int
    title: str | None
    parent: int | None
    span: Span
    empty: bool


@attrs.frozen
class Author:
    """A person credited by a citation (author or editor).

    Attributes:
        last: Surname, or the whole name when it cannot be split.
        first: Given names, when known.
        link: Title of the person's wiki article (``author-link``), when given.
    """

    last: str | None
    first: str | None
    link: str | None = None


@attrs.frozen
class Identifier:
    """A citation identifier (DOI, ISBN, ...), normalized and checked.

    Attributes:
        kind: ``doi``, ``isbn``, ``issn``, ``pmid``, ``pmc``, ``arxiv``, ``oclc``, ``jstor``,
            ``bibcode``, ``lccn`` and the other kinds listed in the README.
        value: Normalized form (ISBN without hyphens, DOI without URL prefix or junk suffix).
        raw: As written.
        valid: Whether checksum and syntax hold.
        problem: Why it is not valid; None when valid.
    """

    kind: str
    value: str
    raw: str
    valid: bool
    problem: str | None


@attrs.frozen
class RefInfo:
    """The ``<ref>`` a citation stands in.

    Attributes:
        name: The ref's ``name``, None when unnamed.
        group: The ref's ``group``, None for the default group.
        reuses: How many times a named ref is reused elsewhere on the page (``<ref name=x />``).
    """

    name: str | None
    group: str | None
    reuses: int


@attrs.frozen
class Claim:
    """The plain-text sentence a use of a citation follows: what the citation supports.

    Attributes:
        text: The sentence from its start up to the use, as a reader sees it (markup,
            refs and templates left out, white space collapsed).
        section: Index of the section it stands in.
        span: From the sentence's first character to its last before the use.
    """

    text: str
    section: int
    span: Span


@attrs.frozen
class Use:
    """A place where a citation is cited.

    Attributes:
        kind: ``ref`` (a ``<ref>`` with contents), ``name`` (a ``<ref name=x />``, or
            ``{{r|x}}``, citing a named ref defined elsewhere) or ``template`` (the citation
            template itself standing where it cites: ``{{sfn}}`` outside refs, or a citation
            template in running prose).
        section: Index of the section it stands in.
        span: The ``<ref>`` tag's or the template's span.
        pages: The pages this use adds: ``{{rp|...}}`` right after it, ``{{r|x|p=...}}``.
        claim: The sentence it follows; None when it stands outside prose (in a template,
            a list of references) or nothing precedes it on its line.
    """

    kind: str
    section: int
    span: Span
    pages: str | None
    claim: Claim | None


@attrs.frozen
class Citation:
    """A citation: a citation template anywhere on the page, or a ``<ref>`` without one.

    Attributes:
        index: Position among the page's citations.
        template: Normalized template name (``cite web``); None for ``bare``/``text`` refs.
        kind: ``web``, ``news``, ``journal``, ``book``, ... for templates; ``short`` for a
            short citation (``{{sfn}}``, ``{{harvnb}}``: one per source it names, wherever
            it stands); ``bare`` for a ref holding only a URL; ``text`` for a ref holding
            free text.
        section: Index of the section it stands in.
        span: The template's span; for ``bare``/``text`` citations the ``<ref>`` tag's.
        ref: The enclosing ``<ref>``, None when the template stands outside any ref.
        params: Raw parameters in order as ``[name, value]``; positional ones named "1", "2";
            duplicates kept.
        text: The plain text of a ``text`` or ``bare`` ref; None for templates.
        title, url, work, publisher, location, volume, issue, pages, language: Normalized
            fields following the CS1 aliases, plain text; None when absent or empty.
        authors, editors: People credited, in order.
        date, access_date, archive_date: ISO dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``);
            None when absent or not understood (then a problem says so).
        archive_url: Archived copy's URL.
        url_status: ``live``, ``dead``, ``unfit``, ``usurped`` (``deadurl=yes`` is ``dead``).
        identifiers: DOIs, ISBNs and others, each checked.
        anchor: The ``CITEREF`` anchor a full citation has (CS1's: up to four authors' (or
            editors') last names and the year, or its ``ref=``), which short citations name;
            for a short citation, the anchor it names.  None for refs without a template.
        target: For a short citation, the index of the citation whose anchor it names; None
            when it names none (then a problem says so) and for other kinds.
        uses: Where the citation is cited, in page order (its ref, each reuse of its name).
        problems: What is wrong: bad checksums, duplicate parameters, unparseable dates, a
            short citation whose target is not found.
    """

    index: int
    template: str | None
    kind: str
    section: int
    span: Span
    ref: RefInfo | None
    params: tuple[tuple[str, str], ...]
    text: str | None
    title: str | None
    url: str | None
    authors: tuple[Author, ...]
    editors: tuple[Author, ...]
    date: str | None
    access_date: str | None
    archive_url: str | None
    archive_date: str | None
    url_status: str | None
    work: str | None
    publisher: str | None
    location: str | None
    volume: str | None
    issue: str | None
    pages: str | None
    language: str | None
    identifiers: tuple[Identifier, ...]
    anchor: str | None
    target: int | None
    uses: tuple[Use, ...]
    problems: tuple[str, ...]


@attrs.frozen
class DateFact:
    """A date found on the page.

    Attributes:
        iso: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a decade is its first year.
        precision: ``day``, ``month``, ``year`` or ``decade``.
        text: The raw text at ``span``.
        kind: ``citation`` (a citation's date field), ``template`` (a date template such as
            ``{{Start date}}``) or ``prose``.
        role: What the date is: the citation field (``date``, ``access-date``,
            ``archive-date``, ``year``) or the template's role (``birth``, ``death``,
            ``start``, ``end``, ``release``, ``as of``, ...); None for prose.
        section: Index of the section it stands in.
        span: Where it stands.
        context: Up to ~80 characters of surrounding prose, whitespace collapsed.
        citation: Index of the citation it belongs to, for citation dates.
    """

    iso: str
    precision: str
    text: str
    kind: str
    role: str | None
    section: int
    span: Span
    context: str
    citation: int | None


class JsonRecord:
    """What every top-level record (article, redirect, error) can do: become JSON."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON data (dicts, lists, str, int, bool, None)."""
        return _as_dict(self)

    def to_json(self, *, indent: bool = False) -> bytes:
        """Deterministic UTF-8 JSON of the record.

        orjson asks :func:`_fields` for one record at a time and drops its dict once
        written, so no dict tree of the whole record is ever built beside it: a page of
        100,000 citations costs its records and its JSON, not a third copy."""
        return dumps(self, indent=indent)


@attrs.frozen
class Article(JsonRecord):
    """The record of one page.

    Attributes:
        schema_version: Version of this record's shape.
        title: Page title (from the source, a flat ``[[Title]]`` line, or the caller).
        dialect: ``wikitext``, ``flat`` or ``text``.
        lang: The page's language code (``de``), from the dump's ``<siteinfo>`` or the
            caller; None when unknown (then every language's names are accepted).
        page_id, namespace, revision_id, timestamp: From a dump, when known.
        offset: Where the page's text starts in a multi-page file (flat corpus files); spans
            are relative to the page's own text.  None for single pages and dumps.
        redirect: Target when the page is a redirect.
        default_sort: The page's ``{{DEFAULTSORT:...}}`` key.
        categories, sections, citations, dates: The facts, in page order.
        problems: What could not be understood on the page, one line each.
    """

    schema_version: str
    title: str | None
    dialect: str
    lang: str | None
    page_id: int | None
    namespace: int | None
    revision_id: int | None
    timestamp: str | None
    offset: int | None
    redirect: str | None
    default_sort: str | None
    categories: tuple[Category, ...]
    sections: tuple[Section, ...]
    citations: tuple[Citation, ...]
    dates: tuple[DateFact, ...]
    problems: tuple[str, ...]


@attrs.frozen
class RedirectRecord(JsonRecord):
    """A redirect page, written instead of being skipped when redirects are asked for.

    Attributes:
        schema_version, title, page_id, namespace, revision_id, timestamp: As in
            :class:`Article`.
        redirect: The target title.
    """

    schema_version: str
    title: str | None
    page_id: int | None
    namespace: int | None
    revision_id: int | None
    timestamp: str | None
    redirect: str


@attrs.frozen
class ErrorRecord(JsonRecord):
    """A page that could not be turned into an :class:`Article`.

    Attributes:
        title, page_id: Which page, when known.
        source: The file it came from.
        reason: One line: what went wrong (exception type and message, timeout, memory).
    """

    title: str | None
    page_id: int | None
    source: str | None
    reason: str


def _as_dict(record: Any) -> dict[str, Any]:
    """Exactly what the record's JSON parses back to (tuples become lists)."""
    result = orjson.loads(dumps(record))
    assert isinstance(result, dict)
    return result


def to_plain(value: Any) -> Any:
    """Turn a record (or a tuple of records) into dicts and lists, ready for orjson.

    Tuples of plain values (spans, parameter pairs) are left as they are: orjson writes
    them as arrays.  Only fields typed with a record class are converted, by a per-class
    plan made once (this is on every page's hot path).
    """
    cls = type(value)
    if cls is tuple or cls is list:
        return [to_plain(item) for item in value]
    plan = _plans.get(cls)
    if plan is None:
        if not attrs.has(cls):
            return value
        plan = _plans[cls] = _plan(cls)
    names, getter, nested = plan
    values = list(getter(value)) if len(names) > 1 else [getter(value)]
    for i in nested:
        item = values[i]
        if item is not None:
            values[i] = to_plain(item)
    return dict(zip(names, values, strict=True))


_Plan = tuple[tuple[str, ...], Callable[[Any], Any], tuple[int, ...]]
_plans: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    """Field names, one getter for all of them, and the fields that hold records."""
    fields = attrs.fields(cls)
    names = tuple(field.name for field in fields)
    records = {c.__name__ for c in _RECORD_CLASSES}
    nested = tuple(
        i for i, field in enumerate(fields)
        if any(name in str(field.type) for name in records)
    )  # fmt: skip
    return names, operator.attrgetter(*names), nested


def _fields(record: Any) -> dict[str, Any]:
    """One record's fields as a dict (orjson's ``default``: nested records are asked for
    in turn, as orjson reaches them)."""
    maker = _makers.get(type(record))
    if maker is None:
        if not attrs.has(type(record)):
            raise TypeError(f"not JSON: {type(record).__name__}")
        maker = _makers[type(record)] = _maker(type(record))
    return maker(record)


_makers: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _maker(cls: type) -> Callable[[Any], dict[str, Any]]:
    """The function making the dict of a record of ``cls``: a dict display of its fields,
    generated once per class from the class's own field names (every record of a page goes
    through it, and a display is twice as fast as a dict of a zip)."""
    names = [field.name for field in attrs.fields(cls)]
    if not all(name.isidentifier() for name in names):
        raise TypeError(f"not JSON: {cls.__name__}")
    maker: Callable[[Any], dict[str, Any]] = eval(
        "lambda r: {" + ", ".join(f"{name!r}: r.{name}" for name in names) + "}"
    )
    return maker


def dumps(data: Any, *, indent: bool = False) -> bytes:
    """Serialize plain data or records deterministically (orjson; keys kept in
    declaration order).

    Strings holding lone surrogates, which no UTF-8 can hold, are written readably instead
    of failing the record (see :func:`encodable`).  orjson turns whatever its ``default``
    hook raises into a ``TypeError``; what is no ``TypeError`` (a signal's exception, Ctrl-C
    landing while a record is encoded; a ``MemoryError``) is raised as itself."""
    option = orjson.OPT_INDENT_2 if indent else 0
    try:
        return orjson.dumps(data, default=_fields, option=option)
    except TypeError as exc:
        cause = exc.__cause__
        if cause is not None and not isinstance(cause, TypeError):
            raise cause from None
        if "surrogates" not in str(exc):
            raise
        return orjson.dumps(_encodable_data(to_plain(data)), option=option)


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` as UTF-8 can hold it: a byte that was not UTF-8 in a file name (Python's
    ``surrogateescape``, U+DC80..U+DCFF) becomes ``\\xNN``, as ``ls -b`` shows it; any
    other lone surrogate becomes U+FFFD."""
    return _SURROGATE.sub(_escape_surrogate, text)


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def _encodable_data(data: Any) -> Any:
    if isinstance(data, str):
        return encodable(data)
    if isinstance(data, dict):
        return {encodable(k): _encodable_data(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_encodable_data(item) for item in data]
    return data


_RECORD_CLASSES = (
    Category, Section, Author, Identifier, RefInfo, Claim, Use, Citation, DateFact, Article,
    RedirectRecord, ErrorRecord,
)  # fmt: skip

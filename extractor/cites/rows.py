"""Records -> the citation table: one flat row per citation, streaming.

A row is a dict keyed by :data:`COLUMNS` (in that order), so the same rows feed the
terminal table, JSONL, CSV and Parquet (whose schema is built from the column types).
Identifiers of the :data:`ID_COLUMNS` kinds get a value and a validity column each (the
first identifier of that kind); ``identifiers`` keeps every one as JSON text.  A row also
carries, beside its columns, the items of its :data:`LIST_COLUMNS` as structures (Parquet
stores them as ``list<struct>``) and its record's schema version.  Records are
checked against their shape here, once, as they become rows (:func:`record_rows`): nothing
after this module meets a value of the wrong type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import attrs
import orjson

from extractor.records import encodable


class Row(dict[str, Any]):
    """One citation's row: a dict keyed by :data:`COLUMNS`, equal to a plain dict of them.

    Attributes:
        lists: The items of each of :data:`LIST_COLUMNS` (identifiers and people as dicts,
            problems as texts); empty lists for none.
        schema_version: The record's ``schema_version``, None when it has none.
    """

    __slots__ = ("lists", "schema_version")

    lists: dict[str, list[Any]]
    schema_version: str | None


#: Identifier kinds that get their own ``KIND`` and ``KIND_valid`` columns.
ID_COLUMNS = ("doi", "isbn", "issn", "pmid", "pmc", "arxiv", "oclc", "jstor", "bibcode", "s2cid")

#: The citation table's columns and their types (``int``, ``str``, ``bool``); every value
#: may also be null.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("page_id", "int"),
    ("page_title", "str"),
    ("page_lang", "str"),
    ("index", "int"),
    ("section", "int"),
    ("section_title", "str"),
    ("ref_name", "str"),
    ("ref_group", "str"),
    ("ref_reuses", "int"),
    ("template", "str"),
    ("kind", "str"),
    ("title", "str"),
    ("authors", "str"),
    ("editors", "str"),
    ("work", "str"),
    ("publisher", "str"),
    ("location", "str"),
    ("volume", "str"),
    ("issue", "str"),
    ("pages", "str"),
    ("language", "str"),
    ("date", "str"),
    ("year", "int"),
    ("url", "str"),
    ("domain", "str"),
    ("access_date", "str"),
    ("access_year", "int"),
    ("archive_url", "str"),
    ("archive_date", "str"),
    ("url_status", "str"),
    ("archived", "bool"),
    ("dead", "bool"),
    ("text", "str"),
    ("target", "int"),
    ("uses", "int"),
    ("claim", "str"),
    *(
        (column, type_)
        for kind in ID_COLUMNS
        for column, type_ in ((kind, "str"), (f"{kind}_valid", "bool"))
    ),
    ("identifiers", "str"),
    ("identifier_kinds", "str"),
    ("invalid_kinds", "str"),
    ("problems", "str"),
    ("problem_count", "int"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in COLUMNS)
#: Text columns whose items a row also keeps as structures (:attr:`Row.lists`), and the
#: fields of each item; problems are texts.
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "authors": ("last", "first", "link"),
    "editors": ("last", "first", "link"),
    "identifiers": ("kind", "value", "valid"),
    "problems": (),
}

_ID_SET = frozenset(ID_COLUMNS)
_ISO_DATE = re.compile(r"(\d{4})(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?", re.ASCII)
_INT64 = (-(1 << 63), 1 << 63)
_TEXT_FIELDS = ("template", "kind", "title", "work", "publisher", "location", "volume", "issue",
                "pages", "language", "date", "url", "access_date", "archive_url", "archive_date",
                "url_status", "text")  # fmt: skip


@attrs.frozen
class _Page:
    """What rows take of a record."""

    page_id: int | None
    title: str | None
    lang: str | None
    schema_version: str | None
    section_titles: dict[int, str | None]


def is_article(record: dict[str, Any]) -> bool:
    """Whether a record is an article: it has a ``citations`` list and is not a redirect (a
    record of ``dump --redirects``, or a redirect page given to ``extract``)."""
    return isinstance(record.get("citations"), list) and not isinstance(record.get("redirect"), str)


def is_error(record: dict[str, Any]) -> bool:
    """Whether a record is an error record: not an article, with a ``reason`` text."""
    return not is_article(record) and isinstance(record.get("reason"), str)


def error_fields(record: dict[str, Any]) -> dict[str, Any]:
    """What an error record says (``title``, ``page_id``, ``source``, ``reason``), checked
    as :func:`record_rows` checks fields, so it can always be written as JSON."""
    return {
        "title": page_title(record),
        "page_id": _int(record.get("page_id")),
        "source": _text(record.get("source")),
        "reason": _text(record.get("reason")),
    }


def page_title(record: dict[str, Any]) -> str | None:
    """The record's ``title``, as the rows hold it (see :func:`record_rows`)."""
    return _text(record.get("title"))


def page_lang(record: dict[str, Any]) -> str | None:
    """The record's ``lang``, as the rows hold it (see :func:`record_rows`)."""
    return _text(record.get("lang"))


def citation_rows(records: Iterable[dict[str, Any]]) -> Iterator[Row]:
    """One row per citation of every article record, in record and citation order."""
    for record in records:
        if is_article(record):
            yield from record_rows(record)


def record_rows(record: dict[str, Any]) -> list[Row]:
    """The rows of one article record's citations.

    This is where records, from a file or from anywhere, are checked against their shape
    (``extractor/schema.json``), once: a field that is missing or of the wrong type counts
    as absent (null, or an empty list), and so does a list item of the wrong type (a
    citation, section, author or identifier that is not an object; an identifier without a
    text ``kind`` and ``value``; a problem that is not text); an identifier is valid only
    when its ``valid`` is ``true``; a date that is not ISO has no year.  Integers must fit
    in 64 bits (Parquet's ``int64``); text that UTF-8 cannot hold (lone surrogates, from
    undecodable file names) is backslash-escaped.  So a row holds only :data:`COLUMNS`
    types, which every writer takes: one bad field never costs more than itself.
    """
    citations = record.get("citations")
    if not isinstance(citations, list):
        return []
    page = _Page(
        _int(record.get("page_id")),
        page_title(record),
        page_lang(record),
        _text(record.get("schema_version")),
        _section_titles(record),
    )
    return [_row(page, citation) for citation in citations if isinstance(citation, dict)]


def _section_titles(record: dict[str, Any]) -> dict[int, str | None]:
    """Section titles by section index."""
    sections = record.get("sections")
    if not isinstance(sections, list):
        return {}
    titles = {}
    for section in sections:
        if isinstance(section, dict) and (index := _int(section.get("index"))) is not None:
            titles[index] = _text(section.get("title"))
    return titles


def _row(page: _Page, c: dict[str, Any]) -> Row:
    """The row of one citation, built in :data:`COLUMNS` order."""
    ref = c.get("ref")
    if not isinstance(ref, dict):
        ref = {}
    section = _int(c.get("section"))
    t = _text_fields(c)
    authors, editors = _people(c.get("authors")), _people(c.get("editors"))
    row = Row({
        "page_id": page.page_id,
        "page_title": page.title,
        "page_lang": page.lang,
        "index": _int(c.get("index")),
        "section": section,
        "section_title": None if section is None else page.section_titles.get(section),
        "ref_name": _text(ref.get("name")),
        "ref_group": _text(ref.get("group")),
        "ref_reuses": _int(ref.get("reuses")),
        "template": t["template"],
        "kind": t["kind"],
        "title": t["title"],
        "authors": _names(authors),
        "editors": _names(editors),
        "work": t["work"],
        "publisher": t["publisher"],
        "location": t["location"],
        "volume": t["volume"],
        "issue": t["issue"],
        "pages": t["pages"],
        "language": t["language"],
        "date": t["date"],
        "year": _year(t["date"]),
        "url": t["url"],
        "domain": domain(t["url"]),
        "access_date": t["access_date"],
        "access_year": _year(t["access_date"]),
        "archive_url": t["archive_url"],
        "archive_date": t["archive_date"],
        "url_status": t["url_status"],
        "archived": bool(t["archive_url"]),
        "dead": t["url_status"] == "dead",
        "text": t["text"],
        "target": _int(c.get("target")),
        "uses": None,
        "claim": None,
    })  # fmt: skip
    uses = c.get("uses")
    if isinstance(uses, list):
        row["uses"] = len(uses)
        row["claim"] = _first_claim(uses)
    for kind in ID_COLUMNS:
        row[kind] = row[f"{kind}_valid"] = None
    identifiers = _identifiers(c.get("identifiers"))
    kinds: list[str] = []
    invalid: list[str] = []
    for kind, value, valid in identifiers:
        if kind not in kinds:
            kinds.append(kind)
        if not valid and kind not in invalid:
            invalid.append(kind)
        if kind in _ID_SET and row[kind] is None:
            row[kind] = value
            row[f"{kind}_valid"] = valid
    problems = _texts(c.get("problems"))
    items = [{"kind": k, "value": v, "valid": ok} for k, v, ok in identifiers]
    row["identifiers"] = _json(items)
    row["identifier_kinds"] = " ".join(kinds) or None
    row["invalid_kinds"] = " ".join(invalid) or None
    row["problems"] = _json(problems)
    row["problem_count"] = len(problems)
    row.lists = {"authors": authors, "editors": editors, "identifiers": items, "problems": problems}
    row.schema_version = page.schema_version
    return row


def _first_claim(uses: list[Any]) -> str | None:
    """The claim text of the first use that has one."""
    for use in uses:
        claim = use.get("claim") if isinstance(use, dict) else None
        text = claim.get("text") if isinstance(claim, dict) else None
        if isinstance(text, str):
            return printable(text)
    return None


def domain(url: str | None) -> str | None:
    """The lower-case host of ``url`` without ``www.``; None when there is none."""
    if not url:
        return None
    if "//" not in url:
        url = "//" + url  # a URL without a scheme (kept as written, with a problem)
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _year(iso: str | None) -> int | None:
    """The year of an ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``); None for other text."""
    match = _ISO_DATE.fullmatch(iso) if iso else None
    return int(match[1]) if match else None


def printable(text: str) -> str:
    """``text``, with what UTF-8 cannot encode (lone surrogates: the undecodable bytes of a
    file name, as Python hands them over) written as the records write it
    (:func:`extractor.records.encodable`), so any writer can take it."""
    return text if text.isascii() else encodable(text)


def _text_fields(c: dict[str, Any]) -> dict[str, str | None]:
    """The citation's text fields (:data:`_TEXT_FIELDS`), checked; one pass, as this runs
    for every citation."""
    fields = {}
    for name in _TEXT_FIELDS:
        value = c.get(name)
        if value is not None and not (type(value) is str and value.isascii()):
            value = _text(value)
        fields[name] = value
    return fields


def _text(value: object) -> str | None:
    return printable(value) if isinstance(value, str) else None


def _texts(value: object) -> list[str]:
    """The text items of a list."""
    if not isinstance(value, (list, tuple)):  # (tuples: records extracted on the fly)
        return []
    return [printable(item) for item in value if isinstance(item, str)]


def _int(value: object) -> int | None:
    """An integer that fits in 64 bits (``true`` and ``1.0`` are no integers)."""
    if isinstance(value, int) and not isinstance(value, bool) and _INT64[0] <= value < _INT64[1]:
        return value
    return None


def _people(people: object) -> list[dict[str, str | None]]:
    """The credited people (``last``, ``first``, ``link``) that have a name."""
    if not isinstance(people, list):
        return []
    found = []
    for p in people:
        if isinstance(p, dict):
            person = {"last": _text(p.get("last")), "first": _text(p.get("first")),
                      "link": _text(p.get("link"))}  # fmt: skip
            if person["last"] or person["first"]:
                found.append(person)
    return found


def _names(people: list[dict[str, str | None]]) -> str | None:
    """``Last, First; Last2, First2``: the credited people as one text."""
    names = (", ".join(part for part in (p["last"], p["first"]) if part) for p in people)
    return "; ".join(names) or None


def _identifiers(identifiers: object) -> list[tuple[str, str, bool]]:
    """``(kind, value, valid)`` of each identifier with a text kind and value."""
    if not isinstance(identifiers, list):
        return []
    found = []
    for ident in identifiers:
        if isinstance(ident, dict):
            kind, value = _text(ident.get("kind")), _text(ident.get("value"))
            if kind is not None and value is not None:
                found.append((kind, value, ident.get("valid") is True))
    return found


def _json(value: list[Any]) -> str | None:
    return orjson.dumps(value).decode() if value else None

"""Records -> the citation table: one flat row per citation, streaming.

A row is a plain dict keyed by :data:`COLUMNS` (in that order), so the same rows feed the
terminal table, JSONL, CSV and Parquet (whose schema is built from the column types).
Identifiers of the :data:`ID_COLUMNS` kinds get a value and a validity column each (the
first identifier of that kind); ``identifiers`` keeps every one as JSON text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import orjson

Row = dict[str, Any]

#: Identifier kinds that get their own ``KIND`` and ``KIND_valid`` columns.
ID_COLUMNS = ("doi", "isbn", "issn", "pmid", "pmc", "arxiv", "oclc", "jstor", "bibcode", "s2cid")

#: The citation table's columns and their types (``int``, ``str``, ``bool``); every value
#: may also be null.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("page_id", "int"),
    ("page_title", "str"),
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

_ID_SET = frozenset(ID_COLUMNS)


def is_article(record: dict[str, Any]) -> bool:
    """Whether a record is an article: not a redirect (a record of ``dump --redirects``, or
    a redirect page given to ``extract``) nor an error record."""
    return "citations" in record and record.get("redirect") is None


def citation_rows(records: Iterable[dict[str, Any]]) -> Iterator[Row]:
    """One row per citation of every article record, in record and citation order."""
    for record in records:
        if is_article(record):
            yield from record_rows(record)


def record_rows(record: dict[str, Any]) -> list[Row]:
    """The rows of one article record's citations."""
    sections = record.get("sections") or ()
    titles = {s["index"]: s["title"] for s in sections}
    return [_row(record, titles, citation) for citation in record["citations"]]


def _row(record: dict[str, Any], titles: dict[int, str | None], c: dict[str, Any]) -> Row:
    """The row of one citation, built in :data:`COLUMNS` order."""
    ref = c.get("ref")
    date, url, access_date, archive_url = (
        c.get("date"),
        c.get("url"),
        c.get("access_date"),
        c.get("archive_url"),
    )
    row: Row = {
        "page_id": record.get("page_id"),
        "page_title": record.get("title"),
        "index": c["index"],
        "section": c["section"],
        "section_title": titles.get(c["section"]),
        "ref_name": ref["name"] if ref else None,
        "ref_group": ref["group"] if ref else None,
        "ref_reuses": ref["reuses"] if ref else None,
        "template": c.get("template"),
        "kind": c.get("kind"),
        "title": c.get("title"),
        "authors": _people(c.get("authors")),
        "editors": _people(c.get("editors")),
        "work": c.get("work"),
        "publisher": c.get("publisher"),
        "location": c.get("location"),
        "volume": c.get("volume"),
        "issue": c.get("issue"),
        "pages": c.get("pages"),
        "language": c.get("language"),
        "date": date,
        "year": _year(date),
        "url": url,
        "domain": domain(url),
        "access_date": access_date,
        "access_year": _year(access_date),
        "archive_url": archive_url,
        "archive_date": c.get("archive_date"),
        "url_status": c.get("url_status"),
        "archived": bool(archive_url),
        "dead": c.get("url_status") == "dead",
        "text": c.get("text"),
    }
    for kind in ID_COLUMNS:
        row[kind] = row[f"{kind}_valid"] = None
    identifiers = c.get("identifiers") or ()
    kinds: list[str] = []
    invalid: list[str] = []
    for ident in identifiers:
        kind, valid = ident["kind"], ident["valid"]
        if kind not in kinds:
            kinds.append(kind)
        if not valid and kind not in invalid:
            invalid.append(kind)
        if kind in _ID_SET and row[kind] is None:
            row[kind] = ident["value"]
            row[f"{kind}_valid"] = valid
    problems = c.get("problems") or ()
    row["identifiers"] = _json(
        [{"kind": i["kind"], "value": i["value"], "valid": i["valid"]} for i in identifiers]
    )
    row["identifier_kinds"] = " ".join(kinds) or None
    row["invalid_kinds"] = " ".join(invalid) or None
    row["problems"] = _json(list(problems))
    row["problem_count"] = len(problems)
    return row


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
    """The year of an ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``)."""
    return int(iso[:4]) if iso and iso[:4].isdigit() else None


def _people(people: list[dict[str, Any]] | None) -> str | None:
    """``Last, First; Last2, First2``: the credited people as one text."""
    if not people:
        return None
    names = (", ".join(part for part in (p.get("last"), p.get("first")) if part) for p in people)
    return "; ".join(name for name in names if name) or None


def _json(value: list[Any]) -> str | None:
    return orjson.dumps(value).decode() if value else None

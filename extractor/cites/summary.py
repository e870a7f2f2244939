"""The numbers of ``extractor cites summary``: one streaming pass over the records.

Everything is a counter, so memory grows with the number of distinct kinds, templates,
domains, works, publishers, years, problem types and languages, never with the number of
citations.  The two page lists (most citations, none) keep at most ``top`` pages each.
Top lists are objects: ``{"name": ..., "count": ...}`` (pages also have their ``lang``).
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from extractor.cites.filters import Filter
from extractor.cites.rows import (
    ID_COLUMNS,
    Row,
    is_article,
    page_lang,
    page_title,
    record_rows,
)

#: Problems are grouped by type: the offending value is dropped (``in url=...``, the
#: quoted date text) and varying numbers become ``N`` (``'first2'``, ``has 20 characters``).
_IN_PARAM = re.compile(r" in [\w-]+=.*$")
_DATE_TEXT = re.compile(r"( date) '.*$")
_NUMBERED_PARAM = re.compile(r"'([a-z-]+?)\d+'")
_NUMBER = re.compile(r"(?<=has )\d+|(?<=from )\d+")
_COUNTERS = ("kinds", "templates", "domains", "works", "publishers", "years", "access_years")
_BY_FIELD = (("domain", "domains"), ("work", "works"), ("publisher", "publishers"),
             ("year", "years"), ("access_year", "access_years"))  # fmt: skip
#: What the per-language table counts, in its order.
LANGUAGE_FIELDS = ("pages", "pages_with_citations", "citations", "with_identifier", "with_url",
                   "with_problems")  # fmt: skip


def problem_type(problem: str) -> str:
    """A citation problem without its particular value (``access-date: unparseable date``)."""
    text = _DATE_TEXT.sub(r"\1", _IN_PARAM.sub("", problem))
    return _NUMBER.sub("N", _NUMBERED_PARAM.sub(r"'\1N'", text))


class Summary:
    """Counts over citation rows, filled one record at a time by :meth:`add`."""

    def __init__(self, top: int = 10, keep: Callable[[Row], bool] | None = None) -> None:
        self.top, self.keep = top, keep
        self.records = self.pages = self.citations = self.pages_with_citations = 0
        self.counters: dict[str, Counter[Any]] = {
            name: Counter() for name in (*_COUNTERS, "problems", "has", "valid")
        }
        self.links: Counter[str] = Counter()
        self.languages: dict[str | None, Counter[str]] = {}
        #: A min-heap of (citations, -order, title, lang).
        self._busiest: list[tuple[int, int, str, str | None]] = []
        self.without: list[tuple[str, str | None]] = []
        self.without_count = 0

    def add(self, record: dict[str, Any]) -> list[Row]:
        """Count one record and return its rows that were counted (those ``keep`` keeps).

        Redirect and error records only count as records; with ``keep``, a page's
        citations are the ones it keeps, and when ``keep`` is a
        :class:`~extractor.cites.filters.Filter`, a page of a language it leaves out is
        no page.
        """
        self.records += 1
        if not is_article(record):
            return []
        rows = record_rows(record)
        lang = page_lang(record)
        if self.keep is not None:
            if isinstance(self.keep, Filter) and not self.keep.keeps_lang(lang):
                return []
            rows = [row for row in rows if self.keep(row)]
        self.pages += 1
        title = page_title(record) or ""
        language = self.languages.get(lang)
        if language is None:
            language = self.languages[lang] = Counter()
        language["pages"] += 1
        if not rows:
            self.without_count += 1
            if len(self.without) < self.top:
                self.without.append((title, lang))
            return rows
        self.pages_with_citations += 1
        self.citations += len(rows)
        language["pages_with_citations"] += 1
        language["citations"] += len(rows)
        entry = (len(rows), -self.pages, title, lang)
        if len(self._busiest) < self.top:
            heapq.heappush(self._busiest, entry)
        elif self.top:
            heapq.heappushpop(self._busiest, entry)
        c = self.counters
        for row in rows:
            c["kinds"][row["kind"]] += 1
            c["templates"][row["template"]] += 1
            for field, name in _BY_FIELD:
                if row[field] is not None:
                    c[name][row[field]] += 1
            self._identifiers(row)
            self.links["with_url"] += row["url"] is not None
            self.links["archived"] += row["archived"]
            self.links["dead"] += row["dead"]
            language["with_identifier"] += row["identifier_kinds"] is not None
            language["with_url"] += row["url"] is not None
            if row["problem_count"]:
                self.links["with_problems"] += 1
                language["with_problems"] += 1
                c["problems"].update({problem_type(p) for p in row.lists["problems"]})
        return rows

    def _identifiers(self, row: dict[str, Any]) -> None:
        kinds = (row["identifier_kinds"] or "").split()
        if not kinds:
            return
        invalid = (row["invalid_kinds"] or "").split()
        has, valid = self.counters["has"], self.counters["valid"]
        for kind in ("any", *kinds):
            has[kind] += 1
            valid[kind] += not (invalid if kind == "any" else kind in invalid)

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data: counts only (shares are counts over ``citations``).

        ``languages`` has every language of the pages counted (``name`` null when a record
        says none), most citations first.
        """
        c, top = self.counters, self.top
        present = c["has"].keys() - {"any"}
        kinds = sorted(present | set(ID_COLUMNS), key=lambda k: (-c["has"][k], k))
        return {
            "records": self.records,
            "pages": self.pages,
            "pages_with_citations": self.pages_with_citations,
            "citations": self.citations,
            "kinds": _pairs(c["kinds"].most_common()),
            "templates": _pairs(c["templates"].most_common(top)),
            "identifiers": {
                kind: {"citations": c["has"][kind], "valid": c["valid"][kind]}
                for kind in ("any", *kinds)
            },
            "domains": _pairs(c["domains"].most_common(top)),
            "works": _pairs(c["works"].most_common(top)),
            "publishers": _pairs(c["publishers"].most_common(top)),
            "years": {str(y): n for y, n in sorted(c["years"].items())},
            "access_years": {str(y): n for y, n in sorted(c["access_years"].items())},
            "links": {k: self.links[k] for k in ("with_url", "archived", "dead")},
            "with_problems": self.links["with_problems"],
            "problems": _pairs(c["problems"].most_common(top)),
            "most_cited_pages": [
                {"name": t, "lang": lang, "count": n}
                for n, _, t, lang in sorted(self._busiest, reverse=True)
            ],
            "pages_without_citations": {
                "count": self.without_count,
                "pages": [{"name": t, "lang": lang} for t, lang in self.without],
            },
            "languages": [
                {"name": lang, **{field: counts[field] for field in LANGUAGE_FIELDS}}
                for lang, counts in sorted(self.languages.items(), key=_language_order)
            ],
        }


def summarize(
    records: Iterable[dict[str, Any]], *, top: int = 10, keep: Callable[[Row], bool] | None = None
) -> dict[str, Any]:
    """The summary of ``records`` (see :meth:`Summary.to_dict`)."""
    summary = Summary(top, keep)
    for record in records:
        summary.add(record)
    return summary.to_dict()


def _pairs(items: Iterable[tuple[Any, int]]) -> list[dict[str, Any]]:
    return [{"name": key, "count": count} for key, count in items]


def _language_order(item: tuple[str | None, Counter[str]]) -> tuple[int, int, bool, str]:
    lang, counts = item
    return -counts["citations"], -counts["pages"], lang is None, lang or ""

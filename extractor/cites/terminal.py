"""The summary as text for a terminal: aligned tables with shares, year bars.

Rendering only: every number comes from :func:`extractor.cites.summary.summarize`.  Text
from the records is shown with its control characters escaped
(:func:`extractor.cites.writers.visible`); CJK text is aligned by display width.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from extractor.cites.writers import table_lines, visible

#: Width of the longest year bar.
BAR = 40


def render_summary(data: dict[str, Any]) -> str:
    """The whole summary as text."""
    return "\n".join(_blocks(data)) + "\n"


def _blocks(data: dict[str, Any]) -> Iterator[str]:
    total, pages = data["citations"], data["pages"]
    without = data["pages_without_citations"]
    yield (
        f"{counted(total, 'citation')} in {data['pages_with_citations']:,} of "
        f"{counted(pages, 'page')} ({without['count']:,} without any)"
    )
    if data["records"] > pages:
        skipped = counted(data["records"] - pages, "record")
        yield f"{skipped} skipped (redirects, errors, pages of another --lang)"
    yield from _languages(data["languages"], total)
    yield from _counts("Kind", _pairs(data["kinds"]), total)
    templates = [[t["name"] or "(none: <ref> text)", t["count"]] for t in data["templates"]]
    yield from _counts("Template", templates, total)
    ids = [[k, v["citations"], _share(v["citations"], total), _share(v["valid"], v["citations"])]
           for k, v in data["identifiers"].items() if v["citations"]]  # fmt: skip
    yield from _table("Identifier", ["citations", "share", "valid"], ids)
    for name, label in (("domains", "Domain"), ("works", "Work"), ("publishers", "Publisher")):
        yield from _counts(label, _pairs(data[name]), total)
    yield from _years("Publication year", data["years"])
    yield from _years("Access year", data["access_years"])
    links = data["links"]
    with_url = links["with_url"]
    yield ""
    yield (
        f"Links: {counted(with_url, 'citation')} with a URL ({_share(with_url, total)}); "
        f"archived {links['archived']:,} ({_share(links['archived'], total)}), "
        f"marked dead {links['dead']:,} ({_share(links['dead'], total)})"
    )
    yield ""
    problems = data["with_problems"]
    yield f"Problems: {counted(problems, 'citation')} ({_share(problems, total)})"
    yield from _counts("Problem", _pairs(data["problems"]), total)
    busiest = [[_page(p), p["count"]] for p in data["most_cited_pages"]]
    yield from _counts("Page (most citations)", busiest, total)
    if without["pages"]:
        more = without["count"] - len(without["pages"])
        yield ""
        titles = ", ".join(_page(p) for p in without["pages"])
        yield visible(" ".join(f"Pages without citations: {titles}".split())) + (
            f" and {more:,} more" if more else ""
        )


def _languages(languages: list[dict[str, Any]], total: int) -> Iterator[str]:
    """The per-language table, when the pages are of more than one language."""
    if len(languages) < 2:
        return
    rows = [[lang["name"] or "(unknown)", lang["pages"], lang["citations"],
             _share(lang["citations"], total), _share(lang["with_identifier"], lang["citations"]),
             _share(lang["with_problems"], lang["citations"])]
            for lang in languages]  # fmt: skip
    headers = ["pages", "citations", "share", "with identifier", "with problems"]
    yield from _table("Language", headers, rows)


def _pairs(entries: list[dict[str, Any]]) -> list[list[Any]]:
    return [[entry["name"], entry["count"]] for entry in entries]


def _page(page: dict[str, Any]) -> str:
    """A page's title, with its language when known: ``Berlin (de)``."""
    return f"{page['name']} ({page['lang']})" if page["lang"] else str(page["name"])


def counted(n: int, noun: str) -> str:
    """``1 citation``, ``2 citations``, ``1,234 pages``: ``n`` and its noun, in the plural
    unless ``n`` is 1."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _counts(label: str, pairs: Sequence[Sequence[Any]], total: int) -> Iterator[str]:
    yield from _table(label, ["citations", "share"], [[k, n, _share(n, total)] for k, n in pairs])


def _table(label: str, headers: list[str], rows: list[list[Any]]) -> Iterator[str]:
    if not rows:
        return
    yield ""
    cells = [[str(key), *(f"{v:,}" if isinstance(v, int) else v for v in rest)]
             for key, *rest in rows]  # fmt: skip
    yield from table_lines(cells, [label, *headers], max_width=60)


def _years(label: str, years: dict[str, int]) -> Iterator[str]:
    """A bar per year, or per decade when the years span more than 30."""
    if not years:
        return
    numbers = {int(y): n for y, n in years.items()}
    if max(numbers) - min(numbers) > 30:
        label += " (by decade)"
        decades: dict[int, int] = {}
        for year, n in numbers.items():
            decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + n
        bins = {f"{d}s": n for d, n in sorted(decades.items())}
    else:
        bins = {str(y): n for y, n in sorted(numbers.items())}
    peak = max(bins.values())
    width = max(len(k) for k in bins)
    yield ""
    yield label
    for key, n in bins.items():
        yield f"  {key.rjust(width)}  {'█' * max(1, round(n / peak * BAR)):<{BAR}}  {n:,}"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"

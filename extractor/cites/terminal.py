"""The summary as text for a terminal: aligned tables with shares, year bars.

Rendering only: every number comes from :func:`extractor.cites.summary.summarize`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from extractor.cites.writers import table_lines

#: Width of the longest year bar.
BAR = 40


def render_summary(data: dict[str, Any]) -> str:
    """The whole summary as text."""
    return "\n".join(_blocks(data)) + "\n"


def _blocks(data: dict[str, Any]) -> Iterator[str]:
    total, pages = data["citations"], data["pages"]
    without = data["pages_without_citations"]
    yield (
        f"{total:,} citations in {data['pages_with_citations']:,} of {pages:,} pages "
        f"({without['count']:,} without any)"
    )
    if data["records"] > pages:
        yield f"{data['records'] - pages:,} redirect or error records skipped"
    yield from _counts("Kind", data["kinds"], total)
    yield from _counts(
        "Template", [[t or "(none: <ref> text)", n] for t, n in data["templates"]], total
    )
    ids = [[k, v["citations"], _share(v["citations"], total), _share(v["valid"], v["citations"])]
           for k, v in data["identifiers"].items() if v["citations"]]  # fmt: skip
    yield from _table("Identifier", ["citations", "share", "valid"], ids)
    for name, label in (("domains", "Domain"), ("works", "Work"), ("publishers", "Publisher")):
        yield from _counts(label, data[name], total)
    yield from _years("Publication year", data["years"])
    yield from _years("Access year", data["access_years"])
    links = data["links"]
    with_url = links["with_url"]
    yield ""
    yield (
        f"Links: {with_url:,} citations with a URL ({_share(with_url, total)}); "
        f"archived {links['archived']:,} ({_share(links['archived'], total)}), "
        f"marked dead {links['dead']:,} ({_share(links['dead'], total)})"
    )
    yield ""
    yield f"Problems: {data['with_problems']:,} citations ({_share(data['with_problems'], total)})"
    yield from _counts("Problem", data["problems"], total)
    yield from _counts("Page (most citations)", data["most_cited_pages"], total)
    if without["titles"]:
        more = without["count"] - len(without["titles"])
        yield ""
        yield f"Pages without citations: {', '.join(without['titles'])}" + (
            f" and {more:,} more" if more else ""
        )


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

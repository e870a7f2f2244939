"""Small inline SVG charts for the HTML report, drawn in Python: no library, no script.

Each chart scales with its container (``viewBox``), takes its colours from the page's CSS
classes, and gives every bar a ``<title>`` tooltip with the exact number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from extractor.cites.terminal import counted

#: Width of every chart in SVG units; heights follow the number of bars.
WIDTH = 560
_ROW = 22
_LABEL = 200


def bars(items: Sequence[tuple[str, int]], total: int, *, caption: str) -> str:
    """Horizontal bars, one per ``(label, count)``, with count and share of ``total``."""
    if not items:
        return _empty(caption)
    peak = max(n for _, n in items) or 1
    room = WIDTH - _LABEL - 110
    parts = []
    for i, (label, n) in enumerate(items):
        y = i * _ROW
        width = max(1.0, n / peak * room)
        tip = f"{label}: {n:,} ({pct(n, total)})"
        parts.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text class="label" x="{_LABEL - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(_cut(label))}</text>"
            f"{_bar(y, width)}"
            f'<text class="value" x="{_LABEL + width + 6:.1f}" y="{y + 15}">'
            f"{n:,} · {pct(n, total)}</text></g>"
        )
    return _svg(len(items) * _ROW, caption, "".join(parts))


def coverage(items: Sequence[tuple[str, int, int]], total: int, *, caption: str) -> str:
    """Per identifier kind ``(kind, citations, valid)``: a bar for the share of all citations
    that has it, split into its valid (solid) and invalid (red) part."""
    if not items:
        return _empty(caption)
    peak = max(n for _, n, _ in items) or 1
    room = WIDTH - _LABEL - 150
    parts = []
    for i, (kind, n, valid) in enumerate(items):
        y = i * _ROW
        width = max(1.0, n / peak * room)
        good = width * valid / n if n else 0
        tip = f"{kind}: {counted(n, 'citation')} ({pct(n, total)}), "
        tip += f"{valid:,} valid ({pct(valid, n)})"
        parts.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text class="label" x="{_LABEL - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(kind)}</text>"
            f"{_bar(y, width, 'bar bad')}{_bar(y, good)}"
            f'<text class="value" x="{_LABEL + width + 6:.1f}" y="{y + 15}">'
            f"{pct(n, total)} · {pct(valid, n)} valid</text></g>"
        )
    return _svg(len(items) * _ROW, caption, "".join(parts))


def columns(counts: dict[str, int], *, caption: str, width: int = WIDTH, height: int = 170) -> str:
    """Vertical bars over years (see :func:`year_bins`), with a scale line at the peak."""
    if not counts:
        return _empty(caption)
    bins = year_bins({int(y): n for y, n in counts.items()})
    peak = max(n for _, n in bins) or 1
    left, bottom, step = 48, 22, (width - 48 - 16) / len(bins)
    base = height - bottom
    plot = base - 10
    top = base - plot
    every = max(1, math.ceil(len(bins) * 46 / (width - left)))
    parts = [
        f'<line class="axis" x1="{left}" y1="{base}" x2="{width - 16}" y2="{base}"/>',
        f'<line class="grid" x1="{left}" y1="{top}" x2="{width - 16}" y2="{top}"/>',
        f'<text class="tick" x="{left - 6}" y="{top + 4}" text-anchor="end">{peak:,}</text>',
    ]
    for i, (label, n) in enumerate(bins):
        x = left + i * step
        h = n / peak * plot
        parts.append(
            f"<g><title>{escape(label)}: {n:,}</title>"
            f'<rect class="bar" x="{x + step * 0.12:.1f}" y="{base - h:.1f}" '
            f'width="{max(step * 0.76, 1):.1f}" height="{h:.1f}" rx="2"/></g>'
        )
        if i % every == 0 or (i == 0 and label.startswith("<")):
            parts.append(
                f'<text class="tick" x="{x + step / 2:.1f}" y="{height - 6}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return _svg(height, caption, "".join(parts), width)


def year_bins(
    years: dict[int, int], *, tail: float = 0.02, span: int = 80
) -> list[tuple[str, int]]:
    """Bars for a year histogram that stay readable: the oldest ``tail`` share of the
    citations goes into one ``<YEAR`` bar, then one bar per year, or per decade when more
    than ``span`` years remain."""
    total, seen, start = sum(years.values()), 0, min(years)
    for year in sorted(years):
        if seen + years[year] > total * tail:
            start = year
            break
        seen += years[year]
    last = max(years)
    earlier = [(f"<{start}", seen)] if seen else []
    if last - start <= span:
        return earlier + [(str(y), years.get(y, 0)) for y in range(start, last + 1)]
    first = start // 10 * 10
    decades = dict.fromkeys(range(first, last + 1, 10), 0)
    for year, n in years.items():
        if year >= start:
            decades[year // 10 * 10] += n
    return earlier + [(f"{d}s", n) for d, n in decades.items()]


def _bar(y: int, width: float, cls: str = "bar") -> str:
    size = f'width="{width:.1f}" height="{_ROW - 6}"'
    return f'<rect class="{cls}" x="{_LABEL}" y="{y + 3}" {size} rx="3"/>'


def _svg(height: int, caption: str, body: str, width: int = WIDTH) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(caption)}">{body}</svg>'
    )


def _empty(caption: str) -> str:
    return f'<p class="empty">No {escape(caption.lower())} in these citations.</p>'


def _cut(label: str, size: int = 28) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def pct(part: int, whole: int) -> str:
    """``part`` as a share of ``whole``, one decimal; never rounded up to 100% unless equal."""
    if not whole:
        return "–"
    share = part / whole * 100
    return f"{share:.1f}%" if share < 99.95 or part == whole else "99.9%"

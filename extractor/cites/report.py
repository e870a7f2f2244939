"""``extractor cites report``: one self-contained HTML file about a set of citations.

Numbers and charts come from the summary (all citations); the table holds the first
:data:`MAX_ROWS` citations as JSON in a ``<script type="application/json">``, run by the
page's own script (:mod:`extractor.cites.assets`).  Nothing is loaded from the network, and
the page's Content-Security-Policy allows nothing else: only its own style sheet and
script (by their SHA-256), and ``data:`` images (the empty favicon).  Pages carry their
language (``Berlin · de``), so the same title from two wikis can be told apart.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Sequence
from html import escape
from typing import Any

import orjson

from extractor.cites import charts
from extractor.cites.assets import CSS, SCRIPT
from extractor.cites.charts import pct
from extractor.cites.outputs import text_output
from extractor.cites.rows import Row, printable
from extractor.cites.terminal import counted

#: Citations embedded in the table by default; the numbers and charts count all.
MAX_ROWS = 50_000
#: What the table keeps of a row (see :func:`report_row`).
REPORT_COLUMNS = ("page", "section", "kind", "title", "url", "authors", "source", "year",
                  "ids", "domain", "link", "problems", "lang", "claim")  # fmt: skip
#: Table headings: (column, heading, sort descending first).
_HEADINGS = (("page", "Page", False), ("section", "Section", False), ("kind", "Kind", False),
             ("title", "Title", False), ("authors", "Authors", False),
             ("source", "Work / publisher", False), ("year", "Year", True),
             ("ids", "Identifiers", True), ("problems", "Problems", True),
             ("claim", "Claim", False))  # fmt: skip


def report_row(row: Row) -> list[Any]:
    """The table's cells of a citation row, in :data:`REPORT_COLUMNS` order."""
    ids = orjson.loads(row["identifiers"]) if row["identifiers"] else []
    return [
        row["page_title"],
        row["section_title"],
        row["kind"],
        row["title"] or row["text"],
        row["url"],
        row["authors"],
        row["work"] or row["publisher"],
        row["year"],
        [[i["kind"], i["value"], i["valid"]] for i in ids],
        row["domain"],
        "dead" if row["dead"] else "archived" if row["archived"] else None,
        row.lists["problems"],
        row["page_lang"],
        row["claim"],
    ]


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


#: What the page may load or run: its own inline style sheet and script, data: images.
CSP = (
    f"default-src 'none'; style-src {_sha256(CSS)}; script-src {_sha256(SCRIPT)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def write_report(
    path: str, data: dict[str, Any], rows: list[list[Any]], *, title: str, inputs: Sequence[str]
) -> None:
    """Write the report of summary ``data`` and table ``rows`` to ``path`` (``-``: stdout);
    an existing file is replaced only once the whole report is written."""
    page = render(data, rows, title=title, inputs=inputs)
    with text_output(path) as f:
        f.write(page)


def render(
    data: dict[str, Any], rows: list[list[Any]], *, title: str, inputs: Sequence[str]
) -> str:
    """The whole HTML page; ``title`` and the ``inputs`` names may come from undecodable
    command-line bytes (lone surrogates), so they are made printable."""
    total, title = data["citations"], printable(title)
    sources = printable(", ".join(os.path.basename(s.rstrip("/")) or s for s in inputs))
    table = _json({"columns": REPORT_COLUMNS, "rows": rows})
    note = ""
    if len(rows) < total:
        note = (
            f'<p class="note">The table holds the first {len(rows):,} of '
            f"{counted(total, 'citation')}; the numbers and charts above count all of them.</p>"
        )
    langs = ", ".join(lang["name"] for lang in data["languages"] if lang["name"])
    headline = escape(
        f"{counted(total, 'citation')} in {counted(data['pages'], 'page')} · {sources}"
        + (f" · {langs}" if langs else "")
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><link rel="icon" href="data:,">
<style>{CSS}</style></head>
<body>
<header><h1>{escape(title)}</h1><p>{headline}</p></header>
<main>
<section class="cards">{_cards(data)}</section>
<section class="grid">{_panels(data)}</section>
<section class="panel wide table">
<h2>Citations</h2>{note}
<div class="tools"><input id="search" type="search" autocomplete="off"
 placeholder="Search titles, pages, authors, DOIs, domains… (every word must match)">
<span id="info"></span><label>Rows <select id="size"><option>25</option>
<option selected>50</option><option>100</option><option>500</option></select></label></div>
<div class="scroll"><table class="cites" id="cites"><thead><tr>{_headings()}</tr></thead>
<tbody id="cites-body"></tbody></table></div>
<div class="pager"><button id="prev" type="button">← Previous</button><span id="where"></span>
<button id="next" type="button">Next →</button></div>
</section>
</main>
<footer>Made by <code>extractor cites report</code> · self-contained: works offline</footer>
<script type="application/json" id="cites-summary">{_json(data)}</script>
<script type="application/json" id="cites-rows">{table}</script>
<script>{SCRIPT}</script>
</body></html>
"""


def _cards(data: dict[str, Any]) -> str:
    total, ids, links = data["citations"], data["identifiers"], data["links"]
    without = data["pages_without_citations"]["count"]
    pages, problems = data["pages"], data["with_problems"]
    doi, isbn, any_id = ids["doi"]["citations"], ids["isbn"]["citations"], ids["any"]
    cards = [
        ("Citations", f"{total:,}", f"in {counted(data['pages_with_citations'], 'page')}"),
        ("Pages without", f"{without:,}", f"{pct(without, pages)} of {counted(pages, 'page')}"),
        ("With identifier", pct(any_id["citations"], total),
         f"{pct(any_id['valid'], any_id['citations'])} of them valid"),
        ("With DOI", pct(doi, total), counted(doi, "citation")),
        ("With ISBN", pct(isbn, total), counted(isbn, "citation")),
        ("Archived", pct(links["archived"], total), f"{links['dead']:,} marked dead"),
        ("With problems", pct(problems, total), counted(problems, "citation")),
    ]  # fmt: skip
    return "".join(
        f'<div class="card"><div class="k">{k}</div><div class="n">{n}</div>'
        f'<div class="s">{s}</div></div>'
        for k, n, s in cards
    )


def _panels(data: dict[str, Any]) -> str:
    total = data["citations"]
    coverage = [
        (k, v["citations"], v["valid"]) for k, v in data["identifiers"].items() if v["citations"]
    ]
    templates = [(t["name"] or "(none: plain ref)", t["count"]) for t in data["templates"]]
    panels = [
        ("Publication years", charts.columns(data["years"], caption="Publication years",
                                             width=1120, height=200), True),
        ("Kinds", charts.bars(_head(data["kinds"], 12, "kinds"), total, caption="Kinds"), False),
        ("Identifier coverage <small>share of citations · share valid</small>",
         charts.coverage(coverage, total, caption="Identifiers"), False),
        ("Top domains", charts.bars(_pairs(data["domains"]), total, caption="Domains"), False),
        ("Top works", charts.bars(_pairs(data["works"]), total, caption="Works"), False),
        ("Access years", charts.columns(data["access_years"], caption="Access years", height=250),
         False),
        ("Top publishers", _list(_pairs(data["publishers"])), False),
        ("Templates", _list(templates), False),
        ("Most common problems <small>citations</small>", _list(_pairs(data["problems"])), False),
        ("Pages with most citations",
         _list([(_page(p), p["count"]) for p in data["most_cited_pages"]], html=True), False),
        ("Pages without citations", _titles(data["pages_without_citations"]), False),
    ]  # fmt: skip
    if len(data["languages"]) > 1:
        panels.insert(1, ("Languages <small>pages · citations · share</small>",
                          _languages(data["languages"], total), False))  # fmt: skip
    return "".join(
        f'<div class="panel{" wide" if wide else ""}"><h2>{heading}</h2>{body}</div>'
        for heading, body, wide in panels
    )


def _head(entries: list[dict[str, Any]], size: int, what: str) -> list[tuple[str, int]]:
    """The first ``size`` entries, the rest summed into one."""
    pairs = _pairs(entries)
    if len(pairs) <= size:
        return pairs
    rest = pairs[size - 1 :]
    return [*pairs[: size - 1], (f"{len(rest)} more {what}", sum(n for _, n in rest))]


def _pairs(entries: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """``(name, count)`` of each summary entry."""
    return [(str(entry["name"]), entry["count"]) for entry in entries]


def _list(pairs: list[tuple[str, int]], *, html: bool = False) -> str:
    """A two-column table of ``(label, count)``; labels are text unless ``html``."""
    if not pairs:
        return '<p class="empty">None.</p>'
    rows = "".join(
        f'<tr><td>{k if html else escape(k)}</td><td class="n">{n:,}</td></tr>' for k, n in pairs
    )
    return f'<table class="list">{rows}</table>'


def _languages(languages: list[dict[str, Any]], total: int) -> str:
    rows = "".join(
        f"<tr><td>{escape(lang['name'] or '(unknown)')}</td>"
        f'<td class="n">{lang["pages"]:,}</td><td class="n">{lang["citations"]:,}</td>'
        f'<td class="n">{pct(lang["citations"], total)}</td></tr>'
        for lang in languages
    )
    return f'<table class="list">{rows}</table>'


def _page(page: dict[str, Any]) -> str:
    """A page's title as HTML, with its language as a badge when known."""
    lang = page["lang"]
    badge = f' <span class="badge lang">{escape(lang)}</span>' if lang else ""
    return escape(str(page["name"])) + badge


def _titles(without: dict[str, Any]) -> str:
    if not without["count"]:
        return '<p class="empty">Every page cites something.</p>'
    more = without["count"] - len(without["pages"])
    shown = ", ".join(_page(p) for p in without["pages"])
    return f"<p>{shown}{f' and {more:,} more' if more else ''}</p>"


def _headings() -> str:
    return "".join(
        f'<th data-key="{key}"{" data-desc=1" if desc else ""}>{label}</th>'
        for key, label, desc in _HEADINGS
    )


def _json(value: Any) -> str:
    """JSON safe inside ``<script>``: every ``<`` escaped, so no ``</script>`` can end it."""
    return orjson.dumps(value).decode().replace("<", "\\u003c")

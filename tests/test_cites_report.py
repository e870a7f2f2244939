"""`extractor cites report`: one self-contained HTML file, checked as text and in Chromium.

The browser test drives a real headless Chromium over the DevTools protocol: the page loads
from file:// with no console errors and no request leaving the file, the charts are drawn,
typing in the search box leaves exactly the matching rows.  It keeps screenshots in
tests/artifacts/.  Without `chromium` it is skipped, except under CI, where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from tests.test_cites import build_records
from tools.devtools import Chromium

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the shared dumps, samples/ and the identifier cases."""
    folder = tmp_path_factory.mktemp("report")
    path = folder / "report.html"
    inputs = [str(p) for p in build_records(folder)]
    result = CliRunner().invoke(cli, ["cites", "report", *inputs, "-o", str(path)])
    assert 0 == result.exit_code, result.output
    return path


def embedded(html: str, name: str) -> Any:
    found = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_report_is_self_contained(report: Path) -> None:
    """No external script, style, font or image: nothing to fetch, so it opens offline."""
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=", html)
    assert not re.search(r"<link[^>]*href=\"(?!data:)", html)
    assert "@import" not in html and not re.search(r"url\((?!data:)", html)
    data, table = embedded(html, "cites-summary"), embedded(html, "cites-rows")
    assert data["citations"] == len(table["rows"]) > 1000
    assert 6 <= html.count('<svg class="chart"')


def test_large_inputs_embed_a_bounded_table_and_say_so(tmp_path: Path, report: Path) -> None:
    """--max-rows caps the embedded rows; the page says the numbers still count all."""
    records = next(report.parent.glob("samples.jsonl"))
    out = tmp_path / "small.html"
    result = CliRunner().invoke(
        cli, ["cites", "report", str(records), "-o", str(out), "--max-rows", "20"]
    )
    html = out.read_text(encoding="utf-8")
    assert 0 == result.exit_code
    assert 20 == len(embedded(html, "cites-rows")["rows"])
    assert "holds the first 20 of" in html


def test_text_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    """A citation title holding </script> stays data: it cannot end the script early."""
    page = tmp_path / "x.wiki"
    page.write_text("A.<ref>{{cite web|url=https://a.org|title=</script><b>x</b>}}</ref>\n")
    out = tmp_path / "x.html"
    result = CliRunner().invoke(cli, ["cites", "report", str(page), "-j", "1", "-o", str(out)])
    html = out.read_text(encoding="utf-8")
    assert 0 == result.exit_code
    assert html.count("<script") == html.count("</script>") == 3
    assert "</script>x" == embedded(html, "cites-rows")["rows"][0][3]


# --- in a real browser -------------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    return found


@pytest.fixture(scope="module")
def browser(report: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    """The report loaded in Chromium, console and network recorded."""
    _chromium()
    chromium = Chromium(tmp_path_factory.mktemp("profile"), _chromium())
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            chromium.send(f"{domain}.enable")
        chromium.send("Emulation.setDeviceMetricsOverride", width=1280, height=1600,
                      deviceScaleFactor=1, mobile=False)  # fmt: skip
        chromium.send("Page.navigate", url=report.as_uri())
        chromium.wait_for("Page.loadEventFired")
        yield chromium
    finally:
        chromium.close()


def test_the_page_loads_offline_without_console_errors(browser: Chromium, report: Path) -> None:
    """No exception, console error or log error; every request stays in the file."""
    browser.js("1")  # let pending events arrive
    errors = [e for e in browser.events if _is_error(e)]
    assert [] == errors
    requested = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requested and all(url == report.as_uri() or url.startswith("data:") for url in requested)


def _is_error(event: dict[str, Any]) -> bool:
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.consoleAPICalled":
        return params["type"] in ("error", "assert")
    if method == "Log.entryAdded":
        return params["entry"]["level"] == "error"
    return method == "Runtime.exceptionThrown"


def test_the_charts_are_drawn(browser: Chromium) -> None:
    """Every chart has bars with a visible size."""
    sizes = browser.js(
        "[...document.querySelectorAll('svg.chart')].map(svg => "
        "[...svg.querySelectorAll('rect')].filter(r => r.getBBox().width > 0 "
        "&& r.getBBox().height > 0).length)"
    )
    assert len(sizes) >= 6 and all(n > 0 for n in sizes), sizes
    assert browser.js("document.querySelector('svg.chart').getBoundingClientRect().width") > 500


def test_the_table_is_paged_sorted_and_searchable(browser: Chromium, report: Path) -> None:
    """50 rows a page; a click on Year sorts; typing in the search box leaves the matches."""
    rows = embedded(report.read_text(encoding="utf-8"), "cites-rows")["rows"]
    visible = "document.querySelectorAll('#cites-body tr').length"
    assert 50 == browser.js(visible)
    browser.screenshot(ARTIFACTS / "report.png", x=0, y=0, width=1280, height=1600)
    browser.js("document.querySelector('th[data-key=year]').click()")
    years = browser.js(
        "[...document.querySelectorAll('#cites-body tr')].map(tr => tr.cells[6].textContent)"
    )
    assert str(max(r[7] for r in rows if r[7] is not None)) == years[0]
    for query in ("nytimes.com", "Albedo journal", "isbn 978"):
        browser.js("{ const s = document.getElementById('search'); s.value = ''; s.focus(); }")
        browser.send("Input.insertText", text=query)
        words = query.lower().split()
        expected = sum(1 for r in rows if all(w in _haystack(r) for w in words))
        assert 0 < expected < len(rows), query
        assert str(expected) == browser.js("document.getElementById('info').dataset.matching")
        assert min(expected, 50) == browser.js(visible), query
    top = browser.js("document.getElementById('cites').getBoundingClientRect().top + scrollY")
    browser.screenshot(ARTIFACTS / "report-search.png", x=0, y=top - 160, width=1280, height=900)


def _haystack(row: list[Any]) -> str:
    """What the page searches in a row: every cell as text, identifiers as `kind value`."""
    cells = []
    for value in row:
        if isinstance(value, list):
            value = " ".join(f"{v[0]} {v[1]}" if isinstance(v, list) else str(v) for v in value)
        cells.append("" if value is None else str(value))
    return "\x01".join(cells).lower()

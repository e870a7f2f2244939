"""Screenshots of the citation report at a phone's, a laptop's and a wide window's width.

    python tools/screenshots.py [SOURCE ...] [--out docs]

Builds ``extractor cites report`` of SOURCE (default: ``samples/``), opens it in headless
Chromium (``chromium`` on the PATH, driven by ``tools/devtools.py`` as the report's browser
tests drive it; websocket-client is a test extra) at 420, 1024 and 1600 CSS pixels wide, and
writes the top of the page to ``docs/report-WIDTH.png`` and the citation table to
``docs/table-WIDTH.png``.  Run it after a change to the report's layout and look at the
images: the README shows them.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devtools import Chromium  # tools/, beside this script

ROOT = Path(__file__).resolve().parent.parent
#: Each width, and how much of the page's top and of its citation table is captured.
SIZES = ((420, 2200, 1400), (1024, 1600, 1000), (1600, 1300, 1000))


def main() -> int:
    """Build the report, capture it at each width, print the files written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", default=[str(ROOT / "samples")])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshots: chromium is not on the PATH", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "extractor", "cites", "report", *args.sources,
             "-o", str(report)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        profile = Path(tmp) / "profile"
        profile.mkdir()
        page = Chromium(profile, chromium)
        try:
            for width, top_height, table_height in SIZES:
                page.send("Emulation.setDeviceMetricsOverride", width=width, height=900,
                          deviceScaleFactor=1, mobile=width < 640)  # fmt: skip
                page.send("Page.navigate", url=report.as_uri())
                while page.js("document.readyState") != "complete":
                    time.sleep(0.05)
                height = page.js("document.documentElement.scrollHeight")
                table = page.js(
                    "document.getElementById('cites').closest('section, .panel')"
                    ".getBoundingClientRect().top + window.scrollY"
                )
                shots = (("report", 0, min(top_height, height)),
                         ("table", table, min(table_height, height - table)))  # fmt: skip
                for name, top, size in shots:
                    target = args.out / f"{name}-{width}.png"
                    page.screenshot(target, x=0, y=top, width=width, height=size)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
        finally:
            page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

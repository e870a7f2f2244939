"""Screenshots of the citation report at a phone's, a laptop's and a wide window's width.

    python tools/screenshots.py [SOURCE ...] [--out docs]

Builds ``extractor cites report`` of SOURCE (default: ``samples/``), opens it in headless
Chromium (``chromium`` on the PATH, driven over the DevTools protocol with
websocket-client, a test extra) at 420, 1024 and 1600 CSS pixels wide, and writes the top
of the page to ``docs/report-WIDTH.png`` and the citation table to ``docs/table-WIDTH.png``.
Run it after a change to the report's layout and look at the images: the README shows them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from base64 import b64decode
from pathlib import Path
from typing import Any

import websocket

ROOT = Path(__file__).resolve().parent.parent
#: Each width, and how much of the page's top and of its citation table is captured.
SIZES = ((420, 2200, 1400), (1024, 1600, 1000), (1600, 1300, 1000))


class _Page:
    """One Chromium tab over the DevTools protocol."""

    def __init__(self, chromium: str, profile: Path) -> None:
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--no-first-run", "--disable-background-networking", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        port_file, deadline = profile / "DevToolsActivePort", time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as listing:
            target = next(t for t in json.load(listing) if t["type"] == "page")
        self.socket = websocket.create_connection(
            target["webSocketDebuggerUrl"], timeout=30, suppress_origin=True
        )
        self.last = 0

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call ``method``; events on the way are dropped."""
        self.last += 1
        self.socket.send(json.dumps({"id": self.last, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.last:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message["result"]
                return result

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def capture(self, path: Path, top: float, width: int, height: float) -> None:
        clip = {"x": 0, "y": top, "width": width, "height": height, "scale": 1}
        shot = self.send("Page.captureScreenshot", format="png", clip=clip,
                         captureBeyondViewport=True)  # fmt: skip
        path.write_bytes(b64decode(shot["data"]))

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)


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
        page = _Page(chromium, Path(tmp) / "profile")
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
                    page.capture(target, top, width, size)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
        finally:
            page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

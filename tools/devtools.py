"""Headless Chromium over the DevTools protocol, for the report's browser tests and
``tools/screenshots.py`` (needs websocket-client, a test extra, and ``chromium``)."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from base64 import b64decode
from pathlib import Path
from typing import Any

import websocket


class Chromium:
    """Headless Chromium driven over the DevTools protocol (websocket-client)."""

    def __init__(self, profile: Path, binary: str = "chromium") -> None:
        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", "--window-size=1280,1600", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            self.socket = self._connect(profile)
        except BaseException:  # a browser that started must not outlive a failed start
            self.process.terminate()
            self.process.wait(timeout=30)
            raise
        self.events: list[dict[str, Any]] = []
        self.last_id = 0

    def _connect(self, profile: Path) -> websocket.WebSocket:
        """The websocket of the browser's page, once it says on which port it listens."""
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as listing:
            page = next(t for t in json.load(listing) if t["type"] == "page")
        return websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True
        )

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call ``method`` and return its result; events met on the way are kept."""
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message["result"]
                return result
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {event}")
            self.socket.settimeout(max(0.1, deadline - time.monotonic()))
            self.events.append(json.loads(self.socket.recv()))
        self.socket.settimeout(30)

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, **clip: float) -> None:
        params: dict[str, Any] = {"format": "png"}
        if clip:
            params |= {"clip": {**clip, "scale": 1}, "captureBeyondViewport": True}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b64decode(self.send("Page.captureScreenshot", **params)["data"]))

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)

"""Headless Chromium for the report tests: the DOM after the page's scripts ran, and screenshots.

Chromium is a hard requirement of these tests (CI installs it: ``apt-get install -y chromium``);
when it is missing the test fails and says so, because a report nobody looked at is not tested.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)


def chromium_binary() -> str:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "headless Chromium is required to test the HTML report but none was found on PATH "
        f"(looked for {', '.join(CANDIDATES)}); install it with `apt-get install -y chromium`",
        pytrace=False,
    )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="mlopsconf-chromium-") as profile:
        command = [chromium_binary(), *FLAGS, f"--user-data-dir={profile}", *args]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"chromium did not finish within 120 s: {' '.join(args)}", pytrace=False)
    if result.returncode != 0:
        pytest.fail(f"chromium exited {result.returncode}: {result.stderr.strip()[-2000:]}", pytrace=False)
    return result


# The page inflates its packed evidence asynchronously (DecompressionStream); with a virtual time
# budget Chromium dumps the DOM only once that work is done (or the budget is spent), not at load.
VIRTUAL_TIME_BUDGET_MS = 10_000


def dump_dom(page: Path, fragment: str = "") -> str:
    """The serialised DOM of ``page`` after its scripts ran (``fragment`` without the ``#``)."""
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    return _run(f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}", "--dump-dom", url).stdout


def screenshot(page: Path, target: Path, fragment: str = "", size: str = "1400,1000") -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    _run(f"--screenshot={target.resolve()}", f"--window-size={size}", url)
    return target


class DomScan(HTMLParser):
    """What the tests read back from a DOM dump: matrix rows, buttons, the drawer and the root."""

    def __init__(self, dom: str) -> None:
        super().__init__()
        self.root: dict[str, str | None] = {}
        self.op_rows: list[dict[str, str | None]] = []
        self.verdict_buttons: list[dict[str, str | None]] = []
        self.button_text: dict[str, str] = {}
        self.drawer: dict[str, str | None] = {}
        self.drawer_text: list[str] = []
        self._stack: list[str] = []
        self._in_drawer = 0
        self._button: str | None = None
        self.feed(dom)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = (attr.get("class") or "").split()
        if tag == "html":
            self.root = attr
        if tag == "tr" and "op" in classes:
            self.op_rows.append(attr)
        if tag == "button" and "vbtn" in classes:
            self.verdict_buttons.append(attr)
            self._button = attr.get("data-verdict")
            self.button_text[self._button or ""] = ""
        if attr.get("id") == "drawer":
            self.drawer = attr
            self._in_drawer = 1
        elif self._in_drawer and tag not in ("br", "img", "input", "meta", "hr"):
            self._in_drawer += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self._button = None
        if self._in_drawer:
            self._in_drawer -= 1

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self.button_text[self._button] += data
        if self._in_drawer:
            self.drawer_text.append(data)

    @property
    def visible_op_rows(self) -> list[dict[str, str | None]]:
        return [row for row in self.op_rows if "hidden" not in row]

"""Debian's Chromium for the tests: where it is, the flags it runs with, two ways to start it.

One definition for every browser test (``tests/viz`` runs Chromium on the command line;
``tests/web`` drives it through Playwright). The browser is always the system's, found on
``PATH``; Playwright is given its ``executable_path`` and never downloads one. The flags
keep a headless run quiet on the network: no QUIC, no background fetches, no component
updates, no sync; the pages' own requests are checked by each test.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

NAMES = ("chromium", "chromium-browser")  # Debian's name, then Ubuntu's
CHROMIUM: str | None = next((found for n in NAMES if (found := shutil.which(n))), None)
NO_CHROMIUM = "no 'chromium' on PATH (apt-get install chromium)"

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def launch(playwright: Any) -> Any:
    """A Playwright browser on the system's Chromium with ``FLAGS`` (skips when there is none)."""
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(FLAGS))


def run(profile: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run Chromium on the command line with ``FLAGS``, a profile folder of its own and ``args``.

    Fails the test (rather than hanging it) when Chromium has not finished in ``timeout`` s.
    """
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{CHROMIUM} did not finish within {timeout:g} s")


def on_loopback(url: str) -> bool:
    """Whether a request for ``url`` stays on this machine (127.0.0.1, or data: and blob:)."""
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob") or parsed.hostname == "127.0.0.1"

"""web/zoom.js, the expression lab's zoom and pan: a wide drawing opens with readable text."""

from __future__ import annotations

import functools
import html
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from autodiff import to_svg
from nn import MLP, half_squared_error
from tests import browser

ROOT = Path(__file__).resolve().parents[2]

if browser.CHROMIUM is None:
    pytest.skip(browser.NO_CHROMIUM, allow_module_level=True)
if shutil.which("dot") is None:
    pytest.skip("needs Graphviz's dot for the drawing", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<div id="graph" style="width: 900px">{svg}</div>
<script type="module">
import {{ zoomable }} from "./zoom.js";
const box = document.getElementById("graph");
zoomable(box, box.querySelector("svg"));
document.body.dataset.ready = "1";
</script></body></html>"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Nothing: the test's output stays readable."""


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """zoom.js and a page holding a wide drawing (a 2-2-1 network, unfolded, with formulas)."""
    shutil.copy2(ROOT / "web" / "zoom.js", tmp_path / "zoom.js")
    net = MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    loss = half_squared_error(net([1.0, 0.5]), 1.0)
    loss.backward()
    svg = to_svg(loss, rankdir="LR", formulas=True)
    svg = svg[svg.index("<svg") :]
    (tmp_path / "index.html").write_text(PAGE.format(svg=svg), encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/index.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_wide_drawing_opens_readable_and_zooms_pans_and_fits(site: str) -> None:
    """Fitted to 900 px its text would be ~4 px: it opens at 11 px; +, drag and fit work."""
    with sync_api.sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        page = chromium.new_page(viewport={"width": 1000, "height": 800})
        page.route(
            "**/*", lambda r: r.continue_() if browser.on_loopback(r.request.url) else r.abort()
        )
        page.goto(site)
        page.wait_for_selector("body[data-ready]")
        svg = page.locator("#graph svg")
        text, scale = float(svg.get_attribute("data-text")), float(svg.get_attribute("data-scale"))
        width = float(svg.evaluate("s => s.viewBox.baseVal.width")) * 4 / 3
        assert text * 900 / width < 11  # fitting the box would make the text unreadable
        assert text * scale >= 11 - 0.01
        page.click("#graph .zoom-buttons button >> text=+")
        assert float(svg.get_attribute("data-scale")) == pytest.approx(scale * 1.25, rel=1e-3)
        before = svg.evaluate("s => s.style.transform")
        box = page.locator("#graph").bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + 300, box["y"] + 300)
        page.mouse.down()
        page.mouse.move(box["x"] + 200, box["y"] + 250, steps=4)
        page.mouse.up()
        assert svg.evaluate("s => s.style.transform") != before
        page.click("#graph .zoom-buttons button >> text=fit")
        assert float(svg.get_attribute("data-scale")) < scale
        assert html.unescape(page.inner_html("#graph")).count("<svg") == 1
        chromium.close()

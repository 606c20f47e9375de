"""The course site in Debian's Chromium: the landing page, a notebook run in JupyterLite, the labs.

Every request that is not to 127.0.0.1 is aborted and counted; each test asserts the count
stayed 0. Start-up times are printed with the machine's load (``os.getloadavg``), since the
machine running them may be shared. ``WEB_SCREENSHOTS=docs`` also writes the landing page's
and a notebook's screenshots there. Skips as ``test_web_browser`` does (no Node, Chromium or
playwright), and without the ``site`` extra.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import browser
from tests.web.test_web_browser import START, screenshot, sync_api

NOTEBOOK_START = 300_000  # ms: Pyodide, the kernel's packages and notebook 04, on a loaded machine


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} / {five:.1f} (1 / 5 min) on {os.cpu_count()} cores"


def report(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with capsys.disabled():
        print(f"\n[site] {text}; {load()}")


@pytest.fixture(scope="module")
def outside() -> list[str]:
    """Every request the module's pages and workers tried to send off the loopback."""
    return []


@pytest.fixture(scope="module")
def context(outside: list[str]) -> Iterator[Any]:
    """One browser context whose every request off 127.0.0.1 is aborted and recorded."""

    def route(route: Any) -> None:
        if browser.on_loopback(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", route)
        yield context
        context.close()
        chromium.close()


@pytest.fixture
def page(context: Any, outside: list[str]) -> Iterator[Any]:
    """A fresh page; afterwards, no request was aborted and no error was thrown in the page."""
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert outside == [], f"requests off the loopback (aborted): {outside}"
    assert not errors, f"errors in the page: {errors}"


def test_landing_page_links_everything(
    page: Any, served: tuple[str, float], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The landing page links the 13 notebooks, both labs and the docs; each link opens."""
    base, build_seconds = served
    report(capsys, f"site build: {build_seconds:.1f} s (0: cached)")
    page.goto(base)
    links = page.eval_on_selector_all("ol.notebooks a", "as => as.map(a => a.href)")
    assert len(links) == 13
    assert all("lite/notebooks/index.html?path=" in link for link in links)
    assert links[3].endswith("04_value_engine.ipynb")
    text = page.inner_text("body")
    assert "kept" in text.lower() or "stays in this browser" in text
    assert "Download" in text
    others = page.eval_on_selector_all(
        "a.card, a[href^='docs/'], a[href='README.md']", "as => as.map(a => a.href)"
    )
    assert any("expression.html" in u for u in others)
    assert any("training.html" in u for u in others)
    assert any(u.endswith(("docs/index.html", "README.md")) for u in others)
    for url in [*others, links[0]]:
        response = page.request.get(url)
        assert response.ok, f"{url}: HTTP {response.status}"
    screenshot(page, "site_landing.png", tmp_path)


def _outputs(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
          const cells = [...document.querySelectorAll('.jp-CodeCell')];
          const shown = (el) => el.innerHTML + [...el.querySelectorAll('img')]
              .map((img) => decodeURIComponent(img.src)).join('');
          const svg = [...document.querySelectorAll(
              '.jp-OutputArea-output[data-mime-type="image/svg+xml"]')].map(shown);
          return {
            prompts: cells.map((c) => c.querySelector('.jp-InputPrompt').textContent.trim()),
            text: [...document.querySelectorAll('.jp-OutputArea-output')]
              .map((el) => el.textContent).join('\\n'),
            errors: document.querySelectorAll(
              '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]').length,
            figures: svg.filter((s) => s.includes('DejaVu Sans') && s.includes('polyline')).length,
            drawings: svg.filter((s) => s.includes('class="graph"')).length,
          };
        }"""
    )


def test_notebook_04_runs_in_jupyterlite(
    page: Any, served: tuple[str, float], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run All on notebook 04: no error, an exercise verdict, a figure and a drawing shown."""
    base, _ = served
    began = time.perf_counter()
    page.goto(f"{base}lite/notebooks/index.html?path=04_value_engine.ipynb")
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=START)
    opened = time.perf_counter() - began
    asked = time.perf_counter()
    for attempt in range(3):  # a click while JupyterLite still sets up its menus can be lost
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        try:
            page.wait_for_function(
                "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
                ".some((e) => e.textContent.includes('[*]'))",  # queued: the click took
                timeout=20_000,
            )
            break
        except sync_api.TimeoutError:
            if attempt == 2:
                raise
    page.wait_for_function(  # queued as [*] above, the first cell shows [1] when it is done
        "document.querySelector('.jp-CodeCell .jp-InputPrompt').textContent.includes('[1]')",
        timeout=NOTEBOOK_START,
    )
    first = time.perf_counter() - asked
    page.wait_for_function(
        "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
        ".every((e) => /\\[\\d+\\]/.test(e.textContent))",
        timeout=NOTEBOOK_START,
    )
    everything = time.perf_counter() - asked
    report(
        capsys,
        f"notebook 04 in JupyterLite: page {opened:.1f} s, first cell result {first:.1f} s "
        f"after Run All (Pyodide and the kernel start), all cells {everything:.1f} s",
    )
    shown = _outputs(page)
    assert shown["errors"] == 0, shown["text"][-2000:]
    assert "Traceback" not in shown["text"], shown["text"][-2000:]
    assert "exercise 4.1" in shown["text"]  # the verdict on the shipped placeholder
    assert shown["figures"] >= 1, "no nn.plot figure rendered"
    assert shown["drawings"] >= 1, "no draw_dot drawing rendered (viz.js)"
    drawing = page.locator('.jp-OutputArea-output[data-mime-type="image/svg+xml"]').first
    drawing.scroll_into_view_if_needed()
    page.mouse.wheel(0, -150)
    page.mouse.move(5, 880)  # off the headings: no hover anchor in the picture
    page.wait_for_timeout(300)
    path = tmp_path / "site_notebook.png"
    page.screenshot(path=str(path))
    target = os.environ.get("WEB_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / path.name).write_bytes(path.read_bytes())


def test_notebook_edits_survive_a_reload(page: Any, served: tuple[str, float]) -> None:
    """A cell added and saved in JupyterLite is still there after the page is reloaded."""
    base, _ = served
    url = f"{base}lite/notebooks/index.html?path=01_loss_and_error.ipynb"
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=START)
    page.click(".jp-Notebook .jp-Cell >> nth=0")
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new code cell below the first one
    page.keyboard.press("Enter")
    page.keyboard.type("# kept across reloads 4711")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "!document.querySelector('.jp-Notebook').closest('.jp-Document')"
        "?.classList.contains('jp-mod-dirty') ?? true"
    )
    page.wait_for_timeout(1000)
    page.reload()
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=START)
    page.wait_for_function(
        "document.querySelector('.jp-Notebook').textContent.includes('kept across reloads 4711')",
        timeout=30_000,
    )


@pytest.mark.parametrize(
    ("link", "ready"),
    [
        ("expression.html?expr=tanh(a*b%2Bc)&a=2&b=-3&c=10", "#graph svg"),
        ("training.html?dataset=circles&hidden=4&activation=tanh", "#play:not([disabled])"),
    ],
    ids=["expression", "training"],
)
def test_lab_opens_from_a_shared_link(
    page: Any,
    served: tuple[str, float],
    link: str,
    ready: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each lab opened from a link shows its first graph; the time to it is printed."""
    base, _ = served
    began = time.perf_counter()
    page.goto(base + link)
    page.wait_for_selector(ready, timeout=START)
    page.wait_for_selector("svg", timeout=START)
    seconds = time.perf_counter() - began
    report(capsys, f"{link.split('.')[0]} lab from a link: first graph in {seconds:.1f} s")


def test_pyodide_start_alone(
    page: Any, served: tuple[str, float], capsys: pytest.CaptureFixture[str]
) -> None:
    """The floor under every start-up figure: Pyodide's runtime and standard library only."""
    base, _ = served
    page.goto(base)
    seconds = page.evaluate(
        """async () => {
          const began = performance.now();
          const { loadPyodide } = await import('./pyodide/pyodide.mjs');
          const pyodide = await loadPyodide({ indexURL: new URL('pyodide/', location.href).href });
          pyodide.runPython('1 + 1');
          return (performance.now() - began) / 1000;
        }"""
    )
    report(capsys, f"Pyodide alone (runtime + standard library, in the page): {seconds:.1f} s")
    assert seconds > 0

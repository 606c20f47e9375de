"""The playground in Debian's Chromium: built, served on the loopback, driven by Playwright.

Skips with the reason when npm, Chromium or the ``playwright`` package is missing; the
browser is the system's, started by ``tests/browser.py``, never one Playwright downloads. Every
request any page or worker makes is recorded, and each test asserts none left
127.0.0.1. ``WEB_SCREENSHOTS=docs`` also writes the README's screenshots there.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests import browser

ROOT = Path(__file__).resolve().parents[2]
if shutil.which("npm") is None or shutil.which("node") is None:
    pytest.skip(
        "Node.js and npm are not installed (apt-get install nodejs npm)", allow_module_level=True
    )
if browser.CHROMIUM is None:
    pytest.skip(browser.NO_CHROMIUM, allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="the 'playwright' package is not installed (pip install -e '.[dev]')",
)

START = 90_000  # ms: Pyodide's start on a slow machine; it takes about 5 s on 2 cores


@pytest.fixture(scope="module")
def context() -> Iterator[Any]:
    """One browser context for the module: its HTTP cache lets later pages start sooner."""
    with sync_api.sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        yield context
        context.close()
        chromium.close()


@pytest.fixture
def page(context: Any, served: tuple[str, float]) -> Iterator[Any]:
    """A fresh page; after the test, every request it and its worker made was to 127.0.0.1."""
    requests: list[str] = []
    errors: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    outside = [u for u in requests if not browser.on_loopback(u)]
    assert requests and not outside, f"requests left the loopback: {outside}"
    assert any(u.endswith(".wasm") for u in requests), "the worker's requests were not seen"
    assert not errors, f"errors in the page: {errors}"


def screenshot(page: Any, name: str, tmp_path: Path) -> Path:
    """Save a full-page screenshot in tmp_path, and in $WEB_SCREENSHOTS when that is set."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    target = os.environ.get("WEB_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, Path(target) / name)
    return path


def report(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with capsys.disabled():
        print(f"\n[web] {text}")


def grad_shown(page: Any, name: str) -> float:
    text = page.inner_text(f"#grad-{name}")
    number = text.split("=")[-1].strip().replace("−", "-")
    return float(number)


def test_expression_lab_from_a_link(
    page: Any, served: tuple[str, float], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shared link shows ∂out/∂a = −0.00402, redraws when a slider moves, and steps backward."""
    base, build_seconds = served
    page.goto(f"{base}expression.html?expr=tanh(a*b%2Bc)&a=2&b=-3&c=10")
    page.wait_for_selector("#graph svg", timeout=START)
    first = float(page.get_attribute("body", "data-first-graph-seconds"))
    runtime = float(page.get_attribute("body", "data-runtime-seconds"))
    packages = float(page.get_attribute("body", "data-packages-seconds"))
    report(
        capsys,
        f"site built in {build_seconds:.1f} s; time to first graph {first:.1f} s "
        f"(Pyodide runtime {runtime:.1f} s, wheels + imports {packages:.1f} s)",
    )
    slope = 1 - math.tanh(4.0) ** 2
    assert round(grad_shown(page, "a"), 5) == -0.00402
    assert grad_shown(page, "a") == pytest.approx(-3 * slope, rel=1e-5)
    assert page.input_value("#expression") == "tanh(a*b+c)"
    drawn = page.inner_html("#graph")
    assert "−0.004023" in drawn  # the drawing's own numbers (draw_dot's .4g)

    # drag c's slider to the middle of its track (about 0), as a mouse would
    version = page.get_attribute("#graph", "data-version")
    box = page.locator("#slider-c").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_function(
        f"document.querySelector('#graph').dataset.version !== '{version}'"
        " && !document.querySelector('#grad-a').textContent.includes('00402')"
    )
    page.wait_for_timeout(300)  # let the last move's answer arrive
    c = float(page.input_value("#value-c"))
    redraw = page.get_attribute("#graph", "data-redraw-ms")
    report(capsys, f"a slider move: replay, DOT and layout in {redraw} ms")
    assert abs(c) < 1.0
    assert grad_shown(page, "a") == pytest.approx(-3 * (1 - math.tanh(-6.0 + c) ** 2), rel=1e-5)
    assert page.inner_html("#graph") != drawn
    assert f"c={c:g}" in page.url or f"c={c}" in page.url

    page.select_option("#explain-leaf", "b")
    page.click("#explain")
    page.wait_for_function("document.querySelector('#text').textContent.includes('∂out/∂b')")
    assert "1 path" in page.inner_text("#text")

    page.fill("#value-c", "10")
    page.dispatch_event("#value-c", "change")
    page.wait_for_function("document.querySelector('#grad-a').textContent.includes('00402')")
    for _ in range(2):  # the seed with step 1, then step 2 of the three nodes: mid-backward
        page.click("#step")
        page.wait_for_function("document.querySelector('#text').textContent.length > 0")
    page.wait_for_function(
        "document.querySelector('#step-count').textContent.includes('step 2 of 3')"
    )
    assert page.inner_text("#text").startswith("step 2 of 3: v2 = v1 + c")
    screenshot(page, "web_expression_lab.png", tmp_path)


def test_bad_expression_shows_the_cli_error(page: Any, served: tuple[str, float]) -> None:
    """From the landing page's link, a bad expression shows the CLI's one-line error."""
    base, _ = served
    page.goto(base)
    assert "run the course's own Python code" in page.inner_text("body")
    page.click("a.card[href^='expression.html']")
    page.wait_for_selector("#graph svg", timeout=START)
    assert page.input_value("#expression") == "tanh(a*b+c)"
    page.fill("#expression", "tanh(a*")
    page.click("#draw")
    page.wait_for_function("document.querySelector('#error').textContent.length > 0")
    cli = subprocess.run(
        [sys.executable, "-m", "autodiff", "draw", "tanh(a*"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert cli.returncode == 2
    expected = cli.stderr.strip().splitlines()[-1].removeprefix("python -m autodiff draw: ")
    assert page.inner_text("#error") == expected
    assert page.query_selector("#graph svg") is None


def test_training_settings_come_from_the_url(page: Any, served: tuple[str, float]) -> None:
    """A link with settings builds that network on that data set, and one epoch trains it."""
    base, _ = served
    page.goto(f"{base}training.html?dataset=circles&hidden=4&activation=tanh&loss=bce")
    page.wait_for_selector("#play:not([disabled])", timeout=START)
    assert page.input_value("select[name=dataset]") == "circles"
    assert page.query_selector("#neuron-L1\\.N4") is not None
    assert page.query_selector("#neuron-L1\\.N5") is None
    assert page.query_selector("#neuron-L2\\.N1") is not None  # the output neuron
    assert page.inner_text("#parameters") == "17 parameters"  # 4·(2+1) + (4+1)
    page.click("#one-step")
    page.wait_for_function("document.querySelector('#stats').dataset.epoch === '1'")


def test_training_lab_reaches_full_accuracy(
    page: Any, served: tuple[str, float], capsys: pytest.CaptureFixture[str]
) -> None:
    """Play with the defaults: moons is fitted to 100% training accuracy within the run."""
    base, _ = served
    page.goto(f"{base}training.html")
    page.wait_for_selector("#play:not([disabled])", timeout=START)
    assert page.get_attribute("#stats", "data-accuracy") != "1"
    page.click("#play")
    page.wait_for_selector("body[data-finished='true']", timeout=120_000)
    seconds = float(page.get_attribute("body", "data-run-seconds"))
    epochs = int(page.get_attribute("body", "data-run-epochs"))
    perfect = page.inner_text("#perfect")
    report(capsys, f"training lab: {epochs} epochs in {seconds:.1f} s; {perfect}")
    first = int(re.search(r"epoch (\d+)", perfect).group(1))  # type: ignore[union-attr]
    assert first <= epochs == 200
    assert page.get_attribute("#stats", "data-accuracy") == "1"
    assert "dataset=moons" in page.url
    page.click("#neuron-L1\\.N3")
    page.wait_for_selector("#neuron-graph svg")
    assert "L1.N3.w0" in page.inner_html("#neuron-graph")
    # the lab's screenshot (docs/web_training_lab.png) is test_training_browser's


CRAFTED_LINKS = {
    "1,000 minus signs": "-" * 1_000 + "a",
    "201 nested brackets": "(" * 201 + "a" + ")" * 201,
    "5,000 terms": "+".join(["a"] * 5_000),
    "1,999 tildes": "~" * 1_999 + "a",
}


def test_crafted_links_are_refused_and_the_page_keeps_working(
    page: Any, served: tuple[str, float]
) -> None:
    """Links too big for Python's parser get the CLI's refusal; Python in the page survives.

    Before, each crashed Pyodide ("Maximum call stack size exceeded"). The expressions at
    the limits (200 signs, brackets 50 deep) still draw.
    """
    base, _ = served
    page.goto(f"{base}expression.html?expr=a*b&a=Infinity&b=2")
    page.wait_for_function("document.querySelector('#error').textContent.length > 0", timeout=START)
    assert page.inner_text("#error") == "error: a: 'Infinity' is not a finite number"
    for expression in CRAFTED_LINKS.values():
        page.fill("#expression", expression)
        page.click("#draw")
        page.wait_for_function(
            "document.querySelector('#error').textContent.includes('at most')"
            " || document.querySelector('#error').textContent.includes('is not allowed')"
        )
        assert page.query_selector("#graph svg") is None
    for expression in ["-" * 200 + "a", "(" * 50 + "a" + ")" * 50]:
        version = page.get_attribute("#graph", "data-version") or ""
        page.fill("#expression", expression)
        page.click("#draw")
        page.wait_for_function(
            f"(document.querySelector('#graph').dataset.version ?? '') !== '{version}'",
            timeout=60_000,
        )
        assert page.inner_text("#error") == ""
        assert page.query_selector("#graph svg") is not None


def test_a_slider_answers_at_once_on_a_big_expression(
    page: Any, served: tuple[str, float], capsys: pytest.CaptureFixture[str]
) -> None:
    """163 operators (248 values, about 500 drawn nodes): the numbers follow the slider at once.

    The layout runs in its own worker; the page's thread is never blocked by it. Before,
    each slider move waited for a layout of tens of seconds on the page's thread.
    """
    base, _ = served
    expression = "+".join(f"sigmoid(a*{k} - b/c)" for k in range(1, 42))
    page.goto(f"{base}expression.html?expr={quote(expression)}&a=0.5&b=1&c=2")
    page.wait_for_selector("#slider-a", timeout=START)
    # the longest the page's thread was busy from here on, seen by a 10 ms timer
    page.evaluate(
        """() => {
          window.longestGap = 0;
          let last = performance.now();
          setInterval(() => {
            const now = performance.now();
            window.longestGap = Math.max(window.longestGap, now - last);
            last = now;
          }, 10);
        }"""
    )
    answers = []
    for value in ("1", "-1", "2"):
        # a drag's new value and "input" event, then the time until a's gradient cell changes
        answers.append(
            page.evaluate(
                """async (value) => {
                  const cell = document.querySelector('#grad-a');
                  const before = cell.textContent;
                  const began = performance.now();
                  const slider = document.querySelector('#slider-a');
                  slider.value = value;
                  slider.dispatchEvent(new Event('input'));
                  await new Promise((resolve) => {
                    const seen = new MutationObserver(() => {
                      if (cell.textContent !== before) { seen.disconnect(); resolve(); }
                    });
                    seen.observe(cell, { childList: true, characterData: true, subtree: true });
                  });
                  return performance.now() - began;
                }""",
                value,
            )
        )
        assert page.inner_text("#error") == ""
    gap = page.evaluate("window.longestGap")
    status = page.evaluate("document.querySelector('#graph-status')?.textContent ?? ''")
    report(
        capsys,
        f"big expression (163 operators): slider answers in "
        f"{', '.join(f'{a:.0f}' for a in answers)} ms; the page's thread was never busy "
        f"longer than {gap:.0f} ms; picture: {status!r}",
    )
    # generous bounds on a shared machine: the old page was blocked for tens of seconds
    assert max(answers) < 5_000 and gap < 5_000


def test_a_docs_link_with_a_plus_opens_and_steps(page: Any, served: tuple[str, float]) -> None:
    """The docs' link with a literal "+" opens; the first step is step 1; an error clears it all.

    URLSearchParams reads "+" as a space ("cannot parse 'tanh(a*b c)'"): the page reads its
    query itself, and writes "+" as %2B so the links it writes reopen too.
    """
    base, _ = served
    docs = (ROOT / "docs" / "browser.md").read_text(encoding="utf-8")
    link = re.search(r"expression\.html\?expr=[^`\s]*\+[^`\s]*", docs)
    assert link, "docs/browser.md no longer prints a lab link with a '+'"
    page.goto(f"{base}{link.group()}")
    page.wait_for_selector("#graph svg", timeout=START)
    assert page.inner_text("#error") == ""
    assert page.input_value("#expression") == "tanh(a*b+c)"
    assert round(grad_shown(page, "a"), 5) == -0.00402
    assert "expr=tanh(a*b%2Bc)" in page.url  # the link the page writes keeps its plus

    drawn = page.inner_html("#graph")
    version = page.get_attribute("#graph", "data-version")
    page.click("#step")
    page.wait_for_function(
        "document.querySelector('#step-count').textContent.includes('step 1 of 3')"
    )
    assert "step 1 of 3: " in page.inner_text("#text")
    page.wait_for_function(f"document.querySelector('#graph').dataset.version !== '{version}'")
    assert page.inner_html("#graph") != drawn  # the step's node is highlighted

    page.fill("#expression", "(tanh(w*x+b) - d)**2; w=0.5, x=2, const d=1")
    page.click("#draw")
    page.wait_for_selector("#constant-d")
    assert page.input_value("#value-w") == "0.5"
    assert page.query_selector("#slider-d") is None
    reopened = page.url

    page.fill("#expression", "tanh(a*")
    page.click("#draw")
    page.wait_for_function("document.querySelector('#error').textContent.length > 0")
    assert page.inner_text("#step-count") == ""  # no "out = …" of the graph that is gone
    assert page.query_selector("#graph svg") is None

    page.goto(reopened)  # the link written for the typed values and the constant
    page.wait_for_selector("#constant-d", timeout=START)
    assert page.input_value("#expression") == "(tanh(w*x+b) - d)**2; w=0.5, x=2, const d=1"

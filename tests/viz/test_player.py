"""autodiff.viz.player: one self-contained HTML file, a frame per backward step, in a browser."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("graphviz")

from autodiff import GraphvizNotFoundError, Value, topological_order
from autodiff.viz.names import format_number
from autodiff.viz.player import _paints, export_html
from autodiff.viz.stepper import BackwardStepper
from tests import browser

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' not installed")
MINUS = "\N{MINUS SIGN}"  # the drawings write negative numbers with it
VOID = {"meta", "input", "br", "img", "hr", "link", "wbr", "area", "base", "col", "source"}


def neuron() -> Value:
    """o = tanh(x1·w1 + x2·w2 + b), with x1 used twice so one leaf collects two grads."""
    x1, x2 = Value(2.0, label="x1"), Value(0.5, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.5, label="b")
    n = x1 * w1 + x2 * w2 + b + x1
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


class Page(HTMLParser):
    """Checks that tags nest properly and collects frames, scripts and the text of each frame."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.frames: list[dict[str, str | None]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.svg_text: list[list[str]] = []
        self.in_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)
        if tag == "section" and ("class", "frame") in attrs:
            self.frames.append(dict(attrs))
            self.svg_text.append([])
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.in_text = tag == "text"

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
        else:
            self.open.pop()
        self.in_text = False

    def handle_data(self, data: str) -> None:
        if self.in_text and self.svg_text:
            self.svg_text[-1].append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def grad_texts_per_frame() -> list[list[str]]:
    """The 'grad …' cell each node should show in each frame, from a twin graph stepped here."""
    out = neuron()
    nodes = topological_order(out)
    stepper = BackwardStepper(out)
    stepper.seed()

    def snapshot() -> list[str]:
        return sorted(f"grad {format_number(n.grad, '.4g', minus=MINUS)}" for n in nodes)

    frames = [snapshot()]
    for _ in stepper:
        frames.append(snapshot())
    return frames


@needs_dot
def test_file_is_valid_and_self_contained(tmp_path: Path) -> None:
    """The page parses with balanced tags and names nothing outside itself: no URL, no src."""
    path = export_html(neuron(), tmp_path / "backward.html")
    text = path.read_text(encoding="utf-8")
    page = parse(path)
    assert page.errors == [] and page.open == []
    assert "http://" not in text and "https://" not in text
    assert not re.search(r"\ssrc\s*=", text) and "<link" not in text
    assert page.scripts == [{}]  # one inline script, without a src attribute


def picture_and_changes(text: str) -> tuple[list[str], list[list[list[object]]]]:
    """The one picture's drawn elements (tag, text) in document order, and each frame's repaints."""
    svg = text[text.index("<svg") : text.index("</svg>")]
    elements = re.findall(r"<(text|polygon|path|ellipse|polyline)\b[^>]*?(?:/>|>([^<]*)</\1>)", svg)
    match = re.search(r"var changes = (\[.*?\]);\n", text)
    assert match, "the page holds each frame's repaints"
    return [html.unescape(t) for _, t in elements], json.loads(match[1].replace("<\\/", "</"))


def texts_of_frame(base: list[str], changes: list[list[object]]) -> list[str]:
    texts = list(base)
    for change in changes:
        if change[1] is not None:
            texts[int(str(change[0]))] = str(change[1])
    return texts


@needs_dot
def test_one_frame_per_step_with_the_grads_of_that_moment(tmp_path: Path) -> None:
    """steps + 1 frames; frame k's drawing shows every node's grad as it is after step k."""
    out = neuron()
    total = BackwardStepper(out).total
    page = parse(export_html(out, tmp_path / "backward.html"))
    assert len(page.frames) == total + 1
    assert [f["data-step"] for f in page.frames] == [str(k) for k in range(total + 1)]
    assert [("hidden" in f) for f in page.frames] == [False] + [True] * total
    text = (tmp_path / "backward.html").read_text(encoding="utf-8")
    # one picture, laid out once: frames repaint its text and colours, never move it
    assert text.count("<svg") == 1
    base, changes = picture_and_changes(text)
    assert len(changes) == total + 1 and changes[-1] == []
    expected = grad_texts_per_frame()
    for k in range(total + 1):
        texts = texts_of_frame(base, changes[k])
        shown = sorted(t.strip() for t in texts if t.strip().startswith("grad "))
        assert shown == expected[k], f"frame {k}"
    assert expected[0] != expected[-1]  # the grads really do fill in


@needs_dot
def test_export_is_a_backward_pass(tmp_path: Path) -> None:
    """After exporting, the graph's grads are those of backward() on a twin graph."""
    out, twin = neuron(), neuron()
    export_html(out, tmp_path / "b.html")
    twin.backward()
    assert [n.grad for n in topological_order(out)] == [n.grad for n in topological_order(twin)]


def test_missing_dot_program_says_how_to_install(tmp_path: Path, monkeypatch) -> None:
    """With no 'dot' on PATH, exporting raises the error that explains how to install Graphviz."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz"):
        export_html(neuron(), tmp_path / "b.html")


def test_too_many_steps_is_refused_before_drawing(tmp_path: Path) -> None:
    """A graph needing more than max_steps frames gives a clear error and writes nothing."""
    x = Value(1.0, label="x")
    for _ in range(50):
        x = x * 1.01
    with pytest.raises(ValueError, match="max_steps=10"):
        export_html(x, tmp_path / "b.html", max_steps=10)
    assert not (tmp_path / "b.html").exists()


@needs_dot
@pytest.mark.skipif(browser.CHROMIUM is None, reason=browser.NO_CHROMIUM)
def test_page_works_in_a_headless_browser(tmp_path: Path) -> None:
    """Chromium opens the file from disk at #step=2: that frame alone shows, with its grads."""
    out = neuron()
    path = export_html(out, tmp_path / "backward.html")
    total = BackwardStepper(neuron()).total
    url = path.resolve().as_uri() + "#step=2"
    dom = browser.run(tmp_path / "profile", "--dump-dom", url).stdout
    assert '<body data-step="2">' in dom
    assert f'<span id="counter">step 2 of {total}</span>' in dom
    shown = re.findall(r'<section class="frame" data-step="(\d+)">', dom)  # no hidden attribute
    assert shown == ["2"]
    assert f"<h2>Step 2 of {total}</h2>" in dom
    # step 2 is n's rule: n.grad = 1 - o² arrives from step 1, shown on the page
    n_grad = format_number(1 - out.data**2, ".4g")
    assert f"n.grad = {n_grad}" in dom
    # one picture, fitted once; the script repainted it with step 2's grads
    assert dom.count("<svg") == 1
    scale = re.search(r'<svg data-w="[\d.]+" data-h="[\d.]+"[^>]*data-scale="([\d.]+)"', dom)
    assert scale and 0.2 < float(scale[1]) <= 1.6
    svg = dom[dom.index("<svg") : dom.index("</svg>")]
    shown = sorted(
        html.unescape(t).strip()
        for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        if t.strip().startswith("grad ")
    )
    assert shown == grad_texts_per_frame()[2]
    shot = tmp_path / "frame.png"
    browser.run(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,800", url)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_dot
def test_folded_frames_light_up_the_box_of_the_running_node(tmp_path: Path) -> None:
    """With fold='neuron' every frame still renders, and a step inside a neuron marks its box."""
    x = Value(0.5, label="x0")
    w, b = Value(-2.0, label="N1.w0"), Value(0.5, label="N1.b")
    z = w * x + b
    z.label = "N1.z"
    out = z.tanh()
    out.label = "N1.out"
    loss = out * out
    loss.label = "E"
    text = export_html(loss, tmp_path / "folded.html", fold="neuron").read_text(encoding="utf-8")
    frames = text.split('<section class="frame"')[1:]
    assert len(frames) == BackwardStepper(loss).total + 1
    picture = text[text.index("<svg") : text.index("</svg>")]
    assert picture.count("N1</") >= 1  # the folded box, labelled by its scope
    # draw.py's highlight orange; only the box can carry it: the step's edge is inside the fold
    _, changes = picture_and_changes(text)
    _, paints = _paints(picture + "</svg>")
    for change in changes[2]:
        paints[int(str(change[0]))] = [c if c is None else str(c) for c in change[1:]]
    assert any("#e8590c" in str(p).lower() for p in paints)  # frame 2 shows the orange box


PROBE = """<script>
(function () {
  var log = [];
  var svg = document.querySelector(".picture svg"), placed = svg.getAttribute("data-scale");
  function note() {
    log.push(document.body.getAttribute("data-step"));
    // one scale for every frame (the page may pan to keep the step's node in view)
    if (svg.getAttribute("data-scale") !== placed) log.push("rescaled");
  }
  function key(name) { document.dispatchEvent(new KeyboardEvent("keydown", {key: name})); }
  document.getElementById("next").click(); note();
  document.getElementById("next").click(); note();
  document.getElementById("prev").click(); note();
  key("End"); note();
  key("ArrowLeft"); note();
  key("Home"); note();
  key("ArrowRight"); note();
  var slider = document.getElementById("slider");
  slider.value = 3; slider.dispatchEvent(new Event("input")); note();
  document.getElementById("play").click();
  var out = document.createElement("pre"); out.id = "probe"; out.textContent = log.join(" ");
  document.body.appendChild(out);
})();
</script>
</body>"""


@needs_dot
@pytest.mark.skipif(browser.CHROMIUM is None, reason=browser.NO_CHROMIUM)
def test_buttons_keys_slider_and_play_in_a_headless_browser(tmp_path: Path) -> None:
    """Clicks, arrow/Home/End keys and the slider move between frames; play runs to the end."""
    out = neuron()
    last = BackwardStepper(neuron()).total
    page = export_html(out, tmp_path / "backward.html")
    # the test drives the page with a script of its own, appended to a copy of the file
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE), "utf-8")
    dom = browser.run(
        tmp_path / "profile", "--virtual-time-budget=60000", "--dump-dom", probed.resolve().as_uri()
    ).stdout
    moves = re.search(r'<pre id="probe">([^<]*)</pre>', dom)
    assert moves is not None
    assert moves[1].split() == ["1", "2", "1", str(last), str(last - 1), "0", "1", "3"]
    # after play, virtual time runs the timer out: the last frame shows and play stops
    assert f'<body data-step="{last}">' in dom
    assert re.findall(r'<section class="frame" data-step="(\d+)">', dom) == [str(last)]
    assert "▶ play</button>" in dom


@needs_dot
@pytest.mark.skipif(browser.CHROMIUM is None, reason=browser.NO_CHROMIUM)
def test_a_network_opens_with_readable_text(tmp_path: Path) -> None:
    """A 2-2-1 network's 34-step player opens zoomed so its smallest text is >= 11 px.

    Fitted whole into the picture area, its text is about 5 px; the page zooms in on the
    step's node instead, and the fit button (0) still shows the whole picture.
    """
    from nn import MLP, half_squared_error

    net = MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    path = export_html(half_squared_error(net([1.0, 0.5]), 1.0), tmp_path / "net.html")
    dom = browser.run(
        tmp_path / "profile", "--window-size=1400,900", "--dump-dom", path.as_uri()
    ).stdout
    found = re.search(r'<svg data-w="([\d.]+)" data-h="[\d.]+" data-text="([\d.]+)"', dom)
    scale = re.search(r'<svg data-w[^>]*data-scale="([\d.]+)"', dom)
    assert found and scale
    fit = min(940 / float(found[1]), 1.6)  # at most what fitting the width would give
    assert float(found[2]) * fit < 11  # so fitting alone would make the text unreadable
    assert float(found[2]) * float(scale[1]) >= 11 - 0.01

"""Rebuild the backward-pass players the docs link to: ``python docs/make_player.py [folder]``.

Writes ``docs/backward_neuron.html`` and ``docs/backward_network.html`` with
``autodiff.export_html`` (needs the Graphviz ``dot`` program) and, when Chromium is
installed, a 1400×900 screenshot of each: step 3 of the neuron (the tanh's rule) and
step 6 of the 2-2-1 sigmoid network (a hidden neuron's δ completed), as a browser shows
them. ``tests/test_docs.py`` fails when a committed player differs from what this writes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from autodiff import Constant, Value, dot, export_html
from nn import MLP

HERE = Path(__file__).resolve().parent


def neuron_loss() -> Value:
    """L = (tanh(b + w0·x0 + w1·x1) - 1)², one neuron and its squared error."""
    w0, w1, b = Value(0.5, label="w0"), Value(-1.0, label="w1"), Value(0.25, label="b")
    x0, x1 = Value(2.0, label="x0"), Value(0.5, label="x1")
    z = dot([w0, w1], [x0, x1], b)
    z.label = "z"
    y = z.tanh()
    y.label = "y"
    loss = (y - 1.0) ** 2
    loss.label = "L"
    return loss


def network_loss() -> Value:
    """E = ½(d − y)² of a 2-2-1 sigmoid network, its nodes named as nn's losses name them."""
    model = MLP(2, [2, 1], seed=1, activation="sigmoid", output_activation="sigmoid")
    y = model([0.5, -1.0])
    assert isinstance(y, Value)
    y.label = "y"
    e = Constant(1.0, "d") - y
    e.label = "e"
    loss = e**2 * 0.5
    loss.label = "E"
    return loss


def screenshot(page: Path, png: Path, step: int) -> bool:
    """Chromium's picture of ``page`` at ``#step=step``, 1400×900; False without Chromium."""
    browser = shutil.which("chromium") or shutil.which("google-chrome")
    if browser is None:
        return False
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                "--window-size=1400,900",
                "--hide-scrollbars",
                f"{page.as_uri()}#step={step}",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return True


#: file name, graph, title, and the step the screenshot shows
PLAYERS = (
    ("backward_neuron", neuron_loss, "Backward through one neuron and its squared error", 3),
    (
        "backward_network",
        network_loss,
        "Backward through a 2-2-1 sigmoid network and E = ½(d − y)²",
        6,
    ),
)


def write(folder: Path = HERE, screenshots: bool = True) -> list[Path]:
    """Write every player (and, with Chromium, its screenshot) into ``folder``."""
    written = []
    for name, graph, title, step in PLAYERS:
        page = export_html(graph(), folder / f"{name}.html", title=title)
        written.append(page)
        if screenshots and screenshot(page, folder / f"{name}.png", step=step):
            written.append(folder / f"{name}.png")
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)

"""Rebuild the backward-pass player the README links to: ``python docs/make_player.py``.

Writes ``docs/backward_neuron.html`` and ``docs/backward_network.html`` with
``autodiff.export_html`` (needs the Graphviz ``dot`` program) and, when Chromium is
installed, a 1400×900 screenshot of each: step 3 of the neuron (the tanh's rule) and
step 6 of the 2-2-1 sigmoid network (a hidden neuron's δ completed), as a browser shows
them.
"""

from __future__ import annotations

import shutil
import subprocess
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


if __name__ == "__main__":
    page = export_html(
        neuron_loss(),
        HERE / "backward_neuron.html",
        title="Backward through one neuron and its squared error",
    )
    print(page)
    if screenshot(page, HERE / "backward_neuron.png", step=3):
        print(HERE / "backward_neuron.png")
    page = export_html(
        network_loss(),
        HERE / "backward_network.html",
        title="Backward through a 2-2-1 sigmoid network and E = ½(d − y)²",
    )
    print(page)
    if screenshot(page, HERE / "backward_network.png", step=6):
        print(HERE / "backward_network.png")

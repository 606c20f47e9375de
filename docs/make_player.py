"""Rebuild the backward-pass player the README links to: ``python docs/make_player.py``.

Writes ``docs/backward_neuron.html`` with ``autodiff.export_html`` (needs the Graphviz
``dot`` program) and, when Chromium is installed, ``docs/backward_neuron.png``: a
screenshot of step 3 (the tanh's rule), as a browser shows it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from autodiff import Value, dot, export_html

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


def screenshot(page: Path, png: Path, step: int) -> bool:
    """Chromium's picture of ``page`` at ``#step=step``, 1200×760; False without Chromium."""
    browser = shutil.which("chromium") or shutil.which("google-chrome")
    if browser is None:
        return False
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={png}",
             "--window-size=1200,760", "--hide-scrollbars", f"{page.as_uri()}#step={step}"],
            check=True, capture_output=True, timeout=120,
        )
    return True


if __name__ == "__main__":
    page = export_html(
        neuron_loss(), HERE / "backward_neuron.html",
        title="Backward through one neuron and its squared error",
    )
    print(page)
    if screenshot(page, HERE / "backward_neuron.png", step=3):
        print(HERE / "backward_neuron.png")

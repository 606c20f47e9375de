"""The drawing object ``draw_dot`` returns: a ``graphviz.Digraph`` that degrades to text.

This module imports the ``graphviz`` package (the ``viz`` extra) at its top, and nothing
imports this module except ``draw.py``, from inside the functions that make a drawing,
after checking that the package is there: so ``import autodiff`` needs no Graphviz, and
the class is defined once, at module level, with a plain name (``Drawing``).
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Callable
from typing import Any

import graphviz

from .browser import in_browser, render_svg


class Drawing(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no type hints
    """A ``graphviz.Digraph``; where Jupyter would show an error, it shows a hint and text.

    When the ``dot`` program is missing, or is there but fails (a broken Graphviz set-up),
    the notebook display is ``fallback(error)``: what went wrong, how to fix it, and the
    ``to_text`` rendering of the graph, instead of a traceback.
    """

    fallback: Callable[[Exception], str] | None = None
    summary: str = "a drawing"  # what text/plain and repr say: "drawing of E (23 nodes)"

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """SVG and PNG (JupyterLab shows no SVG in an untrusted notebook) and a plain line.

        The PNG is rendered at 96 dpi, the SVG's own scale, so both show the same size.
        """
        try:
            bundle: dict[str, Any] = super()._repr_mimebundle_(include, exclude, **kwargs)
            if "image/svg+xml" in bundle and (include is None or "image/png" in include):
                png = self.copy()
                png.graph_attr["dpi"] = "96"
                data = png.pipe(format="png", quiet=True)
                bundle["image/png"] = base64.b64encode(data).decode("ascii")
        except (graphviz.ExecutableNotFound, subprocess.CalledProcessError, OSError) as error:
            if isinstance(error, OSError) and not in_browser():
                raise
            if in_browser():  # Pyodide starts no processes: Graphviz in WebAssembly draws it
                try:
                    return {"image/svg+xml": render_svg(self.source), "text/plain": self.summary}
                except Exception as browser_error:  # no viz.js here: say so in the fallback
                    error = browser_error
            if self.fallback is None:
                raise
            return {"text/plain": self.fallback(error)}
        bundle["text/plain"] = self.summary
        return bundle

    def __repr__(self) -> str:
        return f"<{self.summary}>"

"""The Graphviz side of drawing: importing the package lazily, and what to say without ``dot``.

The ``graphviz`` Python package is the ``viz`` extra; the ``dot`` program that renders
images is a system package. Neither is needed to import ``autodiff``: this module is
only reached when a drawing is made.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

INSTALL_GRAPHVIZ = (
    "the Graphviz program 'dot' is not installed (or not on PATH); install it with\n"
    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
    "  macOS:         brew install graphviz\n"
    "  Windows:       winget install graphviz   (or: choco install graphviz)\n"
    "  conda:         conda install -c conda-forge graphviz\n"
    "Without it, draw_dot(root).source still gives the DOT text and to_text(root) a plain-text"
    " drawing."
)


class GraphvizNotFoundError(RuntimeError):
    """Rendering needs the Graphviz ``dot`` program, which is missing."""


@functools.cache
def drawing_class(graphviz: Any) -> Any:
    """``graphviz.Digraph`` whose notebook display falls back to text without ``dot``."""

    class Drawing(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no type hints
        """A ``graphviz.Digraph``; in Jupyter without the ``dot`` program it shows the
        install hint and the ``to_text`` rendering instead of an error."""

        text_fallback: Callable[[], str] | None = None

        def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                              **kwargs: Any) -> dict[str, Any]:
            try:
                bundle: dict[str, Any] = super()._repr_mimebundle_(include, exclude, **kwargs)
            except graphviz.ExecutableNotFound:
                text = self.text_fallback() if self.text_fallback is not None else ""
                return {"text/plain": f"{INSTALL_GRAPHVIZ}\n\n{text}".rstrip()}
            return bundle

    return Drawing


def import_graphviz() -> Any:
    """The ``graphviz`` package, or an ImportError naming the ``viz`` extra."""
    try:
        import graphviz
    except ImportError as error:
        raise ImportError(
            "drawing graphs needs the 'graphviz' Python package: pip install 'backprop-lab[viz]'"
            " (or pip install graphviz); to_text(root) draws as plain text with no dependency"
        ) from error
    return graphviz

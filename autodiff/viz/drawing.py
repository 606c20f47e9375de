"""The drawing object ``draw_dot`` returns: a ``graphviz.Digraph`` that degrades to text.

This module imports the ``graphviz`` package (the ``viz`` extra) at its top, and nothing
imports this module except ``draw.py``, from inside the functions that make a drawing,
after checking that the package is there: so ``import autodiff`` needs no Graphviz, and
the class is defined once, at module level, with a plain name (``Drawing``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

import graphviz


class Drawing(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no type hints
    """A ``graphviz.Digraph``; where Jupyter would show an error, it shows a hint and text.

    When the ``dot`` program is missing, or is there but fails (a broken Graphviz set-up),
    the notebook display is ``fallback(error)``: what went wrong, how to fix it, and the
    ``to_text`` rendering of the graph, instead of a traceback.
    """

    fallback: Callable[[Exception], str] | None = None
    about: str = ""  # what is drawn, for the repr: "'out', 7 nodes"

    def __repr__(self) -> str:
        # no memory address: a notebook's saved output stays the same from run to run
        return f"<Drawing of {self.about}>" if self.about else "<Drawing>"

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        try:
            bundle: dict[str, Any] = super()._repr_mimebundle_(include, exclude, **kwargs)
        except (graphviz.ExecutableNotFound, subprocess.CalledProcessError) as error:
            if self.fallback is None:
                raise
            return {"text/plain": self.fallback(error)}
        return bundle

"""autodiff: a scalar reverse-mode automatic-differentiation engine for learning backpropagation.

>>> from autodiff import Value
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> c = a * b + a
>>> c.backward()
>>> a.grad, b.grad          # dc/da = b + 1, dc/db = a
(-2.0, 2.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The engine: what `from autodiff import Value` and a backward() need, loaded right away.
from .anomaly import detect_anomaly
from .graph import topological_order
from .modes import no_grad
from .tape import Tape, record
from .value import Constant, Value, apply, dot

if TYPE_CHECKING:  # for type checkers and editors; at run time these load on first use
    from .compiler import CompiledTape, compile
    from .derivative import grad, hessian
    from .gradient_check import GradcheckError, GradcheckReport, assert_gradcheck, gradcheck
    from .viz.draw import GraphvizNotFoundError, draw_dot, render, save, to_svg
    from .viz.explain import Explanation, explain
    from .viz.player import export_html
    from .viz.stepper import BackwardStep, BackwardStepper, format_steps, steps
    from .viz.text import to_text
    from .viz.walk import Edge, Graph, walk

# The tools around the engine: each name and the module it lives in, imported the first
# time the name is used (module __getattr__, PEP 562), so plain arithmetic on Values
# never loads the drawing, explaining and checking code.
_LAZY = {
    "BackwardStep": "autodiff.viz.stepper",
    "BackwardStepper": "autodiff.viz.stepper",
    "CompiledTape": "autodiff.compiler",
    "Edge": "autodiff.viz.walk",
    "Explanation": "autodiff.viz.explain",
    "GradcheckError": "autodiff.gradient_check",
    "GradcheckReport": "autodiff.gradient_check",
    "Graph": "autodiff.viz.walk",
    "GraphvizNotFoundError": "autodiff.viz.draw",
    "assert_gradcheck": "autodiff.gradient_check",
    "compile": "autodiff.compiler",
    "grad": "autodiff.derivative",
    "hessian": "autodiff.derivative",
    "draw_dot": "autodiff.viz.draw",
    "explain": "autodiff.viz.explain",
    "export_html": "autodiff.viz.player",
    "format_steps": "autodiff.viz.stepper",
    "gradcheck": "autodiff.gradient_check",
    "render": "autodiff.viz.draw",
    "save": "autodiff.viz.draw",
    "steps": "autodiff.viz.stepper",
    "to_svg": "autodiff.viz.draw",
    "to_text": "autodiff.viz.text",
    "walk": "autodiff.viz.walk",
}

__all__ = [
    "BackwardStep",
    "BackwardStepper",
    "CompiledTape",
    "Constant",
    "Edge",
    "Explanation",
    "GradcheckError",
    "GradcheckReport",
    "Graph",
    "GraphvizNotFoundError",
    "Tape",
    "Value",
    "apply",
    "assert_gradcheck",
    "compile",
    "detect_anomaly",
    "dot",
    "draw_dot",
    "explain",
    "export_html",
    "format_steps",
    "grad",
    "gradcheck",
    "hessian",
    "no_grad",
    "record",
    "render",
    "save",
    "steps",
    "to_svg",
    "to_text",
    "topological_order",
    "walk",
]


def __getattr__(name: str) -> Any:
    """A tool's name (``draw_dot``, ``explain``, ...), imported on first use; ``__version__``."""
    if name == "__version__":
        return _version()
    if name not in _LAZY:
        raise AttributeError(f"module 'autodiff' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value  # the next lookup is a plain attribute: no second import
    return value


def __dir__() -> list[str]:
    """``dir(autodiff)`` lists the lazily loaded names too, as if they were imported."""
    return sorted({*globals(), *__all__, "__version__"})


def _version() -> str:
    """The installed distribution's version; a placeholder when running from an uninstalled tree."""
    from importlib import metadata

    try:
        return metadata.version("backprop-lab")
    except metadata.PackageNotFoundError:
        return "0+unknown"

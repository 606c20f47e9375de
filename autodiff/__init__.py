"""autodiff: a scalar reverse-mode automatic-differentiation engine for learning backpropagation.

    >>> from autodiff import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b + a
    >>> c.backward()
    >>> a.grad, b.grad          # dc/da = b + 1, dc/db = a
    (-2.0, 2.0)
"""

from .anomaly import detect_anomaly
from .derivative import grad, hessian  # issue 15 (grad helper); "grad", "hessian" in __all__
from .draw import draw_dot, render, save, to_svg
from .explain import Explanation, explain
from .gradcheck import GradcheckError, GradcheckReport, assert_gradcheck, gradcheck
from .graph import topological_order
from .graphviz_backend import GraphvizNotFoundError
from .html_export import export_html
from .modes import no_grad
from .stepper import BackwardStep, BackwardStepper, format_steps, steps
from .tape import Tape, record
from .text import to_text
from .value import Constant, Value, apply, dot
from .walk import Edge, Graph, walk

__all__ = [
    "BackwardStep",
    "BackwardStepper",
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

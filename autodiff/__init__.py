"""autodiff: a scalar reverse-mode automatic-differentiation engine for learning backpropagation.

    >>> from autodiff import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b + a
    >>> c.backward()
    >>> a.grad, b.grad          # dc/da = b + 1, dc/db = a
    (-2.0, 2.0)
"""

from .gradcheck import GradcheckError, GradcheckReport, assert_gradcheck, gradcheck
from .graph import topological_order
from .modes import detect_anomaly, no_grad
from .tape import Tape, record
from .value import Value, dot

__all__ = [
    "GradcheckError",
    "GradcheckReport",
    "Tape",
    "Value",
    "assert_gradcheck",
    "detect_anomaly",
    "dot",
    "gradcheck",
    "no_grad",
    "record",
    "topological_order",
]

"""Notebook 11's exercises: a primitive of your own, judged by ``gradcheck``.

The student writes an ``autodiff.ops.Op`` subclass (11.1 a ``UnaryOp`` with ``output`` and
``derivatives`` over the algebra ``m``; 11.2 an ``Op`` whose ``forward`` computes on floats);
``autodiff.apply(op, x)`` builds the node. The check compares the output with ``math`` at
several points and lets ``gradcheck`` judge the derivative: its ``first_bad_rule`` names the
node whose stored local derivative disagrees with a finite difference of the op's own
forward computation.

- 11.1 softplus(x) = ln(1 + eˣ), whose derivative is the sigmoid σ(x);
- 11.2 sin(x), whose derivative is cos(x).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable

from autodiff import Value, apply, gradcheck
from autodiff.ops import FLOATS, Op, UnaryOp

from . import verdict

POINTS = (-2.0, -0.3, 0.5, 1.7)
SECOND_POINTS = (-1.1, 0.2, 0.9, 2.4)


def _check_shapes(op: Op, name: str) -> None:
    """Call the student's methods on a float the way ``apply`` will, and name a misfit.

    The usual slips (a method without ``m``, a bare number where a tuple of partials is due)
    would otherwise surface as a ``TypeError`` from deep inside ``apply``.
    """
    x0 = verdict.pick(POINTS, SECOND_POINTS)[0]
    if isinstance(op, UnaryOp):
        for method, wanted in (("output", "output(self, m, x)"),
                               ("derivatives", "derivatives(self, m, y, x)")):  # fmt: skip
            wanted_count = wanted.count(",")
            try:
                inspect.signature(getattr(op, method)).bind(*range(wanted_count))
            except TypeError:
                raise verdict.Wrong(
                    f"{name}.{method} should be written {wanted}: the algebra m comes first"
                ) from None
        partials = op.derivatives(FLOATS, op.output(FLOATS, x0), x0)
    else:
        result = op.forward(x0)
        if not (isinstance(result, tuple) and len(result) == 2):
            raise verdict.Wrong(
                f"{name}.forward(x) should return (output, (∂output/∂x,)), got {result!r}"
            )
        partials = result[1]
    if not isinstance(partials, (tuple, list)):
        raise verdict.Wrong(
            f"the derivatives of {name} should be a tuple with one entry per input, like "
            f"(derivative,) with its comma; got the bare {type(partials).__name__} {partials!r}"
        )
    if len(partials) != 1:
        raise verdict.Wrong(f"{name} has one input, so one partial derivative: got {len(partials)}")


def _judge_op(op_class: object, name: str, output: Callable[[float], float]) -> str:
    if verdict.is_placeholder(op_class):
        raise verdict.Placeholder(f"write the class {name}")
    if not (isinstance(op_class, type) and issubclass(op_class, Op)):
        raise verdict.Wrong(f"{name} should be a subclass of autodiff.ops.Op, got {op_class!r}")
    op = op_class()
    _check_shapes(op, name)
    for x0 in verdict.pick(POINTS, SECOND_POINTS):
        x = Value(x0, label="x")
        out = apply(op, x)
        verdict.expect(
            verdict.number(out.data, f"{name}({x0:g})"), output(x0), f"the output at x = {x0:g}"
        )
        report = gradcheck(out, [x])
        bad = report.first_bad_rule
        if bad is not None:
            raise verdict.Wrong(
                f"gradcheck's first bad rule is ∂{bad.op.name}/∂x, the derivative your op "
                f"returns: at x = {x0:g} it stores {bad.stored:.6g}, but a finite difference of "
                f"your own output formula gives {bad.numeric:.6g}"
            )
        if not report.ok:  # the rule agrees but the check still fails: say what gradcheck saw
            raise verdict.Wrong(f"gradcheck fails at x = {x0:g}:\n{report}")
    count = len(verdict.pick(POINTS, SECOND_POINTS))
    return f"output and derivative agree with gradcheck at {count} points"


def softplus(op_class: object) -> None:
    """Exercise 11.1: an Op computing softplus(x) = ln(1 + eˣ) and ∂/∂x = σ(x)."""

    verdict.run("11.1", lambda: _judge_op(op_class, "Softplus", lambda x: math.log1p(math.exp(x))))


def sine(op_class: object) -> None:
    """Exercise 11.2: an Op computing sin(x) and ∂/∂x = cos(x)."""

    verdict.run("11.2", lambda: _judge_op(op_class, "Sin", math.sin))

"""Checking derivatives numerically: ``backward()`` against central finite differences.

For a node ``v`` and the output ``f``, the central difference

    (f(v + h) - f(v - h)) / 2h  =  df/dv + h²·f'''(v)/6 + ...

approximates the derivative with an error of order h² (the one-sided quotient
``(f(v + h) - f(v)) / h`` is only O(h)). ``gradcheck`` computes it for every input
(and, with ``inner=True``, every inner node) and compares it with the ``grad`` that
``backward()`` produced.

A perturbed value is pushed through the *recorded graph*: every later node is
recomputed, in topological order, by its own ``op.forward`` (the single source of each
op's formula), so no function is called twice and no recursion is needed.

To say *where* a wrong gradient comes from, each inner node's stored local derivatives
(``partials``) are also checked one by one against a central difference of
``op.forward`` around that node's own inputs; the first node (in forward order) whose
rule disagrees is reported. A wrong derivative is thereby pinned to one op.

At a kink (``relu`` or ``abs`` at 0) the derivative does not exist: the one-sided
slopes differ, and any value between them (a subgradient) is accepted, marked ``kink``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from . import ops
from .graph import fresh_grads, topological_order
from .value import Constant, Value

__all__ = [
    "GradcheckError",
    "GradcheckReport",
    "GradcheckRow",
    "RuleMismatch",
    "assert_gradcheck",
    "gradcheck",
]


def gradcheck(
    f: Callable[..., Value] | Value,
    inputs: Sequence[float | Value] | None = None,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    inner: bool = False,
) -> GradcheckReport:
    """Compare ``backward()``'s gradients with central finite differences.

    Two forms:

    - ``gradcheck(lambda a, b: (a * b).tanh(), [2.0, -3.0])``: ``f`` is called once with
      one leaf ``Value`` per input (numbers become leaves named after ``f``'s parameters;
      ``Value`` inputs are used as they are).
    - ``gradcheck(out, [a, b])``: an output already built; ``inputs`` are the nodes to
      check (all leaves of its graph when omitted).

    For each checked node ``v`` with value ``x`` the step is ``h = eps·max(1, |x|)`` and the
    estimate ``(f(x + h) - f(x - h)) / 2h`` (error O(h²)). A row passes when
    ``|analytic - numeric| <= atol + rtol·max(|analytic|, |numeric|)``. ``inner=True``
    also checks every inner node's grad (d output / d node).

    Every inner node's stored local derivatives are checked too, each against a central
    difference of its own ``op.forward``; ``report.first_bad_rule`` names the first node
    (in forward order) whose rule is wrong, which is where to look for a bug.

    Every grad is restored afterwards, so checking changes nothing. Cost: two replays of
    the graph per checked node, so ``inner=True`` is quadratic in the graph size: meant
    for teaching-sized graphs (checking the 336 parameters of an MLP(2, [16, 16, 1]) loss
    over 20 points took 1.8 s here, without ``inner``).
    """
    if not eps > 0.0:
        raise ValueError(f"gradcheck: eps must be > 0, got {eps!r}")
    output, checked = _output_and_inputs(f, inputs)
    order = topological_order(output)
    position = {node: i for i, node in enumerate(order)}
    analytic = fresh_grads(output, order)

    names = _node_names(order, checked)
    targets: list[tuple[Value, str]] = [(v, "input") for v in checked]
    if inner:
        seen = set(checked)
        targets += [(v, "inner") for v in order[:-1] if v.parents and v not in seen]

    rows = []
    for node, kind in targets:
        if node not in position:  # an input the output does not depend on
            slopes: tuple[float, float, float] | str = (0.0, 0.0, 0.0)
        else:
            replay = partial(_replay, order, position[node])
            slopes = _slopes(replay, node.data, output.data, eps)
        rows.append(_row(node, names[node], kind, analytic.get(node, 0.0), slopes, rtol, atol))

    bad_rules, unchecked = _check_rules(order, names, eps, rtol, atol)
    settings = f"eps={eps:g}, rtol={rtol:g}, atol={atol:g}"
    return GradcheckReport(output, rows, bad_rules, unchecked, settings)


def assert_gradcheck(
    f: Callable[..., Value] | Value,
    inputs: Sequence[float | Value] | None = None,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    inner: bool = False,
) -> GradcheckReport:
    """``gradcheck(...).raise_if_failed()``: raises ``GradcheckError`` with the table on failure."""
    report = gradcheck(f, inputs, eps=eps, rtol=rtol, atol=atol, inner=inner)
    return report.raise_if_failed()


# --- the pieces -------------------------------------------------------------------------


def _output_and_inputs(
    f: Callable[..., Value] | Value, inputs: Sequence[float | Value] | None
) -> tuple[Value, list[Value]]:
    if isinstance(f, Value):
        if inputs is None:
            leaves = topological_order(f)
            return f, [v for v in leaves if not v.parents and not isinstance(v, Constant)]
        if not all(isinstance(v, Value) for v in inputs):
            raise TypeError("gradcheck: with a built output, inputs must be its Value nodes")
        return f, list(inputs)  # type: ignore[arg-type]  # checked just above
    if not callable(f):
        raise TypeError(
            f"gradcheck: expected a function of the inputs or a built output Value, "
            f"got {type(f).__name__} {f!r}"
        )
    if inputs is None:
        raise TypeError("gradcheck: give the inputs, e.g. gradcheck(f, [1.0, 2.0])")
    names = _parameter_names(f, len(inputs))
    leaves = [x if isinstance(x, Value) else Value(x, label=name) for x, name in zip(inputs, names)]
    output = f(*leaves)
    if not isinstance(output, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(output).__name__} {output!r}")
    if not output.parents and output not in leaves:
        raise ValueError("gradcheck: the output has no graph (was it built inside no_grad()?)")
    return output, leaves


def _parameter_names(f: Callable[..., Value], n: int) -> list[str]:
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        params = []
    simple = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return simple[:n] if len(simple) >= n else [f"x{i}" for i in range(n)]


def _node_names(order: list[Value], checked: list[Value]) -> dict[Value, str]:
    """Label if set, else the op and the node's position in forward order (``tanh#5``)."""
    names = {}
    for i, node in enumerate([*order, *(v for v in checked)]):
        if node in names:
            continue
        if node.label is not None:
            names[node] = node.label
        elif node.op is not None:
            names[node] = f"{node.op.name}#{i}"
        else:
            names[node] = f"leaf#{i}({node.data:g})"
    return names


def _replay(order: list[Value], start: int, new_data: float) -> float:
    """The output when ``order[start]`` holds ``new_data``; later nodes re-run ``op.forward``."""
    changed = {order[start]: new_data}
    for node in order[start + 1 :]:
        parents = node.parents
        if node.op is not None and any(p in changed for p in parents):
            changed[node] = node.op.forward(*[changed.get(p, p.data) for p in parents])[0]
    root = order[-1]
    return changed.get(root, root.data)


def _slopes(
    g: Callable[[float], float], x: float, gx: float, eps: float
) -> tuple[float, float, float] | str:
    """``(central, forward, backward)`` difference quotients of ``g`` at ``x``, or why not."""
    h = eps * max(1.0, abs(x))
    up, down = x + h, x - h
    try:
        g_up, g_down = g(up), g(down)
    except (ValueError, ArithmeticError) as error:
        return f"op.forward rejected x ± h: {error}"
    # the representable step, not h: x + h - (x - h) need not be exactly 2h
    return (g_up - g_down) / (up - down), (g_up - gx) / (up - x), (gx - g_down) / (x - down)


def _agrees(
    analytic: float, slopes: tuple[float, float, float], rtol: float, atol: float
) -> tuple[str, float]:
    """Status and relative error of ``analytic`` against the difference quotients."""
    if not math.isfinite(analytic):
        return "FAIL", math.inf
    central, right, left = slopes
    scale = max(abs(analytic), abs(central))
    diff = abs(analytic - central)
    rel = diff / scale if scale > 0 else 0.0
    if diff <= atol + rtol * scale:
        return "ok", rel
    # one-sided slopes that differ by far more than curvature explains: a kink
    jump = abs(right - left)
    if jump > 1e-3 * max(1.0, abs(right), abs(left)):
        low, high = min(left, right), max(left, right)
        if low - atol - rtol * abs(low) <= analytic <= high + atol + rtol * abs(high):
            return "kink", rel
    return "FAIL", rel


def _row(
    node: Value,
    name: str,
    kind: str,
    analytic: float,
    slopes: tuple[float, float, float] | str,
    rtol: float,
    atol: float,
) -> GradcheckRow:
    if isinstance(slopes, str):  # the difference could not be taken; slopes says why
        return GradcheckRow(node, name, kind, analytic, math.nan, math.nan, "n/a", slopes)
    status, rel = _agrees(analytic, slopes, rtol, atol)
    return GradcheckRow(node, name, kind, analytic, slopes[0], rel, status)


def _check_rules(
    order: list[Value], names: dict[Value, str], eps: float, rtol: float, atol: float
) -> tuple[list[RuleMismatch], int]:
    """Each inner node's stored partials against central differences of its own op.forward."""
    bad: list[RuleMismatch] = []
    unchecked = 0
    for node in order:
        op = node.op
        if op is None:
            continue
        xs = [p.data for p in node.parents]
        for i, stored in enumerate(node.partials):

            def along_i(t: float, op: ops.Op = op, xs: list[float] = xs, i: int = i) -> float:
                return op.forward(*xs[:i], t, *xs[i + 1 :])[0]

            slopes = _slopes(along_i, xs[i], node.data, eps)
            if isinstance(slopes, str):
                unchecked += 1
                continue
            if _agrees(stored, slopes, rtol, atol)[0] == "FAIL":
                bad.append(
                    RuleMismatch(node, names[node], op, i, stored, slopes[0], _formula(node, i))
                )
    return bad, unchecked


def _formula(node: Value, i: int) -> str:
    """The op's own text for ∂node/∂input i, or '' when the op has none."""
    assert node.op is not None
    try:
        inputs = [p.label or f"x{k}" for k, p in enumerate(node.parents)]
        return node.op.formulas(inputs, node.label or "y")[i]
    except (NotImplementedError, IndexError):
        return ""


# --- what gradcheck reports: one row per checked node, the bad local rules, a text table --


class GradcheckError(AssertionError):
    """Raised by ``GradcheckReport.raise_if_failed``; its message is the report's table."""


@dataclass(frozen=True)
class GradcheckRow:
    """One checked node: ``backward()``'s d(output)/d(node) next to the central difference.

    ``status`` is ``"ok"``, ``"kink"`` (a subgradient between the one-sided slopes),
    ``"FAIL"``, or ``"n/a"`` when ``op.forward`` rejected a perturbed value (``note`` says why).
    """

    node: Value
    name: str
    kind: str
    analytic: float
    numeric: float
    rel_error: float
    status: str
    note: str = ""


@dataclass(frozen=True)
class RuleMismatch:
    """A node whose stored local derivative ∂node/∂input disagrees with ``op.forward``.

    ``stored`` is ``node.partials[input_index]``; ``numeric`` is the central difference
    (op.forward(..., xᵢ + h, ...) - op.forward(..., xᵢ - h, ...)) / 2h.
    """

    node: Value
    name: str
    op: ops.Op
    input_index: int
    stored: float
    numeric: float
    formula: str

    def __str__(self) -> str:
        return (
            f"{self.name} (op {self.op.name!r}): ∂/∂input{self.input_index}"
            f"{f' = {self.formula}' if self.formula else ''} is stored as {self.stored:.10g}, "
            f"but the central difference of op.forward gives {self.numeric:.10g}"
        )


class GradcheckReport:
    """What ``gradcheck`` found: one ``GradcheckRow`` per checked node, and the bad rules.

    ``ok`` is true when every row is ``ok`` or ``kink`` and every local rule agrees.
    ``first_bad_rule`` is the first node in forward order whose local derivative is
    wrong (``None`` if all agree). ``str(report)`` is a readable table.
    """

    def __init__(
        self,
        output: Value,
        rows: list[GradcheckRow],
        bad_rules: list[RuleMismatch],
        unchecked_rules: int,
        settings: str,
    ) -> None:
        self.output = output
        self.rows = tuple(rows)
        self.bad_rules = tuple(bad_rules)
        self.unchecked_rules = unchecked_rules
        self.settings = settings

    @property
    def ok(self) -> bool:
        """True when every gradient and every local rule agrees with its finite difference."""
        return not self.bad_rules and all(row.status in ("ok", "kink") for row in self.rows)

    @property
    def first_bad_rule(self) -> RuleMismatch | None:
        """The first node (in forward order) whose stored local derivative is wrong."""
        return self.bad_rules[0] if self.bad_rules else None

    def raise_if_failed(self) -> GradcheckReport:
        """Raise ``GradcheckError`` with the table unless ``ok``; return the report otherwise."""
        if not self.ok:
            raise GradcheckError("\n" + str(self))
        return self

    def __str__(self) -> str:
        passed = sum(row.status in ("ok", "kink") for row in self.rows)
        lines = [
            f"gradcheck {'passed' if self.ok else 'FAILED'}: {passed} of {len(self.rows)} "
            f"gradients agree with central differences ({self.settings})",
            f"{'node':<16} {'kind':<6} {'backward()':>17} {'central diff.':>17} "
            f"{'rel. error':>10}  status",
        ]
        for row in self.rows:
            lines.append(
                f"{row.name:<16} {row.kind:<6} {row.analytic:>17.10g} {row.numeric:>17.10g} "
                f"{row.rel_error:>10.1e}  {row.status}{f'  ({row.note})' if row.note else ''}"
            )
        if self.bad_rules:
            lines.append(f"first node whose local rule disagrees: {self.bad_rules[0]}")
            lines.extend(f"  also: {rule}" for rule in self.bad_rules[1:])
        else:
            lines.append("every local rule (stored ∂node/∂input) agrees with op.forward")
        if self.unchecked_rules:
            lines.append(
                f"({self.unchecked_rules} local derivative(s) could not be checked: "
                "op.forward rejected a perturbed input)"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<GradcheckReport ok={self.ok} rows={len(self.rows)}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython and Jupyter show the table, not the one-line repr."""
        printer.text(str(self))

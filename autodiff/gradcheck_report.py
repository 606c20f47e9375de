"""What ``gradcheck`` reports: one row per checked node, the bad local rules, a text table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import ops
from .value import Value


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

    ``stored`` is ``node._partials[input_index]``; ``numeric`` is the central difference
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

"""Turning what a user passes into floats, and naming it in error messages.

Not part of the engine's idea (``value.py`` reads without it): ``Value`` calls these only
when an input is not already a plain float, so that a wrong input gives a message naming
the op, the number and the node, never a deep traceback.
"""

from __future__ import annotations

import math
import numbers
from typing import Any


def real_number(data: Any, label: str | None) -> float:
    """``data`` as a float for a new leaf: a real number that is not NaN, or an error saying why."""
    if not isinstance(data, numbers.Real) and not is_numpy_bool(data):
        raise TypeError(
            f"Value: data must be a real number, got {type(data).__name__} {data!r}" + named(label)
        )
    try:
        number = float(data)
    except OverflowError:
        raise OverflowError(
            f"Value: {type(data).__name__} data is too large for a float" + named(label)
        ) from None
    if math.isnan(number):
        raise ValueError("Value: data is NaN" + named(label))
    return number


def check_label(label: object) -> None:
    """Refuse a label that is not a ``str`` or ``None`` now, not later in a drawing."""
    if label is not None and not isinstance(label, str):
        raise TypeError(f"Value: label must be a str or None, got {type(label).__name__} {label!r}")


def seed(gradient: Any, label: str | None) -> float:
    """The ``gradient`` that ``backward`` starts from, as a float that is not NaN."""
    if not isinstance(gradient, numbers.Real):
        raise TypeError(
            f"backward: gradient must be a real number, not {gradient!r}" + named(label)
        )
    number = as_float(gradient, "backward", None, what="gradient")
    if number != number:
        raise ValueError("backward: gradient is NaN" + named(label))
    return number


def exponent(x: Any, base: Any) -> float:
    """A number exponent of ``base ** x`` as a float, or an error naming the base's label."""
    if not isinstance(x, numbers.Real):
        raise TypeError(
            f"'**': exponent must be a number or a Value, got {type(x).__name__} {x!r}"
            + named(base.label)
        )
    return as_float(x, "**", base)


def as_float(x: Any, op: str, other: object | None, what: str = "operand") -> float:
    """The plain number ``x`` as a float, or an error naming the op, the number and the node."""
    # float and int first: isinstance against the numbers.Real ABC is slow
    if isinstance(x, (float, int, numbers.Real)) or is_numpy_bool(x):
        try:
            return float(x)
        except OverflowError:
            raise OverflowError(
                f"{op!r}: the {what} {abridged(x)} is too large for a float{_with(other)}"
            ) from None
    raise TypeError(
        f"{op!r}: {what} must be a real number or a Value, got "
        f"{type(x).__name__} {abridged(x)}{_with(other)}"
    )


def _with(other: object | None) -> str:
    return f" (with {other!r})" if other is not None else ""


def is_numpy_bool(x: object) -> bool:
    """NumPy's ``bool_`` is not registered as a ``numbers.Real``, though ``True`` is."""
    kind = type(x)
    return kind.__name__ in ("bool_", "bool") and kind.__module__ == "numpy"


def abridged(x: object) -> str:
    """``repr(x)``, shortened in the middle if very long (a 400-digit integer, say)."""
    text = repr(x)
    return text if len(text) <= 40 else f"{text[:15]}...{text[-10:]} ({len(text)} characters)"


def named(label: str | None, what: str = "") -> str:
    """`` (label 'x')``, or `` what 'x'``, to end a message with the node it is about."""
    if label is None:
        return ""
    return f" {what} {label!r}".rstrip() if what else f" (label {label!r})"

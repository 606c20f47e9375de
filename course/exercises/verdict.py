"""The verdict line every exercise check prints, and the comparisons the checks share.

A check calls exactly one of :func:`correct`, :func:`not_yet` or :func:`wrong`; each prints
one line that starts ``exercise <id>:``. The helpers below turn a student's answer into
either a float or a reason it is not one, and describe how far a number is from the right
one without printing the right one (a hint, not the answer).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

#: Relative tolerance for "the same number": answers are computed in floating point.
RTOL = 1e-6
ATOL = 1e-9


class Placeholder(Exception):
    """Raised inside a check when the student's placeholder is still there."""


class Wrong(Exception):
    """Raised inside a check with the hint to print after ``wrong:``."""


def correct(exercise: str, note: str = "") -> None:
    """Print ``exercise <id>: correct`` (and a short note on what was right)."""
    print(f"exercise {exercise}: correct" + (f" ({note})" if note else ""))


def not_yet(exercise: str, what: str = "replace the ... with your answer") -> None:
    """Print ``exercise <id>: not yet (<what to do>)``: the placeholder is still there."""
    print(f"exercise {exercise}: not yet ({what})")


def wrong(exercise: str, hint: str) -> None:
    """Print ``exercise <id>: wrong: <hint>``."""
    print(f"exercise {exercise}: wrong: {hint}")


def run(exercise: str, judge: Callable[[], str]) -> None:
    """Call ``judge`` and print its verdict: its return value is the note for ``correct``.

    ``judge`` raises :class:`Placeholder` for ``not yet`` and :class:`Wrong` for ``wrong``; a
    student's function that raises ``NotImplementedError`` counts as a placeholder, and any
    other error it raises becomes a ``wrong:`` line naming the error, never a traceback.
    """
    try:
        note = judge()
    except (Placeholder, NotImplementedError) as placeholder:
        not_yet(exercise, str(placeholder) or "your function still raises NotImplementedError")
    except Wrong as error:
        wrong(exercise, str(error))
    except Exception as error:  # the student's code failed: say how, not where deep inside
        wrong(exercise, f"your code raised {type(error).__name__}: {error}")
    else:
        correct(exercise, note)


def is_placeholder(answer: object) -> bool:
    """True for the ``...`` a student has not replaced yet."""
    return answer is Ellipsis


def number(answer: object, name: str) -> float:
    """``answer`` as a float, or :class:`Wrong` saying what it is instead.

    Raises :class:`Placeholder` for ``...``. A ``Value`` is refused with a hint to use
    ``.data``: the exercises ask for plain numbers worked out by hand.
    """
    if is_placeholder(answer):
        raise Placeholder(f"replace the ... in {name} with your answer")
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        kind = type(answer).__name__
        extra = (
            " (a Value: write its .data, or compute with plain numbers)" if kind == "Value" else ""
        )
        raise Wrong(f"{name} should be a number, got {kind} {answer!r}{extra}")
    value = float(answer)
    if not math.isfinite(value):
        raise Wrong(f"{name} is {value}, not a finite number")
    return value


def numbers(answer: object, name: str, length: int) -> list[float]:
    """``answer`` as a list of ``length`` floats (a list or tuple), or :class:`Wrong`."""
    if is_placeholder(answer):
        raise Placeholder(f"replace the ... in {name} with your answer")
    if not isinstance(answer, (list, tuple)):
        raise Wrong(f"{name} should be a list of {length} numbers, got {type(answer).__name__}")
    if len(answer) != length:
        raise Wrong(f"{name} should hold {length} numbers, it holds {len(answer)}")
    return [number(a, f"{name}[{i}]") for i, a in enumerate(answer)]


def same(a: float, b: float) -> bool:
    """``a`` and ``b`` agree up to rounding."""
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL)


def how_far(answer: float, expected: float) -> str:
    """How ``answer`` differs from ``expected``, in words, without giving ``expected`` away."""
    if expected == 0.0:
        return f"is {answer:.4g}, but it should be 0"
    if answer == 0.0:
        return "is 0, but it is not 0"
    if (answer > 0) != (expected > 0):
        if same(-answer, expected):
            return "has the wrong sign (its size is right)"
        return "has the wrong sign"
    ratio = answer / expected
    for factor in (2.0, 3.0, 4.0, 0.5, 1 / 3, 0.25):
        if math.isclose(ratio, factor, rel_tol=1e-6):
            return f"is {ratio:.3g} times the right value"
    percent = 100 * (ratio - 1)
    return f"is about {abs(percent):.2g}% too {'large' if percent > 0 else 'small'}"


def expect(answer: float, expected: float, name: str, *known: tuple[float, str]) -> None:
    """Raise :class:`Wrong` unless ``answer`` equals ``expected``.

    ``known`` lists typical mistakes as (the number that mistake gives, the hint for it);
    an answer that matches one gets that hint, anything else a description of how far off it is.
    """
    if same(answer, expected):
        return
    for value, hint in known:
        if same(answer, value):
            raise Wrong(f"{name}: {hint}")
    raise Wrong(f"{name} {how_far(answer, expected)}")


def student_function(function: Any, name: str) -> Callable[..., Any]:
    """``function`` if it is callable, else :class:`Placeholder` or :class:`Wrong`."""
    if is_placeholder(function):
        raise Placeholder(f"write the function {name}")
    if not callable(function):
        raise Wrong(f"{name} should be a function, got {type(function).__name__}")
    return function  # type: ignore[no-any-return]

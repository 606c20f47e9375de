"""The one verdict path every exercise check goes through, and the comparisons checks share.

A check wraps its work in :func:`run`, which prints exactly one line that starts
``exercise <id>:``, followed by one of

* ``correct`` (or ``correct, to 3 digits`` for a hand answer rounded to 3 significant digits),
* ``close: keep more digits`` for a hand answer right to 2 significant digits only,
* ``not yet`` while the placeholder is still there,
* ``wrong: <hint>``, the hint naming the number that is off and roughly how.

**Practice mode** (the default) only prints. **Graded mode** (:func:`graded_mode`, or the
environment variable ``BACKPROP_LAB_MODE=graded``) prints the same line and then raises
``AssertionError`` with it unless the answer is correct, so a grader's test cell that calls a
check fails when the answer does. Graded mode is a one-way switch for the process, and in it the
course's own reference functions (:func:`reference`) refuse to run for the student's code.

The helpers below turn a student's answer into a float or a reason it is not one, and describe
how far a number is from the right one without printing the right one (a hint, not the answer).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

#: Relative tolerance for "the same number": answers are computed in floating point.
RTOL = 1e-6
ATOL = 1e-9
#: A hand answer right to this many significant digits is correct ("correct, to 3 digits").
DIGITS = 3
#: The environment variable that starts a process in graded mode (value ``graded``).
MODE_VARIABLE = "BACKPROP_LAB_MODE"

_graded = os.environ.get(MODE_VARIABLE, "").strip().lower() == "graded"
# Set while a check runs: "rounded" when an answer was accepted to DIGITS digits only.
_notes: ContextVar[list[str] | None] = ContextVar("_notes", default=None)


_problem: ContextVar[int] = ContextVar("_problem", default=1)


def problem() -> int:
    """Which problem the checks judge: 1, the notebook's own, or 2 (:func:`second_problem`)."""
    return _problem.get()


@contextlib.contextmanager
def second_problem() -> Iterator[None]:
    """Within this block the checks use their second problem (other numbers, other points).

    The hidden tests of a graded assignment re-run the student's work there, so an answer
    copied from the practice check's reference, or read off the notebook, does not carry over.
    """
    token = _problem.set(2)
    try:
        yield
    finally:
        _problem.reset(token)


T = TypeVar("T")


def pick(first: T, second: T) -> T:
    """``first`` for the notebook's problem, ``second`` inside :func:`second_problem`."""
    return first if _problem.get() == 1 else second


def graded_mode() -> None:
    """Switch this process to graded mode for good: checks raise, references refuse to run.

    There is no way back to practice mode in the same process: a graded notebook's first cell
    calls this, and a student's later cell cannot undo it.
    """
    global _graded
    _graded = True


def is_graded() -> bool:
    """True once :func:`graded_mode` was called or the process started with the variable set."""
    return _graded


class Placeholder(Exception):
    """Raised inside a check when the student's placeholder is still there."""


class Wrong(Exception):
    """Raised inside a check with the hint to print after ``wrong:``."""


class Close(Exception):
    """Raised inside a check when a hand answer is right to 2 significant digits only."""


class ReferenceHidden(RuntimeError):
    """Raised when the student's code calls one of the course's reference answers in graded mode."""


F = TypeVar("F", bound=Callable[..., Any])


def reference(function: F) -> F:
    """Mark ``function`` as a reference answer: in graded mode only the course may call it.

    In practice mode a curious student may call it (and read how the check works out the
    answer); in graded mode a call from outside the ``course`` package raises
    :class:`ReferenceHidden`, so an answer cannot be one import away.
    """

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if _graded and not (caller == "course" or caller.startswith("course.")):
            raise ReferenceHidden(
                f"{function.__qualname__} is the course's reference answer: "
                "it is not available in graded mode, write your own"
            )
        return function(*args, **kwargs)

    del guarded.__wrapped__  # functools.wraps leaves the unguarded function one attribute away
    return guarded  # type: ignore[return-value]


def correct(exercise: str, note: str = "", digits: bool = False) -> str:
    """The line ``exercise <id>: correct`` (``correct, to 3 digits``), with a short note."""
    head = f"exercise {exercise}: correct" + (f", to {DIGITS} digits" if digits else "")
    return head + (f" ({note})" if note else "")


def not_yet(exercise: str, what: str = "replace the ... with your answer") -> str:
    """The line ``exercise <id>: not yet (<what to do>)``: the placeholder is still there."""
    return f"exercise {exercise}: not yet ({what})"


def close(exercise: str, hint: str) -> str:
    """The line ``exercise <id>: close: keep more digits (<hint>)``."""
    return f"exercise {exercise}: close: keep more digits ({hint})"


def wrong(exercise: str, hint: str) -> str:
    """The line ``exercise <id>: wrong: <hint>``."""
    return f"exercise {exercise}: wrong: {hint}"


def verdict(exercise: str, judge: Callable[[], str]) -> tuple[bool, str]:
    """(passed, the verdict line) of ``judge``; its return value is the note for ``correct``.

    ``judge`` raises :class:`Placeholder` for ``not yet``, :class:`Close` for ``close`` and
    :class:`Wrong` for ``wrong``; a student's function that raises ``NotImplementedError``
    counts as a placeholder, and any other error it raises becomes a ``wrong:`` line naming the
    error (with a hint for the usual ones), never a traceback.
    """
    notes: list[str] = []
    token = _notes.set(notes)
    try:
        note = judge()
    except (Placeholder, NotImplementedError) as placeholder:
        what = str(placeholder) or "your function still raises NotImplementedError"
        return False, not_yet(exercise, what)
    except Close as error:
        return False, close(exercise, str(error))
    except Wrong as error:
        return False, wrong(exercise, str(error))
    except ReferenceHidden as error:
        return False, wrong(exercise, str(error))
    except Exception as error:  # the student's code failed: say how, not where deep inside
        return False, wrong(exercise, f"your code raised {type(error).__name__}: {error}")
    finally:
        _notes.reset(token)
    return True, correct(exercise, note, digits="rounded" in notes)


def run(exercise: str, judge: Callable[[], str]) -> None:
    """Print the verdict line of ``judge`` (see :func:`verdict`): the one path of every check.

    In graded mode a verdict other than ``correct`` then raises ``AssertionError`` with the
    same line, so that a test cell calling the check fails.
    """
    passed, line = verdict(exercise, judge)
    print(line)
    if _graded and not passed:
        raise AssertionError(line)


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


def _unit(expected: float, digit: int) -> float:
    """The size of one unit in the ``digit``-th significant digit of ``expected`` (not 0)."""
    return 10.0 ** (math.floor(math.log10(abs(expected))) - digit + 1)


def agrees_to(answer: float, expected: float, digits: int) -> bool:
    """``answer`` is ``expected`` rounded or cut to ``digits`` significant digits (or better).

    0.0433 agrees with 0.043333 to 3 digits, −3.33 with −3.3333 and 0.137 with 0.13746 (cut);
    0.0434 does not, and 11 does not agree with 12 to 2 digits.
    """
    if expected == 0.0 or answer == 0.0 or (answer > 0) != (expected > 0):
        return same(answer, expected)
    unit = _unit(expected, digits)
    rounded = abs(answer - expected) <= unit / 2 * (1 + 1e-9)
    # cut: the dropped digits are less than one unit (so 11 is not 12 cut to 2 digits)
    cut = abs(answer) < abs(expected) and abs(expected) - abs(answer) < unit * (1 - 1e-9)
    return rounded or cut


def significant_digits(answer: float) -> int:
    """How many significant digits ``answer`` is written with: 0.043 → 2, 6.0001 → 5."""
    text = f"{abs(answer):.15g}"
    mantissa = text.split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa)


# Ratios a slip of the hand gives (a forgotten ½, a factor counted twice), named in words.
_FACTORS = (
    (2.0, "2 times"), (3.0, "3 times"), (4.0, "4 times"),
    (0.5, "half"), (1 / 3, "a third of"), (0.25, "a quarter of"),
)  # fmt: skip


def how_far(answer: float, expected: float) -> str:
    """How ``answer`` differs from ``expected``, in words, without giving ``expected`` away.

    For a negative right answer the words are "too far below zero" and "not far enough below
    zero", never a percentage "too large" that reads backwards.
    """
    if expected == 0.0:
        return f"is {answer:.4g}, but it should be 0"
    if answer == 0.0:
        return "is 0, but it is not 0"
    if (answer > 0) != (expected > 0):
        if same(-answer, expected):
            return "has the wrong sign (its size is right)"
        return f"has the wrong sign: it should be {'positive' if expected > 0 else 'negative'}"
    ratio = answer / expected
    for factor, words in _FACTORS:
        if math.isclose(ratio, factor, rel_tol=1e-6):
            return f"is {words} the right value"
    if expected > 0:
        direction = "too large" if ratio > 1 else "too small"
    else:
        direction = "too far below zero" if ratio > 1 else "not far enough below zero"
    if ratio > 1.5:
        return f"is {direction}: about {ratio:.2g} times the right size"
    if ratio < 2 / 3:
        return f"is {direction}: about {ratio:.2g} of the right size"
    return f"is {direction} by about {100 * abs(ratio - 1):.2g}%"


def expect(answer: float, expected: float, name: str, *known: tuple[float, str]) -> None:
    """Return if ``answer`` is ``expected`` (exactly or to 3 digits), else raise with a hint.

    ``known`` lists typical mistakes as (the number that mistake gives, the hint for it); an
    answer that matches one, exactly or to 3 digits, gets that hint. An answer right to 2
    significant digits only raises :class:`Close`; anything else :class:`Wrong` saying how far
    off it is.
    """
    if same(answer, expected):
        return
    for value, hint in known:
        if same(answer, value):
            raise Wrong(f"{name}: {hint}")
    if agrees_to(answer, expected, DIGITS):
        notes = _notes.get()
        if notes is not None:
            notes.append("rounded")
        return
    for value, hint in known:
        if agrees_to(answer, value, DIGITS):
            raise Wrong(f"{name}: {hint}")
    if significant_digits(answer) >= 2 and agrees_to(answer, expected, 2):
        raise Close(f"{name} is right to 2 significant digits; give at least {DIGITS}")
    raise Wrong(f"{name} {how_far(answer, expected)}")


def student_function(function: Any, name: str) -> Callable[..., Any]:
    """``function`` if it is callable, else :class:`Placeholder` or :class:`Wrong`."""
    if is_placeholder(function):
        raise Placeholder(f"write the function {name}")
    if not callable(function):
        raise Wrong(f"{name} should be a function, got {type(function).__name__}")
    module = getattr(function, "__module__", "") or ""
    if _graded and (module == "course" or module.startswith("course.")):
        raise Wrong(f"{name} is the course's own function, not yours: write it yourself")
    return function  # type: ignore[no-any-return]

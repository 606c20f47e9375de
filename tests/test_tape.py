"""autodiff.tape: what only a recorded tape has, and the random programs tapes are tested on.

The contract ``record`` and ``compile`` share (equal to a rebuilt graph bit for bit, the
same refusals and views) is in ``test_tape_contract.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from hypothesis import strategies as st

import autodiff
from autodiff import Tape, Value, dot, record, topological_order

# --- a tiny random-program language: each instruction reads earlier slots (fan-out) ----


def _dot(a: Value, b: Value, c: Value) -> Value:
    return dot([a, b], [b, c], a)


# Ops whose domain is the whole real line, so new leaf values never make a rebuilt
# graph and its replay disagree about *whether* an op is defined (see test_errors_*).
BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (1.0 + b * b),
    "pow": lambda a, b: (1.0 + a * a) ** b.tanh(),
    "dot": lambda a, b: _dot(a, b, a * 0.5),
}
UNARY: dict[str, Callable[[Value], Value]] = {
    "relu": lambda a: a.relu(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "abs": lambda a: abs(a),
    "neg": lambda a: -a,
    "square": lambda a: a**2,
    "exp": lambda a: a.tanh().exp(),
    "log": lambda a: (1.0 + a * a).log(),
    "sqrt": lambda a: (a * a).sqrt(),
    "shift": lambda a: a - 0.25,
}
Program = list[tuple[str, int, int]]


def run(program: Program, leaves: Sequence[Value]) -> Value:
    """Evaluate ``program`` on ``leaves``; every instruction may reuse any earlier slot."""
    slots = list(leaves)
    for name, i, j in program:
        a, b = slots[i % len(slots)], slots[j % len(slots)]
        slots.append(BINARY[name](a, b) if name in BINARY else UNARY[name](a))
    return slots[-1]


programs = st.lists(
    st.tuples(
        st.sampled_from(sorted(BINARY) + sorted(UNARY)), st.integers(0, 99), st.integers(0, 99)
    ),
    min_size=1,
    max_size=14,
)
leaf_values = st.lists(st.floats(-3.0, 3.0), min_size=3, max_size=3)


def same(x: float, y: float) -> bool:
    """Bit-equal floats: ``==`` plus the sign of zero; NaN matches NaN."""
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)


# --- what only a recorded tape has (the shared contract: test_tape_contract.py) -------


def test_python_control_flow_is_baked_in_at_record_time() -> None:
    """The documented limit: a Python ``if`` on data keeps the recorded branch."""
    x = Value(1.0)
    y = x * 2.0 if x.data > 0 else x * -1.0
    tape = record(y)
    x.data = -1.0
    assert tape.forward() == -2.0  # the recorded branch, x * 2
    x2 = Value(-1.0)
    rebuilt = x2 * 2.0 if x2.data > 0 else x2 * -1.0
    assert rebuilt.data == 1.0  # rebuilding takes the other branch


def test_leaves_named_leaves_len_and_repr() -> None:
    """The views, as the contract has them, and a Tape's short repr."""
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    out = (w * x + 1.0).tanh()
    out.label = "out"
    tape = record(out)
    assert tape.leaves[:2] == [w, x] and len(tape.leaves) == 3  # 1.0 is a constant leaf
    assert tape.named_leaves == {"w": w, "x": x}
    assert len(tape) == len(topological_order(out)) == 6
    assert tape.nodes[-1] is out and tape.root is out
    assert repr(tape) == f"<Tape: 6 nodes (3 ops, 3 leaves), root tanh 'out' (data {out.data!r})>"
    assert isinstance(tape, Tape) and autodiff.record is record

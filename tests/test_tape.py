"""autodiff.tape: what only a recorded tape has.

The contract ``record`` and ``compile`` share (equal to a rebuilt graph bit for bit, the
same refusals and views) is in ``test_tape_contract.py``; the random programs it runs are
in ``tests/expressions.py``.
"""

from __future__ import annotations

import autodiff
from autodiff import Tape, Value, record, topological_order

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

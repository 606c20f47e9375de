"""autodiff.tape: replaying a recorded graph equals rebuilding it, bit for bit; refusals."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autodiff
import nn
from autodiff import Tape, Value, detect_anomaly, dot, no_grad, record, topological_order

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


def assert_same_graph(replayed: Sequence[Value], rebuilt: Sequence[Value]) -> None:
    """Node by node in topological order: equal data, grads and local derivatives."""
    assert len(replayed) == len(rebuilt)
    for k, (a, b) in enumerate(zip(replayed, rebuilt)):
        assert (a._op and a._op.name) == (b._op and b._op.name), (k, a, b)
        assert same(a.data, b.data), (k, a, b)
        assert same(a.grad, b.grad), (k, a, b)
        assert len(a._partials) == len(b._partials)
        assert all(same(p, q) for p, q in zip(a._partials, b._partials)), (k, a, b)


@settings(max_examples=150, deadline=None)
@given(programs, st.lists(leaf_values, min_size=2, max_size=4))
def test_replay_equals_rebuild_on_random_expressions(
    program: Program, steps: list[list[float]]
) -> None:
    """Random expressions with fan-out and kinks: replay on new leaf data equals a rebuilt graph."""
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(steps[0])]
    try:
        root = run(program, leaves)
    except (ValueError, ArithmeticError):
        return  # the first data is outside some op's domain: nothing was built to record
    tape = record(root)
    for data in steps:
        fresh = [Value(x, label=f"x{i}") for i, x in enumerate(data)]
        try:
            rebuilt = run(program, fresh)
        except (ValueError, ArithmeticError) as error:
            for leaf, x in zip(leaves, data):
                leaf.data = x
            with pytest.raises((ValueError, ArithmeticError)):
                tape.forward()
            assert str(error)  # both sides refused; the rebuilt one with its own message
            return
        rebuilt.backward()
        for leaf, x in zip(leaves, data):
            leaf.data = x
        for leaf in tape.leaves:  # constants too: a rebuilt graph has fresh ones at 0
            leaf.grad = 0.0
        assert same(tape.forward(), rebuilt.data)
        tape.backward()
        assert_same_graph(tape.nodes, topological_order(rebuilt))
        for leaf, new in zip(leaves, fresh):
            assert same(leaf.grad, new.grad)


def test_relu_kink_replays_when_the_sign_flips() -> None:
    """relu recomputes its branch from data: a pre-activation crossing 0 changes data and grad."""
    w, x = Value(1.5, label="w"), Value(2.0, label="x")
    y = (w * x - 1.0).relu() * w
    tape = record(y)
    for wd in (1.5, -1.5, 0.25, 0.5, 2.0):
        w.data, w.grad, x.grad = wd, 0.0, 0.0
        tape.forward()
        tape.backward()
        w2, x2 = Value(wd), Value(2.0)
        y2 = (w2 * x2 - 1.0).relu() * w2
        y2.backward()
        assert same(y.data, y2.data) and same(w.grad, w2.grad) and same(x.grad, x2.grad)


def test_backward_semantics_match_value_backward() -> None:
    """Inner grads are reset, leaves accumulate, and ``gradient`` scales: as ``Value.backward``."""
    a = Value(3.0)
    cube = a * a * a
    tape = record(cube)
    tape.backward()
    tape.backward(gradient=0.5)
    b = Value(3.0)
    cube_b = b * b * b
    cube_b.backward()
    cube_b.backward(gradient=0.5)
    assert a.grad == b.grad == 27.0 + 13.5
    assert_same_graph(tape.nodes, topological_order(cube_b))


# --- the training loop: nn.MLP, rebuilt vs replayed ------------------------------------


def _objective(
    model: nn.MLP, inputs: list[list[Value]] | list[list[float]], labels: list[float]
) -> Value:
    """The micrograd demo's objective: SVM max-margin loss + 1e-4·L2."""
    scores = [model(x) for x in inputs]
    return nn.hinge(scores, labels) + nn.l2(model.parameters(), 1e-4)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_mlp_training_loop_replay_equals_rebuild(activation: str) -> None:
    """Ten SGD steps of an nn.MLP on moons: the same losses, grads and weights, replayed or not."""
    points, classes = nn.moons(24, noise=0.1, seed=3)
    labels = [float(label) for label in nn.signed(classes)]
    rebuilt = nn.MLP(2, [8, 8, 1], activation=activation, seed=5)
    replayed = nn.MLP(2, [8, 8, 1], activation=activation, seed=5)
    leaves = [[Value(a), Value(b)] for a, b in points]
    tape = record(_objective(replayed, leaves, labels))
    params_a, params_b = rebuilt.parameters(), replayed.parameters()
    for step in range(10):
        loss_a = _objective(rebuilt, points, labels)
        rebuilt.zero_grad()
        loss_a.backward()
        loss_b = tape.forward()
        replayed.zero_grad()
        tape.backward()
        assert same(loss_a.data, loss_b), step
        assert all(same(p.grad, q.grad) for p, q in zip(params_a, params_b)), step
        rate = 1.0 - 0.9 * step / 10
        for p, q in zip(params_a, params_b):
            p.data -= rate * p.grad
            q.data -= rate * q.grad
    assert all(same(p.data, q.data) for p, q in zip(params_a, params_b))


# --- what a tape refuses, and what it cannot see --------------------------------------


def test_refuses_a_leaf_root() -> None:
    """A leaf has no graph: refused, with a hint about no_grad."""
    with pytest.raises(ValueError, match=r"is a leaf, there is no graph to replay.*no_grad"):
        record(Value(1.0))


def test_refuses_a_graph_computed_under_no_grad() -> None:
    """Under no_grad an op returns a leaf, so its result cannot be recorded."""
    a = Value(2.0)
    with no_grad():
        b = a * a
    with pytest.raises(ValueError, match="no_grad"):
        record(b)


def test_refuses_recording_inside_no_grad() -> None:
    """Recording inside no_grad() is refused outright."""
    c = Value(2.0) * 3.0
    with no_grad(), pytest.raises(RuntimeError, match=r"record: called inside no_grad\(\)"):
        record(c)


def test_refuses_non_values() -> None:
    """Only a Value can be recorded."""
    with pytest.raises(TypeError, match="record: expected a Value, got float"):
        record(1.0)  # type: ignore[arg-type]  # the wrong type is the point


def test_refuses_a_node_without_a_runnable_op() -> None:
    """A node with parents but no op (built by hand) cannot be re-run."""
    a = Value(2.0)
    b = a * a
    b._op = None
    with pytest.raises(ValueError, match=r"has parents but no re-runnable op"):
        record(b + 1.0)


def test_refuses_a_node_changed_after_recording() -> None:
    """Rewiring a node's parents after recording is caught in forward and backward."""
    a, b = Value(2.0), Value(3.0)
    prod = a * b
    tape = record(prod + 1.0)
    prod._parents = (a, a)
    with pytest.raises(RuntimeError, match=r"was changed after recording.*record the graph again"):
        tape.forward()
    with pytest.raises(RuntimeError, match="was changed after recording"):
        tape.backward()


def test_domain_error_during_replay_names_the_op_the_input_and_the_node() -> None:
    """New data outside an op's domain raises that op's error, naming input and node."""
    x = Value(2.0, label="x")
    y = x.log()
    y.label = "y"
    tape = record(y * 2.0)
    x.data = -1.0
    message = r"log: input must be > 0, got -1.0.*'x' = -1.0.*replaying node log 'y'"
    with pytest.raises(ValueError, match=message):
        tape.forward()


def test_anomaly_mode_checks_replayed_values() -> None:
    """Under detect_anomaly, a replay that overflows to inf stops at that node."""
    a = Value(2.0, label="a")
    big = a * a
    tape = record(big + 1.0)
    a.data = 1e200
    message = r"anomaly: replaying \*\(1e\+200, 1e\+200\) for node \* .* non-finite"
    with detect_anomaly(), pytest.raises(FloatingPointError, match=message):
        tape.forward()


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
    """The views: leaves in order, labelled leaves by label, node count, a short repr."""
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


def test_named_leaves_refuses_a_duplicate_label() -> None:
    """Two different leaves with one label cannot be looked up by it."""
    tape = record(Value(1.0, label="x") * Value(2.0, label="x"))
    with pytest.raises(ValueError, match="two leaves are labelled 'x'"):
        tape.named_leaves  # noqa: B018  # the property access is the test


def test_backward_refuses_a_bad_gradient() -> None:
    """As ``Value.backward``: a non-number seed is a TypeError, a NaN seed a ValueError."""
    tape = record(Value(2.0) * 3.0)
    with pytest.raises(TypeError, match=r"Tape\.backward: gradient must be a real number"):
        tape.backward("1")  # type: ignore[arg-type]  # the wrong type is the point
    with pytest.raises(ValueError, match=r"Tape\.backward: gradient is NaN"):
        tape.backward(math.nan)

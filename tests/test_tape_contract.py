"""One contract for ``record`` and ``compile``: what a tape of either kind must do.

Each test runs once per engine: a recorded tape (``autodiff.record``) and compiled ones
(``autodiff.compile``, in one chunk, in chunks of 3 and of 1 node, and without inner
nodes' numbers). Both re-run a graph on new leaf data exactly as a rebuilt graph would,
refuse the same things and name the node an error comes from. What only one of them has
(a tape's repr and its baked-in branches; generated source, chunks, constants written
as code) is tested in ``test_tape.py`` and ``test_compiler.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autodiff
import nn
from autodiff import Value, detect_anomaly, no_grad, topological_order
from autodiff.tape import Recording
from tests.expressions import Program, leaf_values, run_tape, same, tape_programs


@dataclass(frozen=True)
class Engine:
    """A way to make a tape, and what its messages call it."""

    name: str
    make: Callable[[Value], Any]
    verb: str  # record / compile: the function named in refusals
    run: str  # replay / compile: what it does with the graph
    kind: str  # the class named in backward's refusals
    partials: bool  # whether inner nodes keep local derivatives (a compiled tape does not)
    inner: bool = True  # whether inner nodes' data and grads are written


ENGINES = [
    Engine("record", autodiff.record, "record", "replay", "Tape", partials=True),
    Engine("compile", autodiff.compile, "compile", "compile", "CompiledTape", partials=False),
    Engine(
        "compile-chunk3",
        partial(autodiff.compile, chunk=3),
        "compile",
        "compile",
        "CompiledTape",
        partials=False,
    ),
    Engine(
        "compile-chunk1",
        partial(autodiff.compile, chunk=1),
        "compile",
        "compile",
        "CompiledTape",
        partials=False,
    ),
    Engine(
        "compile-outer",
        partial(autodiff.compile, inner=False, chunk=97),
        "compile",
        "compile",
        "CompiledTape",
        partials=False,
        inner=False,
    ),
]
engines = pytest.mark.parametrize("engine", ENGINES, ids=[e.name for e in ENGINES])


def assert_same_graph(engine: Engine, tape: Sequence[Value], rebuilt: Sequence[Value]) -> None:
    """Node by node: bit-equal data and grads (and local derivatives, where kept).

    A compiled inner node's grad starts from its first contribution, not from ``0.0 +``
    it, so a zero grad may be ``-0.0`` where the engine has ``0.0`` (see ``compile``).
    """
    assert len(tape) == len(rebuilt)
    for k, (a, b) in enumerate(zip(tape, rebuilt)):
        assert (a.op and a.op.name) == (b.op and b.op.name), (k, a, b)
        if not engine.inner and a.parents:
            continue
        assert same(a.data, b.data), (k, a, b)
        if a.parents and not engine.partials:
            assert a.grad == b.grad or (math.isnan(a.grad) and math.isnan(b.grad)), (k, a, b)
        else:
            assert same(a.grad, b.grad), (k, a, b)
        if engine.partials:
            assert all(same(p, q) for p, q in zip(a._partials, b._partials)), (k, a, b)


# --- equal to a rebuilt graph ------------------------------------------------------------


@engines
@settings(max_examples=100, deadline=None)
@given(tape_programs, st.lists(leaf_values, min_size=2, max_size=4))
def test_equals_rebuild_on_random_expressions(
    engine: Engine, program: Program, steps: list[list[float]]
) -> None:
    """Random expressions with fan-out and kinks: new leaf data gives a rebuilt graph's numbers."""
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(steps[0])]
    try:
        root = run_tape(program, leaves)
    except (ValueError, ArithmeticError):
        return  # the first data is outside some op's domain: nothing was built
    tape = engine.make(root)
    for data in steps:
        fresh = [Value(x, label=f"x{i}") for i, x in enumerate(data)]
        try:
            rebuilt = run_tape(program, fresh)
        except (ValueError, ArithmeticError):
            for leaf, x in zip(leaves, data):
                leaf.data = x
            with pytest.raises((ValueError, ArithmeticError)):
                tape.forward()
                tape.backward()  # a compiled tape finds an overflowing slope here
            return
        rebuilt.backward()
        for leaf, x in zip(leaves, data):
            leaf.data = x
        for leaf in tape.leaves:  # constants too: a rebuilt graph has fresh ones at 0
            leaf.grad = 0.0
        assert same(tape.forward(), rebuilt.data)
        tape.backward()
        assert_same_graph(engine, tape.nodes, topological_order(rebuilt))
        for leaf, new in zip(leaves, fresh):
            assert same(leaf.grad, new.grad)


@engines
def test_relu_kink_reruns_when_the_sign_flips(engine: Engine) -> None:
    """relu decides afresh on every forward: a pre-activation crossing 0 changes data and grad."""
    w, x = Value(1.5, label="w"), Value(2.0, label="x")
    y = (w * x - 1.0).relu() * w
    tape = engine.make(y)
    for wd in (1.5, -1.5, 0.25, 0.5, 2.0):
        w.data, w.grad, x.grad = wd, 0.0, 0.0
        tape.forward()
        tape.backward()
        w2, x2 = Value(wd), Value(2.0)
        y2 = (w2 * x2 - 1.0).relu() * w2
        y2.backward()
        assert same(y.data, y2.data) and same(w.grad, w2.grad) and same(x.grad, x2.grad)


@engines
def test_backward_semantics_match_value_backward(engine: Engine) -> None:
    """Inner grads are set afresh, leaves accumulate, ``gradient`` scales: as ``Value.backward``."""
    a = Value(3.0)
    tape = engine.make(a * a * a)
    tape.backward()
    tape.backward(gradient=0.5)
    b = Value(3.0)
    cube_b = b * b * b
    cube_b.backward()
    cube_b.backward(gradient=0.5)
    assert a.grad == b.grad == 27.0 + 13.5
    assert_same_graph(engine, tape.nodes, topological_order(cube_b))


def _objective(model: nn.MLP, inputs: Sequence[Sequence[object]], labels: list[float]) -> Value:
    """The micrograd demo's objective: SVM max-margin loss + 1e-4·L2."""
    scores = [model(x) for x in inputs]  # type: ignore[arg-type]  # Values or floats
    return nn.hinge(scores, labels) + nn.l2(model.parameters(), 1e-4)


@engines
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_mlp_training_loop_equals_rebuild(engine: Engine, activation: str) -> None:
    """Ten SGD steps of an nn.MLP on moons: the same losses, grads and weights as rebuilding."""
    points, classes = nn.moons(24, noise=0.1, seed=3)
    labels = [float(label) for label in nn.signed(classes)]
    rebuilt = nn.MLP(2, [8, 8, 1], activation=activation, seed=5)
    taped = nn.MLP(2, [8, 8, 1], activation=activation, seed=5)
    leaves = [[Value(a), Value(b)] for a, b in points]
    tape = engine.make(_objective(taped, leaves, labels))
    params_a, params_b = rebuilt.parameters(), taped.parameters()
    for step in range(10):
        loss_a = _objective(rebuilt, points, labels)
        rebuilt.zero_grad()
        loss_a.backward()
        loss_b = tape.forward()
        for leaf in tape.leaves:  # inputs too: the rebuilt graph's are fresh
            leaf.grad = 0.0
        tape.backward()
        assert same(loss_a.data, loss_b) and same(tape.root.data, loss_b), step
        assert all(same(p.grad, q.grad) for p, q in zip(params_a, params_b)), step
        assert_same_graph(engine, tape.nodes, topological_order(loss_a))
        rate = 1.0 - 0.9 * step / 10
        for p, q in zip(params_a, params_b):
            p.data -= rate * p.grad
            q.data -= rate * q.grad
    assert all(same(p.data, q.data) for p, q in zip(params_a, params_b))


# --- what a tape refuses ---------------------------------------------------------------


@engines
def test_refuses_a_leaf_root_and_a_graph_made_under_no_grad(engine: Engine) -> None:
    """A leaf has no graph: refused, with a hint about no_grad (an op under no_grad is a leaf)."""
    with pytest.raises(ValueError, match=rf"is a leaf, there is no graph to {engine.run}.*no_grad"):
        engine.make(Value(1.0))
    a = Value(2.0)
    with no_grad():
        b = a * a
    with pytest.raises(ValueError, match="no_grad"):
        engine.make(b)


@engines
def test_refuses_to_be_made_inside_no_grad(engine: Engine) -> None:
    """Making a tape inside no_grad() is refused outright."""
    c = Value(2.0) * 3.0
    with no_grad(), pytest.raises(RuntimeError, match=rf"{engine.verb}: called inside no_grad\(\)"):
        engine.make(c)


@engines
def test_refuses_non_values(engine: Engine) -> None:
    """Only a Value has a graph."""
    with pytest.raises(TypeError, match=rf"{engine.verb}: expected a Value, got float"):
        engine.make(1.0)


@engines
def test_refuses_a_node_without_a_runnable_op(engine: Engine) -> None:
    """A node with parents but no op (built by hand) cannot be re-run."""
    a = Value(2.0)
    b = a * a
    b._op = None
    with pytest.raises(ValueError, match=rf"has parents but no re-runnable op.*{engine.run}ed"):
        engine.make(b + 1.0)


@engines
def test_refuses_a_node_changed_afterwards(engine: Engine) -> None:
    """Rewiring a node's parents after making the tape is caught in forward and backward."""
    a, b = Value(2.0), Value(3.0)
    prod = a * b
    tape = engine.make(prod + 1.0)
    prod._parents = (a, a)
    message = rf"was changed after \w+ing.*{engine.verb} the graph again"
    with pytest.raises(RuntimeError, match=message):
        tape.forward()
    with pytest.raises(RuntimeError, match=message):
        tape.backward()


@engines
def test_domain_error_names_the_op_the_input_and_the_node(engine: Engine) -> None:
    """New data outside an op's domain: the op's own message, the input and the node."""
    x = Value(2.0, label="x")
    y = x.log()
    y.label = "y"
    tape = engine.make(y * 2.0)
    x.data = -1.0
    message = r"log: input must be > 0, got -1.0.*'x' = -1.0.* node log 'y'"
    with pytest.raises(ValueError, match=message):
        tape.forward()
    x.data = 3.0
    assert tape.forward() == math.log(3.0) * 2.0  # fixed data: the tape runs again


@engines
def test_anomaly_mode_checks_every_number(engine: Engine) -> None:
    """Under detect_anomaly, a forward that overflows to inf stops at that node."""
    a = Value(2.0, label="a")
    big = a * a
    tape = engine.make(big + 1.0)
    a.data = 1e200
    message = r"anomaly: replaying \*\(1e\+200, 1e\+200\) for node \* .* non-finite"
    with detect_anomaly(), pytest.raises(FloatingPointError, match=message):
        tape.forward()


@engines
def test_backward_refuses_a_bad_gradient(engine: Engine) -> None:
    """As ``Value.backward``: a non-number seed is a TypeError, a NaN seed a ValueError."""
    tape = engine.make(Value(2.0) * 3.0)
    with pytest.raises(TypeError, match=rf"{engine.kind}\.backward: gradient must be a real"):
        tape.backward("1")
    with pytest.raises(ValueError, match=rf"{engine.kind}\.backward: gradient is NaN"):
        tape.backward(math.nan)


# --- the views ---------------------------------------------------------------------------


@engines
def test_leaves_named_leaves_nodes_and_len(engine: Engine) -> None:
    """Leaves in order (constants too), labelled leaves by label, every node, the count."""
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    out = (w * x + 1.0).tanh()
    out.label = "out"
    tape = engine.make(out)
    assert isinstance(tape, Recording)
    assert tape.leaves[:2] == [w, x] and len(tape.leaves) == 3  # 1.0 is a constant leaf
    assert tape.named_leaves == {"w": w, "x": x}
    assert len(tape) == len(topological_order(out)) == 6
    assert tape.nodes[-1] is out and tape.root is out
    assert repr(tape).startswith(f"<{engine.kind}: 6 nodes (3 ops, 3 leaves")


@engines
def test_named_leaves_refuses_a_duplicate_label(engine: Engine) -> None:
    """Two different leaves with one label cannot be looked up by it."""
    tape = engine.make(Value(1.0, label="x") * Value(2.0, label="x"))
    with pytest.raises(ValueError, match=rf"{engine.kind}\.named_leaves: two leaves are labelled"):
        tape.named_leaves  # noqa: B018  # the property access is the test

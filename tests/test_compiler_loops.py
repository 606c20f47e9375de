"""Compiled tapes loop a sum of alike per-example terms (autodiff/loops.py): same numbers."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Sequence

import pytest

import autodiff
import nn
from autodiff import Value
from tests.expressions import same

Total = Callable[[list[Value]], Value]


def _python_sum(terms: list[Value]) -> Value:
    return sum(terms)  # type: ignore[return-value]  # starts from 0: a Value after one term


def _left_to_right(terms: list[Value]) -> Value:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _demo(
    model: nn.MLP, inputs: Sequence[Sequence[Value | float]], labels: Sequence[float], total: Total
) -> tuple[Value, list[Value]]:
    """micrograd's demo loss (mean hinge + 1e-4·L2) and the scores, summed by ``total``."""
    scores = [model(list(x)) for x in inputs]
    terms = [(1 + -y * s).relu() for y, s in zip(labels, scores)]
    loss = total(terms) * (1.0 / len(terms)) + 1e-4 * total([p * p for p in model.parameters()])
    return loss, scores


def _moons(n: int) -> tuple[list[list[float]], list[float]]:
    points, classes = nn.moons(n, noise=0.1, seed=1)
    return points, [float(label) for label in nn.signed(classes)]


def test_alike_terms_are_written_once_as_a_loop() -> None:
    """40 examples give as many lines of code as 10: one example's code, in a loop."""
    lines = []
    for n in (10, 40):
        points, labels = _moons(n)
        inputs = [[Value(a), Value(b)] for a, b in points]
        loss, _ = _demo(nn.MLP(2, [6, 6, 1], seed=2), inputs, labels, _python_sum)
        source = autodiff.compile(loss, inner=False).source
        assert len(re.findall(r"^    for .* in X0:$", source, re.MULTILINE)) == 1
        lines.append(source.count("\n"))
    assert lines[0] == lines[1]


@pytest.mark.parametrize("total", [_python_sum, _left_to_right], ids=["sum", "left-to-right"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_looped_steps_equal_the_rebuilt_graph_bit_for_bit(total: Total, activation: str) -> None:
    """SGD steps with new inputs each step: loss, every leaf's grad, the watched scores."""
    points, labels = _moons(12)
    rng = random.Random(4)
    model = nn.MLP(2, [5, 5, 1], activation=activation, seed=3)
    twin = nn.MLP(2, [5, 5, 1], activation=activation, seed=3)
    inputs = [[Value(a), Value(b)] for a, b in points]
    loss, scores = _demo(model, inputs, labels, total)
    tape = autodiff.compile(loss, inner=False, watch=scores)
    assert "in X0:" in tape.source and "in X1:" in tape.source  # the examples, the L2 terms
    for step in range(6):
        for row in inputs:  # new data for the inputs, read by the loop each step
            for leaf in row:
                leaf.data = rng.uniform(-2.0, 2.0)
        fresh = [[Value(leaf.data) for leaf in row] for row in inputs]
        rebuilt, rebuilt_scores = _demo(twin, fresh, labels, total)
        twin.zero_grad()
        rebuilt.backward()
        for leaf in tape.leaves:
            leaf.grad = 0.0
        assert same(tape.forward(), rebuilt.data), step
        tape.backward()
        assert all(same(s.data, r.data) for s, r in zip(scores, rebuilt_scores)), step
        for p, q in zip(model.parameters(), twin.parameters()):
            assert same(p.grad, q.grad), step
        for row, twin_row in zip(inputs, fresh):
            assert all(same(a.grad, b.grad) for a, b in zip(row, twin_row)), step
        for p, q in zip(model.parameters(), twin.parameters()):
            p.data -= 0.1 * p.grad
            q.data -= 0.1 * q.grad


def _products(a: Sequence[Value], b: Sequence[Value], w: Value) -> Value:
    return _left_to_right([ak * (w * bk).relu() for ak, bk in zip(a, b)])


def test_an_inf_inside_the_loop_turns_skipping_off() -> None:
    """0·inf is NaN in the engine: an inf in one looped example must stop zero-skipping."""
    w = Value(0.5)
    a = [Value(1.0) for _ in range(6)]
    b = [Value(2.0) for _ in range(6)]
    root = _products(a, b, w)
    tape = autodiff.compile(root, inner=False)
    assert "in X0:" in tape.source
    # example 4: relu(-inf) = 0 keeps the loss finite, and w's slope there is b = -inf
    b[4].data = -math.inf
    assert math.isfinite(tape.forward())
    w.grad = 0.0
    tape.backward()
    w2 = Value(0.5)
    rebuilt = _products([Value(x.data) for x in a], [Value(x.data) for x in b], w2)
    rebuilt.backward()
    assert math.isnan(w2.grad) and same(w.grad, w2.grad)


def test_a_domain_error_inside_the_loop_names_the_op_and_the_input() -> None:
    """log of a negative in the fifth example: the op's message, with that example's input."""
    w = Value(1.0)
    x = [Value(float(k + 1)) for k in range(6)]
    root = _left_to_right([(w * xk).log() for xk in x])
    tape = autodiff.compile(root, inner=False)
    assert "in X0:" in tape.source
    x[4].data = -3.0
    with pytest.raises(ValueError, match=r"log.*-3\.0.*compiled node"):
        tape.forward()


def test_terms_that_differ_or_inner_nodes_compile_without_a_loop() -> None:
    """Terms of different shapes, or inner=True (every node written), stay straight-line."""
    x = [Value(float(k + 1)) for k in range(6)]
    mixed = _left_to_right([xk.tanh() if k % 2 else xk.exp() for k, xk in enumerate(x)])
    assert " in X" not in autodiff.compile(mixed, inner=False).source
    alike = _left_to_right([xk.tanh() for xk in x])
    assert " in X" not in autodiff.compile(alike).source
    assert " in X0:" in autodiff.compile(alike, inner=False).source


@pytest.mark.parametrize("chunk", [5, 20_000])
def test_a_chain_compiles_to_one_line_per_op_each_way(chunk: int) -> None:
    """``y·0.999 + 0.001`` repeated (the big-graph benchmark): no copy of a grad, no test
    around a one-line block, in one chunk or many, and the same numbers as rebuilding."""

    def build(x: Value) -> Value:
        node = x
        for _ in range(20):
            node = node * 0.999 + 0.001
        return node.tanh()

    x = Value(0.5)
    tape = autodiff.compile(build(x), inner=False, chunk=chunk)
    assert "or dense" not in tape.source
    copies = re.findall(r"^\s*g\d+ = g\d+\s*(?:#|$)", tape.source, re.MULTILINE)
    # only a grad handed to an earlier chunk is copied (into G), one per chunk at most
    assert len(copies) <= tape.source.count("\ndef backward_") - 1
    for data in (0.5, -3.0, 0.0):
        x.data, x.grad = data, 0.0
        tape.forward()
        tape.backward()
        twin = Value(data)
        rebuilt = build(twin)
        rebuilt.backward()
        assert same(tape.root.data, rebuilt.data) and same(x.grad, twin.grad)


@pytest.mark.parametrize("chunk", [3, 20_000])
def test_a_shared_inner_node_and_chunks_around_a_loop(chunk: int) -> None:
    """Every example reads one inner node (``h = exp(2w)``); chunks never cut the loop."""

    def build(w: Value, xs: list[Value]) -> Value:
        h = (w * 2.0).exp()
        return (_left_to_right([(h * x - 0.5).tanh() for x in xs]) * 0.25).log()

    w = Value(0.3)
    xs = [Value(0.1 * k) for k in range(1, 8)]
    tape = autodiff.compile(build(w, xs), inner=False, chunk=chunk)
    assert "in X0:" in tape.source
    for step in range(3):
        for k, x in enumerate(xs):
            x.data, x.grad = 0.2 * k + step, 0.0
        w.grad = 0.0
        tape.forward()
        tape.backward()
        w2, xs2 = Value(w.data), [Value(x.data) for x in xs]
        rebuilt = build(w2, xs2)
        rebuilt.backward()
        assert same(tape.root.data, rebuilt.data) and same(w.grad, w2.grad), step
        assert all(same(a.grad, b.grad) for a, b in zip(xs, xs2)), step


def test_a_loop_over_the_parameters_themselves() -> None:
    """Σ w·w then Σ w, Σ w·tanh(w), each reading every leaf once per term: the loops add to
    the leaves' grads in the engine's order, and a leaf read again later is not looped."""

    def build(ws: list[Value]) -> Value:
        squares = _left_to_right([w * w for w in ws])
        plain = _left_to_right(list(ws))
        return (squares + plain) * _left_to_right([w * w.tanh() for w in ws])

    ws = [Value(0.3 * k - 1.0) for k in range(8)]
    tape = autodiff.compile(build(ws), inner=False)
    assert "in X0:" in tape.source
    for step in range(3):
        for k, w in enumerate(ws):
            w.data, w.grad = 0.4 * k - 1.3 + step, 0.0
        tape.forward()
        tape.backward()
        twins = [Value(w.data) for w in ws]
        rebuilt = build(twins)
        rebuilt.backward()
        assert same(tape.root.data, rebuilt.data), step
        assert all(same(w.grad, t.grad) for w, t in zip(ws, twins)), step

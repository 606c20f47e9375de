"""autodiff.stepper: backward one node at a time, with the same result as Value.backward()."""

from __future__ import annotations

import doctest
from collections.abc import Callable

import pytest

import autodiff.viz.stepper
from autodiff import Constant, Value, detect_anomaly, topological_order
from autodiff.viz.stepper import BackwardStepper, format_steps, steps
from tests.expressions import random_pool

# a + b, a·b, tanh, a·a (fan-out), and relu(a − b) + sigmoid(a)
OPS: list[Callable[[Value, Value], Value]] = [
    lambda a, b: a + b,
    lambda a, b: a * b,
    lambda a, b: a.tanh(),
    lambda a, b: a * a,
    lambda a, b: (a - b).relu() + a.sigmoid(),
]


def random_expression(seed: int, n_ops: int = 15) -> Value:
    """An output built from random ops that reuse earlier nodes (fan-out, a·a)."""
    pool = random_pool(seed, n_ops, OPS)
    out = pool[-1]
    for node in pool[:-1]:
        out = out + node
    return out


@pytest.mark.parametrize("seed", range(20))
def test_final_grads_equal_backward(seed: int) -> None:
    """Stepping through gives every node bit-for-bit the grad a twin graph gets from backward()."""
    stepped, reference = random_expression(seed), random_expression(seed)
    list(steps(stepped))
    reference.backward()
    for mine, theirs in zip(topological_order(stepped), topological_order(reference), strict=True):
        assert mine.data == theirs.data
        assert mine.grad == theirs.grad


def test_leaves_accumulate_over_runs_like_backward() -> None:
    """Two stepped runs add up in the leaves and reset inner nodes, as two backward() calls do."""
    stepped, reference = random_expression(7), random_expression(7)
    for _ in range(2):
        list(BackwardStepper(stepped))
        reference.backward()
    for mine, theirs in zip(topological_order(stepped), topological_order(reference), strict=True):
        assert mine.grad == theirs.grad


def test_each_step_records_the_chain_rule_it_applied() -> None:
    """Every transfer is grad · stored partial, added to the parent's grad before the step."""
    out = random_expression(2)
    stepper = BackwardStepper(out)
    inner = [node for node in topological_order(out) if node.parents]
    taken = list(stepper)
    assert len(taken) == stepper.total == len(inner)
    assert [s.node for s in taken] == inner[::-1]  # output first, reverse topological order
    for number, step in enumerate(taken, 1):
        assert step.number == number and step.total == len(inner)
        assert len(step.transfers) == len(step.node.parents)
        for t, partial in zip(step.transfers, step.node.partials, strict=True):
            assert t.partial == partial
            assert t.passed == step.grad * partial
            assert t.after == t.before + t.passed
        assert step.edges() == [(p, step.node) for p in step.node.parents]


def test_fan_out_shows_the_grad_growing() -> None:
    """For y = a·a, a receives twice; the second transfer starts from the first one's result."""
    a = Value(3.0, label="a")
    y = a * a
    (step,) = list(steps(y))
    first, second = step.transfers
    assert (first.before, first.after) == (0.0, 3.0)
    assert (second.before, second.after) == (3.0, 6.0)
    assert first.reused and second.reused
    assert a.grad == 6.0


def test_seed_happens_once_and_first() -> None:
    """seed() resets inner grads and adds the seed once; a leaf output has no step at all."""
    a = Value(2.0, label="a")
    b = a.tanh()
    b.grad = 123.0  # stale from an earlier pass
    stepper = BackwardStepper(b, gradient=2.0)
    stepper.seed()
    stepper.seed()
    assert b.grad == 2.0 and a.grad == 0.0
    assert stepper.done == 0
    leaf_stepper = BackwardStepper(a)
    assert list(leaf_stepper) == [] and a.grad == 1.0


def test_text_shows_before_plus_passed_equals_after() -> None:
    """The terminal text names the node, its rule and each parent's grad before and after."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    text = format_steps(c)
    assert text.startswith("start:")
    assert "step 1 of 1: c = a * b runs its rule; c.grad = 1" in text
    assert "a.grad: 0 + 1 · (-3) = -3    (∂c/∂a = b = -3)" in text
    assert "b.grad: 0 + 1 · 2 = 2    (∂c/∂b = a = 2)" in text


def test_anomaly_mode_stops_at_a_non_finite_gradient() -> None:
    """Inside detect_anomaly(), stepping raises where backward() would: on an infinite gradient."""
    x = Value(0.0, label="x")
    y = x.sqrt() * 1.0  # ∂sqrt/∂x = inf at 0; made outside anomaly mode, which would stop it
    with detect_anomaly(), pytest.raises(FloatingPointError, match="non-finite gradient inf"):
        list(steps(y))


def test_module_example_runs() -> None:
    """The example in the module docstring prints what it says."""
    result = doctest.testmod(autodiff.viz.stepper)
    assert result.attempted > 0 and result.failed == 0


def test_constants_take_no_grad_and_the_steps_still_equal_backward() -> None:
    """a*3 - a/2 + 2**a: the constants get no transfer, and every grad is backward()'s."""

    def build() -> Value:
        a = Value(0.7, label="a")
        return a * 3 - a / 2 + 2**a

    out, twin = build(), build()
    twin.backward()
    taken = [step for step in steps(out)]
    assert all(not isinstance(t.parent, Constant) for step in taken for t in step.transfers)
    assert [n.grad for n in topological_order(out)] == [n.grad for n in topological_order(twin)]
    text = format_steps(build())
    assert "\n  a.grad:" in text and "\n  3.grad" not in text and "\n  2.grad" not in text

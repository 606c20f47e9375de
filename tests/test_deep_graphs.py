"""Deep graphs: a 10⁶-node chain and a 10⁵-term sum, with no recursion anywhere."""

from __future__ import annotations

import gc
import math
import sys

from autodiff import Value, gradcheck

CHAIN = 10**6


def test_million_node_chain_forward_backward_and_free() -> None:
    """tanh applied 10⁶ times: backward equals forward-mode Π(1 - yₖ²), and freeing is safe."""
    assert sys.getrecursionlimit() < CHAIN  # a recursive walk would fail here
    x = Value(0.5)
    y = x
    for _ in range(CHAIN - 1):
        y = y.tanh()
    # forward mode, independently: multiply the slopes from the input outwards
    z, slope = 0.5, 1.0
    for _ in range(CHAIN - 1):
        z = math.tanh(z)
        slope *= 1.0 - z * z
    assert y.data == z
    y.backward()
    # same factors, multiplied in the opposite order: rounding differs by ~10⁶ ulps at most
    assert math.isclose(x.grad, slope, rel_tol=1e-9)
    del y
    gc.collect()  # a recursive deallocation of nested parents would crash the interpreter


def test_sum_of_a_hundred_thousand_terms() -> None:
    """Built-in sum over 10⁵ Values: data is the float sum, every grad is 1."""
    xs = [Value(i * 0.5) for i in range(10**5)]
    total = sum(xs)
    assert isinstance(total, Value)
    assert total.data == sum(i * 0.5 for i in range(10**5))
    total.backward()
    assert all(x.grad == 1.0 for x in xs)


def test_deep_fan_out_chain_doubles_each_step() -> None:
    """y ← (y + y)·0.5, 1000 times: each level uses y twice, and dy/dx stays exactly 1."""
    x = Value(1.0)
    y = x
    for _ in range(1000):
        y = (y + y) * 0.5
    y.backward()
    assert y.data == 1.0 and x.grad == 1.0


def test_gradcheck_on_a_deep_chain() -> None:
    """gradcheck replays a 10⁴-node chain without recursion and agrees with backward."""
    report = gradcheck(lambda a: _chain(a, 10**4), [0.3])
    assert report.ok, str(report)


def _chain(a: Value, n: int) -> Value:
    y = a
    for _ in range(n):
        y = (y * 0.9999).tanh() + 0.0001
    return y

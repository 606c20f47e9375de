"""Random expressions for the tests: one generator for seeded graphs, one for hypothesis programs.

A random expression is a small program over a pool of nodes: it starts with the leaves,
and each step applies an op to nodes already in the pool (so a node is often used more
than once: fan-out) and appends the result. Which ops a test may use is the test's own
business (SymPy needs ops kept in their domain, a replayed tape needs ops defined on the
whole real line, a path count wants cheap ones), so every generator here takes the ops as
an argument; only the walk over the pool is shared.

- ``random_pool``: a seeded ``random.Random`` picks the nodes and the op (plain tests
  parametrized by seed).
- ``programs`` and ``run``: hypothesis draws a program, a list of ``(op name, i, j)``
  steps, and ``run`` reads it with the test's ops (property tests, which shrink a failure
  to a short program).
- ``TAPE_OPS``, ``tape_programs``, ``run_tape``: the whole-line ops the tape tests use,
  shared by ``test_tape_contract`` (``record`` and ``compile``) and ``test_compiler``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import TypeVar

from hypothesis import strategies as st

from autodiff import Value, dot

T = TypeVar("T")
Program = list[tuple[str, int, int]]


# --- seeded graphs --------------------------------------------------------------------------


def random_pool(
    seed: int,
    n_ops: int,
    ops: Sequence[Callable[[Value, Value], Value]],
    *,
    leaves: int = 3,
    low: float = -1.5,
    high: float = 1.5,
) -> list[Value]:
    """Leaves ``x0 … x{leaves-1}`` drawn from ``[low, high]``, then ``n_ops`` nodes.

    Each node is ``op(a, b)`` for two nodes ``a, b`` picked from the pool so far (they may
    be the same node) and an op picked from ``ops``; unary ops ignore ``b``. Returns the
    whole pool, leaves first: the caller chooses the output.
    """
    rng = random.Random(seed)
    pool = [Value(rng.uniform(low, high), label=f"x{i}") for i in range(leaves)]
    for _ in range(n_ops):
        a, b = rng.choice(pool), rng.choice(pool)
        pool.append(ops[rng.randrange(len(ops))](a, b))
    return pool


# --- hypothesis programs --------------------------------------------------------------------


def programs(
    names: Sequence[str],
    *,
    unary: Sequence[str] = (),
    reach: int = 99,
    min_size: int = 1,
    max_size: int,
) -> st.SearchStrategy[Program]:
    """Programs of ``min_size`` to ``max_size`` steps ``(name, i, j)`` with ``0 <= i, j <= reach``.

    A step names an op from ``names`` (in the order given: hypothesis shrinks towards the
    first) and the two nodes it reads. Ops listed in ``unary`` read one node, so their
    ``j`` is always 0 and a shrunk failure shows no index that means nothing.
    """
    step = st.tuples(st.sampled_from(list(names)), st.integers(0, reach), st.integers(0, reach))
    if unary:
        one = st.tuples(st.sampled_from(list(unary)), st.integers(0, reach), st.just(0))
        step = st.one_of(one, step)
    return st.lists(step, min_size=min_size, max_size=max_size)


def run(program: Program, leaves: Sequence[T], step: Callable[[str, T, T], T]) -> list[T]:
    """Run ``program`` on ``leaves``: each step appends ``step(name, pool[i], pool[j])``.

    ``i`` and ``j`` are taken modulo the pool's size, so any index is valid and reads a
    node made earlier. Returns the whole pool, leaves first.
    """
    pool = list(leaves)
    for name, i, j in program:
        pool.append(step(name, pool[i % len(pool)], pool[j % len(pool)]))
    return pool


# --- the tape tests' programs ---------------------------------------------------------------


def _dot(a: Value, b: Value, c: Value) -> Value:
    return dot([a, b], [b, c], a)


# Ops whose domain is the whole real line, so new leaf values never make a rebuilt
# graph and its replay disagree about *whether* an op is defined (see test_errors_*).
TAPE_BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (1.0 + b * b),
    "pow": lambda a, b: (1.0 + a * a) ** b.tanh(),
    "dot": lambda a, b: _dot(a, b, a * 0.5),
}
TAPE_UNARY: dict[str, Callable[[Value], Value]] = {
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


def _tape_step(name: str, a: Value, b: Value) -> Value:
    return TAPE_BINARY[name](a, b) if name in TAPE_BINARY else TAPE_UNARY[name](a)


def run_tape(program: Program, leaves: Sequence[Value]) -> Value:
    """Evaluate a tape program on ``leaves``; its output is the last node it made."""
    return run(program, leaves, _tape_step)[-1]


tape_programs = programs(sorted(TAPE_BINARY) + sorted(TAPE_UNARY), max_size=14)
leaf_values = st.lists(st.floats(-3.0, 3.0), min_size=3, max_size=3)


def same(x: float, y: float) -> bool:
    """Bit-equal floats: ``==`` plus the sign of zero; NaN matches NaN."""
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)

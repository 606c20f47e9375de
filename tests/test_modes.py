"""no_grad() and detect_anomaly() belong to the thread or asyncio task that opened them."""

from __future__ import annotations

import asyncio
import threading

import pytest

from autodiff import Value, detect_anomaly, no_grad
from autodiff.modes import state


def _grad_of_square(x: float) -> float:
    v = Value(x)
    y = v * v
    y.backward()
    return v.grad


def test_no_grad_in_one_thread_leaves_another_thread_recording() -> None:
    """While thread A sits inside no_grad(), thread B still builds graphs and gets grads."""
    inside, done = threading.Event(), threading.Event()
    results: dict[str, float] = {}

    def evaluator() -> None:
        with no_grad():
            results["a_records"] = float(bool((Value(1.0) * 2).parents))
            inside.set()
            done.wait(10)

    a = threading.Thread(target=evaluator)
    a.start()
    assert inside.wait(10)
    b = threading.Thread(target=lambda: results.__setitem__("b_grad", _grad_of_square(3.0)))
    b.start()
    b.join(10)
    done.set()
    a.join(10)
    assert results == {"a_records": 0.0, "b_grad": 6.0}
    assert state.plain and state.recording


def test_blocks_that_exit_out_of_order_restore_what_they_found() -> None:
    """Two threads' no_grad() blocks ending in the opposite order leave recording on."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with no_grad():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with no_grad():
            second_in.set()
            first_out.wait(10)  # the first block ends while this one is still open
            assert not state.recording

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert state.plain and state.recording
    assert _grad_of_square(2.0) == 4.0


def test_asyncio_tasks_each_have_their_own_mode() -> None:
    """A task inside no_grad() does not stop another task's graph; both exit cleanly."""

    async def silent(gate: asyncio.Event, seen: list[bool]) -> None:
        with no_grad():
            seen.append(bool((Value(1.0) * 2).parents))
            await gate.wait()  # the other task runs while this block is open

    async def learner(gate: asyncio.Event) -> float:
        await asyncio.sleep(0)
        grad = _grad_of_square(5.0)
        gate.set()
        return grad

    async def main() -> tuple[list[bool], float]:
        gate, seen = asyncio.Event(), []
        _, grad = await asyncio.gather(silent(gate, seen), learner(gate))
        return seen, grad

    seen, grad = asyncio.run(main())
    assert seen == [False] and grad == 10.0
    assert state.plain and state.recording


def test_anomaly_mode_is_per_thread_too() -> None:
    """detect_anomaly() in one thread does not make another thread's inf an error."""
    inside, done = threading.Event(), threading.Event()
    errors: list[str] = []

    def watcher() -> None:
        with detect_anomaly():
            inside.set()
            done.wait(10)

    t = threading.Thread(target=watcher)
    t.start()
    assert inside.wait(10)
    try:
        big = Value(1e308) * 10  # inf, silently, outside anomaly mode
        assert big.data == float("inf")
    except FloatingPointError as error:  # pragma: no cover - the failure being tested
        errors.append(str(error))
    done.set()
    t.join(10)
    assert errors == []
    with detect_anomaly(), pytest.raises(FloatingPointError):
        Value(1e308) * 10
    assert state.plain and not state.origins

"""SGD (momentum, schedules) and Adam against hand-computed updates and torch.optim."""

from __future__ import annotations

import math

import pytest

from autodiff import Value
from nn import SGD, Adam

GRADS = [[0.5, -1.0], [0.25, 2.0], [-0.75, 0.125]]  # three steps of made-up gradients


def _run(optimizer_factory: object, start: list[float]) -> list[list[float]]:
    params = [Value(x) for x in start]
    opt = optimizer_factory(params)  # type: ignore[operator]
    trace = []
    for grads in GRADS:
        opt.zero_grad()
        for p, g in zip(params, grads):
            p.grad += g
        opt.step()
        trace.append([p.data for p in params])
    return trace


def test_sgd_plain_step() -> None:
    """Plain SGD moves each parameter by -η·g."""
    trace = _run(lambda ps: SGD(ps, lr=0.1), [1.0, 2.0])
    expected = [1.0, 2.0]
    for grads, got in zip(GRADS, trace):
        expected = [w - 0.1 * g for w, g in zip(expected, grads)]
        assert got == expected


def test_sgd_momentum_by_hand() -> None:
    """With momentum μ, v = μv + g (v = g first) and p -= η·v."""
    trace = _run(lambda ps: SGD(ps, lr=0.1, momentum=0.9), [1.0, 2.0])
    w, v = [1.0, 2.0], [0.0, 0.0]
    for k, (grads, got) in enumerate(zip(GRADS, trace)):
        v = [g if k == 0 else 0.9 * vi + g for vi, g in zip(v, grads)]
        w = [wi - 0.1 * vi for wi, vi in zip(w, v)]
        assert got == pytest.approx(w, rel=1e-15)


def test_sgd_schedule_is_a_function_of_the_step() -> None:
    """A callable lr is evaluated at k = 0, 1, 2, ... (micrograd's demo schedule)."""
    seen: list[int] = []

    def schedule(k: int) -> float:
        seen.append(k)
        return 1.0 - 0.9 * k / 100

    trace = _run(lambda ps: SGD(ps, lr=schedule), [1.0, 2.0])
    assert seen == [0, 1, 2]
    w = [1.0, 2.0]
    for k, (grads, got) in enumerate(zip(GRADS, trace)):
        w = [wi - (1.0 - 0.9 * k / 100) * g for wi, g in zip(w, grads)]
        assert got == w


def test_adam_by_hand() -> None:
    """Adam's bias-corrected update, written out with its textbook formulas."""
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    trace = _run(lambda ps: Adam(ps, lr=lr, betas=(b1, b2), eps=eps), [1.0, 2.0])
    w, m, v = [1.0, 2.0], [0.0, 0.0], [0.0, 0.0]
    for t, (grads, got) in enumerate(zip(GRADS, trace), start=1):
        m = [b1 * mi + (1 - b1) * g for mi, g in zip(m, grads)]
        v = [b2 * vi + (1 - b2) * g * g for vi, g in zip(v, grads)]
        m_hat = [mi / (1 - b1**t) for mi in m]
        v_hat = [vi / (1 - b2**t) for vi in v]
        w = [wi - lr * mh / (math.sqrt(vh) + eps) for wi, mh, vh in zip(w, m_hat, v_hat)]
        assert got == pytest.approx(w, rel=1e-13)


def test_first_adam_step_is_lr_times_sign() -> None:
    """On step 1 the corrections cancel: each parameter moves by η·g/(|g| + ε) ≈ η·sign(g)."""
    trace = _run(lambda ps: Adam(ps, lr=0.05), [1.0, 2.0])
    assert trace[0] == pytest.approx([1.0 - 0.05, 2.0 + 0.05], abs=1e-8)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda ps: SGD(ps, lr=0.1), lambda torch, ps: torch.optim.SGD(ps, lr=0.1)),
        (
            lambda ps: SGD(ps, lr=0.1, momentum=0.9),
            lambda torch, ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
        ),
        (lambda ps: Adam(ps, lr=0.01), lambda torch, ps: torch.optim.Adam(ps, lr=0.01)),
        (
            lambda ps: Adam(ps, lr=0.3, betas=(0.5, 0.9), eps=1e-6),
            lambda torch, ps: torch.optim.Adam(ps, lr=0.3, betas=(0.5, 0.9), eps=1e-6),
        ),
    ],
)
def test_matches_torch_optim(ours: object, theirs: object) -> None:
    """The same gradients give torch.optim's parameters (float64) to 1e-12."""
    torch = pytest.importorskip("torch")
    mine = _run(ours, [1.0, 2.0])
    params = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (1.0, 2.0)]
    opt = theirs(torch, params)  # type: ignore[operator]
    for grads, got in zip(GRADS, mine):
        opt.zero_grad()
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        assert got == pytest.approx([p.item() for p in params], rel=1e-12, abs=1e-15)


def test_bad_arguments() -> None:
    """No parameters, non-Values, negative momentum and bad betas are refused clearly."""
    with pytest.raises(ValueError, match="SGD: no parameters"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="parameters must be Values, got float"):
        SGD([1.0], lr=0.1)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="momentum must be >= 0"):
        SGD([Value(1.0)], momentum=-0.5)
    with pytest.raises(ValueError, match="betas must be in"):
        Adam([Value(1.0)], betas=(1.0, 0.9))


def test_learning_rate_must_be_a_non_negative_number_or_a_schedule() -> None:
    """A string or negative lr is refused at construction, naming the optimizer."""
    params = [Value(1.0, label="p")]
    with pytest.raises(TypeError, match="SGD: lr must be a number or a function"):
        SGD(params, lr="0.1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Adam: lr must be >= 0, got -0\.1"):
        Adam(params, lr=-0.1)
    assert SGD(params, lr=lambda k: 0.5).current_lr == 0.5

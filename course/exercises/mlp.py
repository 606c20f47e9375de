"""Notebook 10's exercises: counting an MLP's parameters; the slopes of ReLU and of the hinge loss.

10.1: the parameters of ``MLP(2, [16, 16, 1])``. 10.2: ``relu_slope(z)``, the local derivative
of max(0, z) (the engine takes 0 at the kink z = 0). 10.3: ``hinge_slope(score, label)``,
∂/∂s of max(0, 1 − y·s): −y while the margin y·s < 1, else 0. The right answers come from
the model and the engine.
"""

from __future__ import annotations

from autodiff import Value
from nn.module import MLP

from . import verdict


def parameter_count(my_count: object) -> None:
    """Exercise 10.1: the number of parameters of MLP(2, [16, 16, 1])."""

    def judge() -> str:
        answer = verdict.number(my_count, "my_count")
        expected = len(MLP(2, [16, 16, 1], seed=0).parameters())
        verdict.expect(
            answer,
            expected,
            "my_count",
            (2 * 16 + 16 * 16 + 16 * 1, "the biases are missing: every neuron has one"),
            (2 * 16 + 16 * 16 + 16 * 1 + 2, "a bias belongs to each neuron, not to each layer"),
            ((2 + 1) * 16 + (16 + 1) * 16, "the output layer's neuron has weights and a bias too"),
        )
        return f"{expected} parameters"

    verdict.run("10.1", judge)


RELU_POINTS = (-2.0, -0.1, 0.0, 0.3, 5.0)
SECOND_RELU_POINTS = (-3.5, -0.02, 0.0, 0.07, 2.5)


def relu_slope(function: object) -> None:
    """Exercise 10.2: ``function(z)`` is d/dz max(0, z): 1 for z > 0, 0 for z < 0 (and at 0)."""

    def judge() -> str:
        student = verdict.student_function(function, "relu_slope")
        for z0 in verdict.pick(RELU_POINTS, SECOND_RELU_POINTS):
            answer = verdict.number(student(z0), f"relu_slope({z0:g})")
            z = Value(z0)
            z.relu().backward()
            if answer != z.grad:
                if answer == max(0.0, z0) and z0 not in (0.0,):
                    raise verdict.Wrong(f"relu_slope({z0:g}) is ReLU's value; its slope is 0 or 1")
                if z0 == 0.0:
                    raise verdict.Wrong(
                        "at the kink z = 0 the engine (like micrograd) takes the slope 0"
                    )
                raise verdict.Wrong(f"relu_slope({z0:g}) {verdict.how_far(answer, z.grad)}")
        return "1 where the neuron is active, 0 where it is not"

    verdict.run("10.2", judge)


HINGE_POINTS = ((0.3, 1.0), (-0.5, 1.0), (2.0, 1.0), (0.4, -1.0), (-3.0, -1.0), (1.0, 1.0))
SECOND_HINGE_POINTS = ((0.8, 1.0), (-1.5, 1.0), (1.2, 1.0), (-0.2, -1.0), (-1.0, -1.0), (0.5, -1.0))


def hinge_slope(function: object) -> None:
    """Exercise 10.3: ``function(score, label)`` is ∂/∂s max(0, 1 − y·s) for y = ±1."""

    def judge() -> str:
        student = verdict.student_function(function, "hinge_slope")
        for s0, y in verdict.pick(HINGE_POINTS, SECOND_HINGE_POINTS):
            answer = verdict.number(student(s0, y), f"hinge_slope({s0:g}, {y:+g})")
            s = Value(s0)
            (1 + -y * s).relu().backward()
            if verdict.same(answer, s.grad):
                continue
            where = f"hinge_slope({s0:g}, {y:+g})"
            if y * s0 >= 1:
                raise verdict.Wrong(
                    f"{where}: the margin y·s = {y * s0:g} ≥ 1 is met, the loss is flat (0) there"
                )
            if verdict.same(answer, y):
                raise verdict.Wrong(f"{where}: sign: ∂(1 − y·s)/∂s = −y")
            raise verdict.Wrong(f"{where} {verdict.how_far(answer, s.grad)}")
        return "−y inside the margin, 0 beyond it"

    verdict.run("10.3", judge)

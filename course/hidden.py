"""The hidden tests of a graded assignment: the student's work re-run on a second problem.

A practice check compares an answer with the notebook's own problem, whose reference a student
can import or read off the notebook. A hidden test does not trust the answer's value: it runs
the student's work again where the right answer is different,

* a function the student wrote (6.1, 9.1, 11.1 ...) at other points, on other curves;
* an answer cell that computes from the notebook's data (7.1-7.3 from ``W_ex``, ``x_ex``, ...;
  9.2 from ``full``) re-executed with the second network's or run's data in its place;
* an answer cell whose question does not change (10.1) re-executed with the notebook's other
  variables (``model``) replaced by decoys, so an answer read off them no longer fits;

and judges it with the same check, in graded mode, inside ``verdict.second_problem()``. A hand
number (1.1, 2.1 ...) has no work to re-run: its hidden test is the check in graded mode, where
the course's references refuse to answer for the student.

The answer cell is found in the kernel's input history (IPython's ``In``): the last cell that
assigns the exercise's variable. Graders run notebooks in a Jupyter kernel (otter-grader,
nbgrader), so the history is there; without it the test fails and says why.
"""

from __future__ import annotations

import ast
import contextlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nn.module import MLP
from nn.train import History

from .exercises import (
    backprop,
    batches,
    chain_rule,
    descent,
    losses,
    mlp,
    neurons,
    own_op,
    perceptron,
    second_order,
    stopping,
    verdict,
)

__all__ = ["RERUNS", "Rerun", "check", "rerun"]


def _second_network() -> dict[str, object]:
    weights, x, d, alpha = backprop.SECOND
    return {"W_ex": dict(weights), "x_ex": tuple(x), "d_ex": d, "alpha_ex": alpha}


# 9.2's second run: a validation curve whose lowest point comes after the stop.
_SECOND_CURVE = [1.0, 0.7, 0.52, 0.5] + [0.51 + 0.001 * k for k in range(25)] + [0.3, 0.2]


def _second_runs() -> tuple[History, History]:
    """(the full run, the same run stopped with patience ``stopping.PATIENCE``) of the curve."""
    best, stop = stopping.rule(_SECOND_CURVE, stopping.PATIENCE)
    full = History(loss=list(_SECOND_CURVE), val_loss=list(_SECOND_CURVE))
    stopped = History(loss=_SECOND_CURVE[:stop], val_loss=_SECOND_CURVE[:stop], best_epoch=best)
    return full, stopped


def _second_runs_data() -> dict[str, object]:
    full, _ = _second_runs()
    # the notebook's stopped run answers 9.2 for its own curve: a decoy here
    return {"full": full, "impatient": History(loss=[1.0] * 3, val_loss=[1.0] * 3, best_epoch=1)}


def _predicted_run(prediction: object) -> None:
    full, stopped = _second_runs()
    stopping.predicted_run(prediction, full, stopped)


@dataclass(frozen=True)
class Rerun:
    """How to re-run one exercise: its check, the names it reads, what a re-run replaces.

    ``replace`` builds the notebook variables that the answer cell is re-executed with (empty:
    the names are read as they are, functions called at the second problem's points).
    """

    check: Callable[..., None]
    names: tuple[str, ...]
    replace: Callable[[], Mapping[str, object]] = field(default=lambda: {})
    #: the practice check when it differs from ``check``, and the notebook variables it also reads
    practice: Callable[..., None] | None = None
    context: tuple[str, ...] = ()


RERUNS: dict[str, Rerun] = {
    "1.1": Rerun(losses.mse_by_hand, ("my_mse",)),
    "1.2": Rerun(losses.mae_by_hand, ("my_mae",)),
    "2.1": Rerun(descent.slope_at_2, ("my_slope_at_2",)),
    "2.2": Rerun(descent.one_step, ("my_next_x",)),
    "3.1": Rerun(descent.gradient_at, ("my_gradient",)),
    "3.2": Rerun(descent.next_point, ("my_next_point",)),
    "3.3": Rerun(descent.learning_rate, ("my_eta",)),
    "4.1": Rerun(chain_rule.d_by_dx, ("my_dF_dx",)),
    "4.2": Rerun(chain_rule.d_by_dy, ("my_dF_dy",)),
    "5.1": Rerun(perceptron.gradient, ("my_grad",)),
    "5.2": Rerun(perceptron.new_weights, ("my_new_w",)),
    "6.1": Rerun(neurons.sigmoid_slope, ("sigmoid_slope", "sigmoid")),
    "6.2": Rerun(neurons.tanh_slope, ("tanh_slope",)),
    "7.1": Rerun(backprop.output_delta, ("delta_out",), _second_network),
    "7.2": Rerun(backprop.hidden_deltas, ("delta_hidden",), _second_network),
    "7.3": Rerun(backprop.updates, ("delta_w",), _second_network),
    "8.1": Rerun(batches.updates_per_epoch, ("my_updates",)),
    "8.2": Rerun(batches.batch_gradient, ("my_batch_grad",)),
    "9.1": Rerun(stopping.stop_epoch, ("stop_epoch",)),
    "9.2": Rerun(
        _predicted_run,
        ("my_prediction",),
        _second_runs_data,
        practice=stopping.predicted_run,
        context=("full", "impatient"),
    ),
    "10.1": Rerun(mlp.parameter_count, ("my_count",), lambda: {"model": MLP(3, [5, 1], seed=1)}),
    "10.2": Rerun(mlp.relu_slope, ("relu_slope",)),
    "10.3": Rerun(mlp.hinge_slope, ("hinge_slope",)),
    "11.1": Rerun(own_op.softplus, ("Softplus",)),
    "11.2": Rerun(own_op.sine, ("Sin",)),
    "12.1": Rerun(second_order.second_derivative, ("my_second_derivative",)),
    "12.2": Rerun(second_order.newton_step, ("my_newton_x",)),
    "12.3": Rerun(second_order.best_learning_rate, ("my_best_eta",)),
}


def _assigned(source: str) -> set[str]:
    """The names a cell assigns (or defines) at its top level; empty if it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name):
                    names.add(leaf.id)
    return names


def answer_cell(names: tuple[str, ...], env: Mapping[str, Any]) -> str:
    """The source of the last cell in the kernel's history that assigns all of ``names``."""
    history = env.get("In") or env.get("_ih")
    if not isinstance(history, list):
        raise AssertionError(
            "the hidden test re-runs your answer cell from the notebook's history, "
            "but there is none: run the notebook in a Jupyter kernel"
        )
    for source in reversed(history):
        if isinstance(source, str) and set(names) <= _assigned(source):
            return source
    raise AssertionError(f"no cell of your notebook assigns {', '.join(names)}")


def _python(source: str) -> str:
    """A cell's source as plain Python (magics turned into calls) when IPython is installed."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return source
    manager = TransformerManager()  # type: ignore[no-untyped-call]  # IPython: not annotated
    return str(manager.transform_cell(source))


def check(exercise: str, env: Mapping[str, Any]) -> None:
    """The public test of ``exercise``: its practice check on the notebook's problem, graded.

    ``env`` is the notebook's global namespace. Raises ``AssertionError`` with the check's
    line unless the answer is correct.
    """
    verdict.graded_mode()
    spec = RERUNS[exercise]
    answers = [env.get(name, ...) for name in spec.names]
    context = [env.get(name) for name in spec.context]
    (spec.practice or spec.check)(*answers, *context)


def rerun(exercise: str, env: Mapping[str, Any]) -> None:
    """The hidden test of ``exercise``: its check, in graded mode, on the second problem.

    ``env`` is the notebook's global namespace (a grader's test receives it). Raises
    ``AssertionError`` with the check's line unless the student's work gets it right again.
    """
    verdict.graded_mode()
    spec = RERUNS[exercise]
    values: Mapping[str, Any] = env
    replace = spec.replace()
    if replace:
        source = answer_cell(spec.names, env)
        namespace = {**env, **replace}
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(_python(source), f"<your answer to {exercise}>", "exec"), namespace)
        except Exception as error:  # the student's cell failed on the other data: say how
            raise AssertionError(
                f"exercise {exercise}: re-run on other data, your answer cell raised "
                f"{type(error).__name__}: {error}"
            ) from None
        values = namespace
    answers = [values.get(name, ...) for name in spec.names]
    try:
        with verdict.second_problem():
            spec.check(*answers)
    except AssertionError as failed:
        raise AssertionError(f"{failed} (hidden test: re-run on a second problem)") from None

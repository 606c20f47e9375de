"""Backward, one node at a time: watch the chain rule fill in the gradients.

:class:`BackwardStepper` performs exactly what ``Value.backward()`` does, on the real
graph, but stops after each node: first it resets every inner node's grad to 0 and
seeds the output (``out.grad += 1``: ∂out/∂out = 1); then, in reverse topological
order, each node with inputs applies its local rule, passing

    parent.grad += node.grad · ∂node/∂parent

to each input (the stored local derivative, the number ``backward()`` uses); a
``Constant`` input (the ``2`` of ``x * 2``) receives nothing and is not listed. That step is
not written here: each node is handed to the engine's ``chain_rule``, the very function
``backward()`` runs, and the stepper notes the inputs' grads before and after it. A
:class:`BackwardStep` records which node ran, and for every input the local derivative, the
amount passed, and the input's grad before and after. Leaves have no rule to run and
make no step. After the last step every grad equals what ``backward()`` gives; leaves
accumulate over calls, as with ``backward()``.

    >>> from autodiff import Value
    >>> a = Value(3.0, label="a"); y = a * a; y.label = "y"
    >>> for step in BackwardStepper(y):
    ...     print(step)
    step 1 of 1: y = a * a runs its rule; y.grad = 1
      a.grad: 0 + 1 · 3 = 3    (∂y/∂a[input 1] = a = 3)
      a.grad: 3 + 1 · 3 = 6    (∂y/∂a[input 2] = a = 3)
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from ..graph import topological_order
from ..modes import state
from ..value import Constant, Value, chain_rule
from .labels import delta_name, is_weighted_sum
from .names import definition, lecture_names, local_formulas, number_formatter, signed

__all__ = ["BackwardStep", "BackwardStepper", "Transfer", "format_steps", "steps"]


@dataclass(frozen=True)
class Transfer:
    """One edge of one step: ``parent.grad`` goes from ``before`` to ``after = before + passed``.

    ``passed = grad · partial``, where ``partial`` is the stored ∂node/∂parent (``formula``
    is its text) and ``input`` says which input (0-based) of the node the parent is.
    """

    parent: Value
    parent_name: str
    input: int
    reused: bool
    partial: float
    formula: str
    passed: float
    before: float
    after: float


@dataclass(frozen=True)
class BackwardStep:
    """Node ``name`` (computed as ``definition``) applied its rule with its grad ``grad``.

    On a network's graph, ``deltas`` lists the error terms this step completed, as
    ``(δ name, z name, δ)``: a neuron's ``z`` has its whole grad δ = ∂E/∂z once the last
    node that uses it has run (``output`` is the output's name, ``E``).
    """

    number: int
    total: int
    node: Value
    name: str
    definition: str
    grad: float
    transfers: tuple[Transfer, ...]
    number_format: str = ".6g"
    output: str = ""
    deltas: tuple[tuple[str, str, float], ...] = ()

    def edges(self) -> list[tuple[Value, Value]]:
        """The edges this step sends gradient along, as ``(parent, node)`` pairs."""
        return [(t.parent, self.node) for t in self.transfers]

    def __str__(self) -> str:
        fmt = number_formatter(self.number_format)
        lines = [
            f"step {self.number} of {self.total}: {self.name} = {self.definition} runs its rule;"
            f" {self.name}.grad = {fmt(self.grad)}"
        ]
        width = max(len(t.parent_name) for t in self.transfers) if self.transfers else 0
        for t in self.transfers:
            partial = f"∂{self.name}/∂{t.parent_name}"
            if t.reused:
                partial += f"[input {t.input + 1}]"
            value = fmt(t.partial)
            rule = f"{partial} = {t.formula}" + ("" if t.formula == value else f" = {value}")
            lines.append(
                f"  {(t.parent_name + '.grad:').ljust(width + 6)} {fmt(t.before)} + "
                f"{signed(fmt(self.grad))} · {signed(value)} = {fmt(t.after)}    ({rule})"
            )
        for delta, z, delta_value in self.deltas:
            lines.append(f"  {delta_sentence(delta, z, self.output, fmt(delta_value))}")
        return "\n".join(lines)


def delta_sentence(delta: str, z: str, output: str, value: str) -> str:
    """What completing a neuron's error term means, in one line."""
    return (
        f"{delta} = ∂{output}/∂{z} = {value} is complete: every path from {z} to {output} "
        "has passed its gradient"
    )


class BackwardStepper:
    """An iterator of :class:`BackwardStep`: backward on ``out``'s graph, one node per ``next()``.

    The reset and the seed happen on the first ``next()`` (or on :meth:`seed`), so a
    drawing made between :meth:`seed` and the first step shows the starting state.
    ``gradient`` seeds the output, as in ``out.backward(gradient)``.
    """

    def __init__(self, out: Value, gradient: float = 1.0, *, number_format: str = ".6g") -> None:
        if not isinstance(out, Value):
            raise TypeError(f"BackwardStepper: out must be a Value, got {type(out).__name__}")
        number_formatter(number_format)
        self.out = out
        self.gradient = float(gradient)
        self.number_format = number_format
        self.order = topological_order(out)
        self.names = lecture_names(out, self.order)
        self._rules = [node for node in reversed(self.order) if node.parents]
        # a neuron's z is complete after the last of its users has run its rule
        self._completes: dict[Value, list[Value]] = {}
        step_of = {node: k for k, node in enumerate(self._rules)}
        last_user: dict[Value, Value] = {}
        for node in self._rules:
            for parent in node.parents:
                if parent not in last_user or step_of[node] > step_of[last_user[parent]]:
                    last_user[parent] = node
        for z, user in last_user.items():
            if is_weighted_sum(z.label):
                self._completes.setdefault(user, []).append(z)
        self._done = 0
        self._seeded = False

    @property
    def total(self) -> int:
        """How many steps backward takes: one per node that has inputs."""
        return len(self._rules)

    @property
    def done(self) -> int:
        """How many steps have run."""
        return self._done

    def seed(self) -> None:
        """Reset inner grads to 0 and add ``gradient`` to the output's grad (once)."""
        if self._seeded:
            return
        self._seeded = True
        for node in self.order:
            if node.parents:
                node.grad = 0.0
        self.out.grad += self.gradient

    def seed_text(self) -> str:
        """What :meth:`seed` does, in words."""
        fmt = number_formatter(self.number_format)
        name = self.names[self.out]
        return (
            f"start: every inner node's grad is reset to 0; the output is seeded with "
            f"{name}.grad = {fmt(self.gradient)} (∂{name}/∂{name} = 1); leaves keep their grads "
            f"and add to them. {self.total} node{'s' if self.total != 1 else ''} to go, "
            "from the output back to the inputs."
        )

    def __iter__(self) -> Iterator[BackwardStep]:
        return self

    def __next__(self) -> BackwardStep:
        self.seed()
        if self._done == len(self._rules):
            raise StopIteration
        node = self._rules[self._done]
        self._done += 1
        grad = node.grad
        parents, partials = node.parents, node.partials
        passed = [grad * partial for partial in partials]
        if state.anomaly:
            for partial, amount in zip(partials, passed):
                if not math.isfinite(amount):
                    raise FloatingPointError(
                        f"anomaly: backward through {self.names[node]} = "
                        f"{definition(node, self.names)} passed a non-finite gradient "
                        f"{amount!r} = grad {grad!r} * local derivative {partial!r}"
                    )
        # the step itself is the engine's: chain_rule runs it while _watch looks on
        seen: list[list[float]] = []
        chain_rule(_watch(node, seen))
        before, after = seen
        formulas = local_formulas(node, self.names)
        # a parent that is several inputs (a * a) takes its amounts one input at a time,
        # in input order, as chain_rule adds them; its last "after" is the grad observed
        running = {parent: grad_before for parent, grad_before in zip(parents, before)}
        transfers = []
        for index, (parent, partial) in enumerate(zip(parents, partials)):
            if isinstance(parent, Constant):
                continue  # a constant never receives a grad: chain_rule drops what it is sent
            start = running[parent]
            running[parent] = start + passed[index]
            transfers.append(
                Transfer(
                    parent=parent,
                    parent_name=self.names[parent],
                    input=index,
                    reused=sum(p is parent for p in parents) > 1,
                    partial=partial,
                    formula=formulas[index],
                    passed=passed[index],
                    before=start,
                    after=running[parent],
                )
            )
        observed = dict(zip(parents, after))
        variables = [p for p in parents if not isinstance(p, Constant)]
        if any(running[p] != observed[p] and running[p] == running[p] for p in variables):
            raise RuntimeError(  # the record and the engine must tell the same story
                f"stepper: the grads after {self.names[node]}'s step are not what chain_rule left"
            )
        return BackwardStep(
            number=self._done,
            total=len(self._rules),
            node=node,
            name=self.names[node],
            definition=definition(node, self.names),
            grad=grad,
            transfers=tuple(transfers),
            number_format=self.number_format,
            output=self.names[self.out],
            deltas=tuple(
                (delta_name(self.names[z]), self.names[z], z.grad)
                for z in self._completes.get(node, ())
            ),
        )


def steps(
    out: Value, gradient: float = 1.0, *, number_format: str = ".6g"
) -> Iterator[BackwardStep]:
    """Run backward on ``out`` one node per ``next()``, yielding a :class:`BackwardStep` each."""
    return BackwardStepper(out, gradient, number_format=number_format)


def format_steps(out: Value, gradient: float = 1.0, *, number_format: str = ".6g") -> str:
    """Run backward on ``out`` step by step and return the whole story as text."""
    stepper = BackwardStepper(out, gradient, number_format=number_format)
    stepper.seed()
    parts = [stepper.seed_text()]
    parts += [str(step) for step in stepper]
    return "\n\n".join(parts)


def _watch(node: Value, seen: list[list[float]]) -> Iterator[Value]:
    """Hand ``node`` to ``chain_rule``, noting its parents' grads before and after its step.

    ``chain_rule`` asks for the next node only once it has finished the one before, so the
    grads read on resuming are the ones the step left.
    """
    seen.append([parent.grad for parent in node.parents])
    yield node
    seen.append([parent.grad for parent in node.parents])

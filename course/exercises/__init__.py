"""Checks for the notebooks' exercises: one function per exercise, one line of verdict each.

A notebook's exercise cell holds a placeholder (``...``, or a function whose body raises
``NotImplementedError``) that the student replaces; the next cell calls the check, e.g.
``course.exercises.backprop.hidden_deltas(delta_hidden)``. Every check prints exactly one line,
``exercise <id>: correct``, ``exercise <id>: not yet (...)`` while the placeholder is still
there, or ``exercise <id>: wrong: <hint>`` naming which number is off, roughly by how much,
and which step of the chain rule to look at. Checks never raise on a student's answer, and a
check cannot pass on an empty or trivial answer (0, ``{}``, the input given back).

One module per topic, named after what it checks; ``verdict`` holds the shared printing and
comparison helpers. The exercise ids are ``<notebook>.<n>``: ``7.2`` is notebook 07's second.
"""

from . import (
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
)
from .verdict import graded_mode

__all__ = [
    "backprop",
    "batches",
    "chain_rule",
    "descent",
    "graded_mode",
    "losses",
    "mlp",
    "neurons",
    "own_op",
    "perceptron",
    "second_order",
    "stopping",
]

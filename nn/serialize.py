"""Saving and loading a model's parameters as JSON (readable, diffable, and never pickle).

The file holds a format tag, the model's ``repr`` (for people), and one entry per
parameter in ``parameters()`` order: its label and its value. Python writes each float
with the shortest text that reads back to the same float, so a save → load round trip
is exact. ``load`` checks the file against the model first and changes nothing if it
does not match.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, Protocol

from autodiff import Value

FORMAT = "backprop-lab.parameters"
VERSION = 1


class HasParameters(Protocol):
    """Anything with ``parameters()``: a Neuron, Layer, MLP, Perceptron, or your own Module."""

    def parameters(self) -> list[Value]: ...


class ParameterFileError(ValueError):
    """A parameter file that is not valid JSON, not ours, or does not fit the model."""


def _parameters_of(model: HasParameters, where: str) -> list[Value]:
    """``model.parameters()``, or a ``TypeError`` if ``model`` is not a model."""
    if not callable(getattr(model, "parameters", None)):
        raise TypeError(
            f"{where}: expected a model with parameters() (an MLP, Layer, Neuron, ...), "
            f"got {type(model).__name__} {model!r}"
        )
    return model.parameters()


def save(model: HasParameters, path: str | os.PathLike[str]) -> None:
    """Write ``model``'s parameters to ``path`` as JSON (directories are created)."""
    params = _parameters_of(model, "save")
    for p in params:
        if not math.isfinite(p.data):
            raise ValueError(f"save: parameter {p.label!r} is {p.data}, which JSON cannot hold")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "model": repr(model),
        "count": len(params),
        "parameters": [{"label": p.label, "data": p.data} for p in params],
    }
    directory = os.path.dirname(os.fspath(path))
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=1, allow_nan=False)
        file.write("\n")


def load(model: HasParameters, path: str | os.PathLike[str]) -> None:
    """Set ``model``'s parameters from the file at ``path``, written by :func:`save`.

    Raises :class:`ParameterFileError` naming the file and the problem if it is not
    valid JSON, not a parameter file, has a different number of parameters, or a label
    that differs from the model's (a different shape); the model is then unchanged.
    """
    where = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except json.JSONDecodeError as error:
        raise ParameterFileError(f"load: {where} is not valid JSON ({error})") from None
    except UnicodeDecodeError:
        raise ParameterFileError(f"load: {where} is not a text (JSON) file") from None
    values = _checked(document, where)
    params = _parameters_of(model, "load")
    if len(values) != len(params):
        raise ParameterFileError(
            f"load: {where} holds {len(values)} parameters ({document.get('model')}), "
            f"the model has {len(params)} ({model!r})"
        )
    for i, ((label, _), p) in enumerate(zip(values, params)):
        if label is not None and p.label is not None and label != p.label:
            raise ParameterFileError(
                f"load: {where}: parameter {i} is {label!r} in the file but {p.label!r} in the "
                "model; the shapes differ"
            )
    for (_, data), p in zip(values, params):
        p.data = data


def _checked(document: Any, where: str) -> list[tuple[str | None, float]]:
    """The file's ``(label, value)`` pairs after checking its structure."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ParameterFileError(f"load: {where} is not a {FORMAT} file (no matching 'format')")
    if document.get("version") != VERSION:
        raise ParameterFileError(
            f"load: {where} has version {document.get('version')!r}; this reads version {VERSION}"
        )
    entries = document.get("parameters")
    if not isinstance(entries, list):
        raise ParameterFileError(f"load: {where} has no 'parameters' list")
    values: list[tuple[str | None, float]] = []
    for i, entry in enumerate(entries):
        data = entry.get("data") if isinstance(entry, dict) else None
        label = entry.get("label") if isinstance(entry, dict) else None
        if isinstance(data, bool) or not isinstance(data, (int, float)) or not math.isfinite(data):
            raise ParameterFileError(
                f"load: {where}: parameter {i} ({label!r}): 'data' must be a finite number, "
                f"got {data!r}"
            )
        if label is not None and not isinstance(label, str):
            raise ParameterFileError(f"load: {where}: parameter {i} has a non-text label {label!r}")
        values.append((label, float(data)))
    if document.get("count", len(values)) != len(values):
        raise ParameterFileError(
            f"load: {where} says it has {document.get('count')!r} parameters "
            f"but lists {len(values)}"
        )
    return values

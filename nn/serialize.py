"""Saving and loading a model's parameters as JSON (readable, diffable, and never pickle).

The file holds a format tag, the model's ``repr`` (for people), and one entry per
parameter in ``parameters()`` order: its label and its value. Python writes each float
with the shortest text that reads back to the same float, so a save → load round trip
is exact. ``save`` never leaves a half-written file: it writes a temporary file in the
same folder and renames it over the target. ``load`` checks the file against the model
first and changes nothing if it does not match; any file it cannot use, however it is
broken, raises :class:`ParameterFileError` naming the file.

A parameter file is data only: ``load`` reads numbers and labels from it and nothing in it
is run. Both ends deal with regular files only: ``save`` writes through a symbolic link to
the file it points at, and refuses a directory, a FIFO or a device; ``load`` refuses them
before reading a byte (a FIFO would otherwise block it forever).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import stat
import tempfile
from collections.abc import Callable
from typing import Any, Protocol, TextIO

from autodiff import Value

FORMAT = "backprop-lab.parameters"
VERSION = 1

# The size limit of a parameter file, checked before it is read: a fixed allowance for the
# header and the model's repr, plus a generous allowance per parameter (a saved entry takes
# about 60 bytes plus its label). A file far larger cannot be one of ours for this model.
_BASE_BYTES = 1 << 20
_BYTES_PER_PARAMETER = 4096
# Integers longer than this are read as floats (so a 400-digit one becomes inf, refused below)
# rather than as exact ints that float() would then overflow on.
_MAX_INT_DIGITS = 20


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
    """Write ``model``'s parameters to ``path`` as JSON (directories are created).

    A symbolic link at ``path`` is followed: the file it points at gets the parameters
    and the link stays. Anything at ``path`` that is not a regular file (a directory, a
    FIFO, a device) is refused with :class:`ParameterFileError` before anything is written.
    """
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

    def write(file: TextIO) -> None:
        json.dump(document, file, indent=1, allow_nan=False)
        file.write("\n")

    write_atomically(path, write)


def write_atomically(path: str | os.PathLike[str], write: Callable[[TextIO], None]) -> None:
    """Replace the file at ``path`` by the text ``write(file)`` writes, whole or not at all.

    ``write`` writes to a temporary file in the same folder (created if missing), which is
    flushed and ``fsync``-ed to the disk, then renamed over ``path`` with ``os.replace``
    (atomic on POSIX and Windows). Killed or failing midway, the old file is untouched and
    the temporary file is removed. The new file gets the old one's permissions, or the
    usual ones (``0o666`` less the umask) if there was none.

    ``path`` may be a symbolic link: the file it points at is replaced and the link kept.
    A directory, FIFO, socket or device at ``path`` raises :class:`ParameterFileError`.
    """
    # realpath follows every link in the chain, so the rename lands on the real file
    target = os.path.realpath(os.fspath(path))
    _refuse_unless_regular(target, os.fspath(path), "save", missing_ok=True)
    directory = os.path.dirname(target)
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)


def _refuse_unless_regular(target: str, where: str, action: str, missing_ok: bool) -> None:
    """Raise :class:`ParameterFileError` if ``target`` exists and is not a regular file."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        if missing_ok:
            return
        raise
    if not stat.S_ISREG(mode):
        raise ParameterFileError(
            f"{action}: {where} is {_kind(mode)}, not a regular file; "
            f"{'nothing was written' if action == 'save' else 'it was not read'}"
        )


def _kind(mode: int) -> str:
    """What a non-regular file is, in words, for the messages above."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def _mode_for(target: str) -> int:
    """The permissions a replacement of ``target`` should have (mkstemp makes files 0o600)."""
    try:
        return os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(mask)
        return 0o666 & ~mask


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable where the system allows it (POSIX; not Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def load(model: HasParameters, path: str | os.PathLike[str]) -> None:
    """Set ``model``'s parameters from the file at ``path``, written by :func:`save`.

    Raises :class:`ParameterFileError` naming the file and the problem if it is not a
    regular file (a directory, FIFO or device, refused before it is opened for reading),
    larger than a file for this model could be (checked before reading it), not valid JSON
    (including nesting too deep to read), not a parameter file, holds a value that is not
    a finite number (``NaN``, ``Infinity``, an integer too large for a float), has a
    different number of parameters, or a label that differs from the model's (a
    different shape); the model is then unchanged. A missing or unreadable file raises
    the usual ``OSError``.
    """
    where = os.fspath(path)
    params = _parameters_of(model, "load")
    limit = _BASE_BYTES + _BYTES_PER_PARAMETER * len(params)
    _refuse_unless_regular(where, where, "load", missing_ok=False)
    # O_NONBLOCK: should a FIFO replace the file after the check above, opening it returns
    # at once instead of waiting for a writer; fstat below then refuses it.
    handle = os.open(where, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(handle, "rb") as file:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise ParameterFileError(
                f"load: {where} is {_kind(status.st_mode)}, not a regular file; it was not read"
            )
        if status.st_size > limit:
            raise ParameterFileError(
                f"load: {where} is {status.st_size} bytes, far more than a parameter file "
                f"for a model with {len(params)} parameters needs (at most {limit} bytes); "
                "it was not read"
            )
        raw = file.read(limit + 1)  # the size may have changed since the stat
    if len(raw) > limit:
        raise ParameterFileError(f"load: {where} grew past {limit} bytes while being read")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ParameterFileError(f"load: {where} is not a text (JSON) file") from None
    try:
        document = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise ParameterFileError(f"load: {where} is not valid JSON ({error})") from None
    except RecursionError:
        raise ParameterFileError(
            f"load: {where} is nested too deeply to read (not a parameter file)"
        ) from None
    values = _checked(document, where)
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


def _parse_int(digits: str) -> int | float:
    """A JSON integer: exact when short, else a float (``inf`` when out of a float's range)."""
    if len(digits.lstrip("-")) <= _MAX_INT_DIGITS:
        return int(digits)
    try:
        return float(digits)
    except OverflowError:  # pragma: no cover - float() of digits gives inf, never raises
        return math.inf


def _checked(document: Any, where: str) -> list[tuple[str | None, float]]:
    """The file's ``(label, value)`` pairs after checking its structure."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ParameterFileError(f"load: {where} is not a {FORMAT} file (no matching 'format')")
    version = document.get("version")
    # type() and not ==: True == 1 in Python, and "version": true is not a version
    if type(version) is not int or version != VERSION:
        raise ParameterFileError(
            f"load: {where} has version {version!r}; this reads version {VERSION}"
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

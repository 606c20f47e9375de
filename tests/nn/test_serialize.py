"""save/load: an exact JSON round trip and clear errors for files that don't fit."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

import nn.serialize
from nn import MLP, ParameterFileError, Perceptron, load, save


def test_round_trip_is_exact(tmp_path: Path) -> None:
    """Saved then loaded parameters are bit-identical and the outputs agree."""
    source = MLP(3, [5, 2], seed=1)
    source.layers[0].neurons[0].w[0].data = 0.1 + 0.2  # a float with a long repr
    target = MLP(3, [5, 2], seed=2)
    path = tmp_path / "sub" / "weights.json"
    save(source, path)
    load(target, path)
    assert [p.data for p in target.parameters()] == [p.data for p in source.parameters()]
    x = [0.3, -0.1, 2.0]
    assert [o.data for o in target(x)] == [o.data for o in source(x)]  # type: ignore[union-attr]
    document = json.loads(path.read_text())
    assert document["parameters"][0] == {"label": "L1.N1.w0", "data": 0.1 + 0.2}


def test_shape_mismatch_names_the_difference(tmp_path: Path) -> None:
    """A file for another shape is refused, naming counts or labels, and the model is unchanged."""
    path = tmp_path / "w.json"
    save(MLP(2, [4, 1], seed=0), path)
    other = MLP(2, [3, 1], seed=0)
    before = [p.data for p in other.parameters()]
    with pytest.raises(ParameterFileError, match=r"holds 17 parameters .* the model has 13"):
        load(other, path)
    assert [p.data for p in other.parameters()] == before
    save(MLP(2, [1], seed=0), path)
    with pytest.raises(ParameterFileError, match=r"'L1\.N1\.w0' in the file but 'P\.w0'"):
        load(Perceptron(2), path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "backprop-lab.parameters", "version": 1, "parameters": [', "not valid JSON"),
        ('{"hello": 1}', "not a backprop-lab.parameters file"),
        ('{"format": "backprop-lab.parameters", "version": 9, "parameters": []}', "version 9"),
        ('{"format": "backprop-lab.parameters", "version": 1}', "no 'parameters' list"),
        (
            '{"format": "backprop-lab.parameters", "version": 1, '
            '"parameters": [{"label": "P.w0", "data": "x"}]}',
            "'data' must be a finite number",
        ),
        (
            '{"format": "backprop-lab.parameters", "version": 1, '
            '"parameters": [{"label": "P.w0", "data": NaN}]}',
            "'data' must be a finite number",
        ),
    ],
)
def test_corrupted_files_give_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    """Truncated, foreign, wrong-version or non-numeric files raise ParameterFileError."""
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ParameterFileError, match=message):
        load(Perceptron(1, seed=0), path)


def test_binary_garbage_and_infinite_weights(tmp_path: Path) -> None:
    """A binary file is refused as not text; an infinite weight cannot be saved."""
    path = tmp_path / "bad.json"
    path.write_bytes(b"\x80\x81\xfe\xff")
    with pytest.raises(ParameterFileError, match=r"bad\.json"):
        load(Perceptron(1), path)
    p = Perceptron(1)
    p.b.data = float("inf")
    with pytest.raises(ValueError, match=r"'P\.b' is inf"):
        save(p, tmp_path / "inf.json")


def test_save_and_load_name_a_non_model(tmp_path: Path) -> None:
    """save/load given something without parameters() raise a TypeError saying so."""
    path = tmp_path / "w.json"
    save(MLP(2, [1], seed=0), path)
    with pytest.raises(TypeError, match="load: expected a model with parameters"):
        load("model", path)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="save: expected a model with parameters"):
        save([1.0], path)  # type: ignore[arg-type]


# --- issue 11: atomic save, and load refusing every bad file with ParameterFileError ----------


def test_a_save_that_fails_midway_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that dies half way leaves the previous weights intact and no temporary file."""
    path = tmp_path / "w.json"
    save(MLP(2, [4, 1], seed=0), path)
    old = path.read_bytes()

    def half_then_fail(document: object, file: Any, **kwargs: Any) -> None:
        text = json.dumps(document, **kwargs)
        file.write(text[: len(text) // 2])
        file.flush()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nn.serialize.json, "dump", half_then_fail)
    with pytest.raises(OSError, match="No space left"):
        save(MLP(2, [4, 1], seed=1), path)
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.json"]
    monkeypatch.undo()
    load(MLP(2, [4, 1], seed=2), path)  # still a whole, loadable file


def test_save_flushes_fsyncs_and_replaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """save writes a temporary file in the same folder, fsyncs it, then os.replace()s the target."""
    calls: list[tuple[str, str]] = []
    real_replace, real_fsync = os.replace, os.fsync

    def replace(src: str, dst: str) -> None:
        calls.append(("replace", os.path.dirname(os.fspath(src))))
        real_replace(src, dst)

    def fsync(fd: int) -> None:
        calls.append(("fsync", ""))
        real_fsync(fd)

    monkeypatch.setattr(nn.serialize.os, "replace", replace)
    monkeypatch.setattr(nn.serialize.os, "fsync", fsync)
    path = tmp_path / "w.json"
    save(MLP(2, [1], seed=0), path)
    assert calls[0] == ("fsync", "")
    assert ("replace", str(tmp_path)) in calls
    assert calls.index(("replace", str(tmp_path))) > 0
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _document(data: str, count: int = 3) -> str:
    entries = ", ".join(f'{{"label": "P.w{i}", "data": {data}}}' for i in range(count - 1))
    return (
        '{"format": "backprop-lab.parameters", "version": 1, "parameters": ['
        + entries
        + f', {{"label": "P.b", "data": {data}}}]}}'
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (_document("1" * 400), "'data' must be a finite number"),
        (_document("-" + "9" * 400), "'data' must be a finite number"),
        (_document("1e400"), "'data' must be a finite number"),
        (_document("Infinity"), "'data' must be a finite number"),
        (_document("-Infinity"), "'data' must be a finite number"),
        (_document("[1.0]"), "'data' must be a finite number"),
        (
            _document("0.5").replace('"parameters": [', '"parameters": {"a": [') + "}",
            "no 'parameters'",
        ),
        (_document("0.5", count=4), "holds 4 parameters"),
        (_document("0.5").replace('"version": 1', '"version": ' + "7" * 400), "version"),
        (
            '{"format": "backprop-lab.parameters", "version": 1, "count": 3.5, "parameters": []}',
            "says it has 3.5 parameters",
        ),
    ],
    ids=[
        "deep",
        "400-digits",
        "minus-400-digits",
        "1e400",
        "Infinity",
        "-Infinity",
        "list",
        "dict",
        "shape",
        "huge-version",
        "bad-count",
    ],
)
def test_every_bad_file_raises_parameter_file_error(
    tmp_path: Path, content: str, message: str
) -> None:
    """Deep nesting, huge integers, non-finite numbers and wrong shapes: ParameterFileError."""
    path = tmp_path / "bad.json"
    path.write_text(content)
    model = Perceptron(2, seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ParameterFileError, match=message) as error:
        load(model, path)
    assert str(path) in str(error.value)
    assert [p.data for p in model.parameters()] == before


def test_a_huge_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 110 MB file for a 13-parameter model is refused by its size, without being read."""
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(110 * 10**6)  # sparse: 110 MB by stat, nothing written to the disk

    def no_parsing(*args: object, **kwargs: object) -> object:
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(nn.serialize.json, "loads", no_parsing)
    monkeypatch.setattr(nn.serialize.json, "load", no_parsing)
    with pytest.raises(ParameterFileError, match=r"huge\.json is 110000000 bytes") as error:
        load(MLP(2, [3, 1], seed=0), path)  # 3·3 + 4 = 13 parameters
    assert "13 parameters" in str(error.value)


def test_files_of_honest_sizes_still_load(tmp_path: Path) -> None:
    """The size limit leaves room: a saved file, re-indented generously, loads for its model."""
    model = MLP(2, [4, 1], seed=0)
    path = tmp_path / "w.json"
    save(model, path)
    path.write_text(json.dumps(json.loads(path.read_text()), indent=12))
    load(MLP(2, [4, 1], seed=5), path)


def test_save_writes_through_a_symlink_to_its_target(tmp_path: Path) -> None:
    """A symlink at the path stays a link and the file it points at gets the parameters."""
    model = MLP(2, [3, 1], seed=1)
    target = tmp_path / "real" / "weights.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    save(model, link)
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    copy = MLP(2, [3, 1], seed=2)
    load(copy, target)
    assert [p.data for p in copy.parameters()] == [p.data for p in model.parameters()]


def test_save_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    """A link to a file not yet made: the file is made where the link points."""
    target = tmp_path / "new.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    save(MLP(2, [1], seed=1), link)
    assert link.is_symlink() and target.is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_save_refuses_a_fifo_and_leaves_it(tmp_path: Path) -> None:
    """A FIFO at the path is refused by name, and is still a FIFO afterwards."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ParameterFileError, match=r"pipe is a FIFO .*not a regular file"):
        save(MLP(2, [1], seed=1), fifo)
    assert fifo.is_fifo()
    link = tmp_path / "link"
    link.symlink_to(fifo)
    with pytest.raises(ParameterFileError, match="FIFO"):
        save(MLP(2, [1], seed=1), link)
    assert fifo.is_fifo() and link.is_symlink()


def test_save_refuses_a_directory(tmp_path: Path) -> None:
    """A directory at the path is refused with ParameterFileError naming it."""
    folder = tmp_path / "weights.json"
    folder.mkdir()
    with pytest.raises(ParameterFileError, match=r"weights.json is a directory"):
        save(MLP(2, [1], seed=1), folder)
    assert folder.is_dir() and not list(folder.iterdir())
    assert [p.name for p in tmp_path.iterdir()] == ["weights.json"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_load_refuses_a_fifo_without_opening_it(tmp_path: Path) -> None:
    """load on a FIFO raises at once (it blocked forever, waiting for a writer)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    model = MLP(2, [1], seed=1)
    before = [p.data for p in model.parameters()]
    # run in a thread so that a regression fails the test instead of hanging the suite
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            load(model, fifo)
        except BaseException as error:  # handed to the main thread
            errors.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():
        # unblock the reader so the thread ends, then fail
        with open(fifo, "w"):
            pass
        pytest.fail("load blocked on a FIFO")
    assert len(errors) == 1 and isinstance(errors[0], ParameterFileError)
    assert "FIFO" in str(errors[0]) and str(fifo) in str(errors[0])
    assert [p.data for p in model.parameters()] == before


def test_load_refuses_a_directory(tmp_path: Path) -> None:
    """A directory is a ParameterFileError naming it, not an IsADirectoryError."""
    with pytest.raises(ParameterFileError, match="is a directory"):
        load(MLP(2, [1], seed=1), tmp_path)


@pytest.mark.parametrize("version", [True, 1.0, "1", None])
def test_load_refuses_a_version_that_only_equals_one(tmp_path: Path, version: Any) -> None:
    """ "version": true (== 1 in Python) and 1.0 are not the version number 1."""
    model = MLP(2, [1], seed=1)
    path = tmp_path / "w.json"
    save(model, path)
    document = json.loads(path.read_text())
    document["version"] = version
    path.write_text(json.dumps(document))
    with pytest.raises(ParameterFileError, match="version"):
        load(model, path)

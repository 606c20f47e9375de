"""save/load: an exact JSON round trip and clear errors for files that don't fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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

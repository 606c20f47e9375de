"""The command line (python -m nn), the decision-boundary plot and the package's exports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import nn
from nn.__main__ import main


def test_help_lists_the_choices() -> None:
    """`python -m nn train --help` runs and names every option the issue asks for."""
    result = subprocess.run(
        [sys.executable, "-m", "nn", "train", "--help"], capture_output=True, text=True, check=True
    )
    for option in (
        "--dataset",
        "--sizes",
        "--activation",
        "--loss",
        "--optimizer",
        "--lr",
        "--batch",
        "--epochs",
        "--seed",
    ):
        assert option in result.stdout
    top = subprocess.run([sys.executable, "-m", "nn", "--help"], capture_output=True, text=True)
    assert top.returncode == 0
    assert "demo" in top.stdout


def test_train_command_saves_weights(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A short mini-batch run prints loss and accuracy and writes loadable weights."""
    status = main(
        [
            "train",
            "--dataset",
            "blobs",
            "--n",
            "20",
            "--sizes",
            "4,1",
            "--batch",
            "5",
            "--epochs",
            "3",
            "--no-progress",
            "--no-plot",
            "--out",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "training accuracy" in out
    model = nn.MLP(2, [4, 1])
    nn.load(model, tmp_path / "blobs_weights.json")


def test_bad_sizes_exit_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    """Malformed --sizes ends with argparse's usage error (exit status 2)."""
    with pytest.raises(SystemExit) as stop:
        main(["train", "--sizes", "four,one"])
    assert stop.value.code == 2
    assert "--sizes" in capsys.readouterr().err


def test_decision_boundary_png(tmp_path: Path) -> None:
    """plot_decision_boundary writes a PNG file and returns the figure."""
    pytest.importorskip("matplotlib")
    from nn.plot import plot_decision_boundary

    X, labels = nn.moons(20, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    path = tmp_path / "pics" / "moons.png"
    figure = plot_decision_boundary(model, X, labels, path, steps=15, title="t")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert figure.axes[0].get_title() == "t"


def test_exports_are_curated() -> None:
    """Every name in nn.__all__ exists, and `from nn import MLP` works."""
    from nn import MLP

    assert MLP is nn.module.MLP
    assert sorted(nn.__all__) == sorted(set(nn.__all__))
    for name in nn.__all__:
        assert hasattr(nn, name), name


def test_import_nn_loads_no_optional_dependency() -> None:
    """`import nn` imports neither matplotlib nor tqdm (they load only when used)."""
    code = "import sys, nn; print('matplotlib' in sys.modules, 'tqdm' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--batch", "0"], "--batch must be 'full' or a number >= 1"),
        (["train", "--lr", "-1"], "--lr must be > 0"),
        (["train", "--epochs", "-1"], "--epochs must be >= 0"),
    ],
)
def test_bad_numbers_exit_with_usage(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A batch of 0, a negative learning rate or epoch count stop argparse-style, exit 2."""
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_bad_values_end_in_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A value only the library can refuse (a layer of 0 neurons) gives one error line, exit 2."""
    status = main(["train", "--sizes", "0", "--epochs", "1", "--no-plot", "--no-progress"])
    err = capsys.readouterr().err
    assert status == 2
    assert "python -m nn train: error: Layer L1: needs at least one neuron" in err
    assert "Traceback" not in err


def test_decision_boundary_takes_numpy_arrays(tmp_path: Path) -> None:
    """plot_decision_boundary accepts NumPy arrays for X and y, as micrograd's demo has them."""
    pytest.importorskip("matplotlib")
    np = pytest.importorskip("numpy")
    from nn.plot import plot_decision_boundary

    X, labels = nn.moons(20, seed=0)
    path = tmp_path / "moons.png"
    plot_decision_boundary(nn.MLP(2, [4, 1], seed=0), np.array(X), np.array(labels), path, steps=15)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

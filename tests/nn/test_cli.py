"""The command line (python -m nn), the decision-boundary plot and the package's exports."""

from __future__ import annotations

import argparse
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
        (["train", "--batch", "0"], "argument --batch: must be 'full' or a whole number >= 1"),
        (["train", "--lr", "-1"], "argument --lr: must be a number > 0, got '-1'"),
        (["train", "--epochs", "-1"], "argument --epochs: must be a whole number >= 1"),
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


def test_bad_values_end_in_one_error_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value only the library refuses gives one error line, exit 2.

    softmax on one output is now caught before training (see
    test_the_output_size_must_suit_the_loss); with that check switched off, it stands
    for any refusal that only a run can make.
    """
    import nn.cli

    monkeypatch.setattr(nn.cli, "problem_with", lambda settings: None)
    status = main(["train", "--loss", "softmax_ce", "--sizes", "4,1", *FAST[:2], "--epochs", "1"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("usage: python -m nn train ")
    assert "python -m nn train: error: fit: the target of example" in err
    assert "softmax_cross_entropy: each example needs a list of logits" in err
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


# --- issue 11 and issue 10: the command line -------------------------------------------------

FAST = ["--n", "12", "--sizes", "3,1", "--no-plot", "--no-progress"]


def test_a_bad_batch_blames_only_batch_with_the_sub_command_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--batch half` names --batch (not --sizes) and shows `usage: python -m nn train`."""
    with pytest.raises(SystemExit) as stop:
        main(["train", "--batch", "half"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m nn train ")
    error_line = err.strip().splitlines()[-1]
    assert error_line.startswith("python -m nn train: error: argument --batch:")
    assert "--sizes" not in error_line
    with pytest.raises(SystemExit):
        main(["train", "--sizes", "four,one"])
    error_line = capsys.readouterr().err.strip().splitlines()[-1]
    assert "argument --sizes:" in error_line
    assert "--batch" not in error_line


def test_sine_with_the_default_hinge_loss_hints_mse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A regression set with a classification loss is refused before training, hinting mse."""
    with pytest.raises(SystemExit) as stop:
        main(["train", "--dataset", "sine", "--out", str(tmp_path), *FAST])
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert "--loss mse" in captured.err
    assert captured.err.startswith("usage: python -m nn train ")
    assert captured.out == ""
    assert (
        main(
            [
                "train",
                "--dataset",
                "sine",
                "--loss",
                "mse",
                "--epochs",
                "2",
                "--out",
                str(tmp_path),
                *FAST,
            ]
        )
        == 0
    )


def test_an_unwritable_out_fails_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out under a regular file (no folder can be made there) is refused before any epoch."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SystemExit) as stop:
        main(["train", "--out", str(blocker / "out"), *FAST])
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert "argument --out:" in captured.err
    assert captured.out == ""  # not a line of training was printed


def test_one_epoch_is_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A one-epoch run says "1 epoch", never "1 epochs"."""
    assert main(["train", "--epochs", "1", "--out", str(tmp_path), *FAST]) == 0
    out = capsys.readouterr().out
    assert "1 epoch" in out
    assert "1 epochs" not in out


def test_a_diverging_run_reports_no_final_loss(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """mse at lr 10 diverges: the CLI says so, hints a smaller --lr, prints no final loss."""
    status = main(
        [
            "train",
            "--loss",
            "mse",
            "--lr",
            "10",
            "--n",
            "30",
            "--batch",
            "5",
            "--no-plot",
            "--no-progress",
            "--out",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert status == 1
    assert "diverged" in out
    assert "smaller --lr" in out
    assert "final data loss" not in out
    assert not (tmp_path / "moons_weights.json").exists()


def test_ctrl_c_ends_the_run_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C during training reports the epochs done, saves their weights, and exits 130."""
    real_step = nn.SGD.step

    def step(self: nn.SGD) -> None:
        if self.steps == 3:
            raise KeyboardInterrupt
        real_step(self)

    monkeypatch.setattr(nn.SGD, "step", step)
    status = main(["train", "--epochs", "10", "--out", str(tmp_path), *FAST])
    out = capsys.readouterr().out
    assert status == 130
    assert "interrupted" in out
    assert "3 complete epochs" in out
    nn.load(nn.MLP(2, [3, 1]), tmp_path / "moons_weights.json")


def test_piping_into_head_ends_quietly(tmp_path: Path) -> None:
    """`python -m nn train | head -1`: the first line arrives, no Broken pipe message, exit 141."""
    process = subprocess.Popen(
        [sys.executable, "-m", "nn", "train", "--epochs", "3", "--out", str(tmp_path), *FAST],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `head -1` does after its line
    err = process.stderr.read()
    status = process.wait(timeout=120)
    assert first.startswith("model ")
    assert err == ""
    assert status == 141  # 128 + SIGPIPE, what a shell reports for a closed pipe


def test_the_parser_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """main builds its argparse tree once, also on the way to an error."""
    import nn.cli

    built = []
    real = nn.cli.build_parser

    def counting(*args: object, **kwargs: object) -> object:
        built.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(nn.cli, "build_parser", counting)
    with pytest.raises(SystemExit):
        main(["train", "--dataset", "sine"])
    assert len(built) == 1


def test_settings_dataclass_runs_without_the_parser(tmp_path: Path) -> None:
    """run() takes one Settings value; its defaults are the demo's recipe."""
    from nn.cli import Settings, run

    demo = Settings()
    assert (demo.dataset, demo.sizes, demo.loss, demo.lr, demo.lr_end) == (
        "moons",
        (16, 16, 1),
        "hinge",
        1.0,
        0.1,
    )
    quick = Settings(
        dataset="xor", sizes=(2, 1), epochs=2, out=str(tmp_path), plot=False, progress=False
    )
    assert run(quick) == 0
    assert (tmp_path / "xor_weights.json").exists()


def test_every_option_has_a_full_help_string() -> None:
    """Each option of `train --help` explains itself, with its default; no "def." abbreviations."""
    from nn.cli import build_parser

    parser = build_parser()
    result = subprocess.run(
        [sys.executable, "-m", "nn", "train", "--help"], capture_output=True, text=True, check=True
    )
    assert "def." not in result.stdout
    for action in _train_actions(parser):
        assert action.help and len(action.help) > 12, action.option_strings


def _train_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    train: argparse.ArgumentParser = parser.parse_args(["train"]).command_parser
    return list(train._actions)  # argparse's list of the options, help included


def test_the_console_script_is_named_backprop_lab(capsys: pytest.CaptureFixture[str]) -> None:
    """Run as `backprop-lab`, the usage and errors say `backprop-lab`, not `python -m nn`."""
    with pytest.raises(SystemExit):
        main(["train", "--batch", "half"], prog="backprop-lab")
    err = capsys.readouterr().err
    assert err.startswith("usage: backprop-lab train ")
    assert "python -m nn" not in err
    script = Path(sys.executable).parent / "backprop-lab"
    if not script.exists():
        pytest.skip("the backprop-lab script is not installed next to this Python")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("usage: backprop-lab ")


def test_demo_without_the_train_extra_skips_the_plot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without matplotlib and tqdm the demo trains, saves, and says in one line how to plot."""
    for name in list(sys.modules):
        if name.split(".")[0] in ("matplotlib", "tqdm"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # None: `import matplotlib` fails
    monkeypatch.setitem(sys.modules, "tqdm", None)
    status = main(["demo", "--epochs", "2", "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 0
    assert "Traceback" not in captured.err
    plot_lines = [line for line in captured.out.splitlines() if line.startswith("plot")]
    assert len(plot_lines) == 1
    assert "pip install '.[train]'" in plot_lines[0]
    assert (tmp_path / "moons_weights.json").exists()
    assert not (tmp_path / "moons.png").exists()


def test_zero_epochs_is_refused_and_overwrites_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--epochs 0 would save an untrained model over the last run's files: refused, exit 2."""
    weights = tmp_path / "moons_weights.json"
    weights.write_text("the last run's weights")
    for command in (["train", *FAST], ["demo", "--no-plot", "--no-progress"]):
        with pytest.raises(SystemExit) as stop:
            main([*command, "--epochs", "0", "--out", str(tmp_path)])
        assert stop.value.code == 2
        assert "argument --epochs: must be a whole number >= 1, got '0'" in capsys.readouterr().err
    assert weights.read_text() == "the last run's weights"


def test_sine_with_mse_trains_with_its_default_learning_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--dataset sine --loss mse, as the CLI's own hint says, trains (it ended at loss 30.7).

    The default rate for sine is 0.01 (measured: mse 0.086 after 100 epochs); from the
    demo's 1.0 the loss ends far above where it started, which is now a warning.
    """
    args = ["train", "--dataset", "sine", "--loss", "mse", "--out", str(tmp_path)]
    assert main([*args, "--no-plot", "--no-progress", "--epochs", "30"]) == 0
    captured = capsys.readouterr()
    assert "sgd lr 0.01 -> 0.001" in captured.out
    final = float(captured.out.split("final data loss ")[1].split()[0])
    assert final < 0.2
    assert "warning" not in captured.err
    assert main([*args, "--no-plot", "--no-progress", "--epochs", "30", "--lr", "1"]) == 0
    captured = capsys.readouterr()
    assert "warning the loss ended at" in captured.err
    assert "did not train; try a smaller --lr (this run: 1)" in captured.err


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--loss", "softmax_ce"], "use --sizes 16,16,2"),
        (["--loss", "softmax_ce", "--sizes", "3,1"], "use --sizes 3,2"),
        (["--loss", "softmax_ce", "--sizes", "5"], "use --sizes 2"),
        (["--sizes", "16,16,2"], "use --sizes 16,16,1 (or --loss softmax_ce for 2 outputs)"),
    ],
)
def test_the_output_size_must_suit_the_loss(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], hint: str
) -> None:
    """softmax_ce with one output (the default sizes) says which --sizes to use, before training."""
    with pytest.raises(SystemExit) as stop:
        main(["train", "--no-plot", "--no-progress", "--out", str(tmp_path), *args])
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert hint in captured.err.splitlines()[-1]
    assert "fit:" not in captured.err and captured.out == ""

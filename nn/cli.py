"""The command line: ``python -m nn demo`` (the main demo) and ``python -m nn train``.

``demo`` trains micrograd's classic two-moons classifier -- ``MLP(2, [16, 16, 1])``,
100 points with noise 0.1, hinge loss plus 1e-4 L2, full-batch SGD with the learning
rate falling linearly from 1.0 to 0.1 over 100 steps -- then prints the final loss and
accuracy, saves the weights (JSON) and the decision-boundary picture (PNG).
``train`` runs the same pipeline with every choice open.

One :class:`Settings` value describes a run; :func:`build_parser` turns the command
line into one, :func:`run` carries it out. Installed, the same commands are the
``backprop-lab`` script (``backprop-lab demo``), whose messages then say ``backprop-lab``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import datasets, metrics
from .module import MLP
from .optim import SGD, Adam, Optimizer
from .serialize import save
from .stopping import EarlyStopping
from .train import LOSSES, evaluate, fit

DATASETS = ("moons", "circles", "xor", "spirals", "blobs", "sine")
# The data sets whose targets are real numbers, and the losses that need class labels.
REGRESSION_SETS = ("sine",)
CLASS_LOSSES = ("hinge", "bce", "softmax_ce")
# Every generated classification set has two classes; softmax_ce wants one output per class.
CLASSES = 2
# The learning rate ``train`` starts from when --lr is not given, per data set: the demo's
# 1.0, except for sine, whose targets reach ±1.5 and whose squared error diverges or stalls
# from 1.0 (mse ended at 30.7). Measured over 100 epochs with the other defaults: sine at
# 0.01 ends at mse 0.086, mae 0.21, half_squared_error 0.051 (it diverges from 0.1).
DEFAULT_LR = {"sine": 0.01}
# A run whose last epoch's loss ends this many times above its first is reported as a
# failure to train (exit 0 still: the weights are saved, as the user asked).
WORSE_FACTOR = 2.0

# Exit statuses: trained; training diverged (no result); bad arguments (as argparse);
# Ctrl-C (128 + SIGINT, after reporting what was done); stdout closed under us (128 + SIGPIPE).
EXIT_OK, EXIT_DIVERGED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 1, 2, 130, 141


@dataclass(frozen=True)
class Settings:
    """Everything one training run of the command line needs; the defaults are the demo.

    Data: ``dataset`` (one of ``DATASETS``), ``n`` examples, ``noise`` (the blobs' spread),
    ``seed`` (data and shuffling). Model: ``MLP(2 or 1, sizes)`` with ``activation`` in the
    hidden layers, weights by ``init`` from ``init_seed``. Objective: ``loss`` (a name in
    ``LOSSES``) + ``l2``·Σp². Optimizer: ``'sgd'`` (with ``momentum``) or ``'adam'``, learning
    rate ``lr`` falling linearly to ``lr_end`` over the run (``None``: constant).
    ``batch``: ``None`` full batch, ``1`` stochastic, ``k`` mini-batches. Stopping: ``epochs``,
    early stopping after ``patience`` epochs without improvement or at ``target_loss``.
    Output: the folder ``out``, a progress bar (``progress``: ``None`` when in a terminal),
    the decision-boundary ``plot``; ``replay`` records each batch shape's graph once.
    """

    dataset: str = "moons"
    n: int = 100
    noise: float = 0.1
    seed: int = 1
    init_seed: int = 1337
    sizes: tuple[int, ...] = (16, 16, 1)
    activation: str = "relu"
    init: str = "uniform"
    loss: str = "hinge"
    l2: float = 1e-4
    optimizer: str = "sgd"
    lr: float = 1.0
    lr_end: float | None = 0.1
    momentum: float = 0.0
    batch: int | None = None
    epochs: int = 100
    patience: int | None = None
    target_loss: float | None = None
    out: str = "out"
    progress: bool | None = None
    plot: bool = True
    replay: bool = False


DEMO = Settings()


# --- argument types: each refuses a bad value with a message naming only that value --------


def _whole(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be a whole number >= {minimum}, got {text!r}")
        return value

    return parse


def _number(low: float, inclusive: bool) -> Callable[[str], float]:
    relation = ">=" if inclusive else ">"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not (value >= low if inclusive else value > low) or value == float("inf"):
            raise argparse.ArgumentTypeError(f"must be a number {relation} {low:g}, got {text!r}")
        return value

    return parse


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"takes layer sizes >= 1 separated by commas, like 16,16,1; got {text!r}"
        )
    return sizes


def _batch(text: str) -> int | None:
    if text == "full":
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"must be 'full' or a whole number >= 1 (1 is stochastic descent), got {text!r}"
        )
    return value


def build_parser(prog: str = "python -m nn") -> argparse.ArgumentParser:
    """The argument parser with its ``demo`` and ``train`` commands; ``prog`` names the program."""
    statuses = (
        f"Exit status: {EXIT_OK} trained, {EXIT_DIVERGED} training diverged (nothing saved), "
        f"{EXIT_USAGE} bad arguments, {EXIT_INTERRUPTED} interrupted by Ctrl-C (what was done "
        f"is reported and saved), {EXIT_BROKEN_PIPE} the reader of the output went away."
    )
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Train small neural networks with backprop-lab's scalar autodiff.",
        epilog=statuses,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{demo,train}")
    demo = commands.add_parser(
        "demo",
        help="the main demo: MLP(2,[16,16,1]) on two moons, like micrograd's",
        description="Train MLP(2, [16, 16, 1]) on 100 two-moons points (micrograd's demo recipe).",
        epilog=statuses,
    )
    train = commands.add_parser(
        "train",
        help="train with your choice of data, model, loss and optimizer",
        description="Train an MLP on a generated data set and report loss and accuracy.",
        epilog=statuses,
    )
    for sub in (demo, train):
        # each sub-command finds its own parser again, for errors that name it in the usage
        sub.set_defaults(command_parser=sub)
        sub.add_argument(
            "--epochs",
            # 0 epochs would save an untrained model over the last run's files
            type=_whole(1),
            default=DEMO.epochs,
            help="passes over the training data (default %(default)s)",
        )
        sub.add_argument(
            "--seed",
            type=int,
            default=DEMO.seed,
            help="seed of the generated data and of the mini-batch shuffling (default %(default)s)",
        )
        sub.add_argument(
            "--init-seed",
            type=int,
            default=DEMO.init_seed,
            help="seed of the initial weights (default %(default)s, micrograd's demo)",
        )
        sub.add_argument(
            "--out",
            default=DEMO.out,
            help="folder for the weights (JSON) and the plot (PNG); created if missing, "
            "checked before training (default %(default)s/)",
        )
        sub.add_argument(
            "--no-progress",
            action="store_true",
            help="never show the progress bar (by default it shows in a terminal, with tqdm)",
        )
        sub.add_argument(
            "--no-plot",
            action="store_true",
            help="do not draw the decision-boundary PNG (drawing it needs matplotlib)",
        )
        sub.add_argument(
            "--replay",
            action="store_true",
            help="record each batch shape's graph once and replay it with new numbers "
            "(the same results, faster)",
        )
    train.add_argument(
        "--dataset",
        choices=DATASETS,
        default=DEMO.dataset,
        help="the generated data: two moons, circles, xor, spirals, blobs (classes) or a noisy "
        "sine (a regression set: use it with --loss mse, mae or half_squared_error) "
        "(default %(default)s)",
    )
    train.add_argument(
        "--n", type=_whole(2), default=DEMO.n, help="number of examples (default %(default)s)"
    )
    train.add_argument(
        "--noise",
        type=_number(0.0, inclusive=True),
        default=DEMO.noise,
        help="noise added to the points (the spread of the blobs) (default %(default)s)",
    )
    train.add_argument(
        "--sizes",
        type=_sizes,
        default=DEMO.sizes,
        help="layer sizes after the input, comma-separated; the last is the number of outputs "
        "(default 16,16,1)",
    )
    train.add_argument(
        "--activation",
        default=DEMO.activation,
        choices=("relu", "tanh", "sigmoid", "linear"),
        help="activation of the hidden layers; the output layer is linear (default %(default)s)",
    )
    train.add_argument(
        "--init",
        default=DEMO.init,
        choices=("uniform", "xavier", "he"),
        help="initial weights: uniform U(-1, 1) as micrograd, xavier (variance 1/nin) or he "
        "(variance 2/nin) (default %(default)s)",
    )
    train.add_argument(
        "--loss",
        default=DEMO.loss,
        choices=tuple(LOSSES),
        help="the data loss: hinge and mse read labels as -1/+1, bce as 0/1, softmax_ce as "
        "class indices (needs one output per class) (default %(default)s)",
    )
    train.add_argument(
        "--l2",
        type=_number(0.0, inclusive=True),
        default=DEMO.l2,
        help="strength α of the L2 penalty α·Σp² added to the loss (default %(default)s)",
    )
    train.add_argument(
        "--optimizer",
        default=DEMO.optimizer,
        choices=("sgd", "adam"),
        help="gradient descent (with --momentum) or Adam (default %(default)s)",
    )
    train.add_argument(
        "--lr",
        type=_number(0.0, inclusive=False),
        default=None,
        help=f"learning rate at the first update (default {DEMO.lr:g}; "
        + ", ".join(f"{lr:g} for {name}" for name, lr in DEFAULT_LR.items())
        + ")",
    )
    train.add_argument(
        "--lr-end",
        type=_number(0.0, inclusive=True),
        default=None,
        help="fall linearly to this learning rate over the run "
        "(default 0.1 × --lr for sgd, a constant rate for adam)",
    )
    train.add_argument(
        "--momentum",
        type=_number(0.0, inclusive=True),
        default=DEMO.momentum,
        help="SGD momentum μ: the step follows v ← μv + g (default %(default)s)",
    )
    train.add_argument(
        "--batch",
        type=_batch,
        default=DEMO.batch,
        help="'full' (batch descent, the mean gradient over all examples), 1 (stochastic "
        "descent) or k (mini-batches of k, reshuffled every epoch) (default full)",
    )
    train.add_argument(
        "--patience",
        type=_whole(0),
        default=None,
        help="stop early when the loss has not improved for this many epochs, and keep the "
        "best epoch's weights (default: no early stopping)",
    )
    train.add_argument(
        "--target-loss",
        type=float,
        default=None,
        help="stop as soon as an epoch's loss is at or below this (default: none)",
    )
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    """The :class:`Settings` of parsed arguments (``demo`` fixes everything but the output)."""
    common = {
        "seed": args.seed,
        "init_seed": args.init_seed,
        "epochs": args.epochs,
        "out": args.out,
        "progress": False if args.no_progress else None,
        "plot": not args.no_plot,
        "replay": args.replay,
    }
    if args.command == "demo":
        return dataclasses.replace(DEMO, **common)
    lr = args.lr if args.lr is not None else DEFAULT_LR.get(args.dataset, DEMO.lr)
    lr_end = args.lr_end
    if lr_end is None and args.optimizer == "sgd":
        lr_end = 0.1 * lr
    return Settings(
        dataset=args.dataset,
        n=args.n,
        noise=args.noise,
        sizes=args.sizes,
        activation=args.activation,
        init=args.init,
        loss=args.loss,
        l2=args.l2,
        optimizer=args.optimizer,
        lr=lr,
        lr_end=lr_end,
        momentum=args.momentum,
        batch=args.batch,
        patience=args.patience,
        target_loss=args.target_loss,
        **common,
    )


def problem_with(settings: Settings) -> str | None:
    """What makes ``settings`` unusable before any training (one sentence), or ``None``."""
    if settings.dataset in REGRESSION_SETS and settings.loss in CLASS_LOSSES:
        return (
            f"--dataset {settings.dataset} has real-valued targets, but --loss {settings.loss} "
            "needs class labels: add --loss mse (or mae, half_squared_error)"
        )
    outputs = settings.sizes[-1]
    hidden = ",".join(str(size) for size in settings.sizes[:-1])
    if settings.loss == "softmax_ce" and outputs != CLASSES:
        return (
            f"--loss softmax_ce needs one output per class ({CLASSES} for --dataset "
            f"{settings.dataset}), but --sizes ends with {outputs}: use --sizes "
            f"{hidden + ',' if hidden else ''}{CLASSES}"
        )
    if settings.loss != "softmax_ce" and outputs != 1:
        return (
            f"--loss {settings.loss} needs one output, but --sizes ends with {outputs}: use "
            f"--sizes {hidden + ',' if hidden else ''}1 (or --loss softmax_ce for {outputs} "
            "outputs)"
        )
    try:
        os.makedirs(settings.out, exist_ok=True)
        with tempfile.TemporaryFile(dir=settings.out):
            pass
    except OSError as error:
        return f"argument --out: cannot write to {settings.out!r}: {error}"
    return None


def _data(name: str, n: int, noise: float, seed: int) -> tuple[list[list[float]], list[Any], bool]:
    """``X``, the raw labels, and whether it is a classification set."""
    if name in REGRESSION_SETS:
        X, targets = datasets.regression_1d(n, noise, seed=seed)
        return X, list(targets), False
    makers: dict[str, Callable[..., tuple[list[list[float]], list[int]]]] = {
        "moons": datasets.moons,
        "circles": datasets.circles,
        "xor": datasets.xor,
        "spirals": datasets.spirals,
        "blobs": datasets.blobs,
    }
    kwargs = {"spread": noise} if name == "blobs" else {"noise": noise}
    X, labels = makers[name](n, seed=seed, **kwargs)
    return X, list(labels), True


def _targets(labels: list[Any], loss: str, classification: bool) -> list[Any]:
    """Labels in the form ``loss`` reads: ±1 for margins and squares, 0/1, or class indices."""
    if not classification or loss == "softmax_ce":
        return labels
    if loss == "bce":
        return [float(label) for label in labels]
    return datasets.signed(labels)


def _schedule(lr: float, lr_end: float | None, steps: int) -> float | Callable[[int], float]:
    """``lr``, or ``k ↦ lr - (lr - lr_end)·k/steps``: a linear fall over ``steps`` updates."""
    if lr_end is None:
        return lr
    drop = lr - lr_end
    return lambda k: lr - drop * k / steps


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def run(settings: Settings) -> int:
    """Train as ``settings`` say, report, save the weights and the plot; the exit status.

    A run whose final loss is more than ``WORSE_FACTOR`` times its first epoch's ends
    with a warning on standard error (it saved what it trained, as asked).
    ``EXIT_OK`` (0) after a run that ended normally, ``EXIT_DIVERGED`` (1) when the
    loss or a weight stopped being a finite number (nothing is saved: the message says
    so and hints a smaller learning rate), ``EXIT_INTERRUPTED`` (130) after Ctrl-C (what
    was trained is reported and saved).
    """
    s = settings
    X, labels, classification = _data(s.dataset, s.n, s.noise, s.seed)
    y = _targets(labels, s.loss, classification)
    model = MLP(len(X[0]), list(s.sizes), s.activation, init=s.init, seed=s.init_seed)
    updates = s.epochs * (1 if s.batch is None else -(-len(X) // s.batch))
    params = model.parameters()
    rate = _schedule(s.lr, s.lr_end, max(updates, 1))
    opt: Optimizer
    if s.optimizer == "adam":
        opt = Adam(params, lr=rate)
    else:
        opt = SGD(params, lr=rate, momentum=s.momentum)
    accuracy: Any = "auto"
    if classification and s.loss in ("mse", "mae", "half_squared_error"):
        accuracy = metrics.sign_accuracy
    if not classification:
        accuracy = None
    stopper = None
    if s.patience is not None or s.target_loss is not None:
        stopper = EarlyStopping(patience=s.patience, target=s.target_loss)
    sizes = list(s.sizes)
    print(f"model   {len(X[0])} -> {sizes}, {s.activation} hidden, {len(params)} parameters")
    print(f"data    {s.dataset}: {len(X)} examples, noise {s.noise}, seed {s.seed}")
    mode = (
        "full batch"
        if s.batch is None
        else ("stochastic" if s.batch == 1 else f"mini-batch {s.batch}")
    )
    print(
        f"train   {s.loss} loss + {s.l2:g}·L2, {s.optimizer} lr {s.lr:g}"
        + (f" -> {s.lr_end:g}" if s.lr_end is not None else "")
        + f", {mode}, {_plural(s.epochs, 'epoch')}"
        + (", graph replay" if s.replay else "")
    )
    started = time.perf_counter()
    history = fit(
        model,
        X,
        y,
        loss=s.loss,
        optimizer=opt,
        epochs=s.epochs,
        batch_size=s.batch,
        seed=s.seed,
        l2=s.l2,
        early_stopping=stopper,
        accuracy=accuracy,
        progress=s.progress,
        engine="replay" if s.replay else "rebuild",
    )
    seconds = time.perf_counter() - started
    print(f"stopped {history.stop_message}")
    if history.stop_reason == "diverged":
        print(
            f"result  none: training diverged, so no weights were saved; try a smaller --lr "
            f"(this run: {s.lr:g})"
        )
        return EXIT_DIVERGED
    final_loss, final_acc = evaluate(model, X, y, s.loss, accuracy)
    print(
        f"result  final data loss {final_loss:.6f}"
        + (f", training accuracy {final_acc:.1%}" if final_acc is not None else "")
    )
    if history.loss and final_loss > WORSE_FACTOR * history.loss[0]:
        print(
            f"warning the loss ended at {final_loss:.6g}, far above the first epoch's "
            f"{history.loss[0]:.6g}: this did not train; try a smaller --lr (this run: {s.lr:g})",
            file=sys.stderr,
        )
    print(
        f"time    {_plural(history.epochs, 'epoch')} in {seconds:.2f} s, "
        f"{1000 * seconds / max(history.epochs, 1):.1f} ms per epoch"
    )
    weights = os.path.join(s.out, f"{s.dataset}_weights.json")
    save(model, weights)
    print(f"weights {weights}")
    if s.plot and classification and len(X[0]) == 2 and sizes[-1] == 1:
        _plot(model, X, y, s, final_acc)
    return EXIT_INTERRUPTED if history.stop_reason == "interrupted" else EXIT_OK


def _plot(model: MLP, X: list[list[float]], y: list[Any], s: Settings, acc: float | None) -> None:
    """Draw the decision boundary, or say in one line why not and how to get it."""
    from .plot import plot_decision_boundary

    picture = os.path.join(s.out, f"{s.dataset}.png")
    title = f"MLP(2, {list(s.sizes)}) on {s.dataset}: accuracy {acc or 0.0:.0%}"
    try:
        plot_decision_boundary(model, X, y, picture, threshold=0.0, title=title)
    except ImportError:
        print(
            "plot    skipped: drawing needs matplotlib; from a clone of backprop-lab: "
            "pip install '.[train]'"
        )
    else:
        print(f"plot    {picture}")


def main(argv: Sequence[str] | None = None, prog: str = "python -m nn") -> int:
    """Parse ``argv`` (default: the command line), run the command, return the exit status.

    Bad arguments, including values only a run can refuse (a layer of 0 neurons, a
    regression set with a classification loss, an unwritable ``--out``), end with the
    sub-command's usage and a one-line ``error:`` message, exit status 2, before any
    training. A closed standard output (``| head -1``) ends quietly with status 141.
    """
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    command: argparse.ArgumentParser = args.command_parser
    settings = settings_from(args)
    problem = problem_with(settings)
    if problem is not None:
        command.error(problem)
    try:
        status = run(settings)
        sys.stdout.flush()  # a closed pipe shows here, not as a message at exit
    except BrokenPipeError:
        # Whoever read our output has gone (`| head -1`): say nothing more. Point stdout
        # at /dev/null so that Python's own flush at exit does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:  # outside fit (which ends cleanly by itself): nothing to keep
        print(f"{prog} {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ValueError, TypeError, OSError) as error:
        command.print_usage(sys.stderr)
        print(f"{prog} {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return status


def console_main() -> int:
    """The ``backprop-lab`` console script: :func:`main` under that program name."""
    return main(prog="backprop-lab")

"""Command line: ``python -m nn demo`` (the main demo) and ``python -m nn train --help``.

``demo`` trains micrograd's classic two-moons classifier -- ``MLP(2, [16, 16, 1])``,
100 points with noise 0.1, hinge loss plus 1e-4 L2, full-batch SGD with the learning
rate falling linearly from 1.0 to 0.1 over 100 steps -- then prints the final loss and
accuracy, saves the weights (JSON) and the decision-boundary picture (PNG).
``train`` runs the same pipeline with every choice open.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from . import datasets, metrics
from .module import MLP
from .optim import SGD, Adam, Optimizer
from .serialize import save
from .stopping import EarlyStopping
from .train import LOSSES, evaluate, fit

DATASETS = ("moons", "circles", "xor", "spirals", "blobs", "sine")


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m nn`` argument parser with its ``demo`` and ``train`` commands."""
    parser = argparse.ArgumentParser(
        prog="python -m nn",
        description="Train small neural networks with backprop-lab's scalar autodiff.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{demo,train}")
    demo = commands.add_parser(
        "demo",
        help="the main demo: MLP(2,[16,16,1]) on two moons, like micrograd's",
        description="Train MLP(2, [16, 16, 1]) on 100 two-moons points (micrograd's demo recipe).",
    )
    train = commands.add_parser(
        "train",
        help="train with your choice of data, model, loss and optimizer",
        description="Train an MLP on a generated data set and report loss and accuracy.",
    )
    for sub in (demo, train):
        sub.add_argument("--epochs", type=int, default=100, help="passes over the data (def. 100)")
        sub.add_argument("--seed", type=int, default=1, help="data and shuffling seed (default 1)")
        sub.add_argument("--init-seed", type=int, default=1337, help="weight seed (default 1337)")
        sub.add_argument("--out", default="out", help="folder for weights and plot (default out/)")
        sub.add_argument("--no-progress", action="store_true", help="no progress bar")
        sub.add_argument("--no-plot", action="store_true", help="skip the decision-boundary PNG")
        sub.add_argument("--replay", action="store_true", help="record the graph once, replay it")
    train.add_argument("--dataset", choices=DATASETS, default="moons", help="default moons")
    train.add_argument("--n", type=int, default=100, help="number of examples (default 100)")
    train.add_argument("--noise", type=float, default=0.1, help="data noise (default 0.1)")
    train.add_argument("--sizes", default="16,16,1", help="layer sizes after input (def. 16,16,1)")
    train.add_argument(
        "--activation",
        default="relu",
        choices=("relu", "tanh", "sigmoid", "linear"),
        help="hidden-layer activation (default relu; the output layer is linear)",
    )
    train.add_argument("--init", default="uniform", choices=("uniform", "xavier", "he"))
    train.add_argument("--loss", default="hinge", choices=tuple(LOSSES), help="default hinge")
    train.add_argument("--l2", type=float, default=1e-4, help="L2 strength (default 1e-4)")
    train.add_argument("--optimizer", default="sgd", choices=("sgd", "adam"), help="default sgd")
    train.add_argument("--lr", type=float, default=1.0, help="learning rate (default 1.0)")
    train.add_argument(
        "--lr-end",
        type=float,
        default=None,
        help="fall linearly to this rate over the run (default 0.1*lr for sgd, none for adam)",
    )
    train.add_argument("--momentum", type=float, default=0.0, help="SGD momentum (default 0)")
    train.add_argument(
        "--batch",
        default="full",
        help="'full' (batch descent), '1' (stochastic) or k (mini-batches of k); default full",
    )
    train.add_argument("--patience", type=int, default=None, help="early stopping patience")
    train.add_argument("--target-loss", type=float, default=None, help="stop at this loss")
    return parser


def _data(name: str, n: int, noise: float, seed: int) -> tuple[list[list[float]], list[Any], bool]:
    """``X``, the raw labels, and whether it is a classification set."""
    if name == "sine":
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
    if lr_end is None:
        return lr
    drop = lr - lr_end
    return lambda k: lr - drop * k / steps


def run(
    *,
    dataset: str,
    n: int,
    noise: float,
    seed: int,
    init_seed: int,
    sizes: Sequence[int],
    activation: str,
    init: str,
    loss: str,
    l2: float,
    optimizer: str,
    lr: float,
    lr_end: float | None,
    momentum: float,
    batch: int | None,
    epochs: int,
    out: str,
    progress: bool | None,
    plot: bool,
    replay: bool,
    stopper: EarlyStopping | None,
) -> int:
    """Train, report, save weights and plot; the exit status (0 on success)."""
    X, labels, classification = _data(dataset, n, noise, seed)
    y = _targets(labels, loss, classification)
    model = MLP(len(X[0]), list(sizes), activation, init=init, seed=init_seed)
    updates = epochs * (1 if batch is None else -(-len(X) // batch))
    params = model.parameters()
    opt: Optimizer
    if optimizer == "adam":
        opt = Adam(params, lr=_schedule(lr, lr_end, updates))
    else:
        opt = SGD(params, lr=_schedule(lr, lr_end, updates), momentum=momentum)
    accuracy: Any = "auto"
    if classification and loss in ("mse", "mae", "half_squared_error"):
        accuracy = metrics.sign_accuracy
    if not classification:
        accuracy = None
    print(f"model   {len(X[0])} -> {list(sizes)}, {activation} hidden, {len(params)} parameters")
    print(f"data    {dataset}: {len(X)} examples, noise {noise}, seed {seed}")
    mode = (
        "full batch" if batch is None else ("stochastic" if batch == 1 else f"mini-batch {batch}")
    )
    print(
        f"train   {loss} loss + {l2:g}·L2, {optimizer} lr {lr:g}"
        + (f" -> {lr_end:g}" if lr_end is not None else "")
        + f", {mode}, {epochs} epochs"
        + (", graph replay" if replay else "")
    )
    started = time.perf_counter()
    history = fit(
        model,
        X,
        y,
        loss=loss,
        optimizer=opt,
        epochs=epochs,
        batch_size=batch,
        seed=seed,
        l2=l2,
        early_stopping=stopper,
        accuracy=accuracy,
        progress=progress,
        replay=replay,
    )
    seconds = time.perf_counter() - started
    final_loss, final_acc = evaluate(model, X, y, loss, accuracy)
    print(f"stopped {history.stop_message}")
    print(
        f"result  final data loss {final_loss:.6f}"
        + (f", training accuracy {final_acc:.1%}" if final_acc is not None else "")
    )
    print(
        f"time    {history.epochs} epochs in {seconds:.2f} s, "
        f"{1000 * seconds / max(history.epochs, 1):.1f} ms per epoch"
    )
    weights = os.path.join(out, f"{dataset}_weights.json")
    save(model, weights)
    print(f"weights {weights}")
    if plot and classification and len(X[0]) == 2 and sizes[-1] == 1:
        try:
            from .plot import plot_decision_boundary
        except ImportError as error:  # pragma: no cover - matplotlib is in the train extra
            print(f"plot    skipped: {error}")
        else:
            picture = os.path.join(out, f"{dataset}.png")
            title = f"MLP(2, {list(sizes)}) on {dataset}: accuracy {final_acc:.0%}"
            plot_decision_boundary(model, X, y, picture, threshold=0.0, title=title)
            print(f"plot    {picture}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the command line), run the command, return the exit status.

    Bad values (a layer size of 0, too few examples, an unwritable ``--out``) end with a
    one-line ``error:`` message and exit status 2, as argparse does for bad syntax.
    """
    args = build_parser().parse_args(argv)
    if args.epochs < 0:
        build_parser().error(f"--epochs must be >= 0, got {args.epochs}")
    try:
        return _command(args)
    except (ValueError, TypeError, OSError) as error:
        print(f"python -m nn {args.command}: error: {error}", file=sys.stderr)
        return 2


def _command(args: argparse.Namespace) -> int:
    """Run the parsed ``demo`` or ``train`` command."""
    progress = False if args.no_progress else None
    common: dict[str, Any] = {
        "seed": args.seed,
        "init_seed": args.init_seed,
        "epochs": args.epochs,
        "out": args.out,
        "progress": progress,
        "plot": not args.no_plot,
        "replay": args.replay,
    }
    if args.command == "demo":
        return run(
            dataset="moons",
            n=100,
            noise=0.1,
            sizes=[16, 16, 1],
            activation="relu",
            init="uniform",
            loss="hinge",
            l2=1e-4,
            optimizer="sgd",
            lr=1.0,
            lr_end=0.1,
            momentum=0.0,
            batch=None,
            stopper=None,
            **common,
        )
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
        batch = None if args.batch == "full" else int(args.batch)
    except ValueError:
        build_parser().error("--sizes takes numbers like 16,16,1 and --batch 'full' or a number")
    if batch is not None and batch < 1:
        build_parser().error(f"--batch must be 'full' or a number >= 1, got {batch}")
    if not args.lr > 0:
        build_parser().error(f"--lr must be > 0, got {args.lr}")
    if args.lr_end is not None and not args.lr_end >= 0:
        build_parser().error(f"--lr-end must be >= 0, got {args.lr_end}")
    lr_end = args.lr_end
    if lr_end is None and args.optimizer == "sgd":
        lr_end = 0.1 * args.lr
    stopper = None
    if args.patience is not None or args.target_loss is not None:
        stopper = EarlyStopping(patience=args.patience, target=args.target_loss)
    return run(
        dataset=args.dataset,
        n=args.n,
        noise=args.noise,
        sizes=sizes,
        activation=args.activation,
        init=args.init,
        loss=args.loss,
        l2=args.l2,
        optimizer=args.optimizer,
        lr=args.lr,
        lr_end=lr_end,
        momentum=args.momentum,
        batch=batch,
        stopper=stopper,
        **common,
    )


if __name__ == "__main__":
    sys.exit(main())

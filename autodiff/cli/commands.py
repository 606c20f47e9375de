"""``python -m autodiff draw|explain|step EXPRESSION NAME=NUMBER ...``: the one argparse tree.

* ``draw`` builds the graph of the expression, runs ``backward()`` and writes it as a
  picture (``-o``), as DOT source (``--dot``) or as text (``--text``, the default when no
  ``-o`` is given; it needs neither Graphviz nor its Python package);
* ``explain`` prints :func:`~autodiff.explain` for each bound name (or those given with
  ``--wrt``): every path's product of local derivatives, and their sum;
* ``step`` prints the backward pass one node at a time and, with ``--html``, writes the
  self-contained HTML player.

All three read the expression with :mod:`autodiff.expression` (a whitelist walked
over the syntax tree, never ``eval``). Exit status: 0 done, 1 writing the output failed
(no Graphviz, a broken one), 2 bad input (an output path that cannot be written
included), with a one-line message.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from ..expression import FUNCTIONS, evaluate, normalize_name, parse_bindings
from ..graph import topological_order
from ..value import Value
from ..viz.names import number_formatter

PROG = "python -m autodiff"
_EXAMPLE = ' "tanh(a*b + c)" a=2 b=-3 c=10'


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser of ``python -m autodiff``, and its subcommands' parsers by name."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Build the graph of an expression, run backward() and show every node's "
        "data and grad and every edge's local derivative.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    draw = commands.add_parser(
        "draw",
        help="draw the graph of an expression",
        description="Draw the graph of EXPRESSION after backward(). Allowed: numbers, the "
        f"names you bind, + - * / **, unary -, and {', '.join(FUNCTIONS)}. "
        "Put '--' before an expression that starts with '-'.",
        epilog='example: python -m autodiff draw "tanh(a*b + c)" a=2 b=-3 c=10 -o graph.svg',
    )
    explain = commands.add_parser(
        "explain",
        help="every path's product of local derivatives, summed: ∂out/∂name",
        description="Print, for each name (or those given with --wrt), every path from it "
        "to the output, the product of the local derivatives along each, and their sum.",
        epilog=f"example: python -m autodiff explain{_EXAMPLE} --wrt a",
    )
    step = commands.add_parser(
        "step",
        help="backward one node at a time (text, or an HTML player with --html)",
        description="Print the backward pass one node at a time: which node's rule runs, "
        "what each input receives, its grad before and after; or, with --html, write it as "
        "a self-contained HTML player.",
        epilog=f"example: python -m autodiff step{_EXAMPLE} --html backward.html",
    )
    draw.add_argument("expression", help='e.g. "tanh(a*b + c)"')
    draw.add_argument("bindings", nargs="*", metavar="NAME=NUMBER", help="e.g. a=2 b=-3 c=10")
    draw.add_argument("-o", "--output", help="write the picture here (.svg, .png, .pdf, ...)")
    draw.add_argument(
        "--text",
        action="store_true",
        help="print the plain-text rendering (the default without -o or --dot)",
    )
    draw.add_argument("--dot", action="store_true", help="print the DOT source")
    draw.add_argument(
        "--formulas",
        action="store_true",
        help="label edges with each local derivative's formula too",
    )
    draw.add_argument(
        "--rankdir",
        choices=("auto", "LR", "TB"),
        default="auto",
        help="left to right, top to bottom, or auto (default: whichever keeps the text readable)",
    )
    draw.add_argument(
        "--dpi",
        type=float,
        help="resolution of a bitmap picture such as .png (default 96; 192 is twice as large)",
    )
    draw.add_argument(
        "--number-format", default=".4g", help="Python format for the numbers (default .4g)"
    )
    draw.add_argument(
        "--only-paths-to",
        metavar="NAME",
        help="draw only the paths from the variable NAME to the output",
    )
    draw.add_argument(
        "--shade-by-grad",
        action="store_true",
        help="picture: colour boxes by grad (red > 0, blue < 0, stronger if larger)",
    )
    draw.add_argument(
        "--table", action="store_true", help="text: one row per node instead of the indented tree"
    )
    for sub in (explain, step):
        sub.add_argument("expression", help='e.g. "tanh(a*b + c)"')
        sub.add_argument("bindings", nargs="*", metavar="NAME=NUMBER", help="e.g. a=2 b=-3")
        sub.add_argument(
            "--number-format",
            default=None,
            help="Python format for the numbers (default .6g; .4g in HTML)",
        )
    explain.add_argument(
        "--wrt",
        action="append",
        metavar="NAME",
        help="explain ∂out/∂NAME only (repeatable; default: every name)",
    )
    explain.add_argument(
        "--max-paths",
        type=int,
        default=200,
        help="list at most this many paths, else the accumulation view",
    )
    explain.add_argument("--markdown", action="store_true", help="Markdown with LaTeX")
    step.add_argument("--html", metavar="PATH", help="write the HTML player here instead")
    step.add_argument(
        "--fold",
        choices=("neuron", "layer"),
        help="in the HTML drawings, one box per neuron or layer",
    )
    return parser, {"draw": draw, "explain": explain, "step": step}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (``sys.argv[1:]`` by default); returns the exit status."""
    parser, subcommands = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in subcommands:
        parser.parse_args(argv)  # prints help or the error, and exits
        return 2
    command = argv[0]
    sub = subcommands[command]
    # intermixed, so options may sit anywhere: draw "a*b" --text a=2 b=3; but argparse's
    # intermixed mode mishandles "--" (needed for an expression starting with "-")
    rest = argv[1:]
    args = sub.parse_args(rest) if "--" in rest else sub.parse_intermixed_args(rest)
    for option, path in (
        ("-o", getattr(args, "output", None)),
        ("--html", getattr(args, "html", None)),
    ):
        problem = _unwritable(path) if path else None
        if problem:
            sub.exit(2, f"{PROG} {command}: error: {option}: cannot write {path!r}: {problem}\n")
    try:
        variables = parse_bindings(args.bindings)
        root = evaluate(args.expression, variables)
        if args.number_format is not None:
            number_formatter(args.number_format)
    except (ValueError, ArithmeticError) as error:
        sub.exit(2, f"{PROG} {command}: error: {error}\n")
    if root.label is None and "out" not in variables:
        root.label = "out"
    if command == "explain":
        return _explain(root, args, sub)
    if command == "step":
        return _step(root, args)
    root.backward()
    try:
        _draw(root, args, variables)
    except BrokenPipeError:
        raise  # the reader went away (| head): run() ends quietly, this is no error to report
    except (ImportError, RuntimeError, ValueError, OSError) as error:
        print(f"{PROG} draw: error: {error}", file=sys.stderr)
        return 1
    return 0


def _unwritable(path: str) -> str | None:
    """Why the file ``path`` cannot be written, in a few words, or ``None`` if it can."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        return "it is a folder"
    if not os.path.isdir(folder):
        return f"the folder {folder!r} does not exist"
    if os.path.exists(path) and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.path.exists(path) and not os.access(folder, os.W_OK):
        return f"the folder {folder!r} is not writable"
    return None


def _draw(root: Value, args: argparse.Namespace, variables: dict[str, float]) -> None:
    """Print the text and DOT source, or write the picture, as the options ask."""
    target = None
    if args.only_paths_to is not None:
        args.only_paths_to = normalize_name(args.only_paths_to)  # as the bindings are
        if args.only_paths_to not in variables:
            raise ValueError(f"--only-paths-to: {args.only_paths_to!r} is not a bound name")
        target = next(
            (n for n in topological_order(root) if n.label == args.only_paths_to and not n.parents),
            None,
        )
        if target is None:
            raise ValueError(f"--only-paths-to: the output does not use {args.only_paths_to!r}")
    options: dict[str, Any] = {
        "formulas": args.formulas,
        "number_format": args.number_format,
        "only_paths_to": target,
    }
    if args.text or args.table or not (args.output or args.dot):
        from ..viz.text import to_text

        print(to_text(root, style="table" if args.table else "tree", **options))
    if args.dot or args.output:
        from ..viz.draw import draw_dot, render

        digraph = draw_dot(root, rankdir=args.rankdir, shade_by_grad=args.shade_by_grad, **options)
        if args.dot:
            print(digraph.source)
        if args.output:
            print(f"wrote {render(digraph, args.output, dpi=args.dpi)}", file=sys.stderr)


def _explain(root: Value, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from ..viz.explain import explain

    leaves = {n.label: n for n in topological_order(root) if not n.parents and n.label}
    wanted = [normalize_name(name) for name in args.wrt] if args.wrt else list(leaves)
    unknown = [name for name in wanted if name not in leaves]
    if unknown:
        parser.exit(
            2,
            f"{PROG} explain: error: --wrt {unknown[0]!r} is not a "
            f"name in the expression (names: {', '.join(leaves) or 'none'})\n",
        )
    texts = []
    for name in wanted:
        e = explain(
            root, leaves[name], max_paths=args.max_paths, number_format=args.number_format or ".6g"
        )
        texts.append(e.to_markdown() if args.markdown else str(e))
    print(("\n\n" + "-" * 72 + "\n\n").join(texts))
    return 0


def _step(root: Value, args: argparse.Namespace) -> int:
    if not args.html:
        from ..viz.stepper import format_steps

        print(format_steps(root, number_format=args.number_format or ".6g"))
        return 0
    from ..viz.player import export_html

    try:
        path = export_html(
            root, args.html, fold=args.fold, number_format=args.number_format or ".4g"
        )
    except (ImportError, RuntimeError, ValueError, OSError) as error:
        print(f"{PROG} step: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}", file=sys.stderr)
    return 0


def run() -> int:
    """``main()``; a reader that stops early (``| head``) or Ctrl-C ends it without a traceback."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # what is left to print has nowhere to go: send it to /dev/null so the exit flush
        # does not raise again (the recipe of Python's signal documentation)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        # Ctrl-C, often while Graphviz lays out a big graph: one line, the shell's status
        print("interrupted (Ctrl-C): nothing more was written", file=sys.stderr)
        return 130
    return status

"""``python -m autodiff explain|step EXPR NAME=NUMBER ...``: the chain rule from the command line.

``explain`` prints :func:`~autodiff.explain.explain` for each bound name (or the ones
given with ``--wrt``); ``step`` prints the backward pass one node at a time and, with
``--html``, writes the self-contained HTML player. Expressions are read by the ``draw``
command's parser (``autodiff.__main__.evaluate``: a whitelist walked over the syntax
tree, never ``eval``), so the same expressions work in all three commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .explain import explain
from .explain_format import number_formatter
from .graph import topological_order
from .html_export import export_html
from .stepper import format_steps
from .value import Value

COMMANDS = ("explain", "step")


def add_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> dict[str, argparse.ArgumentParser]:
    """Register ``explain`` and ``step`` under the main parser's subcommands."""
    example = ' "tanh(a*b + c)" a=2 b=-3 c=10'
    explain = commands.add_parser(
        "explain",
        help="every path's product of local derivatives, summed: ∂out/∂name",
        description="Print, for each name (or those given with --wrt), every path from it "
        "to the output, the product of the local derivatives along each, and their sum.",
        epilog=f"example: python -m autodiff explain{example} --wrt a",
    )
    step = commands.add_parser(
        "step",
        help="backward one node at a time (text, or an HTML player with --html)",
        description="Print the backward pass one node at a time: which node's rule runs, "
        "what each input receives, its grad before and after; or, with --html, write it as "
        "a self-contained HTML player.",
        epilog=f"example: python -m autodiff step{example} --html backward.html",
    )
    for sub in (explain, step):
        sub.add_argument("expression", help='e.g. "tanh(a*b + c)"')
        sub.add_argument("bindings", nargs="*", metavar="NAME=NUMBER", help="e.g. a=2 b=-3")
        sub.add_argument("--number-format", default=None,
                         help="Python format for the numbers (default .6g; .4g in HTML)")
    explain.add_argument("--wrt", action="append", metavar="NAME",
                         help="explain ∂out/∂NAME only (repeatable; default: every name)")
    explain.add_argument("--max-paths", type=int, default=200,
                         help="list at most this many paths, else the accumulation view")
    explain.add_argument("--markdown", action="store_true", help="Markdown with LaTeX")
    step.add_argument("--html", metavar="PATH", help="write the HTML player here instead")
    step.add_argument("--fold", choices=("neuron", "layer"),
                      help="in the HTML drawings, one box per neuron or layer")
    return {"explain": explain, "step": step}


def main(argv: Sequence[str]) -> int:
    """``argv`` starts with ``explain`` or ``step``; parse the rest and run it.

    Returns the exit status: 0 done, 1 writing the HTML failed, 2 bad input.
    """
    from .__main__ import evaluate, parse_bindings

    parser = argparse.ArgumentParser(prog="python -m autodiff")
    sub = add_parsers(parser.add_subparsers(dest="command", required=True))[argv[0]]
    rest = list(argv[1:])
    # intermixed, so options may sit anywhere, except with "--" (see __main__.main)
    args = sub.parse_args(rest) if "--" in rest else sub.parse_intermixed_args(rest)
    try:
        variables = parse_bindings(args.bindings)
        root = evaluate(args.expression, variables)
        if args.number_format is not None:
            number_formatter(args.number_format)
    except (ValueError, ArithmeticError) as error:
        sub.exit(2, f"python -m autodiff {argv[0]}: error: {error}\n")
    if root.label is None and "out" not in variables:
        root.label = "out"
    if argv[0] == "explain":
        return _explain(root, args, sub)
    return _step(root, args)


def _explain(root: Value, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    leaves = {n.label: n for n in topological_order(root) if not n._parents and n.label}
    wanted = args.wrt or list(leaves)
    unknown = [name for name in wanted if name not in leaves]
    if unknown:
        parser.exit(2, f"python -m autodiff explain: error: --wrt {unknown[0]!r} is not a "
                       f"name in the expression (names: {', '.join(leaves) or 'none'})\n")
    texts = []
    for name in wanted:
        e = explain(root, leaves[name], max_paths=args.max_paths,
                    number_format=args.number_format or ".6g")
        texts.append(e.to_markdown() if args.markdown else str(e))
    print(("\n\n" + "-" * 72 + "\n\n").join(texts))
    return 0


def _step(root: Value, args: argparse.Namespace) -> int:
    if not args.html:
        print(format_steps(root, number_format=args.number_format or ".6g"))
        return 0
    try:
        path = export_html(root, args.html, fold=args.fold,
                           number_format=args.number_format or ".4g")
    except (ImportError, RuntimeError, ValueError, OSError) as error:
        print(f"python -m autodiff step: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}", file=sys.stderr)
    return 0

"""``python -m autodiff draw "tanh(a*b + c)" a=2 b=-3 c=10 -o graph.svg``: draw an expression.

The commands ``explain`` and ``step`` (the chain-rule explainer and the backward stepper)
live in ``cli_steps.py`` and share this module's expression parser.

The expression is parsed with ``ast`` and evaluated by walking the syntax tree against a
whitelist (numbers, the names bound on the command line, ``+ - * / **``, unary ``-``, and
calls to the functions in ``FUNCTIONS``), never with ``eval``: anything else is refused
with a message naming it. The result is differentiated with ``backward()`` and written as
a picture (``-o``), as DOT source (``--dot``) or as text (``--text``, the default when no
``-o`` is given; it needs neither Graphviz nor its Python package).
"""

from __future__ import annotations

import argparse
import ast
import keyword
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import cli_steps
from .graph import topological_order
from .value import Value

FUNCTIONS: dict[str, Callable[[Value], Value]] = {
    "exp": Value.exp,
    "log": Value.log,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "relu": Value.relu,
    "abs": Value.abs,
    "sqrt": Value.sqrt,
}

_BINARY: dict[type[ast.operator], Callable[[Value | float, Value | float], Value | float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


class ExpressionError(ValueError):
    """The expression does not parse, leaves the whitelist, or uses an unbound name."""


def evaluate(expression: str, variables: dict[str, float]) -> Value:
    """The graph of ``expression`` with each name in ``variables`` as a labelled leaf.

    Number literals are constants: operations between numbers alone are done in plain
    floats (``2*3`` is one constant ``6``), and a number exponent stays a constant power
    (``a**2`` is the op ``**2``, whose base may be negative). An expression without any
    variable gives a single leaf.
    """
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        where = f" at column {error.offset}" if error.offset else ""
        raise ExpressionError(f"cannot parse {expression!r}{where}: {error.msg}") from None
    leaves = {name: Value(number, label=name) for name, number in variables.items()}
    result = _evaluate(tree.body, leaves)
    return result if isinstance(result, Value) else Value(result)


def _evaluate(root: ast.expr, leaves: dict[str, Value]) -> Value | float:
    """Post-order evaluation with an explicit stack, so deeply nested input cannot recurse."""
    results: dict[ast.expr, Value | float] = {}
    stack: list[tuple[ast.expr, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        operands = _operands(node, leaves)
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(operands))
            continue
        args = [results.pop(child) for child in operands]
        results[node] = _apply(node, args, leaves)
    return results[root]


def _operands(node: ast.expr, leaves: dict[str, Value]) -> list[ast.expr]:
    """The sub-expressions of an allowed node; a clear refusal for anything else."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return [node.operand]
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            shown = name or ast.unparse(node.func)
            raise ExpressionError(
                f"unknown function {shown!r}; the functions are {', '.join(FUNCTIONS)}"
            )
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(f"{name}() takes exactly one argument: {ast.unparse(node)!r}")
        return [node.args[0]]
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"only real numbers are allowed, not {node.value!r}")
        return []
    if isinstance(node, ast.Name):
        if node.id not in leaves:
            hint = f"; bind it on the command line, e.g. {node.id}=1.5"
            if node.id in FUNCTIONS:
                hint = f"; {node.id} is a function: call it, e.g. {node.id}(x)"
            raise ExpressionError(f"unknown name {node.id!r}{hint}")
        return []
    raise ExpressionError(
        f"{ast.unparse(node)!r} is not allowed: use numbers, bound names, + - * / **, "
        f"unary -, and the functions {', '.join(FUNCTIONS)}"
    )


def _apply(node: ast.expr, args: list[Value | float], leaves: dict[str, Value]) -> Value | float:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, (int, float))  # checked in _operands
        return float(node.value)
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        return -args[0] if isinstance(node.op, ast.USub) else args[0]
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)  # checked in _operands
        (arg,) = args
        return FUNCTIONS[node.func.id](arg if isinstance(arg, Value) else Value(arg))
    assert isinstance(node, ast.BinOp)
    try:
        result = _BINARY[type(node.op)](*args)
    except ZeroDivisionError as error:
        raise ZeroDivisionError(f"{ast.unparse(node)!r}: {error}") from None
    if isinstance(result, complex) or (isinstance(result, float) and math.isnan(result)):
        raise ExpressionError(f"{ast.unparse(node)!r} is not a real number")
    return result


def parse_bindings(items: Sequence[str]) -> dict[str, float]:
    """``["a=2", "b=-3"]`` -> ``{"a": 2.0, "b": -3.0}``, refusing bad names, numbers and repeats."""
    variables: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or keyword.iskeyword(name):
            raise ExpressionError(f"expected NAME=NUMBER, got {item!r}")
        if name in FUNCTIONS:
            raise ExpressionError(f"{name!r} is a function name; pick another variable name")
        if name in variables:
            raise ExpressionError(f"{name!r} is bound twice")
        try:
            number = float(text)
        except ValueError:
            raise ExpressionError(f"{name}: {text!r} is not a number") from None
        if math.isnan(number):
            raise ExpressionError(f"{name}: NaN is not allowed")
        variables[name] = number
    return variables


def _parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(
        prog="python -m autodiff",
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
    cli_steps.add_parsers(commands)  # explain and step, from the chain-rule tools
    draw.add_argument("expression", help='e.g. "tanh(a*b + c)"')
    draw.add_argument("bindings", nargs="*", metavar="NAME=NUMBER", help="e.g. a=2 b=-3 c=10")
    draw.add_argument("-o", "--output", help="write the picture here (.svg, .png, .pdf, ...)")
    draw.add_argument("--text", action="store_true",
                      help="print the plain-text rendering (the default without -o or --dot)")
    draw.add_argument("--dot", action="store_true", help="print the DOT source")
    draw.add_argument("--formulas", action="store_true",
                      help="label edges with each local derivative's formula too")
    draw.add_argument("--rankdir", choices=("LR", "TB"), default="LR",
                      help="left to right (default) or top to bottom")
    draw.add_argument("--number-format", default=".4g",
                      help="Python format for the numbers (default .4g)")
    draw.add_argument("--only-paths-to", metavar="NAME",
                      help="draw only the paths from the variable NAME to the output")
    draw.add_argument("--shade-by-grad", action="store_true",
                      help="picture: colour boxes by grad (red > 0, blue < 0, stronger if larger)")
    draw.add_argument("--table", action="store_true",
                      help="text: one row per node instead of the indented tree")
    return parser, draw


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 rendering failed, 2 bad input)."""
    parser, draw = _parsers()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in cli_steps.COMMANDS:
        return cli_steps.main(argv)
    if not argv or argv[0] != "draw":
        parser.parse_args(argv)  # prints help or the error, and exits
        return 2
    # intermixed, so options may sit anywhere: draw "a*b" --text a=2 b=3; but argparse's
    # intermixed mode mishandles "--" (needed for an expression starting with "-")
    args = (draw.parse_args if "--" in argv else draw.parse_intermixed_args)(argv[1:])
    try:
        variables = parse_bindings(args.bindings)
        root = evaluate(args.expression, variables)
    except (ValueError, ArithmeticError) as error:
        draw.exit(2, f"python -m autodiff draw: error: {error}\n")
    if root.label is None and "out" not in variables:
        root.label = "out"
    root.backward()
    try:
        _show(root, args, variables)
    except (ImportError, RuntimeError, ValueError, OSError) as error:
        print(f"python -m autodiff draw: error: {error}", file=sys.stderr)
        return 1
    return 0


def _show(root: Value, args: argparse.Namespace, variables: dict[str, float]) -> None:
    """Print the text and DOT source, or write the picture, as the options ask."""
    target = None
    if args.only_paths_to is not None:
        if args.only_paths_to not in variables:
            raise ValueError(f"--only-paths-to: {args.only_paths_to!r} is not a bound name")
        target = next((n for n in topological_order(root)
                       if n.label == args.only_paths_to and not n._parents), None)
        if target is None:
            raise ValueError(f"--only-paths-to: the output does not use {args.only_paths_to!r}")
    options: dict[str, Any] = {"formulas": args.formulas, "number_format": args.number_format,
                               "only_paths_to": target}
    if args.text or args.table or not (args.output or args.dot):
        from .text import to_text

        print(to_text(root, style="table" if args.table else "tree", **options))
    if args.dot or args.output:
        from .draw import draw_dot, render

        digraph = draw_dot(root, rankdir=args.rankdir, shade_by_grad=args.shade_by_grad,
                           **options)
        if args.dot:
            print(digraph.source)
        if args.output:
            print(f"wrote {render(digraph, args.output)}", file=sys.stderr)


def _run_closing_quietly() -> int:
    """``main()``, but a reader that stops early (``| head``) ends it without a traceback."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # what is left to print has nowhere to go: send it to /dev/null so the exit flush
        # does not raise again (the recipe of Python's signal documentation)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(_run_closing_quietly())

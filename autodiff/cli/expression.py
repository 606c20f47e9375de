"""The expression language of ``python -m autodiff``: a safe subset of Python arithmetic.

``evaluate("tanh(a*b + c)", {"a": 2, "b": -3, "c": 10})`` builds the graph of the
expression with one labelled leaf per bound name. The text is parsed with ``ast`` and
evaluated by walking the syntax tree against a whitelist (numbers, the bound names,
``+ - * / **``, unary ``-`` and ``+``, and calls to the functions in ``FUNCTIONS``), never
with ``eval``: anything else is refused with an ``ExpressionError`` naming it.
"""

from __future__ import annotations

import ast
import keyword
import math
from collections.abc import Callable, Sequence

from ..value import Value

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

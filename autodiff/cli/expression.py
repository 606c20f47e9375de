"""The expression language of ``python -m autodiff``: a safe subset of Python arithmetic.

``evaluate("tanh(a*b + c)", {"a": 2, "b": -3, "c": 10})`` builds the graph of the
expression with one labelled leaf per bound name. The text is parsed with ``ast`` and
evaluated by walking the syntax tree against a whitelist (numbers, the bound names,
``+ - * / **``, unary ``-`` and ``+``, and calls to the functions in ``FUNCTIONS``), never
with ``eval``: anything else is refused with an ``ExpressionError`` naming it.

The input is bounded *before* it is parsed, because Python's own parser recurses: a
5,000-term sum or 3,000 nested minus signs end in a ``RecursionError`` or a
``MemoryError`` inside ``ast.parse``. A cheap scan counts the characters, the operators
and the bracket depth, which bound the size and the depth of the syntax tree; the limits
are far above what a graph readable on screen needs. Names are NFKC-normalised, as
Python normalises identifiers, so ``ℌ=3`` binds the ``H`` that ``ℌ*2`` is parsed into.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import unicodedata
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

MAX_CHARACTERS = 2_000
MAX_OPERATORS = 200  # + - * / ** and signs: the syntax tree has at most one node per operator
MAX_NESTING = 50  # brackets inside brackets (a call's brackets count)

_BINARY: dict[
    type[ast.operator], tuple[str, Callable[[Value | float, Value | float], Value | float]]
] = {
    ast.Add: ("+", lambda a, b: a + b),
    ast.Sub: ("-", lambda a, b: a - b),
    ast.Mult: ("*", lambda a, b: a * b),
    ast.Div: ("/", lambda a, b: a / b),
    ast.Pow: ("**", lambda a, b: a**b),
}
_OPERATOR = re.compile(r"\*\*|[-+*/]")


class ExpressionError(ValueError):
    """The expression is too big, does not parse, leaves the whitelist, uses an unbound name
    or overflows; the message is one line naming what was wrong."""


def normalize_name(name: str) -> str:
    """``name`` as Python reads an identifier: NFKC-normalised (``ℌ`` is ``H``, ``ﬁ`` is ``fi``)."""
    return unicodedata.normalize("NFKC", name.strip())


def check_size(expression: str) -> None:
    """Refuse an expression too long, with too many operators or nested too deeply to parse safely.

    Linear in the text and recursion-free. The operator count over-counts (the ``-`` of
    ``1e-5`` counts), which only errs on the safe side.
    """
    if len(expression) > MAX_CHARACTERS:
        raise ExpressionError(
            f"the expression is {len(expression):,} characters long; at most "
            f"{MAX_CHARACTERS:,} are allowed (build bigger graphs in Python)"
        )
    operators = len(_OPERATOR.findall(expression))
    if operators > MAX_OPERATORS:
        raise ExpressionError(
            f"the expression has {operators:,} operators (+ - * / ** and signs); at most "
            f"{MAX_OPERATORS:,} are allowed (build bigger graphs in Python)"
        )
    depth = deepest = 0
    for char in expression:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    if deepest > MAX_NESTING:
        raise ExpressionError(
            f"the expression nests brackets {deepest:,} deep; at most {MAX_NESTING} levels "
            "are allowed"
        )


def parse(expression: str) -> ast.expr:
    """The syntax tree of ``expression``, after :func:`check_size`; an ``ExpressionError``
    with the column for text that does not parse."""
    check_size(expression)
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        where = f" at column {error.offset}" if error.offset else ""
        raise ExpressionError(f"cannot parse {expression!r}{where}: {error.msg}") from None
    return tree.body


def evaluate(expression: str, variables: dict[str, float]) -> Value:
    """The graph of ``expression`` with each name in ``variables`` as a labelled leaf.

    Number literals are constants: operations between numbers alone are done in plain
    floats (``2*3`` is one constant ``6``), and a number exponent stays a constant power
    (``a**2`` is the op ``**2``, whose base may be negative). An expression without any
    variable gives a single leaf. A result too large for a float (``9**9**9``,
    ``exp(1000)``) is an ``ExpressionError`` naming the operation.
    """
    root = parse(expression)
    leaves = {
        normalize_name(name): Value(number, label=normalize_name(name))
        for name, number in variables.items()
    }
    result = _evaluate(root, leaves)
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
        try:
            return float(node.value)
        except OverflowError:
            digits = len(str(abs(node.value)))
            raise ExpressionError(
                f"the number {str(node.value)[:12]}... ({digits} digits) is too large for a float"
            ) from None
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        return -args[0] if isinstance(node.op, ast.USub) else args[0]
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)  # checked in _operands
        (arg,) = args
        try:
            return FUNCTIONS[node.func.id](arg if isinstance(arg, Value) else Value(arg))
        except OverflowError as error:
            raise _overflow(node, node.func.id, error) from None
    assert isinstance(node, ast.BinOp)
    symbol, operation = _BINARY[type(node.op)]
    try:
        result = operation(*args)
    except ZeroDivisionError as error:
        raise ZeroDivisionError(f"{ast.unparse(node)!r}: {error}") from None
    except OverflowError as error:
        raise _overflow(node, symbol, error) from None
    if isinstance(result, complex) or (isinstance(result, float) and math.isnan(result)):
        raise ExpressionError(f"{ast.unparse(node)!r} is not a real number")
    return result


def _overflow(node: ast.expr, op: str, error: OverflowError) -> ExpressionError:
    """One line naming the op whose result is too large: not ``(34, 'Numerical result ...')``."""
    reason = error.args[1] if len(error.args) == 2 else str(error)  # errno tuples: the words
    return ExpressionError(
        f"{ast.unparse(node)!r}: the result of {op} is too large for a float ({reason})"
    )


def parse_bindings(items: Sequence[str]) -> dict[str, float]:
    """``["a=2", "b=-3"]`` -> ``{"a": 2.0, "b": -3.0}``, refusing bad names, numbers and repeats.

    Names are NFKC-normalised like the expression's (``ℌ=3`` binds ``H``), so two
    spellings of one name are one name bound twice.
    """
    variables: dict[str, float] = {}
    for item in items:
        raw, sep, text = item.partition("=")
        name = normalize_name(raw)
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

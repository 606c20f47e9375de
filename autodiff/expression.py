"""The safe expression language: a subset of Python arithmetic, read as data, never run.

Two tools read it and neither owns it: the command line ``python -m autodiff
draw|explain|step`` and the browser's expression lab (``web/playground.py``), so both
accept and refuse the same text with the same one-line messages. It is not part of the
engine's reading order: it only calls ``Value``'s public operations.

``evaluate("tanh(a*b + c)", {"a": 2, "b": -3, "c": 10})`` builds the graph of the
expression with one labelled leaf per bound name. The text is parsed with ``ast`` and
evaluated by walking the syntax tree against a whitelist (numbers, the bound names,
``+ - * / **``, unary ``-`` and ``+``, and calls to the functions in ``FUNCTIONS``), never
with ``eval``: anything else is refused with an ``ExpressionError`` naming it.

The input is checked *before* it is parsed, because Python's own parser, the syntax
tree it builds and everything that walks that tree recurse: a 5,000-term sum, 1,000
nested minus signs, 999 attribute dots (``a.b.b...``) or 1,999 ``~`` end in a
``RecursionError`` in CPython and crash the WebAssembly Python of the browser lab. A
linear, recursion-free scan (:func:`check_size`) splits the text into the tokens the
language has (numbers, names, ``+ - * / **``, brackets and commas) and refuses any other
character, too many characters or operators, brackets nested too deep, and a call of a
call's result; together these bound the size and the depth of the syntax tree. The
limits are far above what a graph readable on screen needs. Names are NFKC-normalised,
as Python normalises identifiers, so ``ℌ=3`` binds the ``H`` that ``ℌ*2`` is parsed into.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence

from .value import Constant, Value

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
# One token of the language, tried in this order at each position (whitespace skipped).
# A number is Python's literal (digits, "_", one ".", an exponent, a "j" that the
# evaluation refuses later); a name is a Python identifier (letters of any script).
_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<number>(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?[jJ]?)"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<operator>\*\*|[-+*/])"
    r"|(?P<open>\()|(?P<close>\))|(?P<comma>,)"
    r")"
)
# keywords the parser reads as values, refused with a clear word by the evaluation
_VALUE_KEYWORDS = frozenset({"True", "False", "None"})


class ExpressionError(ValueError):
    """The expression is too big, does not parse, leaves the whitelist, uses an unbound name
    or overflows; the message is one line naming what was wrong."""


def normalize_name(name: str) -> str:
    """``name`` as Python reads an identifier: NFKC-normalised (``ℌ`` is ``H``, ``ﬁ`` is ``fi``)."""
    return unicodedata.normalize("NFKC", name.strip())


def check_size(expression: str) -> None:
    """Refuse, before anything parses it, an expression Python's parser could choke on.

    One left-to-right pass over the text, with no recursion: at most ``MAX_CHARACTERS``
    characters; only the language's tokens (numbers, names, ``+ - * / **``, brackets,
    commas), so no ``.`` outside a number, no ``~``, ``[``, ``<``, quotes or keywords
    such as ``not`` and ``lambda``; at most ``MAX_OPERATORS`` operators and
    ``MAX_NESTING`` levels of brackets; and a ``(`` only where a call or a group can
    start (not right after ``)`` or a number: only a function's name can be called).
    Every node of the syntax tree then comes from an operator, a bracket or a leaf, so
    its depth is below ``MAX_OPERATORS + 2 * MAX_NESTING + 1``.
    """
    if len(expression) > MAX_CHARACTERS:
        raise ExpressionError(
            f"the expression is {len(expression):,} characters long; at most "
            f"{MAX_CHARACTERS:,} are allowed (build bigger graphs in Python)"
        )
    operators = depth = deepest = 0
    previous = ""  # the kind of the token before, "" at the start
    position = 0
    end = len(expression.rstrip())
    while position < end:
        match = _TOKEN.match(expression, position)
        kind = match.lastgroup if match is not None else None
        if match is None or kind is None:
            column = position + len(expression[position:]) - len(expression[position:].lstrip())
            raise _refuse_character(expression, column)
        text = match.group(kind)
        if kind == "name" and keyword.iskeyword(text) and text not in _VALUE_KEYWORDS:
            raise ExpressionError(
                f"{text!r} is not allowed: use numbers, bound names, + - * / **, unary -, "
                f"and the functions {', '.join(FUNCTIONS)}"
            )
        if kind == "operator":
            operators += 1
        elif kind == "open":
            if previous in ("close", "number"):
                called = expression[:position].strip()[-20:]
                raise ExpressionError(
                    f"unknown function: {called!r} cannot be called, only a function's name "
                    f"can; the functions are {', '.join(FUNCTIONS)}"
                )
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
        previous = kind
        position = match.end()
    if operators > MAX_OPERATORS:
        raise ExpressionError(
            f"the expression has {operators:,} operators (+ - * / ** and signs); at most "
            f"{MAX_OPERATORS:,} are allowed (build bigger graphs in Python)"
        )
    if deepest > MAX_NESTING:
        raise ExpressionError(
            f"the expression nests brackets {deepest:,} deep; at most {MAX_NESTING} levels "
            "are allowed"
        )


def _refuse_character(expression: str, column: int) -> ExpressionError:
    """The one-line refusal of the character at ``column`` (0-based), which starts no token."""
    char = expression[column]
    shown = f"{char!r} (U+{ord(char):04X})" if not char.isprintable() else repr(char)
    if char in "'\"":
        return ExpressionError(
            f"only real numbers are allowed, not text in quotes (column {column + 1})"
        )
    return ExpressionError(
        f"{shown} at column {column + 1} is not allowed: use numbers, bound names, "
        f"+ - * / **, unary -, brackets, and the functions {', '.join(FUNCTIONS)}"
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


def evaluate(
    expression: str, variables: dict[str, float], constants: Collection[str] = ()
) -> Value:
    """The graph of ``expression`` with each name in ``variables`` as a labelled leaf.

    A name in ``constants`` is a labelled ``Constant`` leaf instead: its number takes
    part in the forward pass but it holds no gradient (a target ``d`` in ``(y - d)**2``).

    Number literals are constants: operations between numbers alone are done in plain
    floats (``2*3`` is one constant ``6``), and a number exponent stays a constant power
    (``a**2`` is the op ``**2``, whose base may be negative). An expression without any
    variable gives a single leaf. A result too large for a float (``9**9**9``,
    ``exp(1000)``) is an ``ExpressionError`` naming the operation.
    """
    root = parse(expression)
    fixed = {normalize_name(name) for name in constants}
    leaves = {
        normalize_name(name): (Constant if normalize_name(name) in fixed else Value)(
            number, label=normalize_name(name)
        )
        for name, number in variables.items()
    }
    result = _evaluate(root, leaves, expression.strip())
    return result if isinstance(result, Value) else Value(result)


def _evaluate(root: ast.expr, leaves: dict[str, Value], source: str) -> Value | float:
    """Post-order evaluation with an explicit stack, so deeply nested input cannot recurse."""
    results: dict[ast.expr, Value | float] = {}
    stack: list[tuple[ast.expr, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        operands = _operands(node, leaves, source)
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(operands))
            continue
        args = [results.pop(child) for child in operands]
        results[node] = _apply(node, args, leaves, source)
    return results[root]


def _operands(node: ast.expr, leaves: dict[str, Value], source: str) -> list[ast.expr]:
    """The sub-expressions of an allowed node; a clear refusal for anything else."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return [node.operand]
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            shown = name or _shown(node.func, source)
            raise ExpressionError(
                f"unknown function {shown!r}; the functions are {', '.join(FUNCTIONS)}"
            )
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(f"{name}() takes exactly one argument: {_shown(node, source)!r}")
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
        f"{_shown(node, source)!r} is not allowed: use numbers, bound names, + - * / **, "
        f"unary -, and the functions {', '.join(FUNCTIONS)}"
    )


def _apply(
    node: ast.expr, args: list[Value | float], leaves: dict[str, Value], source: str
) -> Value | float:
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
            raise _overflow(_shown(node, source), node.func.id, error) from None
    assert isinstance(node, ast.BinOp)
    symbol, operation = _BINARY[type(node.op)]
    try:
        result = operation(*args)
    except ZeroDivisionError as error:
        raise ZeroDivisionError(f"{_shown(node, source)!r}: {error}") from None
    except OverflowError as error:
        raise _overflow(_shown(node, source), symbol, error) from None
    if isinstance(result, complex) or (isinstance(result, float) and math.isnan(result)):
        raise ExpressionError(f"{_shown(node, source)!r} is not a real number")
    return result


def _shown(node: ast.expr, source: str, limit: int = 60) -> str:
    """The text of ``node`` as written, cut to ``limit`` characters for a one-line message.

    Taken from the source by position, not rebuilt with ``ast.unparse``, which recurses
    once per level of the tree.
    """
    text = " ".join((ast.get_source_segment(source, node) or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _overflow(shown: str, op: str, error: OverflowError) -> ExpressionError:
    """One line naming the op whose result is too large: not ``(34, 'Numerical result ...')``."""
    reason = error.args[1] if len(error.args) == 2 else str(error)  # errno tuples: the words
    return ExpressionError(f"{shown!r}: the result of {op} is too large for a float ({reason})")


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

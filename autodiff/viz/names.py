"""Names and numbers as every tool writes them: node names, definitions, LaTeX, number formats.

The drawings, the text rendering, the explainer, the stepper and the HTML player talk
about nodes by the same names and print numbers the same way, because they all ask this
module:

* a node's name is its ``label``; a constant leaf's name is its number (``2``); any other
  node is ``v1``, ``v2``, ... numbered in topological order, so the same graph always gets
  the same names. A label that more than one node carries gets ``#2``, ``#3`` ... appended
  from its second node on, so text never mixes up two labelled nodes; equal constants
  keep the same name (they read the same, and their grads are never needed);
* on a network's graph (one ``nn`` made: some label reads ``L{l}.N{j}.z``, ``.out``,
  ``.w{i}`` or ``.b``) the explainer, the stepper and the drawings use the lecture's names
  instead (``lecture_names``; the names and their table are in ``labels.py``); plain
  expressions keep the names above;
* a number is written with a Python format spec (``".4g"``), ``-0`` as ``0``; drawings
  write negative numbers with the real minus sign ``−``, text keeps ``-`` so it can be
  copied back into Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..graph import topological_order
from .labels import is_network_label, lecture_latex, lecture_name

if TYPE_CHECKING:
    from ..value import Value

MINUS = "\N{MINUS SIGN}"  # the minus of drawings and of the HTML player
MAX_PRECISION = 17  # 17 significant digits tell any two floats apart; more is only noise
MAX_WIDTH = 40  # a wider field is padding, not a number

# Python's format-spec mini-language for floats:
# [[fill]align][sign][z][#][0][width][grouping][.precision][type]
_SPEC = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d+)?[,_]?(?:\.(?P<precision>\d+))?[eEfFgGn%]?",
    re.DOTALL,
)


def node_names(root: Value, order: list[Value] | None = None) -> dict[Value, str]:
    """A unique, deterministic name for every node ``root`` depends on (``root`` included).

    ``order`` is ``topological_order(root)`` when the caller already has it.
    """
    if order is None:
        order = topological_order(root)
    base = _base_names(order)
    taken = set(base.values())
    names: dict[Value, str] = {}
    used: set[str] = set()
    for node in order:
        name = base[node]
        if name in used and node.label is not None:
            suffix = 2
            while f"{name}#{suffix}" in used or f"{name}#{suffix}" in taken:
                suffix += 1
            name = f"{name}#{suffix}"
        used.add(name)
        names[node] = name
    return names


def _base_names(nodes: list[Value]) -> dict[Value, str]:
    """A name per node: its label; for a constant leaf its number (``2``); else ``v1, v2, ...``.

    Unlabelled inner nodes are numbered in the given (topological) order, so names read
    left to right like the computation did.
    """
    names: dict[Value, str] = {}
    counter = 0
    for node in nodes:
        if node.label is not None:
            names[node] = node.label
        elif not node.parents:
            names[node] = _constant_name(node.data)
        else:
            counter += 1
            names[node] = f"v{counter}"
    return names


def definition(node: Value, names: dict[Value, str]) -> str:
    """How ``node`` was computed, in node names: ``a * b``, ``tanh(n1)``, ``b + w0*x0 + w1*x1``."""
    op = node.op
    if op is None:
        return "leaf"
    args = [names[p] for p in node.parents]
    name = op.name
    if name in ("+", "-", "*", "/", "**") and len(args) == 2:
        return f"{args[0]} {name} {args[1]}"
    if name.startswith("**") and len(args) == 1:
        return f"{args[0]}{name}"
    if name in ("dot", "dot+b"):
        n = len(args) // 2
        terms = [f"{w}*{x}" for w, x in zip(args[:n], args[n : 2 * n])]
        if name == "dot+b":
            terms.insert(0, args[-1])
        return " + ".join(terms) if terms else "0"
    return f"{name}({', '.join(args)})"


def local_formulas(node: Value, names: dict[Value, str]) -> list[str]:
    """The op's text for each local derivative ∂node/∂parent, in node names (``b``, ``1-L²``)."""
    if node.op is None:
        return []
    inputs = [names[p] for p in node.parents]
    try:
        return node.op.formulas(inputs, names[node])
    except NotImplementedError:
        # an op of the user's that computes its derivatives in forward() states no formula:
        # show the derivative by name, ∂twice/∂x, beside the number it stored
        return [f"∂{node.op.name}/∂{name}" for name in inputs]


_SUBSCRIPTED = re.compile(r"([A-Za-z])(\d+)")
_LATEX_SPECIAL = str.maketrans(
    {
        "\\": r"\backslash ",
        "{": r"\{",
        "}": r"\}",
        "_": r"\_",
        "^": r"\hat{}",
        "#": r"\#",
        "$": r"\$",
        "%": r"\%",
        "&": r"\&",
        "~": r"\sim ",
        "<": r"\lt ",  # < > raw in Markdown's math would still be read as HTML
        ">": r"\gt ",
        # a line end inside $...$ can end Markdown's paragraph, and so the math: a space
        **dict.fromkeys("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", r"\ "),
    }
)


def latex_name(name: str) -> str:
    """A node name as LaTeX: ``a`` stays, ``w0`` becomes ``w_{0}``, ``L1.N3.w0`` is upright;
    a lecture name (``z₁⁽²⁾``, ``e²``, see ``lecture_names``) becomes ``z_{1}^{(2)}``."""
    if _LECTURE_MARKS.search(name):
        # escaped first (lecture_latex escapes # itself): a label is text, never LaTeX
        return lecture_latex(name.translate({**_LATEX_SPECIAL, ord("#"): "#"}))
    if len(name) == 1 and name.isalpha():
        return name
    match = _SUBSCRIPTED.fullmatch(name)
    if match:
        return f"{match[1]}_{{{match[2]}}}"
    return r"\mathrm{" + name.translate(_LATEX_SPECIAL) + "}"


def latex_formula(formula: str) -> str:
    """An op's formula text (built from LaTeX names) as LaTeX: ``·``, ``²``, ``^(..)``, ``ln``."""
    text = formula.replace("·", r" \cdot ").replace("²", "^{2}")
    text = re.sub(r"\^\(([^()]*)\)", r"^{(\1)}", text)
    text = re.sub(r"\^(-?[\d.]+(?:e-?\d+)?)", r"^{\1}", text)
    text = text.replace("ln ", r"\ln ").replace("sign(", r"\operatorname{sign}(")
    return text


def latex_number(text: str) -> str:
    """A formatted number as LaTeX: ``1.5e-07`` → ``1.5 \\times 10^{-7}``; ``inf`` → ``\\infty``."""
    match = re.fullmatch(r"(-?[\d.]+)e([+-]?)0*(\d+)", text)
    if match:
        sign = "-" if match[2] == "-" else ""
        return f"{match[1]} \\times 10^{{{sign}{match[3]}}}"
    return text.replace("inf", r"\infty")


def format_number(x: float, spec: str = ".4g", *, minus: str = "-") -> str:
    """``x`` in the format ``spec``; ``-0`` shows as ``0``, infinities as ``inf``/``-inf``.

    ``minus`` replaces the ASCII hyphen of negative numbers and exponents (drawings use the
    real minus sign ``−``, text keeps ``-`` so it can be copied back into Python).
    """
    if x == 0.0:
        x = 0.0  # -0.0 is an artefact of the arithmetic, not something to show a student
    text = format(x, spec)
    return text.replace("-", minus)


def signed(text: str) -> str:
    """A formatted number in brackets when negative, as a factor is written: ``(-3)``, ``(−3)``."""
    return f"({text})" if text.startswith(("-", MINUS)) else text


def check_number_format(spec: str, what: str = "number_format") -> str:
    """``spec`` itself if it formats floats with at most 17 digits; else a one-line ValueError.

    The precision is bounded because ``".100000000f"`` is a valid format that takes
    half a minute and a gigabyte per number; past 17 significant digits a float has
    nothing more to show.
    """
    if not isinstance(spec, str):
        raise TypeError(f"{what}: expected a format spec string such as '.6g', got {spec!r}")
    shown = repr(spec) if len(spec) <= 40 else repr(spec[:37] + "...")
    match = _SPEC.fullmatch(spec)
    # the bounds first: formatting even one number with ".100000000f" is what they prevent
    precision, width = (match["precision"], match["width"]) if match else (None, None)
    if precision is not None and _more_than(precision, MAX_PRECISION):
        raise ValueError(
            f"{what} {shown}: precision {_shown(precision)} is more than the "
            f"{MAX_PRECISION} digits a float can show (try '.17g')"
        )
    if width is not None and _more_than(width, MAX_WIDTH):
        raise ValueError(
            f"{what} {shown}: width {_shown(width)} is more than {MAX_WIDTH} characters"
        )
    try:
        format(1.5, spec)
    except ValueError:
        match = None
    if match is None:
        raise ValueError(f"{what} {shown} is not a format spec for floats (try '.6g' or '.3f')")
    fill = spec[0] if len(spec) > 1 and spec[1] in "<>=^" else None
    if fill is not None and not (fill.isalnum() or fill in " .-"):
        # numbers go into HTML, DOT, Markdown and LaTeX: a fill of < & | $ \ would be markup
        raise ValueError(
            f"{what} {shown}: the fill character {fill!r} is not allowed; use a space, a "
            "letter, a digit, '.' or '-'"
        )
    return spec


def _more_than(digits: str, limit: int) -> bool:
    """``int(digits) > limit``, without converting thousands of digits (Python refuses that)."""
    digits = digits.lstrip("0") or "0"
    return len(digits) > len(str(limit)) or int(digits) > limit


def _shown(digits: str) -> str:
    """A run of digits short enough for a one-line message."""
    return digits if len(digits) <= 12 else f"{digits[:12]}... ({len(digits)} digits)"


def number_formatter(spec: str) -> Callable[[float], str]:
    """A function writing floats with the format spec ``spec``; a clear error for a bad spec."""
    check_number_format(spec)
    return _Formatter(spec)


class _Formatter:
    """``format_number`` with the spec fixed (a class, not a lambda: its repr names the spec)."""

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def __call__(self, x: float) -> str:
        return format_number(x, self.spec)

    def __repr__(self) -> str:
        return f"number_formatter({self.spec!r})"


def _constant_name(x: float) -> str:
    """The shortest text for a constant that reads back as the same float: ``2``, ``0.1``."""
    short = format_number(x, "g")
    return short if float(short) == x else repr(x)


# --- the lecture's notation for a network's graph ----------------------------------------
# The names themselves (z₁⁽²⁾ for L2.N1.z, w₁₁⁽¹⁾ for L2.N1.w0, ...) and their one table
# are in labels.py, which owns nn's label grammar; here a whole graph gets its names.

_LECTURE_MARKS = re.compile("[⁽₀-₉²δ]")
_SHORT = 14  # a definition longer than this is no name; v1, v2, ... instead


def is_network(nodes: list[Value]) -> bool:
    """Whether some node carries a label ``nn`` makes for a layer (``L2.N1.z``, ``L1.N3.w0``)."""
    return any(is_network_label(n.label) for n in nodes)


def lecture_names(root: Value, order: list[Value] | None = None) -> dict[Value, str]:
    """``node_names``, in the lecture's notation when ``root``'s graph is a network's.

    Labels become lecture names (``labels.NOTATION``; a repeated label keeps its ``#2``), an
    unlabelled computed node is named by its short definition (``e²``); a plain expression
    gets exactly ``node_names``.
    """
    if order is None:
        order = topological_order(root)
    names = node_names(root, order)
    if not is_network(order):
        return names
    lecture: dict[Value, str] = {}
    taken = set()
    for node in order:
        name = names[node]
        if node.label is not None:
            base, mark, suffix = name.partition("#")
            name = (lecture_name(base) or base) + mark + suffix
        elif node.parents:
            text = definition(node, lecture).replace("**2", "²").replace(" * ", " · ")
            if len(text) <= _SHORT and text not in taken:
                name = text if " " not in text else f"({text})"
        lecture[node] = name
        taken.add(name)
    return lecture

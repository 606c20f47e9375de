"""The labels ``nn`` puts on a network's nodes, and the lecture's names for them: one grammar.

``nn`` writes these labels and the tools read them, both through this module (``nn``
imports ``autodiff``, never the other way, so the grammar lives here)::

    label    := scope "." part          L1.N3.w0   L2.N1.z   N.out   P.b
    scope    := a module path           L1.N3 (neuron 3 of layer 1), N (a lone Neuron), P
    part     := "w" i | "b" | "z" | "out"
    input    := "x" i                   x0, x1, ... (the network's inputs)

A weight's ``i`` is the position (from 0) of the input it multiplies; layers and neurons
are counted from 1 (``L1``, ``N1``); everything up to the last ``.`` is the node's
module scope, which drawings fold into one box.

The lecture's notation (``NOTATION`` below) numbers a network the way the lecture does:

* **layers** k = 0, 1, 2, ... from the inputs: the inputs are layer 0 (the slides'
  a^[1], a^[2] are the first hidden and the output layer of a 2-2-1 network, so x is
  a^[0]); ``nn``'s ``L{l}`` is layer l;
* **neurons** j = 1, 2, ... in every layer, the inputs included (x₁, x₂ are neurons 1
  and 2 of layer 0), and **neuron 0** of every layer is the constant 1 whose weights are
  the biases (the perceptron slide's x₀w₀ term with x₀ = 1);
* **weights** wᵢⱼ⁽ᵏ⁾ go from neuron i of layer k to neuron j of layer k + 1: the
  superscript is the layer the weight *leaves* (the transcript's wᵢⱼᵏ);
* zⱼ⁽ᵏ⁾, aⱼ⁽ᵏ⁾ = f(zⱼ⁽ᵏ⁾) and δⱼ⁽ᵏ⁾ = ∂E/∂zⱼ⁽ᵏ⁾ belong to neuron j of layer k, so
  zⱼ⁽ᵏ⁺¹⁾ = Σᵢ wᵢⱼ⁽ᵏ⁾ aᵢ⁽ᵏ⁾ over i = 0, 1, ... with a₀⁽ᵏ⁾ = 1.

The layer goes in brackets (⁽¹⁾) so that it never reads as a power: ``e²`` is e squared.
Two indices are separated by a comma when one has two digits (w₁₂,₃⁽¹⁾ is from neuron 12
to neuron 3).
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "NOTATION",
    "Label",
    "Markdown",
    "bias_label",
    "delta_name",
    "input_label",
    "is_network_label",
    "is_output",
    "is_weighted_sum",
    "label_of",
    "layer_scope",
    "lecture_latex",
    "lecture_name",
    "neuron_scope",
    "notation_markdown",
    "output_label",
    "parse",
    "scope_of",
    "sum_label",
    "weight_label",
]

# The one table: nn's label, the lecture's name, an example, what it is (tests check the
# examples against lecture_name; notebook 6 and the documentation show notation_markdown()).
NOTATION: tuple[tuple[str, str, str, str], ...] = (
    ("x{i}", "xᵢ₊₁ = aᵢ₊₁⁽⁰⁾", "x0 → x₁", "the network's input i + 1: neuron i + 1 of layer 0"),
    (
        "L{l}.N{j}.w{i}",
        "wᵢ₊₁,ⱼ⁽ˡ⁻¹⁾",
        "L2.N1.w0 → w₁₁⁽¹⁾",
        "the weight from neuron i + 1 of layer l − 1 to neuron j of layer l",
    ),
    (
        "L{l}.N{j}.b",
        "w₀ⱼ⁽ˡ⁻¹⁾",
        "L2.N1.b → w₀₁⁽¹⁾",
        "the bias of neuron j of layer l: the weight from neuron 0, the constant a₀⁽ˡ⁻¹⁾ = 1",
    ),
    (
        "L{l}.N{j}.z",
        "zⱼ⁽ˡ⁾",
        "L2.N1.z → z₁⁽²⁾",
        "the weighted sum of neuron j of layer l, Σᵢ wᵢⱼ⁽ˡ⁻¹⁾ aᵢ⁽ˡ⁻¹⁾ over i = 0, 1, ...",
    ),
    ("L{l}.N{j}.out", "aⱼ⁽ˡ⁾", "L1.N2.out → a₂⁽¹⁾", "its activation f(zⱼ⁽ˡ⁾), its output"),
    ("grad of L{l}.N{j}.z", "δⱼ⁽ˡ⁾", "L2.N1.z.grad → δ₁⁽²⁾", "its error term ∂E/∂zⱼ⁽ˡ⁾"),
    ("y{k}, d{k}, e{k}", "yₖ, dₖ, eₖ", "y2 → y₂", "output k (from 1), its target, dₖ − yₖ"),
    ("y, d, e, E", "y, d, e, E", "y → y", "with one output: output, target, d − y; the error"),
)

_PART = r"(?P<part>w(?P<index>\d+)|b|z|out)"
_LABEL = re.compile(r"(?P<scope>[\w.]+)\." + _PART)
_NETWORK = re.compile(r"L(?P<layer>\d+)\.N(?P<neuron>\d+)\." + _PART)
_INDEXED = re.compile(r"(?P<symbol>[xyde])(?P<index>\d+)")
_MOST = 10_000  # layers, neurons or inputs: beyond this a "label" is not a network's
_SUB = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_UNSUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"  # not one Unicode range: ¹²³ come from Latin-1
_UNSUP = str.maketrans(_SUPERSCRIPTS, "0123456789")


class Label(NamedTuple):
    """A parsed node label: ``L1.N3.w0`` is ``Label("L1.N3", "w", 0)``, ``N.z`` ``("N", "z")``."""

    scope: str
    part: str  # "w", "b", "z" or "out"
    input_index: int | None = None  # a weight's input position, from 0


class Markdown(str):
    """Markdown text; Jupyter shows it rendered (``_repr_markdown_``), ``print`` as it is."""

    def _repr_markdown_(self) -> str:
        return str(self)


def notation_markdown() -> Markdown:
    """``NOTATION`` as a Markdown table (notebook 6 and the documentation show this one)."""
    rows = ["| `nn` label | lecture | example | what it is |", "|---|---|---|---|"]
    for label, name, example, meaning in NOTATION:
        shown = ", ".join(f"`{part}`" for part in label.removeprefix("grad of ").split(", "))
        if label.startswith("grad of "):
            shown = "the grad of " + shown
        rows.append(f"| {shown} | {name} | {example} | {meaning} |")
    return Markdown("\n".join(rows))


# --- writing labels (nn) ------------------------------------------------------------------


def layer_scope(layer: int) -> str:
    """The scope of an MLP's layer ``layer`` (from 1): ``L1``."""
    return f"L{layer}"


def neuron_scope(layer: str, neuron: int) -> str:
    """The scope of neuron ``neuron`` (from 1) of the layer scoped ``layer``: ``L1.N3``."""
    return f"{layer}.N{neuron}"


def weight_label(scope: str, i: int) -> str:
    """The weight multiplying input ``i`` (from 0) of the neuron ``scope``: ``L1.N3.w0``."""
    return f"{scope}.w{i}"


def bias_label(scope: str) -> str:
    """The bias of the neuron ``scope``: ``L1.N3.b``."""
    return f"{scope}.b"


def sum_label(scope: str) -> str:
    """The weighted sum z of the neuron ``scope``: ``L1.N3.z``."""
    return f"{scope}.z"


def output_label(scope: str) -> str:
    """The activation (output) of the neuron ``scope``: ``L1.N3.out``."""
    return f"{scope}.out"


def input_label(i: int) -> str:
    """The network's input ``i`` (from 0): ``x0``."""
    return f"x{i}"


# --- reading labels (the tools, the losses) -----------------------------------------------


def parse(label: str | None) -> Label | None:
    """``label`` split into scope, part and weight index; ``None`` if it is not a module's."""
    match = _LABEL.fullmatch(label) if label is not None else None
    if match is None:
        return None
    index = match["index"]
    return Label(match["scope"], "w" if index is not None else match["part"], _int(index))


def scope_of(label: str | None) -> str | None:
    """The module scope of any dotted label (everything up to the last ``.``), else ``None``."""
    if label is None or "." not in label:
        return None
    return label.rsplit(".", 1)[0]


def is_weighted_sum(label: str | None) -> bool:
    """Whether ``label`` names a neuron's weighted sum z (``L2.N1.z``, ``N.z``)."""
    parsed = parse(label)
    return parsed is not None and parsed.part == "z"


def is_output(label: str | None) -> bool:
    """Whether ``label`` names a neuron's activation output (``L2.N1.out``, ``P.out``)."""
    parsed = parse(label)
    return parsed is not None and parsed.part == "out"


def is_network_label(label: str | None) -> bool:
    """Whether ``label`` is a node of an MLP's layer (``L{l}.N{j}.…``): it has a lecture name."""
    return label is not None and _NETWORK.fullmatch(label) is not None


# --- the lecture's names --------------------------------------------------------------------


def lecture_name(label: str) -> str | None:
    """The lecture's name for a network label (see ``NOTATION``); ``None`` for any other.

    ``L2.N1.z`` → ``z₁⁽²⁾``, ``L2.N1.w0`` → ``w₁₁⁽¹⁾`` (from a₁⁽¹⁾ to neuron 1 of layer 2),
    ``L2.N1.b`` → ``w₀₁⁽¹⁾``, ``x0`` → ``x₁``, ``y2`` → ``y₂``.
    """
    match = _NETWORK.fullmatch(label)
    if match:
        layer, neuron = int(match["layer"]), int(match["neuron"])
        if not (1 <= layer <= _MOST and 1 <= neuron <= _MOST):
            return None  # nn counts layers and neurons from 1: L0 or N0 names no node
        part, index = match["part"], match["index"]
        if part in ("z", "out"):
            return _name("z" if part == "z" else "a", [neuron], layer)
        source = 0 if part == "b" else int(index) + 1
        return _name("w", [source, neuron], layer - 1)
    match = _INDEXED.fullmatch(label)
    if match and int(match["index"]) <= _MOST:
        index = int(match["index"]) + (1 if match["symbol"] == "x" else 0)
        return match["symbol"] + str(index).translate(_SUB)
    return None


def delta_name(z_name: str) -> str:
    """The error term of the neuron whose weighted sum is ``z_name``: ``z₁⁽²⁾`` → ``δ₁⁽²⁾``."""
    if re.fullmatch(f"z[₀-₉,]+⁽[{_SUPERSCRIPTS}]+⁾", z_name):
        return "δ" + z_name[1:]
    return f"δ({z_name})"


def label_of(name: str) -> str | None:
    """The ``nn`` label a lecture name stands for, or ``None``: the inverse of ``lecture_name``.

    Reads the printed form (``w₁₁⁽¹⁾``) and the ways a person types it: ``w_11^(1)``,
    ``w_{11}^{1}``, ``w^1_11``, ``z_1^2``, ``x_1``, LaTeX (``w_{12,3}^{(1)}``). Two one-digit
    indices may be written together (``11``); with a two-digit index, separate by a comma.
    """
    text = re.sub(r"[\s\\{}]", "", name)
    text = re.sub("[₀-₉][₀-₉,]*", lambda m: "_" + m[0].translate(_UNSUB), text)
    text = re.sub(f"⁽?([{_SUPERSCRIPTS}]+)⁾?", lambda m: "^" + m[1].translate(_UNSUP), text)
    text = text.replace("(", "").replace(")", "")
    match = re.fullmatch(
        r"(?P<s>[wzaxyde])(?:_(?P<sub>\d[\d,]*)\^(?P<sup>\d+)|\^(?P<sup2>\d+)_(?P<sub2>\d[\d,]*)"
        r"|_(?P<sub3>\d+))",
        text,
    )
    if match is None:
        return None
    symbol = match["s"]
    sub = match["sub"] or match["sub2"] or match["sub3"]
    sup = match["sup"] or match["sup2"]
    if symbol in "xyde":
        if sup is not None:
            return None
        number = int(sub)
        if symbol == "x":
            return input_label(number - 1) if number >= 1 else None
        return f"{symbol}{number}"
    if sup is None:
        return None
    layer = int(sup)
    indices = [int(i) for i in (sub.split(",") if "," in sub else list(sub)) if i]
    if symbol == "w":
        if len(indices) != 2 or indices[1] < 1:
            return None
        scope = neuron_scope(layer_scope(layer + 1), indices[1])
        return bias_label(scope) if indices[0] == 0 else weight_label(scope, indices[0] - 1)
    neuron = int(sub.replace(",", ""))
    if symbol == "a" and layer == 0 and neuron >= 1:
        return input_label(neuron - 1)  # layer 0's activations are the inputs: a₁⁽⁰⁾ = x₁
    if layer < 1 or neuron < 1:
        return None  # neuron 0 is the constant 1, and the inputs have no z
    scope = neuron_scope(layer_scope(layer), neuron)
    return output_label(scope) if symbol == "a" else sum_label(scope)


def lecture_latex(name: str) -> str:
    """A lecture name as LaTeX: ``w₁₀⁽²⁾`` → ``w_{10}^{(2)}``, ``δ₂⁽¹⁾`` → ``\\delta_{2}^{(1)}``."""
    text = name.replace("δ", r"\delta").replace("·", r" \cdot ").replace("#", r"\#")
    text = re.sub(f"⁽([{_SUPERSCRIPTS}]+)⁾", lambda m: "^{(" + m[1].translate(_UNSUP) + ")}", text)
    text = re.sub("[₀-₉][₀-₉,]*", lambda m: "_{" + m[0].translate(_UNSUB) + "}", text)
    return text.replace("²", "^{2}")


def _name(symbol: str, indices: list[int], layer: int) -> str:
    """``symbol`` with ``indices`` below (comma-joined if one has two digits), ``(layer)`` above."""
    digits = [str(i) for i in indices]
    joined = ("," if any(len(d) > 1 for d in digits) else "").join(digits)
    return f"{symbol}{joined.translate(_SUB)}⁽{str(layer).translate(_SUP)}⁾"


def _int(digits: str | None) -> int | None:
    return None if digits is None else int(digits)

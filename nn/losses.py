"""Loss functions: one number that says how wrong the outputs are, built from Values.

Each loss is a graph of engine primitives, so ``loss.backward()`` gives its gradient
with no derivative code here; the docstrings state the gradient that results.

Shapes. ``outputs`` and ``targets`` hold one entry per example. An entry is a Value
(a network with one output) or a list of Values (several outputs); targets are numbers
or Values of the same shape. A bare Value with a number is one example. The means
are over examples (``mse`` and ``mae``: over all outputs, the same thing when each
example has one), so a full batch gives the mean of the per-example gradients.

Names. The nodes a loss makes carry the lecture's names, so drawings, ``explain`` and the
stepper read like the lecture: the loss itself is ``E``; a number target becomes a
``Constant`` ``d`` (it never holds a grad); ``half_squared_error``, ``mse`` and ``mae``
write the error ``e = d - y`` as one subtraction (one ``Sub`` node: ∂e/∂d = 1, ∂e/∂y = -1),
labelled ``e``. With several outputs per example these are ``y1, d1, e1, y2, ...`` (k
counted from 1, like the output neurons ``L{l}.N1, L{l}.N2``); every example of a batch uses
the same names, as the lecture's formulas do. Those three losses label the outputs they read
``y`` (``y{k}``) as well (the classification losses name only ``E``), but only when that
takes no name from anyone: an unlabelled output, or one carrying the label ``nn`` gave a
neuron's output (``L2.N1.out``, ``P.out``), is renamed; any other label (a caller's own
``"score"``, say) is kept, and so is the label of a target passed as a Value. A renamed
network output still shows which neuron made it through its parent ``L{l}.N{j}.z``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from autodiff import Constant, Value
from autodiff.viz.labels import is_output

Scalar = Value | float
Reduction = Literal["mean", "sum"]


def _name(node: Value, name: str) -> Value:
    """Label ``node`` ``name`` unless it has a label of its own (one not made by ``nn``)."""
    # the label nn gives a neuron's output (L2.N1.out, N.out, P.out) may become y
    if node.label is None or is_output(node.label):
        node.label = name
    return node


def _errors(ys: list[Value], ds: list[Scalar]) -> list[Value]:
    """``e_k = d_k - y_k`` for one example, with ``y``, ``d`` and ``e`` labelled (see above)."""
    several = len(ys) > 1
    errors = []
    for k, (y, d) in enumerate(zip(ys, ds), start=1):
        suffix = str(k) if several else ""
        _name(y, f"y{suffix}")
        target = _name(d, f"d{suffix}") if isinstance(d, Value) else Constant(d, f"d{suffix}")
        e = target - y
        e.label = f"e{suffix}"
        errors.append(e)
    return errors


def _examples(
    outputs: object, targets: object, where: str
) -> list[tuple[list[Value], list[Scalar]]]:
    """Pair each example's outputs with its targets, as two equally long lists."""
    if isinstance(outputs, Value):
        outputs, targets = [outputs], [targets]
    # NumPy arrays (of labels, say) are not Sequences: take their plain Python numbers
    outputs, targets = _listed(outputs), _listed(targets)
    if isinstance(targets, Sequence):
        targets = [_listed(d) for d in targets]  # np.int64(1) -> 1
    if not isinstance(outputs, Sequence) or not isinstance(targets, Sequence):
        raise TypeError(f"{where}: outputs and targets must be Values or sequences of them")
    if len(outputs) != len(targets):
        raise ValueError(f"{where}: {len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError(f"{where}: no examples (empty outputs)")
    pairs = []
    for i, (y, d) in enumerate(zip(outputs, targets)):
        ys = [y] if isinstance(y, Value) else list(y)
        ds = [d] if isinstance(d, (Value, int, float)) else list(d)
        if len(ys) != len(ds):
            raise ValueError(f"{where}: example {i} has {len(ys)} outputs but {len(ds)} targets")
        pairs.append((ys, ds))
    return pairs


def _listed(items: Any) -> Any:
    """A NumPy array as (nested) Python lists of numbers (``tolist``); anything else as it is."""
    tolist = getattr(items, "tolist", None)
    return tolist() if callable(tolist) and not isinstance(items, Value) else items


def _total(terms: Sequence[Value]) -> Value:
    """``terms[0] + terms[1] + ...`` left to right, with no extra ``0 +`` node."""
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _reduce(terms: list[Value], reduction: Reduction, where: str) -> Value:
    """The sum or mean of ``terms``, labelled ``E``."""
    if reduction not in ("mean", "sum"):
        raise ValueError(f"{where}: reduction must be 'mean' or 'sum', got {reduction!r}")
    total = _total(terms)
    if reduction == "mean" and len(terms) > 1:
        # multiply by 1/n, as micrograd's demo does, so the numbers agree bit for bit; the
        # mean of one term is that term (no multiply by 1 in the graph)
        total = total * (1.0 / len(terms))
    total.label = "E"
    return total


def half_squared_error(outputs: object, targets: object, reduction: Reduction = "mean") -> Value:
    """``E = ½ Σₖ (dₖ - yₖ)²`` per example (the lecture's error), averaged over examples.

    Gradient: ``∂E/∂yₖ = yₖ - dₖ`` -- the ½ cancels the 2 from the square, which is
    why the lecture divides by two. ``reduction='sum'`` adds the examples' errors
    instead (the total error of a training set).
    """
    pairs = _examples(outputs, targets, "half_squared_error")
    terms = [_total([e**2 for e in _errors(ys, ds)]) * 0.5 for ys, ds in pairs]
    return _reduce(terms, reduction, "half_squared_error")


def mse(outputs: object, targets: object) -> Value:
    """Mean squared error ``(1/m) Σᵢ (dᵢ - yᵢ)²`` over all ``m`` outputs.

    Gradient: ``∂/∂yᵢ = 2(yᵢ - dᵢ)/m``.
    """
    pairs = _examples(outputs, targets, "mse")
    terms = [e**2 for ys, ds in pairs for e in _errors(ys, ds)]
    return _reduce(terms, "mean", "mse")


def mae(outputs: object, targets: object) -> Value:
    """Mean absolute error ``(1/m) Σᵢ |dᵢ - yᵢ|`` over all ``m`` outputs.

    Gradient: ``∂/∂yᵢ = sign(yᵢ - dᵢ)/m``. At ``yᵢ = dᵢ`` the absolute value has a kink;
    the engine takes the subgradient 0 there, so an exact hit passes no gradient.
    """
    pairs = _examples(outputs, targets, "mae")
    terms = [abs(e) for ys, ds in pairs for e in _errors(ys, ds)]
    return _reduce(terms, "mean", "mae")


def hinge(scores: object, labels: object) -> Value:
    """Max-margin loss ``(1/n) Σᵢ max(0, 1 - yᵢsᵢ)`` for labels ``yᵢ ∈ {-1, +1}``.

    The micrograd demo's loss, built the same way (``(1 + -yᵢ·sᵢ).relu()``), so the
    numbers agree bit for bit. Gradient: ``∂/∂sᵢ = -yᵢ/n`` while the margin ``yᵢsᵢ < 1``,
    else 0: correctly classified examples beyond the margin stop pulling.
    """
    pairs = _examples(scores, labels, "hinge")
    terms = []
    for ys, ds in pairs:
        for s, y in zip(ys, ds):
            label = y.data if isinstance(y, Value) else y
            if label not in (-1.0, 1.0):
                raise ValueError(f"hinge: labels must be -1 or +1, got {label!r}")
            terms.append((1 + -y * s).relu())
    return _reduce(terms, "mean", "hinge")


def bce_with_logits(logits: object, labels: object) -> Value:
    """Binary cross-entropy on logits ``z`` (before the sigmoid), labels ``y ∈ [0, 1]``.

    ``-[y log σ(z) + (1-y) log(1-σ(z))] = softplus(z) - zy``, averaged over examples.
    Computed as ``z(½ - y) + ½|z| + log(1 + e^-|z|)``: the exponent is never positive,
    so ``z = ±1000`` gives finite numbers, and writing ``max(z, 0)`` as ``(z + |z|)/2``
    makes the subgradient at ``z = 0`` the true slope. Gradient: ``∂/∂z = σ(z) - y``
    (per example, divided by ``n``).
    """
    pairs = _examples(logits, labels, "bce_with_logits")
    terms = []
    for zs, ys in pairs:
        for z, y in zip(zs, ys):
            label = y.data if isinstance(y, Value) else y
            if not 0.0 <= label <= 1.0:
                raise ValueError(
                    f"bce_with_logits: labels must be in [0, 1] (0/1 classes, not -1/+1), "
                    f"got {label!r}"
                )
            magnitude = abs(z)
            terms.append(z * (0.5 - y) + magnitude * 0.5 + (1 + (-magnitude).exp()).log())
    return _reduce(terms, "mean", "bce_with_logits")


def softmax_cross_entropy(logits: Sequence[Sequence[Value]], targets: Sequence[object]) -> Value:
    """Cross-entropy of ``softmax(z)`` against a class, averaged over examples.

    Per example ``-log softmax(z)_c = log Σₖ e^(zₖ - m) + m - z_c`` with ``m = max z``:
    shifting by ``m`` keeps every exponent ≤ 0 (no overflow); ``m`` is taken as a
    constant, which changes no derivative since the shift cancels. A target is a class
    index ``c`` (an ``int``) or a probability vector ``t`` (one-hot or soft, numbers or
    Values), giving ``log Σₖ e^(zₖ - m) + m - Σₖ tₖzₖ``. Gradient:
    ``∂/∂zₖ = softmax(z)ₖ - tₖ`` (divided by the number of examples).

    Under graph replay the shift ``m`` stays the number it was when the graph was
    recorded: the loss is still exact mathematically, but its last bits can differ from
    a rebuilt graph's, and logits that grow more than ~700 above that ``m`` overflow.
    """
    if len(logits) != len(targets):
        raise ValueError(
            f"softmax_cross_entropy: {len(logits)} examples but {len(targets)} targets"
        )
    if not logits:
        raise ValueError("softmax_cross_entropy: no examples (empty logits)")
    terms = []
    for i, (zs, t) in enumerate(zip(logits, targets)):
        if isinstance(zs, Value):
            raise TypeError(
                "softmax_cross_entropy: each example needs a list of logits, got one Value"
            )
        m = max(z.data for z in zs)
        log_sum = _total([(z - m).exp() for z in zs]).log() + m
        if isinstance(t, int) and not isinstance(t, bool):
            if not 0 <= t < len(zs):
                raise ValueError(
                    f"softmax_cross_entropy: example {i}: class {t} is not in 0..{len(zs) - 1}"
                )
            terms.append(log_sum - zs[t])
        elif isinstance(t, Iterable):
            probs = list(t)
            if len(probs) != len(zs):
                raise ValueError(
                    f"softmax_cross_entropy: example {i}: {len(zs)} logits but "
                    f"{len(probs)} target probabilities"
                )
            terms.append(log_sum - _total([p * z for p, z in zip(probs, zs)]))
        else:
            raise TypeError(
                f"softmax_cross_entropy: example {i}: target must be a class index (int) or a "
                f"probability vector (numbers or Values), got {type(t).__name__} {t!r}"
            )
    return _reduce(terms, "mean", "softmax_cross_entropy")


def l2(parameters: Iterable[Value], alpha: float) -> Value:
    """L2 regularization ``α Σⱼ pⱼ²`` (weight decay); gradient ``∂/∂pⱼ = 2αpⱼ``.

    Built as micrograd's demo builds it (``alpha * sum(p*p for p in params)``).
    """
    squares = [p * p for p in parameters]
    if not squares:
        raise ValueError("l2: no parameters given")
    return alpha * _total(squares)


def l1(parameters: Iterable[Value], alpha: float) -> Value:
    """L1 regularization ``α Σⱼ |pⱼ|``; gradient ``∂/∂pⱼ = α·sign(pⱼ)`` (0 at ``pⱼ = 0``).

    Unlike L2's pull, which shrinks with the weight, L1's pull has the same size ``α``
    for every weight that is not zero, so it drives small weights to exactly zero.
    """
    sizes = [abs(p) for p in parameters]
    if not sizes:
        raise ValueError("l1: no parameters given")
    return alpha * _total(sizes)

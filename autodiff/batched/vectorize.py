"""``vectorize``: one example's function, run on every example at once as NumPy array code.

A training loss is usually a mean over examples of one per-example function, plus terms of
the parameters alone. The scalar engine builds that function's graph once per example (100
copies for 100 moons points); the batched engine builds it ONCE, from the first example,
and runs every node on an array holding all the examples:

- a node of the per-example graph becomes one line of NumPy code, printed from the op's own
  formulas (``ops.py``) read with arrays (:mod:`autodiff.batched.arrays`): nothing about
  an op is written a second time;
- the weighted sums of a layer (``Dot`` nodes that share their inputs and whose weights are
  parameters) become one matrix product ``Z = W @ A + b``, and the same activation over
  all of them one line ``A = relu(Z)``: rows are neurons, columns are examples;
- backward is the same chain rule, ``ḡ_input += ḡ_output · ∂output/∂input``, on arrays; a
  parameter's gradient is the sum over examples of its per-example gradients, which for a
  layer is the matrix product ``ḡW = ḡZ @ Aᵀ``.

``step.source`` shows the generated program: backprop written as array code, the bridge
from scalars to tensors.

Tracing, as in any tracing compiler: the function runs once, on the first example. Plain
Python decisions it makes there (an ``if`` on a ``.data``, a shift read off the numbers,
as ``softmax_cross_entropy``'s max) are fixed for all examples; the numbers computed
through ``Value`` operations are not. Numbers written in the function (``Constant``s) are
kept as they were when it was traced.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from ..formula import SYMBOLS, Number, python, symbol
from ..graph import topological_order
from ..ops import Add, Div, Dot, Mul, Op, UnaryOp
from ..value import Constant, Value
from .arrays import ARRAYS, np

__all__ = ["Batched", "vectorize"]

Columns = tuple[Any, ...]


def vectorize(
    function: Callable[..., Value | Sequence[Value]],
    parameters: Sequence[Value],
    *,
    reduction: str = "mean",
    penalty: Callable[[], Value] | None = None,
) -> Batched:
    """``function`` of one example, run on a whole batch as NumPy array code.

    ``function(*columns)`` receives, for one example, one argument per data column: a
    ``Value`` for a 1-D column (one number per example), a list of ``Value`` s for a 2-D
    column (a row per example). It returns the example's loss ``Lᵢ`` (a ``Value``), or a
    list of output ``Value`` s when only its outputs are wanted.

    ``step = vectorize(f, params)`` then ``step(X, Y)`` computes the batch loss
    ``L = (1/n) Σᵢ Lᵢ + R`` (``reduction="sum"``: ``Σᵢ Lᵢ + R``) over the ``n`` rows of
    the columns, where ``R = penalty()`` is an optional term of the parameters alone (an
    L2 penalty, say), and adds ``∂L/∂p`` into every parameter's ``grad``, as
    ``L.backward()`` on the scalar graph would, to about 1e-12 relative (sums over examples
    are added in another order). ``step.outputs(X)`` gives every example's outputs.

    ``parameters`` are the leaves whose gradients are wanted; every other leaf the
    function reads must come from a column or be a plain number. NumPy is needed (the
    ``batched`` extra); the scalar engine never imports it.
    """
    if reduction not in ("mean", "sum"):
        raise ValueError(f"vectorize: reduction must be 'mean' or 'sum', got {reduction!r}")
    if penalty is not None and not callable(penalty):
        raise TypeError(f"vectorize: penalty must be a function of no arguments, got {penalty!r}")
    return Batched(function, parameters, reduction, penalty)


class Batched:
    """A per-example function compiled to NumPy code over a batch (see :func:`vectorize`).

    Two ways to run it: with the parameters' ``Value`` s (``step(X, Y)`` reads their
    ``data`` and adds into their ``grad``, for the optimizers of ``nn``), or on a flat array
    ``θ`` of the parameters in order (``step.value_and_grad(θ, X, Y)``), the fast path
    when the update is array code too (``θ -= lr * g``; ``step.assign(θ)`` writes it back).
    """

    def __init__(
        self,
        function: Callable[..., Value | Sequence[Value]],
        parameters: Sequence[Value],
        reduction: str,
        penalty: Callable[[], Value] | None = None,
    ) -> None:
        if not callable(function):
            raise TypeError(f"vectorize: expected a function of one example, got {function!r}")
        params = list(parameters)
        for i, p in enumerate(params):
            if not isinstance(p, Value) or p.parents:
                raise TypeError(
                    f"vectorize: parameters[{i}] must be a leaf Value (a weight or a bias), "
                    f"got {p!r}"
                )
        self.function = function
        self.parameters = params
        self.reduction = reduction
        self.penalty = penalty
        self._program: _Program | None = None

    @property
    def source(self) -> str:
        """The generated NumPy program (after the first call), one line per op or layer."""
        if self._program is None:
            raise RuntimeError("vectorize: call the step once first: the code is made then")
        return self._program.source

    def theta(self) -> Any:
        """The parameters' current values as one array ``θ``, in the order given."""
        return np.fromiter((p.data for p in self.parameters), float, len(self.parameters))

    def assign(self, theta: Any) -> None:
        """Write ``θ`` back into the parameters' ``data``."""
        values = np.asarray(theta, dtype=float).tolist()
        if len(values) != len(self.parameters):
            raise ValueError(
                f"vectorize: θ has {len(values)} entries for {len(self.parameters)} parameters"
            )
        for p, x in zip(self.parameters, values):
            p.data = x

    def __call__(self, *columns: Any) -> float:
        """The batch loss ``L``; adds ``∂L/∂p`` into each parameter's ``grad``."""
        loss, grads = self.value_and_grad(self.theta(), *columns)
        for p, g in zip(self.parameters, grads.tolist()):
            p.grad += g
        return loss

    def value_and_grad(self, theta: Any, *columns: Any) -> tuple[float, Any]:
        """``(L, ∂L/∂θ)`` at the parameter values ``θ`` (an array), leaving the Values alone."""
        arrays = _columns(columns)
        program = self._ready(arrays)
        if program.n_outputs != 1:
            raise TypeError(
                f"vectorize: the function returns {program.n_outputs} outputs per example; "
                "a loss (with gradients) must be one Value per example"
            )
        n = len(arrays[0])
        scale = 1.0 / n if self.reduction == "mean" else 1.0
        with np.errstate(all="ignore"):  # the algebra's own checks speak instead
            terms, grads = program.run(theta, scale, *arrays)
            loss = float(np.sum(terms)) * scale
            if program.penalty is not None:
                extra, extra_grads = program.penalty(theta)
                loss += float(extra)
                grads += extra_grads
        return loss, grads

    def outputs(self, *columns: Any) -> Any:
        """Every example's outputs: shape ``(n,)`` for one output, ``(n, k)`` for ``k``."""
        arrays = _columns(columns)
        program = self._ready(arrays)
        with np.errstate(all="ignore"):
            values = program.forward(self.theta(), *arrays)
        n = len(arrays[0])
        stacked = np.stack([np.broadcast_to(v, (n,)) for v in values], axis=1)
        return stacked[:, 0] if program.n_outputs == 1 else stacked

    def _ready(self, arrays: list[Any]) -> _Program:
        widths = tuple(None if a.ndim == 1 else a.shape[1] for a in arrays)
        if self._program is None or self._program.widths != widths:
            self._program = _trace(self.function, self.parameters, arrays, widths, self.penalty)
        return self._program


def _columns(columns: Columns) -> list[Any]:
    if not columns:
        raise TypeError("vectorize: give at least one data column (the inputs)")
    arrays: list[Any] = []
    for i, column in enumerate(columns):
        try:
            array = np.asarray(column, dtype=float)
        except (TypeError, ValueError) as error:
            raise TypeError(f"vectorize: column {i} is not an array of numbers ({error})") from None
        if array.ndim not in (1, 2):
            raise ValueError(
                f"vectorize: column {i} must be 1-D (a number per example) or 2-D (a row per "
                f"example), got shape {array.shape}"
            )
        if len(array) == 0:
            raise ValueError(f"vectorize: column {i} has no examples")
        if arrays and len(array) != len(arrays[0]):
            raise ValueError(
                f"vectorize: column {i} has {len(array)} examples but column 0 has {len(arrays[0])}"
            )
        arrays.append(array)
    return arrays


# --- tracing and planning -----------------------------------------------------------------


class _Program:
    """The generated code for one set of column widths, and the functions it defines."""

    def __init__(
        self, source: str, namespace: dict[str, Any], widths: tuple[int | None, ...], n_outputs: int
    ) -> None:
        self.source = source
        self.widths = widths
        self.n_outputs = n_outputs
        self.run: Callable[..., tuple[Any, Any]] = namespace["forward_backward"]
        self.forward: Callable[..., list[Any]] = namespace["forward"]
        self.penalty: Callable[..., tuple[float, Any]] | None = namespace.get("penalty")


def _trace(
    function: Callable[..., Any],
    params: list[Value],
    arrays: list[Any],
    widths: tuple[int | None, ...],
    penalty: Callable[[], Value] | None,
) -> _Program:
    placeholders: dict[int, str] = {}  # id(leaf) -> its expression in the program
    args: list[Any] = []
    for c, (array, width) in enumerate(zip(arrays, widths)):
        if width is None:
            leaf = Value(float(array[0]), label=f"column{c}")
            placeholders[id(leaf)] = f"c{c}"
            args.append(leaf)
        else:
            row = [Value(float(x), label=f"column{c}[{j}]") for j, x in enumerate(array[0])]
            placeholders.update({id(leaf): f"c{c}[{j}]" for j, leaf in enumerate(row)})
            args.append(row)
    result = function(*args)
    outputs = (
        [result]
        if isinstance(result, Value)
        else list(result)
        if isinstance(result, (list, tuple))
        else None
    )
    if not outputs or not all(isinstance(o, Value) for o in outputs):
        raise TypeError(
            "vectorize: the function must return a Value (the example's loss) or a list of "
            f"Values (its outputs), got {type(result).__name__}"
        )
    namespace: dict[str, Any] = {"np": np, "inf": math.inf, "nan": math.nan}
    namespace.update({name: getattr(ARRAYS, name) for name in ARRAY_FUNCTIONS})
    planner = _Planner(params, placeholders, widths, namespace)
    planner.plan(outputs)
    parts = [_HEADER, planner.examples_source(outputs)]
    if penalty is not None:
        term = penalty()
        if not isinstance(term, Value):
            raise TypeError(f"vectorize: penalty() must return a Value, got {type(term).__name__}")
        parts.append(_penalty_source(term, params, namespace, planner.names))
    source = "\n\n".join(parts)
    code = compile(source, "<autodiff.batched>", "exec")
    exec(code, namespace)
    return _Program(source, namespace, widths, len(outputs))


_HEADER = '''"""Generated by autodiff.batched.vectorize: one line per op or layer of one
example's graph, run on every example at once (rows: neurons, columns: examples).
"""
'''

ARRAY_FUNCTIONS = tuple(name for name in vars(type(ARRAYS)) if not name.startswith("_"))


def _penalty_source(
    term: Value, params: list[Value], namespace: dict[str, Any], first_name: int
) -> str:
    """``penalty(θ)``: the parameter term, vectorized over parameters when it has that shape.

    A penalty such as L2, ``λ Σⱼ pⱼ²``, is a sum of one function of one parameter each,
    the same shape as a loss over examples: it runs as array code over the parameters it
    reads (the column ``c0 = θ[iP]``). Any other term of the parameters runs as scalar
    code on Python floats.
    """
    param_index = {id(p): k for k, p in enumerate(params)}
    factor, terms = _sum_of_terms(term)
    shared = _one_shape(terms, param_index)
    if shared is None:
        scalar = _Planner(params, {}, (), namespace, first_name)
        scalar.plan([term])
        if any(scalar.is_array.values()):
            raise ValueError("vectorize: the penalty must depend on the parameters only")
        return scalar.penalty_source(term)
    leaf, indices = shared
    planner = _Planner(params, {id(leaf): "c0"}, (None,), namespace, first_name)
    planner.grad_inputs = True
    planner.plan([terms[0]])
    namespace["iP"] = np.array(indices)
    namespace["kP"] = factor
    out = planner.where[id(terms[0])]
    backward = planner._backward(terms[0], "np.full(n, kP)")
    add = "np.add.at(gtheta, iP, gc0)" if _has_repeats(namespace["iP"]) else "gtheta[iP] += gc0"
    return "\n".join(
        [
            "def penalty(theta):",
            f"    c0 = theta[iP]  # the {len(indices)} parameters of the {len(indices)} terms",
            "    n = len(c0)",
            *("    " + line for line in planner.forward_lines),
            f"    value = kP * np.sum(np.broadcast_to({out}, (n,)))",
            "    gtheta = np.zeros(len(theta))",
            *("    " + line for line in backward),
            f"    {add}",
            "    return value, gtheta",
            "",
        ]
    )


def _sum_of_terms(term: Value) -> tuple[float, list[Value]]:
    """``term = k · (t₁ + t₂ + ...)``: the factor ``k`` (1 if none) and the terms."""
    factor = 1.0
    op = term.op
    if isinstance(op, Mul):
        a, b = term.parents
        if isinstance(a, Constant):
            factor, term = a.data, b
        elif isinstance(b, Constant):
            factor, term = b.data, a
    terms: list[Value] = []
    stack = [term]
    while stack:
        node = stack.pop()
        if isinstance(node.op, Add):
            stack.extend(reversed(node.parents))
        elif isinstance(node, Constant) and node.data == 0.0:
            continue  # the 0 that Python's sum() starts from adds nothing
        else:
            terms.append(node)
    return factor, terms


def _one_shape(terms: list[Value], param_index: dict[int, int]) -> tuple[Value, list[int]] | None:
    """The first term's parameter and every term's parameter index, if all terms are alike."""
    shapes = []
    for term in terms:
        order = topological_order(term)
        position = {id(n): i for i, n in enumerate(order)}
        leaves = [n for n in order if not n.parents]
        learned = [n for n in leaves if id(n) in param_index]
        if len(learned) != 1 or any(
            not isinstance(n, Constant) for n in leaves if id(n) not in param_index
        ):
            return None
        shape = tuple(
            ("P",)
            if id(n) in param_index
            else ("k", n.data)
            if not n.parents
            else (
                _signature(n.op, len(n.parents)),  # type: ignore[arg-type]
                tuple(position[id(p)] for p in n.parents),
            )
            for n in order
        )
        shapes.append((shape, learned[0]))
    if len({shape for shape, _ in shapes}) != 1 or len(terms) < 2:
        return None
    return shapes[0][1], [param_index[id(leaf)] for _, leaf in shapes]


class _Planner:
    """Turns the traced per-example graph into NumPy source (forward, then backward)."""

    def __init__(
        self,
        params: list[Value],
        placeholders: dict[int, str],
        widths: tuple[int | None, ...],
        namespace: dict[str, Any],
        first_name: int = 0,
    ) -> None:
        self.param_index = {id(p): k for k, p in enumerate(params)}
        if len(self.param_index) != len(params):
            raise ValueError("vectorize: a parameter is listed twice")
        self.placeholders = placeholders
        self.widths = widths
        self.where: dict[int, str] = {}  # id(node) -> expression holding its value
        self.is_array: dict[int, bool] = {}
        self.needs_grad: dict[int, bool] = {}
        self.namespace = namespace
        self.forward_lines: list[str] = []
        self.statements: list[tuple[str, Any]] = []  # what backward must undo, in order
        self.names = first_name
        self.grad_inputs = False  # True: also the gradient of the data column c0 (gc0)
        self.rows: dict[str, list[Value]] = {}  # a block's name -> the nodes of its rows
        self.unary_children: dict[int, list[Value]] = {}

    def fresh(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    # -- forward ---------------------------------------------------------------------------

    def plan(self, outputs: list[Value]) -> None:
        """Emit the forward lines: layers as matrix products, the rest a line per node."""
        order = _order(outputs)
        for node in order:
            self._classify(node)
        self._input_rows(order)
        for node in order:
            if node.parents and isinstance(node.op, UnaryOp):
                self.unary_children.setdefault(id(node.parents[0]), []).append(node)
        groups = _dot_groups(order, self)
        done: set[int] = set()
        for node in order:
            if id(node) in done or not node.parents:
                continue
            group = groups.get(id(node))
            if group is not None:
                self._emit_layer(group)
                done.update(id(n) for n in group)
                continue
            rows = self._elementwise_rows(node)
            if rows is not None:
                self._emit_elementwise(rows)
                done.update(id(n) for n in rows)
                continue
            self._emit_node(node)
            done.add(id(node))

    def _input_rows(self, order: list[Value]) -> None:
        """The rows of each 2-D data column, as far as the function reads them."""
        by_name = {self.where[id(n)]: n for n in order if id(n) in self.placeholders}
        for c, width in enumerate(self.widths):
            if width is not None:
                row = [by_name.get(f"c{c}[{j}]") for j in range(width)]
                if all(n is not None for n in row):
                    self.rows[f"c{c}"] = row  # type: ignore[assignment]

    def _classify(self, node: Value) -> None:
        key = id(node)
        if not node.parents:
            if key in self.placeholders:
                self.where[key], self.is_array[key], self.needs_grad[key] = (
                    self.placeholders[key],
                    True,
                    self.grad_inputs,
                )
            elif key in self.param_index:
                self.where[key] = f"theta[{self.param_index[key]}]"
                self.is_array[key], self.needs_grad[key] = False, True
            elif isinstance(node, Constant):
                name = self.fresh("k")
                self.namespace[name] = float(node.data)
                self.where[key], self.is_array[key], self.needs_grad[key] = name, False, False
            else:
                raise ValueError(
                    f"vectorize: the function reads the Value {node.label or 'without a label'!r}"
                    f" (data {node.data!r}), which is neither a data column nor one of the "
                    "parameters: pass it in a column, list it in the parameters, or write it "
                    "as a plain number"
                )
            return
        self.is_array[key] = any(self.is_array[id(p)] for p in node.parents)
        self.needs_grad[key] = any(self.needs_grad[id(p)] for p in node.parents)

    def _emit_layer(self, group: list[Value]) -> None:
        first = group[0]
        op = first.op
        assert isinstance(op, Dot)
        n = (len(first.parents) - int(op.has_bias)) // 2
        inputs = first.parents[n : 2 * n]
        weights = np.array([[self.param_index[id(w)] for w in g.parents[:n]] for g in group])
        z = self.fresh("Z")
        w_name, b_name = f"W{z[1:]}", f"b{z[1:]}"
        self.namespace[f"i{w_name}"] = weights
        source = self._stacked(inputs)
        self.forward_lines.append(f"{w_name} = theta[i{w_name}]  # {weights.shape[0]}×{n} weights")
        line = f"{z} = {w_name} @ {source}"
        bias = None
        if op.has_bias:
            bias = np.array([self.param_index[id(g.parents[-1])] for g in group])
            self.namespace[f"i{b_name}"] = bias
            line += f" + theta[i{b_name}][:, None]"
        self.forward_lines.append(f"{line}  # {len(group)} × {op.name}{_labels(group)}")
        for r, node in enumerate(group):
            self.where[id(node)] = f"{z}[{r}]"
        self.rows[z] = list(group)
        self.statements.append(("layer", (z, w_name, b_name, weights, bias, inputs, source)))

    def _stacked(self, inputs: Sequence[Value]) -> str:
        """An expression for the inputs as the rows of one matrix (a block when they are one)."""
        block = _whole_block([self.where[id(x)] for x in inputs])
        if block is not None and self._block_rows(block) == len(inputs):
            return block
        s = self.fresh("S")
        rows = ", ".join(self.where[id(x)] for x in inputs)
        self.forward_lines.append(f"{s} = np.stack(np.broadcast_arrays({rows}))")
        self.statements.append(("stack", (s, list(inputs))))
        return s

    def _block_rows(self, block: str) -> int:
        return len(self.rows.get(block, []))

    def _elementwise_rows(self, node: Value) -> list[Value] | None:
        """All nodes applying ``node``'s unary op to every row of one block, in row order."""
        op = node.op
        if not isinstance(op, UnaryOp) or not self.is_array[id(node)]:
            return None
        block = _block_of(self.where[id(node.parents[0])])
        if block is None:
            return None
        signature = _signature(op)
        parents = self.rows.get(block, [])
        if len(parents) < 2:
            return None
        found = []
        for parent in parents:
            match = next(
                (
                    child
                    for child in self.unary_children.get(id(parent), [])
                    if id(child) not in self.where and _signature(_op(child)) == signature
                ),
                None,
            )
            if match is None:
                return None
            found.append(match)
        return found

    def _emit_elementwise(self, rows: list[Value]) -> None:
        op = rows[0].op
        assert op is not None
        parent_block = _block_of(self.where[id(rows[0].parents[0])])
        assert parent_block is not None
        a = self.fresh("A")
        formula = python(op.output(SYMBOLS, symbol(parent_block)))
        self.forward_lines.append(f"{a} = {formula}  # {len(rows)} × {op.name}{_labels(rows)}")
        for r, node in enumerate(rows):
            self.where[id(node)] = f"{a}[{r}]"
        self.rows[a] = list(rows)
        self.statements.append(("elementwise", (a, parent_block, op, rows)))

    def _emit_node(self, node: Value) -> None:
        op = node.op
        assert op is not None
        v = self.fresh("v")
        inputs = [symbol(self.where[id(p)]) for p in node.parents]
        if isinstance(op, Div):
            formula = f"divide({inputs[0].name}, {inputs[1].name})"
        else:
            formula = python(op.output(SYMBOLS, *inputs))
        self.forward_lines.append(f"{v} = {formula}  # {op.name}{_labels([node])}")
        self.where[id(node)] = v
        self.statements.append(("node", (v, node)))

    # -- backward --------------------------------------------------------------------------

    def examples_source(self, outputs: list[Value]) -> str:
        """``forward`` and ``forward_backward`` over the examples, as source."""
        out_exprs = [self.where[id(o)] for o in outputs]
        backward: list[str] = []
        if len(outputs) == 1 and self.needs_grad[id(outputs[0])]:
            seed = "np.full(n, scale)" if self.is_array[id(outputs[0])] else "scale * n"
            backward = self._backward(outputs[0], seed)
        signature = ", ".join(["theta", *(f"c{c}" for c in range(len(self.widths)))])
        transposes = [
            f"    c{c} = c{c}.T  # a row per input, a column per example"
            for c, w in enumerate(self.widths)
            if w is not None
        ]
        body = ["    " + line for line in self.forward_lines]
        return "\n".join(
            [
                f"def forward({signature}):",
                *transposes,
                *body,
                f"    return [{', '.join(out_exprs)}]",
                "",
                "",
                f"def forward_backward({signature.replace('theta', 'theta, scale')}):",
                "    n = len(c0)  # examples",
                *transposes,
                *body,
                "    # backward: ḡ_input += ḡ_output · ∂output/∂input, in reverse",
                "    gtheta = np.zeros(len(theta))",
                *("    " + line for line in backward),
                f"    return {out_exprs[0]}, gtheta",
                "",
            ]
        )

    def penalty_source(self, output: Value) -> str:
        """``penalty``: a term of the parameters alone, on plain floats (it is small)."""
        backward = self._backward(output, "1.0") if self.needs_grad[id(output)] else []
        return "\n".join(
            [
                "def penalty(theta):",
                "    theta = theta.tolist()  # plain floats: cheaper than NumPy for scalar code",
                *("    " + line for line in self.forward_lines),
                "    gtheta = [0.0] * len(theta)",
                *("    " + line for line in backward),
                f"    return {self.where[id(output)]}, np.array(gtheta)",
                "",
            ]
        )

    def _backward(self, output: Value, seed: str) -> list[str]:
        contributions: list[tuple[str, str]] = []  # (destination, expression), in order
        grad_of: dict[str, str] = {}

        def grad_name(expr: str) -> str:
            block = _block_of(expr)
            if block is not None:
                return f"g{block}[{expr[len(block) + 1 : -1]}]"
            return grad_of.setdefault(expr, f"g{expr}")

        def add(node: Value, amount: str, from_array: bool) -> None:
            key = id(node)
            if not self.needs_grad[key]:
                return
            if key in self.param_index and key not in self.placeholders:
                k = self.param_index[key]
                total = f"np.sum({amount})" if from_array else amount
                contributions.append((f"gtheta[{k}]", total))
                return
            where = self.where[key]
            if from_array and not self.is_array[key]:
                amount = f"np.sum({amount})"
            contributions.append((grad_name(where), amount))

        out_at = self.where[id(output)]
        contributions.append((grad_name(out_at), seed))
        for kind, data in reversed(self.statements):
            if kind == "node":
                v, node = data
                if not self.needs_grad[id(node)]:
                    continue
                g = grad_name(v)
                op = node.op
                y = symbol(v)
                xs = [symbol(self.where[id(p)]) for p in node.parents]
                partials = op.derivatives(SYMBOLS, y, *xs)
                array = self.is_array[id(node)]
                for parent, partial in zip(node.parents, partials):
                    add(parent, _times(g, partial), array)
            elif kind == "elementwise":
                a, parent_block, op, rows = data
                if not any(self.needs_grad[id(r)] for r in rows):
                    continue
                (partial,) = op.derivatives(SYMBOLS, symbol(a), symbol(parent_block))
                contributions.append((f"g{parent_block}", _times(f"g{a}", partial)))
            elif kind == "layer":
                z, w_name, b_name, _weights, bias, inputs, source = data
                contributions.append((f"gtheta[i{w_name}]", f"g{z} @ {source}.T"))
                if bias is not None:
                    contributions.append((f"gtheta[i{b_name}]", f"np.sum(g{z}, axis=1)"))
                if any(self.needs_grad[id(x)] for x in inputs):
                    contributions.append((f"g{source}", f"{w_name}.T @ g{z}"))
            elif kind == "stack":
                s, inputs = data
                for r, x in enumerate(inputs):
                    add(x, f"g{s}[{r}]", True)
        return _accumulate(contributions, self.namespace)


def _accumulate(contributions: list[tuple[str, str]], namespace: dict[str, Any]) -> list[str]:
    """Print ``dest += amount`` lines: rows of a block go into a zeroed block, others start fresh.

    A gradient variable's first contribution is assigned, later ones added with
    ``g = g + amount`` (never in place: the first may be another gradient's array).
    Parameter gradients gather into ``gtheta`` by index; indices within one layer's
    matrix are distinct, and where a parameter is shared ``np.add.at`` adds every use.
    """
    lines: list[str] = []
    row_blocks = {
        dest.split("[")[0]
        for dest, _ in contributions
        if "[" in dest and not dest.startswith("gtheta")
    }
    for block in sorted(row_blocks):
        lines.append(f"{block} = np.zeros_like({block[1:]}, dtype=float)")
    seen: set[str] = set()
    for dest, amount in contributions:
        if dest.startswith("gtheta["):
            index = dest[len("gtheta[") : -1]
            if index.startswith("i") and _has_repeats(namespace[index]):
                lines.append(f"np.add.at(gtheta, {index}, {amount})")
            else:
                lines.append(f"{dest} += {amount}")
        elif dest.split("[")[0] in row_blocks:
            lines.append(f"{dest} += {amount}")
        elif dest in seen:
            lines.append(f"{dest} = {dest} + {amount}")
        else:
            seen.add(dest)
            lines.append(f"{dest} = {amount}")
    return lines


def _has_repeats(index: Any) -> bool:
    return bool(len(np.unique(index)) != np.size(index))


def _times(gradient: str, partial: Any) -> str:
    """``gradient * partial`` as source, without multiplying by a literal 1 or -1."""
    if isinstance(partial, (int, float, Number)):
        value = partial if isinstance(partial, (int, float)) else partial.value
        if value == 1.0:
            return gradient
        if value == -1.0:
            return f"-{gradient}"
    return f"{gradient} * ({python(partial)})"


def _order(outputs: list[Value]) -> list[Value]:
    order: list[Value] = []
    seen: set[int] = set()
    for output in outputs:
        for node in topological_order(output):
            if id(node) not in seen:
                seen.add(id(node))
                order.append(node)
    return order


def _dot_groups(order: list[Value], planner: _Planner) -> dict[int, list[Value]]:
    """``Dot`` nodes on the same inputs with parameter weights: one matrix product each."""
    by_inputs: dict[tuple[Any, ...], list[Value]] = {}
    for node in order:
        op = node.op
        if not isinstance(op, Dot):
            continue
        n = (len(node.parents) - int(op.has_bias)) // 2
        weights, inputs = node.parents[:n], node.parents[n : 2 * n]
        learned = [*weights, *(node.parents[2 * n :] if op.has_bias else ())]
        if not all(id(w) in planner.param_index for w in learned):
            continue
        if not any(planner.is_array[id(x)] for x in inputs):
            continue
        key = (op.has_bias, *(id(x) for x in inputs))
        by_inputs.setdefault(key, []).append(node)
    return {id(node): group for group in by_inputs.values() for node in group}


def _block_of(expr: str) -> str | None:
    """``'Z3'`` for ``'Z3[4]'``: the matrix a row lives in; ``None`` for a plain variable."""
    if expr.endswith("]") and "[" in expr and not expr.startswith("theta"):
        return expr[: expr.index("[")]
    return None


def _whole_block(exprs: list[str]) -> str | None:
    blocks = {_block_of(e) for e in exprs}
    if len(blocks) != 1 or None in blocks:
        return None
    (block,) = blocks
    assert block is not None
    if exprs != [f"{block}[{r}]" for r in range(len(exprs))]:
        return None
    return block


def _signature(op: Op, arity: int = 1) -> tuple[str, str, str]:
    """Two ops with the same printed formulas compute the same thing entrywise."""
    xs, y = [symbol(f"x{i}") for i in range(arity)], symbol("y")
    return (
        op.name,
        python(op.output(SYMBOLS, *xs)),
        " ".join(python(d) for d in op.derivatives(SYMBOLS, y, *xs)),
    )


def _op(node: Value) -> Op:
    op = node.op
    assert op is not None  # only called on nodes with parents
    return op


def _labels(nodes: Sequence[Value]) -> str:
    """A comment naming the nodes, escaped: a label is text, never code or a line break."""
    labels = [n.label for n in nodes if n.label]
    if not labels:
        return ""
    if len(labels) == 1:
        return f": {labels[0]!a}"
    return f": {labels[0]!a} .. {labels[-1]!a}"

# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 4 · The `Value` engine: a graph, the chain rule, and backward
#
# Notebooks 2 and 3 used `backward()` as a black box that returns slopes. Here we open the
# box. A `Value` is one number plus a memory of **how it was computed**. Every arithmetic
# operation creates a new `Value` that records
#
# * its inputs (the *parents*) and the operation (`+`, `*`, `**2`, `exp`, ...);
# * the **local derivative** of its output with respect to each input, computed as a plain
#   number at the moment the operation runs (for c = a·b: ∂c/∂a = b and ∂c/∂b = a).
#
# Chaining operations therefore builds a **computation graph**. `backward()` walks that graph
# from the output back to the inputs, multiplying local derivatives: the chain rule.

# %%
import math

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import (Value, draw_dot, explain, format_steps, gradcheck, to_text,
                      topological_order, walk)
from course import exercises


# %% [markdown]
# ## Building and drawing a graph
#
# Three inputs, three operations: u = a·b, v = u + c, L = v². Labels are optional; they make
# drawings and messages readable.

# %%
a = Value(3.0, label="a")
b = Value(-2.0, label="b")
c = Value(4.0, label="c")
u = a * b;   u.label = "u"
v = u + c;   v.label = "v"
L = v ** 2;  L.label = "L"
print(L)

# %% [markdown]
# `draw_dot` draws the graph. Each box shows a value's label, its data and its grad; the small
# ovals are operations. The number written on each edge into an operation is that
# operation's **local derivative** with respect to that input. The grads are still 0:
# nothing has been differentiated yet.

# %%
draw_dot(L, formulas=True)

# %% [markdown]
# ## Running backward
#
# `L.backward()` seeds ∂L/∂L = 1 and then, from the output towards the inputs, hands every
# node's grad to its parents: `parent.grad += node.grad × local derivative`.

# %%
L.backward()
draw_dot(L)

# %% [markdown]
# The same graph as text, read from the output back to the inputs (this needs no Graphviz
# program, so it works everywhere):

# %%
print(to_text(L))

# %% [markdown]
# ## The chain rule by hand, next to the engine
#
# Going backwards through the graph, each grad is the grad of the node above it times the local
# derivative on the edge between them:
#
# | node | by hand | value |
# |---|---|---|
# | L | ∂L/∂L = 1 | 1 |
# | v | ∂L/∂v = 2v | 2·(−2) = −4 |
# | u | ∂L/∂u = ∂L/∂v · ∂v/∂u = −4 · 1 | −4 |
# | c | ∂L/∂c = ∂L/∂v · ∂v/∂c = −4 · 1 | −4 |
# | a | ∂L/∂a = ∂L/∂u · ∂u/∂a = −4 · b | 8 |
# | b | ∂L/∂b = ∂L/∂u · ∂u/∂b = −4 · a | −12 |

# %%
by_hand = {"v": 2 * v.data, "u": 2 * v.data * 1, "c": 2 * v.data * 1,
           "a": 2 * v.data * b.data, "b": 2 * v.data * a.data}
for node in [v, u, c, a, b]:
    print(f"∂L/∂{node.label}:  by hand {by_hand[node.label]:6.1f}   engine {node.grad:6.1f}")
    assert by_hand[node.label] == node.grad

# %% [markdown]
# `explain` spells out the same computation for any one input: each path from the input to
# the output, the product of the local derivatives along it, and the check against `grad`.

# %%
print(explain(L, a))

# %% [markdown]
# And `gradcheck` compares every gradient with a finite difference, nudging each input a tiny
# bit up and down, so we need not trust the engine blindly:

# %%
print(gradcheck(L, [a, b, c]))


# %% [markdown]
# ## Composition: h = f ∘ g
#
# Functions built from functions are what a network is. Take g(x) = x² + 1 and f(g) = ln g,
# so h(x) = f(g(x)) = ln(x² + 1). The chain rule says h′ = (f′ ∘ g) · g′, that is
#
#   dh/dx = dh/dg · dg/dx = (1/g) · 2x = 2x / (x² + 1).
#
# The engine never sees that formula; it only knows the local rules of `**2`, `+` and `log`.

# %%
def g(x):
    return x ** 2 + 1

def h(x):
    return g(x).log()

xs = [i / 20 for i in range(-80, 81)]
engine_slopes = []
for x0 in xs:
    x = Value(x0)
    h(x).backward()
    engine_slopes.append(x.grad)

fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(xs, [math.log(x0 ** 2 + 1) for x0 in xs], color="black", label="h(x) = ln(x² + 1)")
ax.plot(xs, [2 * x0 / (x0 ** 2 + 1) for x0 in xs], color="tab:orange", linewidth=4, alpha=0.5,
        label="chain rule by hand: 2x / (x² + 1)")
ax.plot(xs, engine_slopes, color="tab:blue", linestyle="--", label="engine: x.grad")
ax.axhline(0, color="gray", linewidth=0.5)
ax.set_xlabel("x"); ax.legend(fontsize=8); ax.set_title("h and its derivative: hand formula = engine")
plt.show()
assert all(math.isclose(s, 2 * x0 / (x0 ** 2 + 1), abs_tol=1e-15) for s, x0 in zip(engine_slopes, xs))

# %% [markdown]
# ## Fan-out: a value used twice, and why grads **accumulate**
#
# In the graph below, p = x + 1 feeds **two** operations, s = 3p and t = eᵖ, which are then
# added: L₂ = s + t. Changing p changes L₂ through both routes, so ∂L₂/∂p is the **sum**
# of the two routes: 3 + eᵖ. That is why backward uses `+=`: each child adds its share to
# `p.grad`. Had it used `=`, the second share would erase the first.

# %%
x = Value(0.5, label="x")
p = x + 1;         p.label = "p"
s = 3 * p;         s.label = "s"
t = p.exp();       t.label = "t"
L2 = s + t;        L2.label = "L2"
L2.backward()
print(f"p.grad = {p.grad:.6f}   by hand 3 + e^p = {3 + math.exp(p.data):.6f}")
draw_dot(L2)

# %% [markdown]
# `explain` shows the two paths from x to L₂ and their sum:

# %%
print(explain(L2, x))

# %% [markdown]
# Leaves (inputs and parameters) go one step further: they keep accumulating **across**
# calls of `backward()`. That is deliberate: it lets several losses add their gradients. It
# also means a training loop must reset them (`p.grad = 0` or a model's `zero_grad()`)
# before every backward pass:

# %%
print("x.grad after one backward:   ", x.grad)
L2.backward()
print("x.grad after a second one:   ", x.grad, " <- doubled")
x.grad = 0.0
L2.backward()
print("after resetting, then backward:", x.grad)

# %% [markdown]
# ## Why a topological order?
#
# A node may pass its grad to its parents only once it is **complete**, once every child
# that uses it has added its share. `p` above must wait for both `s` and `t`. A
# *topological order* lists every node after all the nodes it depends on; walking it in
# reverse guarantees exactly that. Here is the order the engine uses (the output comes last):

# %%
print(" -> ".join(node.label or f"{node.data:g}" for node in topological_order(L2)))   # constants shown by their value

# %% [markdown]
# To see what goes wrong without it, we run the chain rule ourselves over the graph's edges
# (`walk` lists every edge with its local derivative), once in the reverse topological order
# and once in a careless order that handles `p` before `t` has passed anything to it.

# %%
graph = walk(L2)

def chain_rule_in_order(order):
    """Propagate grads from L2 to the leaves, visiting nodes in the given order."""
    grads = {node: 0.0 for node in graph.nodes}
    grads[L2] = 1.0
    for node in order:
        for edge in graph.edges:
            if edge.child is node:
                grads[edge.parent] += grads[node] * edge.partial
    return grads[x]

good = chain_rule_in_order(list(reversed(graph.nodes)))
careless = chain_rule_in_order([L2, s, p, t, x])
print(f"reverse topological order: dL2/dx = {good:.6f}")
print(f"careless order (p before t): dL2/dx = {careless:.6f}   <- t's share e^p = {math.exp(p.data):.4f} never reaches x")

# %% [markdown]
# The engine's own backward, one node at a time: the *stepper* shows each `+=`, in reverse
# topological order. (We first reset every grad, leaves included, so the numbers start from 0.)

# %%
L2.zero_grad()
print(format_steps(L2))

# %% [markdown]
# ## Exercises
#
# Take F = (x·y + y)² at x = 2 and y = −1. Work out its two partial derivatives by hand, the
# way the table above does: name the inner sum q = x·y + y, so F = q², and go back one edge at
# a time. Careful: y reaches q along **two** edges.
#
# **Exercise 4.1.** ∂F/∂x.

# %% exercise="4.1"
my_dF_dx = ...

# %%
exercises.chain_rule.d_by_dx(my_dF_dx)

# %% [markdown]
# **Exercise 4.2.** ∂F/∂y.

# %% exercise="4.2"
my_dF_dy = ...

# %%
exercises.chain_rule.d_by_dy(my_dF_dy)

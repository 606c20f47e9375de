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
# # 11 · Your own operation: a primitive, its derivative, and a check you can trust
#
# Every operation the engine knows (`+`, `*`, `exp`, `tanh`, `sigmoid`, ...) is a small class
# that states two formulas: its **output** and the **local derivative** of the output with
# respect to each input. When the operation runs, both are computed as plain numbers and
# stored in the new node. Nothing else in the engine knows any calculus: `backward()`, the
# drawings, the explainer and the stepper only ever read those stored numbers and multiply
# them along the graph.
#
# So adding an operation is the same job as differentiating one function by hand, once. In this
# notebook we add one, draw it, and, because a hand-written derivative is easy to get wrong,
# let `gradcheck` test it against finite differences.

# %%
from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import Value, apply, draw_dot, gradcheck
from autodiff.ops import UnaryOp
from course import exercises


# %% [markdown]
# ## A primitive in five lines: the cube
#
# For y = x³ the local derivative is ∂y/∂x = 3x². A primitive of one input is a subclass of
# `UnaryOp` with
#
# * `name`, what drawings and messages call it;
# * `output(m, x)`, the forward formula;
# * `derivatives(m, y, x)`, the local derivatives as a tuple, one per input (here one), written
#   with the input x and, if that is handier, the output y.
#
# Both formulas are ordinary arithmetic; functions such as eˣ or ln x are written `m.exp(x)`,
# `m.log(x)`, `m.sigmoid(x)` ... Think of `m` as the `math` module, swapped: the engine passes in
# one that computes with numbers, one that builds nodes (for second derivatives) and one that
# writes symbols (to print the formula on a drawing, or to compile it). `apply(op, x)` runs the
# operation on a `Value` and returns the new node, wired into the graph like any built-in one.

# %%
class Cube(UnaryOp):
    """y = x³; ∂y/∂x = 3x²."""

    name = "cube"

    def output(self, m, x):
        return x * x * x

    def derivatives(self, m, y, x):
        return (3 * x * x,)


x = Value(1.5, label="x")
y = apply(Cube(), x)
y.label = "y"
L = y * 2 + 1
L.label = "L"
L.backward()
print(f"y = {y.data},  dL/dx = {x.grad}   (by hand: 2 · 3x² = {2 * 3 * 1.5**2})")

# %% [markdown]
# ## Drawn like any other operation
#
# With `formulas=True` each edge into an operation carries its local derivative, as the formula
# read from `derivatives` and as the number stored when the node was made. Our `cube` node looks exactly like the
# built-in `*` and `+` next to it: the engine cannot tell them apart.

# %%
draw_dot(L, formulas=True)

# %% [markdown]
# ## Letting `gradcheck` judge the derivative
#
# `gradcheck` nudges each input up and down by a tiny h and compares the change of the output,
# (f(x + h) − f(x − h)) / 2h, with the gradient `backward()` found. It also checks every
# operation's stored local derivative against a finite difference of that operation's own
# `output`: if a rule is wrong, `first_bad_rule` names the node, so we know *which* derivative
# to fix, not only that something somewhere is off.

# %%
report = gradcheck(L, [x])
print(report)
print("first bad rule:", report.first_bad_rule)

# %% [markdown]
# Here is the kind of slip that happens when differentiating by hand: 3x instead of 3x². The
# output is still right, so nothing looks wrong in the forward pass; only the gradient is off,
# and `gradcheck` points at the faulty rule.

# %%
class SloppyCube(UnaryOp):
    """y = x³ with a wrong derivative (3x), to see gradcheck catch it."""

    name = "cube?"

    def output(self, m, x):
        return x * x * x

    def derivatives(self, m, y, x):
        return (3 * x,)


x = Value(1.5, label="x")
y = apply(SloppyCube(), x)
y.label = "y"
report = gradcheck(y * 2 + 1, [x])
print("ok:", report.ok)
print(report.first_bad_rule)

# %% [markdown]
# ## Where the derivative is used
#
# A primitive's derivative enters every gradient that flows through it. Below, the cube and the
# sloppy cube inside the same small loss, (x³ − 2)², at many points: the engine's dL/dx with the
# right rule matches the finite difference everywhere; with the wrong rule the curves part
# wherever 3x and 3x² differ, that is everywhere except x = 0, x = 1 and the point x³ = 2
# where the outer factor 2(x³ − 2) is zero anyway.

# %%
xs = [i / 40 for i in range(-60, 81)]


def slope(op, x0):
    x = Value(x0)
    ((apply(op, x) - 2) ** 2).backward()
    return x.grad


def numeric(x0, h=1e-6):
    return (((x0 + h) ** 3 - 2) ** 2 - ((x0 - h) ** 3 - 2) ** 2) / (2 * h)


fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(xs, [numeric(x0) for x0 in xs], color="black", linewidth=4, alpha=0.3,
        label="finite difference")
ax.plot(xs, [slope(Cube(), x0) for x0 in xs], color="tab:blue", linestyle="--", label="Cube: 3x²")
ax.plot(xs, [slope(SloppyCube(), x0) for x0 in xs], color="tab:red", label="SloppyCube: 3x")
ax.set_xlabel("x"); ax.set_ylabel("dL/dx"); ax.set_title("dL/dx of L = (x³ − 2)²")
ax.legend(fontsize=8); plt.show()

# %% [markdown]
# ## Exercises
#
# Write two primitives of your own. Each check builds your node with `apply` at several points,
# compares its output with `math`, and lets `gradcheck` judge its derivative; a wrong
# derivative is reported with the number your operation stored and the one a finite difference
# of your own output formula gives.
#
# **Exercise 11.1.** `Softplus`: softplus(x) = ln(1 + eˣ), a smooth cousin of ReLU. Work out its
# derivative by hand first (the chain rule through ln and exp); you have met the result before.

# %% exercise="11.1"
class Softplus(UnaryOp):
    """y = ln(1 + eˣ)."""

    name = "softplus"

    def output(self, m, x):
        raise NotImplementedError

    def derivatives(self, m, y, x):
        raise NotImplementedError


# %%
exercises.own_op.softplus(Softplus)

# %% [markdown]
# **Exercise 11.2.** `Sin`: y = sin(x). The algebra `m` has a sine and a cosine, `m.sin(x)` and
# `m.cos(x)`, just as the `math` module has `math.sin` and `math.cos`: write `Sin` like
# `Softplus`, with its derivative worked out by hand. Because it is written with `m`, every tool
# reads it: draw your node inside a small expression, e.g.
# `draw_dot(apply(Sin(), x) * x, formulas=True)`, to see your rule on its edge, and try
# `grad(grad(apply(Sin(), x), x), x)` for the second derivative, −sin x.

# %% exercise="11.2"
class Sin(UnaryOp):
    """y = sin(x)."""

    name = "sin"

    def output(self, m, x):
        raise NotImplementedError

    def derivatives(self, m, y, x):
        raise NotImplementedError


# %%
exercises.own_op.sine(Sin)

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
# # 6 · Smooth neurons: sigmoid and tanh, and their derivatives
#
# The perceptron's step jumps from 0 to 1, so its slope is 0 everywhere (and undefined at the
# jump): gradient descent gets no signal through it. **Smooth** activations replace the jump
# with an S-shaped curve that has a useful slope everywhere:
#
# * logistic sigmoid: σ(z) = 1 / (1 + e⁻ᶻ) = eᶻ / (eᶻ + 1), between 0 and 1;
# * hyperbolic tangent: tanh(z) = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ) = (e²ᶻ − 1) / (e²ᶻ + 1), between −1
#   and 1 (the second form, the lecture's, multiplies top and bottom by eᶻ).
#
# Both have derivatives that are written in terms of their **own output**, which makes them
# cheap for backpropagation: the forward pass has already computed everything needed.
#
# * σ′(z) = σ(z)·(1 − σ(z))
# * tanh′(z) = 1 − tanh²(z)

# %%
import math

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

import autodiff
from autodiff import Value, draw_dot, gradcheck, walk
from course import exercises
from nn import Neuron


# %% [markdown]
# ## The curves and their slopes
#
# For each z we build `Value(z).sigmoid()` and `Value(z).tanh()`, run backward, and read the
# slope from `grad`. The dashed lines are the formulas above, evaluated from the outputs alone.

# %%
zs = [i / 20 for i in range(-120, 121)]
curves = {"sigmoid": ([], [], []), "tanh": ([], [], [])}
for z0 in zs:
    for name in curves:
        z = Value(z0)
        out = z.sigmoid() if name == "sigmoid" else z.tanh()
        out.backward()
        y = out.data
        formula = y * (1 - y) if name == "sigmoid" else 1 - y * y
        curves[name][0].append(y)
        curves[name][1].append(z.grad)
        curves[name][2].append(formula)

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
for ax, (name, (ys, grads, formulas)) in zip(axes, curves.items()):
    ax.plot(zs, ys, color="black", label=f"{name}(z)")
    ax.plot(zs, grads, color="tab:orange", linewidth=4, alpha=0.5, label="engine: z.grad")
    ax.plot(zs, formulas, color="tab:blue", linestyle="--",
            label="σ(1 − σ)" if name == "sigmoid" else "1 − tanh²")
    if name == "sigmoid":  # the perceptron's step, for contrast: flat, slope 0
        ax.plot(zs, [1.0 if z0 >= 0 else 0.0 for z0 in zs], color="gray", linewidth=0.8,
                linestyle=":", label="step (perceptron)")
    ax.axhline(0, color="gray", linewidth=0.5); ax.axvline(0, color="gray", linewidth=0.5)
    ax.set_xlabel("z"); ax.set_title(name); ax.legend(fontsize=8, loc="upper left")
plt.tight_layout(); plt.show()

worst = max(abs(g - f) for name in curves for g, f in zip(curves[name][1], curves[name][2]))
print(f"largest difference between engine and formula over all {len(zs)} points: {worst:.1e}")
print(f"steepest slopes: σ'(0) = {max(curves['sigmoid'][1]):.4f}, tanh'(0) = {max(curves['tanh'][1]):.4f}")

# %% [markdown]
# Two things to notice:
#
# * The slope is largest at z = 0 (1/4 for the sigmoid, 1 for tanh) and fades to almost 0
#   for large |z|. A neuron pushed far into either flat end (*saturated*) passes almost no
#   gradient back, and learns slowly.
# * tanh is a stretched and shifted sigmoid, tanh(z) = 2σ(2z) − 1, centred on 0; that is
#   why its slope at 0 is four times larger.

# %%
for z0 in [-2.0, 0.3, 1.7]:
    lhs, rhs = math.tanh(z0), 2 * Value(2 * z0).sigmoid().data - 1
    print(f"z = {z0:4}: tanh(z) = {lhs:.12f}   2σ(2z) − 1 = {rhs:.12f}")

# %% [markdown]
# ## The lecture's symbols and the engine's labels
#
# From here on, networks have layers, and every number has two names: the symbol the lecture
# writes and the label of its node in the engine's graphs. The explainer, the stepper and the
# drawings print the symbol; code uses the label. One numbering serves every symbol:
#
# * **layers** k = 0, 1, 2, ... starting at the inputs: the inputs are layer 0, the first layer
#   of neurons is layer 1 (`nn`'s `L1`), and so on, as the slides write a⁽¹⁾, a⁽²⁾;
# * **neurons** j = 1, 2, ... within every layer, the inputs too: x₁ and x₂ are neurons 1 and 2
#   of layer 0. Neuron 0 of each layer is the constant 1, so a bias is just one more weight
#   (the perceptron slide's x₀w₀ term, with x₀ = 1);
# * **weights** wᵢⱼ⁽ᵏ⁾ run from neuron i of layer k to neuron j of layer k + 1: the superscript
#   is the layer the weight leaves, as in the lecture's wᵢⱼᵏ. We write it in brackets, ⁽ᵏ⁾, so
#   that it never reads as a power.
#
# So neuron j of layer k + 1 computes zⱼ⁽ᵏ⁺¹⁾ = Σᵢ wᵢⱼ⁽ᵏ⁾ aᵢ⁽ᵏ⁾, the sum running from i = 0
# (a₀⁽ᵏ⁾ = 1, the bias), then aⱼ⁽ᵏ⁺¹⁾ = f(zⱼ⁽ᵏ⁺¹⁾). The engine's labels count a neuron's
# weights from 0 in the order of its inputs and keep the bias apart, so `L1.N2.w0` (the first
# weight of neuron 2 of layer 1, on input x0) is w₁₂⁽⁰⁾ and `L1.N2.b` is w₀₂⁽⁰⁾. The table
# below is printed by the same code that names the nodes in every tool:

# %%
from autodiff.viz.labels import notation_markdown

notation_markdown()

# %% [markdown]
# A single `Neuron` on its own, like the one below, is called `N`: its nodes are `N.w0`, `N.b`,
# `N.z` and `N.out`, and the tools print those labels (the lecture's symbols are for a
# network's layers). In the numbering above its weights are w₁ (`N.w0`, on the input x₁,
# `x0` in code), w₂ (`N.w1`) and the bias w₀ (`N.b`).

# %% [markdown]
# ## A smooth neuron, and the derivative on its edge
#
# `Neuron(2, activation="tanh")` computes out = tanh(w₀ + w₁x₁ + w₂x₂). We fix its weights so
# the numbers are easy to follow, run it on one input, and draw the graph with the local
# derivatives written as formulas. The edge from `N.z` into `tanh` carries 1 − out²,
# evaluated with the neuron's output.

# %%
neuron = Neuron(2, activation="tanh", seed=0)
neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.8, -0.5, 0.1
out = neuron([1.0, 0.6])
out.backward()
draw_dot(out, formulas=True)

# %% [markdown]
# The same number, read from the graph's edges (`walk` lists every edge with its local
# derivative), next to the formula and next to the grad the engine gave `N.z`:

# %%
edge = next(e for e in walk(out).edges if e.child is out)
print(f"edge {edge.parent.label} -> {out.label}: local derivative {edge.partial:.10f}")
print(f"1 - out² with out = {out.data:.6f}:       {1 - out.data ** 2:.10f}")
print(f"N.z.grad from backward():              {edge.parent.grad:.10f}")
assert edge.partial == 1 - out.data ** 2 == edge.parent.grad

# %% [markdown]
# The sigmoid neuron, same weights: its edge carries out·(1 − out).

# %%
sig_neuron = Neuron(2, activation="sigmoid", seed=0)
sig_neuron.w[0].data, sig_neuron.w[1].data, sig_neuron.b.data = 0.8, -0.5, 0.1
sig_out = sig_neuron([1.0, 0.6])
sig_out.backward()
edge = next(e for e in walk(sig_out).edges if e.child is sig_out)
print(f"local derivative on the edge: {edge.partial:.10f};  out(1 - out) = {sig_out.data * (1 - sig_out.data):.10f}")
draw_dot(sig_out, formulas=True)

# %% [markdown]
# Every other gradient in the drawing follows by the chain rule. For the weight w₁ (`N.w0`),
# which multiplies the input x₁ (`x0`):
#
#   ∂out/∂w₁ = ∂out/∂z · ∂z/∂w₁ = σ(z)(1 − σ(z)) · x₁
#
# and `gradcheck` confirms all of them against finite differences:

# %%
x0 = 1.0
print(f"by hand: {sig_out.data * (1 - sig_out.data) * x0:.10f}   engine: {sig_neuron.w[0].grad:.10f}")
print(gradcheck(sig_out, sig_neuron.parameters()))

# %% [markdown]
# ## Everything backward() does, written out
#
# `autodiff.compile` turns a recorded graph into plain Python: one line per node going
# forward, then one line per edge going backward. Each backward line is one step of the chain
# rule, `g_parent += g_child · ∂child/∂parent`, with the local derivative from the same
# formula the engine uses, shown in the comment. Nothing else happens in a backward pass.

# %%
x0, x1 = Value(2.0, label="x0"), Value(0.0, label="x1")
w0, w1 = Value(-3.0, label="w0"), Value(1.0, label="w1")
b = Value(6.8813735870195432, label="b")
z = autodiff.dot([w0, w1], [x0, x1], b)
z.label = "z"
out = z.tanh()
out.label = "out"
tape = autodiff.compile(out, inner=False)
print(tape)
tape.forward()
tape.backward()
print(f"out = {out.data:.4f}; grads: w0 {w0.grad:.4f}, x0 {x0.grad:.4f}, b {b.grad:.4f}")

# %% [markdown]
# ## Exercises
#
# Write each slope as a function of z, using the output-based formulas above. Plain `math` is
# allowed (`math.exp`, `math.tanh`); the engine is not: the checks compare your functions with
# the engine at several points.
#
# **Exercise 6.1.** `sigmoid(z)` returns σ(z), and `sigmoid_slope(z)` returns σ′(z) written
# with your `sigmoid`. (Both are checked: a slip in the sign of σ's exponent leaves the slope's
# numbers unchanged, so only σ itself can show it.)

# %% exercise="6.1"
def sigmoid(z):
    """σ(z) = 1 / (1 + e⁻ᶻ)."""
    raise NotImplementedError

def sigmoid_slope(z):
    """σ′(z), written with sigmoid(z)."""
    raise NotImplementedError

# %%
exercises.neurons.sigmoid_slope(sigmoid_slope, sigmoid)

# %% [markdown]
# **Exercise 6.2.** `tanh_slope(z)` returns tanh′(z).

# %% exercise="6.2"
def tanh_slope(z):
    """tanh′(z), written with tanh(z)."""
    raise NotImplementedError

# %%
exercises.neurons.tanh_slope(tanh_slope)

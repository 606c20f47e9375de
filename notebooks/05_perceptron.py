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
# # 5 · The perceptron and the gradient of its weighted sum
#
# The perceptron is the simplest neuron. It multiplies each input by a weight and adds up:
#
#   Z = x₀w₀ + x₁w₁ + x₂w₂
#
# then decides: output 1 if Z ≥ 0, else 0. Learning means choosing the weights **w**.
#
# Before any training, one fact does all the work: the derivative of Z with respect to a weight
# is simply the input that weight multiplies,
#
#   ∂Z/∂wᵢ = xᵢ,  so  ∇_w Z = (x₀, x₁, x₂).

# %%
import math
import random

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import Value, dot, draw_dot
from course import exercises
from nn import Perceptron, blobs, perceptron_rule, train_perceptron, xor

random.seed(0)

# %% [markdown]
# ## ∂Z/∂wᵢ = xᵢ, read off the graph
#
# `dot(w, x)` builds the weighted sum as **one** node. Its edges carry the local derivatives:
# each weight's edge carries its input's value, and each input's edge carries its weight.

# %%
w = [Value(0.4, label="w0"), Value(-0.7, label="w1"), Value(0.2, label="w2")]
x = [Value(1.0, label="x0"), Value(2.0, label="x1"), Value(-3.0, label="x2")]
Z = dot(w, x); Z.label = "Z"
Z.backward()
print("Z =", Z.data)
print("∇_w Z =", [wi.grad for wi in w], "  the inputs are", [xi.data for xi in x])
draw_dot(Z)

# %% [markdown]
# ## A step against the gradient lowers Z
#
# Subtracting η times the gradient changes each weight by −η·xᵢ:
#
#   **w** − η∇Z = (w₀ − ηx₀, w₁ − ηx₁, w₂ − ηx₂)
#
# and Z drops by exactly η·(x₀² + x₁² + x₂²). A step *along* the gradient raises it by the
# same amount. The perceptron uses both directions: when its Z is too high for an example it
# steps down, when too low it steps up.

# %%
eta = 0.1
new_w = [wi.data - eta * wi.grad for wi in w]
new_Z = sum(wi * xi.data for wi, xi in zip(new_w, x))
predicted_drop = eta * sum(xi.data ** 2 for xi in x)
print(f"new w = {[round(v, 3) for v in new_w]}")
print(f"Z: {Z.data:.3f} -> {new_Z:.3f}; drop {Z.data - new_Z:.3f}, predicted η·Σxᵢ² = {predicted_drop:.3f}")
assert math.isclose(Z.data - new_Z, predicted_drop)

# %% [markdown]
# ## The perceptron from `nn`
#
# `nn.Perceptron(2)` is one neuron with two weights and a bias `b` (the bias plays the role of
# a weight whose input is always 1). Its output is step(Z): 1 when Z ≥ 0, else 0. Every node is
# labelled (`P.w0`, `P.b`, `P.z`, `P.out`). The step is flat on both sides of 0, so its local
# derivative is 0: no gradient flows through it. That is why the perceptron learns by its own
# rule, which uses the gradient of **Z**, not of the output.

# %%
perceptron = Perceptron(2, seed=0)
# A deliberately poor starting point, so there is something to learn:
perceptron.w[0].data, perceptron.w[1].data, perceptron.b.data = -1.0, -0.2, 1.5
out = perceptron([1.5, -0.5])
out.backward()
draw_dot(out)

# %% [markdown]
# ## The perceptron learning rule
#
# For an example with input **x** and desired output d, let y be the perceptron's output. Then
#
#   wᵢ ← wᵢ + η·(d − y)·∂Z/∂wᵢ = wᵢ + η·(d − y)·xᵢ
#
# * correct (d = y): nothing changes;
# * said 1, should be 0 (d − y = −1): **w** − η∇Z, Z goes down;
# * said 0, should be 1 (d − y = +1): **w** + η∇Z, Z goes up.
#
# `perceptron_rule` does one such update (it reads ∂Z/∂wᵢ from the engine), and we apply it
# to every example, epoch after epoch, on two clouds of points that a straight line can separate.

# %%
X, labels = blobs(40, spread=0.6, seed=3)

snapshots = [(perceptron.w[0].data, perceptron.w[1].data, perceptron.b.data)]
mistakes = []
for epoch in range(20):
    wrong = sum(perceptron_rule(perceptron, xi, di, lr=0.05) != 0 for xi, di in zip(X, labels))
    mistakes.append(wrong)
    snapshots.append((perceptron.w[0].data, perceptron.w[1].data, perceptron.b.data))
    if wrong == 0:
        break
print("mistakes per epoch:", mistakes)


# %% [markdown]
# The boundary is the line where Z = 0, i.e. w₀x₀ + w₁x₁ + b = 0. Each epoch's line is drawn
# from pale (the starting weights, dashed) to dark (the end); on the right, the mistakes made during
# each epoch:

# %%
def line_points(w0, w1, b, lo=-3.0, hi=3.0):
    xs_line = [lo, hi]
    return xs_line, [-(w0 * t + b) / w1 for t in xs_line]

fig, axes = plt.subplots(1, 2, figsize=(10, 4), gridspec_kw={"width_ratios": [1.3, 1]})
ax = axes[0]
ax.scatter([p[0] for p, d in zip(X, labels) if d == 1], [p[1] for p, d in zip(X, labels) if d == 1],
           color="tab:blue", label="d = 1")
ax.scatter([p[0] for p, d in zip(X, labels) if d == 0], [p[1] for p, d in zip(X, labels) if d == 0],
           color="tab:red", marker="s", label="d = 0")
for k, (w0, w1, b) in enumerate(snapshots):
    shade = 0.35 + 0.65 * k / (len(snapshots) - 1)
    last = k == len(snapshots) - 1
    ax.plot(*line_points(w0, w1, b), color=plt.cm.Greys(shade), linewidth=2 if last else 1,
            linestyle="--" if k == 0 else "-", label="start" if k == 0 else ("final" if last else None))
ax.set_xlim(-3, 3); ax.set_ylim(-3, 3); ax.set_aspect("equal")
ax.set_xlabel("x₀"); ax.set_ylabel("x₁"); ax.legend(loc="upper left")
ax.set_title("The line Z = 0 after each epoch (dark = last)")
axes[1].bar(range(1, len(mistakes) + 1), mistakes, color="tab:gray")
axes[1].set_xlabel("epoch"); axes[1].set_ylabel("mistakes"); axes[1].set_title("Mistakes per epoch")
plt.tight_layout(); plt.show()

# %% [markdown]
# On separable data the rule always stops making mistakes after finitely many updates (the
# *perceptron convergence theorem*). On data that no line separates it never settles: XOR,
# where opposite corners share a label, is the classic case. One neuron cannot solve it;
# hidden layers can (notebook 7 onwards).

# %%
X_xor, d_xor = xor()
print("XOR mistakes per epoch:", train_perceptron(Perceptron(2, seed=0), X_xor, d_xor, lr=0.2, max_epochs=12))

# %% [markdown]
# ## Exercises
#
# Inputs **x** = (2, −1, 0.5), weights **w** = (0.3, 0.8, −1.0), learning rate η = 0.5,
# Z = x₀w₀ + x₁w₁ + x₂w₂.
#
# **Exercise 5.1.** The gradient ∇_w Z, as a list of three numbers.

# %% exercise="5.1"
my_grad = ...

# %%
exercises.perceptron.gradient(my_grad)

# %% [markdown]
# **Exercise 5.2.** The weights after one step **w** − η∇_w Z, as a list of three numbers.

# %% exercise="5.2"
my_new_w = ...

# %%
exercises.perceptron.new_weights(my_new_w)

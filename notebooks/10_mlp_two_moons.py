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
# # 10 · A multi-layer perceptron on two moons, and porting micrograd code
#
# Everything so far comes together: a network with two hidden layers learns to separate two
# interleaving half-moons, a task no single neuron can do (no straight line separates them).
# This is micrograd's classic demo; micrograd code runs here after changing only its imports,
# and we train it that way first, then with `nn.fit` in one call, and check that the two give
# the very same weights.

# %%
import math
import random

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import Value, draw_dot, no_grad, topological_order
from course import exercises
from nn import MLP, SGD, fit, moons, signed
from nn.plot import plot_decision_boundary


# %% [markdown]
# ## The data
#
# One hundred points, two classes. For the max-margin (hinge) loss the labels are −1 and +1.

# %%
X, labels = moons(100, noise=0.1, seed=1)
y = signed(labels)                      # 0/1 -> -1/+1

fig, ax = plt.subplots(figsize=(5, 3.4))
for label, colour, marker in [(1.0, "tab:blue", "o"), (-1.0, "tab:red", "s")]:
    pts = [x for x, yi in zip(X, y) if yi == label]
    ax.scatter([p[0] for p in pts], [p[1] for p in pts], color=colour, marker=marker, s=18, label=f"y = {label:+.0f}")
ax.set_aspect("equal"); ax.legend(); ax.set_title("Two moons"); plt.show()

# %% [markdown]
# ## Three new pieces: ReLU, the hinge loss, and L2
#
# micrograd's demo uses three things the earlier notebooks did not.
#
# **ReLU**, relu(z) = max(0, z), is the activation of the hidden neurons. It is a straight line
# with a bend: its slope is 1 where z > 0 (the neuron is *active* and passes the gradient on
# unchanged) and 0 where z < 0 (the neuron is *off*, its output is 0 and no gradient goes
# through it). At the bend z = 0 the slope is not defined; the engine, like micrograd, takes 0.
# Unlike σ and tanh it never flattens out for large positive z, and it is cheap.
#
# **The hinge loss** scores a classifier that outputs a number s whose sign is the class, for a
# label y = ±1. The product m = y·s, the *margin*, is positive when the sign is right and large
# when the network is sure. The loss max(0, 1 − m) is 0 once m ≥ 1 and grows linearly below:
# its slope with respect to the score is ∂/∂s = −y while m < 1 and 0 beyond. So only the
# examples that are wrong, or right but not by a margin of 1, pull on the weights.
#
# **L2 regularization** adds λ·Σ p² over all weights to the loss (λ a small number, here 1e-4;
# λ, not α, because α is the learning rate). Its gradient 2λ·p points away from 0 for every
# weight, so each step first shrinks every weight by the factor (1 − 2αλ), α the learning rate,
# and then applies the data's gradient: weights that the data
# does not keep needing decay towards 0 ("weight decay"). Small weights give a smoother
# boundary that bends only where the data asks it to.

# %%
zs = [i / 20 for i in range(-60, 61)]
margins = [i / 20 for i in range(-40, 61)]
relu_slopes, hinge_slopes = [], []
for z0 in zs:
    z = Value(z0)
    z.relu().backward()
    relu_slopes.append(z.grad)
for m0 in margins:          # the score s = m for a label y = +1
    s = Value(m0)
    (1 + -1.0 * s).relu().backward()
    hinge_slopes.append(s.grad)

fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
axes[0].plot(zs, [max(0.0, z0) for z0 in zs], color="black", label="relu(z)")
axes[0].plot(zs, relu_slopes, color="tab:orange", linewidth=3, alpha=0.7, label="engine: slope")
axes[0].set_xlabel("z"); axes[0].set_title("ReLU and its slope: 0 when off, 1 when active")
axes[1].plot(margins, [max(0.0, 1 - m0) for m0 in margins], color="black", label="max(0, 1 − y·s)")
axes[1].plot(margins, hinge_slopes, color="tab:orange", linewidth=3, alpha=0.7,
             label="engine: ∂/∂s (y = +1)")
axes[1].axvline(1, color="gray", linestyle=":")
axes[1].set_xlabel("margin y·s"); axes[1].set_title("Hinge loss: flat beyond the margin 1")
for ax, corner in zip(axes, ["upper left", "upper right"]):
    ax.axhline(0, color="gray", linewidth=0.5); ax.legend(fontsize=8, loc=corner)
plt.tight_layout(); plt.show()

# %% [markdown]
# ## Porting micrograd code: change the imports
#
# A micrograd script starts with
#
# ```python
# from micrograd.engine import Value
# from micrograd.nn import Neuron, Layer, MLP
# ```
#
# Here the same names come from
#
# ```python
# from autodiff import Value, draw_dot
# from nn import Neuron, Layer, MLP
# ```
#
# and the rest stays as it is: `Value(x)`, `.data`, `.grad`, `.backward()`, `.relu()`,
# `.tanh()`, `MLP(nin, nouts)` with ReLU hidden layers and a linear output, weights drawn from
# the global `random` (so `random.seed(1337)` gives micrograd's weights), `parameters()`,
# `zero_grad()`. The cell below is written in micrograd's style, with our imports: a network
# MLP(2, [16, 16, 1]), the hinge loss max(0, 1 − yᵢ·scoreᵢ) averaged over the examples, a
# small L2 penalty on the weights, and 100 full-batch gradient steps with a decaying
# learning rate.

# %%
random.seed(1337)
model = MLP(2, [16, 16, 1])
print(model)
print("number of parameters:", len(model.parameters()))

def loss_and_accuracy():
    scores = [model(x) for x in X]
    margins = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(margins) * (1.0 / len(margins))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    accuracy = sum((yi > 0) == (si.data > 0) for yi, si in zip(y, scores)) / len(y)
    return data_loss + reg_loss, accuracy

curve = []
for k in range(100):
    total, accuracy = loss_and_accuracy()
    model.zero_grad()
    total.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    curve.append((total.data, accuracy))
    if k % 20 == 0 or k == 99:
        print(f"step {k:3d}   loss {total.data:.4f}   accuracy {accuracy:.0%}")

# %% [markdown]
# ## The same training in one call
#
# `nn.fit` runs the same loop: full batch (`batch_size=None`), the hinge loss, the L2 term
# and `SGD` with the same learning-rate schedule. Starting from the same seed, it gives the
# **same weights to the last bit**: it builds the same sums in the same order. (`engine="replay"`
# records the graph of one pass and re-runs it with fresh numbers instead of rebuilding it every
# epoch: faster, with identical results.)

# %%
random.seed(1337)
model_fit = MLP(2, [16, 16, 1])
history = fit(model_fit, X, y, loss="hinge", l2=1e-4, epochs=100, progress=False, engine="replay",
              optimizer=SGD(model_fit.parameters(), lr=lambda k: 1.0 - 0.9 * k / 100))
print(f"fit: final loss {history.loss[-1]:.6f}, accuracy {history.accuracy[-1]:.0%}")
identical = all(a.data == b.data for a, b in zip(model.parameters(), model_fit.parameters()))
print("identical weights:", identical)
assert identical

# %%
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot([c[0] for c in curve], color="tab:purple", label="loss")
ax2 = ax.twinx()
ax2.plot([c[1] for c in curve], color="tab:green", label="accuracy")
ax.set_xlabel("step"); ax.set_ylabel("loss", color="tab:purple"); ax2.set_ylabel("accuracy", color="tab:green")
ax.set_yscale("log"); ax2.set_ylim(0.45, 1.02)
ax.set_title("Training on two moons"); plt.show()

# %% [markdown]
# ## The decision boundary
#
# The network's score is positive on one side of a curve and negative on the other.
# `plot_decision_boundary` evaluates the trained network on a grid (without recording
# graphs) and colours each point by the sign of its score. Unlike the perceptron's straight
# line (notebook 5), this boundary bends around both moons.

# %%
plot_decision_boundary(model, X, y, steps=60, title="MLP(2, [16, 16, 1]) after 100 steps")

# %% [markdown]
# ## Inside the network
#
# The graph of a single example's hinge loss has about 400 nodes: far too many to read one by one.
# Folded by layer, each layer becomes one box listing its outputs with their data and grads, and
# the loss's own few operations stay visible below them (a drawing this deep is laid out top to
# bottom, so its text stays readable). Each output also carries its lecture name: `N1.out` of
# layer `L1` is a₁⁽¹⁾. We take a new point, (0.5, 0.25), between the moons and call it +1: its
# score is positive but small, inside the margin, so its loss is positive and gradient flows
# back through every layer. (A training point far on its
# correct side would have loss 0 and pass no gradient at all: the hinge is flat there.)

# %%
x_example, y_example = [0.5, 0.25], 1.0
loss = (1 + -y_example * model(x_example)).relu()
loss.label = "loss"
model.zero_grad()
loss.backward()
draw_dot(loss, fold="layer")

# %% [markdown]
# ## Dead ReLUs
#
# Look at the hidden layers' boxes: many outputs read `data 0`. Those ReLUs are off for this
# point. Their `out` may carry a grad (the loss would like them to change), but the ReLU's local
# derivative is 0, so nothing reaches their weighted sum `z` or their weights: this example does
# not train them at all. A neuron that is off for **every** training point is *dead*: none of its
# weights gets any gradient any more, so it stays dead for the rest of training (only the L2 term
# still shrinks its weights). Let us count, for each hidden neuron, the training points on which
# it is active.

# %%
def active_counts(model, points):
    """For each hidden layer, how many points switch each of its ReLUs on (output > 0)."""
    counts = [[0] * len(layer.neurons) for layer in model.layers[:-1]]
    with no_grad():
        for x in points:
            h = x
            for layer, layer_counts in zip(model.layers[:-1], counts):
                h = layer(h)
                for j, out in enumerate(h):
                    layer_counts[j] += out.data > 0
    return counts

counts = active_counts(model, X)
off_here = [v.label for v in topological_order(loss)
            if v.label and v.label.endswith(".out") and v.label[:2] in ("L1", "L2") and v.data == 0]
print(f"off for the point (0.5, 0.25): {len(off_here)} of 32 hidden neurons")
for l, layer_counts in enumerate(counts, start=1):
    dead = [f"L{l}.N{j}" for j, c in enumerate(layer_counts, start=1) if c == 0]
    print(f"layer L{l}: active on {layer_counts} of {len(X)} points; dead: {dead or 'none'}")

# %% [markdown]
# ## Where to go from here
#
# Try changing one thing at a time and watch the boundary: fewer hidden neurons, `activation="tanh"`,
# mini-batches (`batch_size=10`), the `Adam` optimizer, more noise (`moons(100, noise=0.25)`),
# or another data set (`circles`, `spirals`, `xor`). `draw_dot(loss, fold="neuron", unfold=["L3.N1"])`
# opens one neuron while keeping the others folded.
#
# ## Exercises
#
# **Exercise 10.1.** How many parameters does MLP(2, [16, 16, 1]) have? Each neuron has one
# weight per input plus a bias. Count by hand, layer by layer (not with `len(...)`).

# %% exercise="10.1"
my_count = ...

# %%
exercises.mlp.parameter_count(my_count)

# %% [markdown]
# **Exercise 10.2.** `relu_slope(z)` returns the local derivative of relu(z) = max(0, z), with
# the engine's choice at the kink z = 0.

# %% exercise="10.2"
def relu_slope(z):
    """d relu(z) / dz."""
    raise NotImplementedError

# %%
exercises.mlp.relu_slope(relu_slope)

# %% [markdown]
# **Exercise 10.3.** `hinge_slope(score, label)` returns ∂/∂s of one example's hinge loss
# max(0, 1 − y·s), for a score s and a label y = ±1.

# %% exercise="10.3"
def hinge_slope(score, label):
    """∂/∂score of max(0, 1 − label · score)."""
    raise NotImplementedError

# %%
exercises.mlp.hinge_slope(hinge_slope)

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
# %matplotlib inline
import math
import random

import matplotlib.pyplot as plt

from autodiff import Value, draw_dot
from nn import MLP, SGD, exercises, fit, moons, signed
from nn.plot import plot_decision_boundary

plt.rcParams["figure.dpi"] = 80

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
# **same weights to the last bit**: it builds the same sums in the same order. (`replay=True`
# records the graph of one pass and re-runs it with fresh numbers instead of rebuilding it every
# epoch: faster, with identical results.)

# %%
random.seed(1337)
model_fit = MLP(2, [16, 16, 1])
history = fit(model_fit, X, y, loss="hinge", l2=1e-4, epochs=100, progress=False, replay=True,
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
# the loss's own few operations stay visible on the right. We take a new point, (0.5, 0.25),
# between the moons and call it +1: its score is positive but small, inside the margin, so its
# loss is positive and gradient flows back through every layer. (A training point far on its
# correct side would have loss 0 and pass no gradient at all: the hinge is flat there.)

# %%
x_example, y_example = [0.5, 0.25], 1.0
loss = (1 + -y_example * model(x_example)).relu()
loss.label = "loss"
model.zero_grad()
loss.backward()
draw_dot(loss, fold="layer")

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

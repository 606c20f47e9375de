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
# # 8 · Batch, stochastic and mini-batch gradient descent
#
# The training error is a sum (or mean) over **all** examples, so its true gradient is the mean
# of the gradients of the individual examples. There are three ways to use that:
#
# * **batch** (full-batch) gradient descent: compute the gradient on every example, average,
#   then update once. One update per pass over the data (an *epoch*); each update is exact.
# * **stochastic** gradient descent (SGD): update after **each single example**, using that
#   example's gradient as a cheap, noisy estimate of the true one. n updates per epoch.
# * **mini-batch**: the middle road, average over a small random batch of k examples;
#   n / k updates per epoch.
#
# Below, the same network, the same initial weights, the same data and the same learning rate
# are trained three times; only `batch_size` changes (`None`, `1`, `8`).

# %%
import math
import random

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import no_grad
from course import exercises
from nn import MLP, SGD, fit, regression_1d

random.seed(0)

# %% [markdown]
# ## Data and model
#
# Forty noisy samples of a sine curve, and a network with one input, 12 tanh hidden neurons and
# a linear output, trained on the mean squared error.

# %%
X, y = regression_1d(40, noise=0.15, seed=0)

def fresh_model():
    return MLP(1, [12, 1], activation="tanh", seed=1)      # same seed: same starting weights

assert [p.data for p in fresh_model().parameters()] == [p.data for p in fresh_model().parameters()]
print(fresh_model(), "with", len(fresh_model().parameters()), "parameters")

# %%
modes = {"batch (batch_size=None)": None, "stochastic (batch_size=1)": 1, "mini-batch (batch_size=8)": 8}
colours = {None: "tab:blue", 1: "tab:red", 8: "tab:green"}
EPOCHS, LR = 60, 0.02
models, histories = {}, {}
for name, batch_size in modes.items():
    model = fresh_model()
    histories[name] = fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=LR),
                          epochs=EPOCHS, batch_size=batch_size, seed=0, progress=False)
    models[name] = model
    h = histories[name]
    print(f"{name:28} {len(h.step_loss):5} updates   loss after epoch 1: {h.loss[0]:.4f}   after {EPOCHS}: {h.loss[-1]:.4f}")

# %% [markdown]
# ## Loss against epochs
#
# An epoch costs the same for all three (every example goes through the network once), so this
# plot compares them at equal **computation**. Stochastic descent makes 40 updates in the time
# batch descent makes one, so it drops fastest at first; but it then hovers, jittering, at a
# level set by its noise. Batch descent descends smoothly and keeps improving slowly.

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.6))
for name, batch_size in modes.items():
    ax.plot(range(1, EPOCHS + 1), histories[name].loss, color=colours[batch_size], label=name)
ax.set_yscale("log"); ax.set_xlabel("epoch"); ax.set_ylabel("training loss (mean over the epoch)")
ax.set_title("Same model, seed, data and learning rate: loss per epoch")
ax.legend(); plt.show()


# %% [markdown]
# ## Loss against updates
#
# Counted per **update**, the picture flips: each batch update uses the exact gradient, so
# its curve is smooth and it gains the most per step. Each stochastic update sees only one
# example: the loss of that example (thin red line) jumps around by orders of magnitude, and
# only its running average (thick) shows the trend. Mini-batches average out part of the noise.
# (Single-example losses sometimes fall far below the axis: an example the network happens to fit
# almost exactly. The axis stops at 10⁻³.)

# %%
def running_mean(values, width):
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v
        if i >= width:
            total -= values[i - width]
        out.append(total / min(i + 1, width))
    return out

fig, ax = plt.subplots(figsize=(6.5, 3.8))
sgd = histories["stochastic (batch_size=1)"].step_loss
ax.plot(range(1, len(sgd) + 1), sgd, color=colours[1], linewidth=0.3, alpha=0.4,
        label="stochastic: loss of each single example")
ax.plot(range(1, len(sgd) + 1), running_mean(sgd, 40), color=colours[1], linewidth=2,
        label="stochastic: mean of the last 40 updates")
for name in ["mini-batch (batch_size=8)", "batch (batch_size=None)"]:
    losses = histories[name].step_loss
    ax.plot(range(1, len(losses) + 1), losses, color=colours[modes[name]], linewidth=2, label=name)
ax.set_xscale("log"); ax.set_yscale("log"); ax.set_ylim(1e-3, 3)
ax.set_xlabel("update (log scale)"); ax.set_ylabel("loss of the batch used by the update")
ax.set_title("Loss per update: stochastic descent is noisy")
ax.legend(fontsize=8); plt.show()

# %% [markdown]
# ## What the three networks learned
#
# All three fit the curve; they differ in how they got there.

# %%
grid = [-3 + 6 * i / 200 for i in range(201)]
fig, ax = plt.subplots(figsize=(6.5, 3.6))
ax.scatter([x[0] for x in X], y, color="black", s=12, label="training data")
with no_grad():
    for name, batch_size in modes.items():
        ax.plot(grid, [models[name]([g]).data for g in grid], color=colours[batch_size], label=name)
ax.plot(grid, [math.sin(g) for g in grid], color="gray", linestyle=":", label="sin x (no noise)")
ax.set_xlabel("x"); ax.legend(fontsize=8); ax.set_title(f"The three fits after {EPOCHS} epochs")
plt.show()

# %% [markdown]
# In practice mini-batches are the usual choice: they keep most of the speed of stochastic
# descent per epoch, smooth out much of its noise, and (on real hardware) let many examples be
# processed in parallel. Whichever the flavour, the code path in `fit` is the same: only
# `batch_size` changes.
#
# ## Exercises
#
# **Exercise 8.1.** With 40 training examples, how many updates does one epoch make with
# `batch_size=None`, `1`, `8` and `7`? (With 7 the last batch is smaller.) Fill in the dict
# `batch_size → updates` for all four; the check trains one epoch of each and counts.

# %% exercise="8.1"
my_updates = ...   # e.g. {None: ..., 1: ..., 8: ..., 7: ...}

# %%
exercises.batches.updates_per_epoch(my_updates)

# %% [markdown]
# **Exercise 8.2.** A one-weight model y = w·x and three examples (x, d): (1, 2), (2, 1),
# (3, 5). The full-batch loss is the mean of the examples' squared errors,
# (1/3) Σᵢ (w·xᵢ − dᵢ)². At w = 1, what is its derivative with respect to w, the gradient one
# batch update uses? (Work out each example's slope 2xᵢ(w·xᵢ − dᵢ) first.)

# %% exercise="8.2"
my_batch_grad = ...

# %%
exercises.batches.batch_gradient(my_batch_grad)

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
# # 1 · Loss and error: how wrong is a network?
#
# A network is trained by making it *less wrong*. Before we can improve anything we need a
# number that says how wrong it is right now. That number has many names (loss, cost, error,
# penalty); they all mean "the price of the mistakes".
#
# In this notebook:
#
# 1. the mistake on **one** example: desired output minus what the network said;
# 2. why we cannot simply add signed mistakes over a training set;
# 3. the two everyday fixes, **mean squared error** (MSE) and **mean absolute error** (MAE),
#    computed with our `Value` engine;
# 4. how the loss changes as we turn one weight: the landscape that training will walk down.

# %%
import math
import random

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import Value
from course import exercises
from nn import mae, mse

random.seed(0)

# %% [markdown]
# ## A tiny "network" and a tiny training set
#
# Our network is the smallest one there is: one input, one weight `w`, one bias `b`, and no
# activation, so its output is y = w·x + b. The training set holds six pairs (x, d), where `d`
# is the **desired** output (the label). They lie near a line, with a little noise.
#
# A note on letters: the lecture's slides call the label y and the network's output ŷ, while its
# transcript, like these notebooks, calls the label d (desired) and the output y. So the slides'
# y is our d, and the slides' ŷ is our y.

# %%
xs = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
ds = [1.2, 2.8, 5.3, 6.9, 9.2, 10.8]     # roughly d = 2x + 1

w = Value(1.5, label="w")
b = Value(0.5, label="b")

def predict(x):
    return w * x + b

ys = [predict(x) for x in xs]
for x, d, y in zip(xs, ds, ys):
    print(f"x = {x:3.1f}   desired d = {d:5.2f}   network y = {y.data:5.2f}   mistake d - y = {d - y.data:+5.2f}")

# %% [markdown]
# The mistake on a single example is `d − y`. Ideally it is zero; here every example is
# under-predicted, and the further right, the worse. Drawn, the mistakes are the vertical
# gaps between each point and the network's line:

# %%
fig, ax = plt.subplots(figsize=(5.5, 3.6))
grid = [i / 10 for i in range(0, 51)]
ax.plot(grid, [w.data * g + b.data for g in grid], color="tab:blue", label="network y = w·x + b")
ax.scatter(xs, ds, color="black", zorder=3, label="desired d")
for x, d, y in zip(xs, ds, ys):
    ax.plot([x, x], [y.data, d], color="tab:red", linewidth=2)
ax.plot([], [], color="tab:red", linewidth=2, label="mistake d − y")
ax.set_xlabel("x"); ax.set_ylabel("output"); ax.legend(loc="upper left")
ax.set_title("One mistake per training example")
plt.show()

# %% [markdown]
# ## Adding up the mistakes: signs cancel
#
# The training set's total error is usually the sum (or the mean) of the per-example errors.
# Summing the *signed* mistakes `d − y` is a trap: a line that is too high on half the points
# and too low on the other half scores zero while being wrong everywhere. Here is such a line,
# a flat one through the middle of the data:

# %%
flat_level = sum(ds) / len(ds)           # a horizontal line at the average label
signed = [d - flat_level for d in ds]
print("signed mistakes of the flat line:", [round(s, 2) for s in signed])
print("their sum:", round(sum(signed), 12), " <- 'perfect', yet the line ignores x completely")

# %% [markdown]
# So we first make each mistake non-negative, then average over the m examples:
#
# * **MSE**, mean squared error: (1/m) Σᵢ (dᵢ − yᵢ)²
# * **MAE**, mean absolute error: (1/m) Σᵢ |dᵢ − yᵢ|
#
# Both are zero only when every prediction is exact. We compute them as `Value`
# expressions, so the engine remembers how the loss was built from `w` and `b`; in the next
# notebooks this is what lets us ask *which way to turn each weight*. The `nn` package has
# both as ready-made functions, `mse(outputs, targets)` and `mae(outputs, targets)`.

# %%
m = len(xs)
mse_by_hand = sum((d - y) ** 2 for d, y in zip(ds, ys)) / m
mae_by_hand = sum(abs(d - y) for d, y in zip(ds, ys)) / m
print(f"MSE = {mse_by_hand.data:.4f}    nn.mse gives {mse(ys, ds).data:.4f}")
print(f"MAE = {mae_by_hand.data:.4f}    nn.mae gives {mae(ys, ds).data:.4f}")

flat_mse = sum((d - flat_level) ** 2 for d in ds) / m
print(f"the flat line, whose signed errors summed to 0, has MSE = {flat_mse:.4f}: no longer 'perfect'")

# %% [markdown]
# ## Squares punish big mistakes; absolute values do not
#
# Squaring a mistake of 4 costs 16, but a mistake of 0.5 costs only 0.25. MSE therefore cares
# a lot about the few worst examples, MAE treats every unit of error the same. Let us corrupt
# one label (an outlier) and see how much each loss reacts.

# %%
ds_outlier = list(ds)
ds_outlier[2] = 15.0                       # one bad label
def mse_of(labels): return sum((d - y.data) ** 2 for d, y in zip(labels, ys)) / m
def mae_of(labels): return sum(abs(d - y.data) for d, y in zip(labels, ys)) / m
print(f"MSE: {mse_of(ds):6.3f} -> {mse_of(ds_outlier):6.3f}   (x{mse_of(ds_outlier) / mse_of(ds):.1f})")
print(f"MAE: {mae_of(ds):6.3f} -> {mae_of(ds_outlier):6.3f}   (x{mae_of(ds_outlier) / mae_of(ds):.1f})")


# %% [markdown]
# ## The loss as a function of a weight
#
# Training changes the weights to lower the loss. Keep `b` fixed at 1 and slide `w` from 0 to 4:
# each value of `w` gives a different line and so a different loss. MSE traces a smooth bowl;
# MAE is made of straight pieces with corners (one wherever a prediction crosses its label).
# Both have their lowest point near w = 2, the slope the data was made with.

# %%
def losses_at(w_value, b_value=1.0):
    errors = [d - (w_value * x + b_value) for x, d in zip(xs, ds)]
    return sum(e * e for e in errors) / m, sum(abs(e) for e in errors) / m

w_grid = [i / 100 for i in range(0, 401)]
curves = [losses_at(wv) for wv in w_grid]
best_w = min(w_grid, key=lambda wv: losses_at(wv)[0])

fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
axes[0].plot(w_grid, [c[0] for c in curves], color="tab:purple")
axes[0].set_title("MSE(w), b = 1: a smooth bowl")
axes[1].plot(w_grid, [c[1] for c in curves], color="tab:green")
axes[1].set_title("MAE(w), b = 1: straight pieces, corners")
for ax in axes:
    ax.axvline(best_w, color="gray", linestyle=":")
    ax.set_xlabel("w")
axes[0].set_ylabel("loss")
plt.tight_layout(); plt.show()
print(f"lowest MSE on this grid at w = {best_w:.2f}")

# %% [markdown]
# Finding that lowest point is the **learning problem**. For this one-weight toy we could read
# it off a plot, or even solve it in closed form; for a network with thousands of weights
# neither works, and we will instead walk downhill step by step: *gradient descent*, the topic
# of the next notebook.
#
# ## Exercises
#
# A second model predicts `[1.0, 3.0, 5.0, 7.0, 9.0, 11.0]` for the same six examples (the
# labels `ds` above). Work out its two losses **by hand**: first write down its six mistakes
# d − y, then combine them with plain arithmetic (no loop over the data, no `nn`). Replace the
# `...` in each cell and run the check below it; it answers `correct`, `not yet` or `wrong:`
# with a hint.
#
# **Exercise 1.1.** The model's mean squared error.

# %% exercise="1.1"
my_mse = ...   # (1/6) · (the sum of the six squared mistakes)

# %%
exercises.losses.mse_by_hand(my_mse)

# %% [markdown]
# **Exercise 1.2.** The model's mean absolute error.

# %% exercise="1.2"
my_mae = ...

# %%
exercises.losses.mae_by_hand(my_mae)

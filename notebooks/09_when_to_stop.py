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
# # 9 · When to stop: validation curves, overfitting and early stopping
#
# Gradient descent keeps lowering the **training** error as long as we let it. But the goal is
# a network that works on examples it has **not** seen. With few, noisy examples a flexible
# network eventually starts to fit the noise itself: the training error keeps falling while
# the error on new data rises. That is **overfitting**, and it answers the question "how small
# is small enough?": stop when the error on held-out data stops improving.
#
# The recipe:
#
# 1. hold out part of the data as a **validation set**, never used for updates;
# 2. after every epoch, measure the loss on it;
# 3. stop when it has not improved for a while (the *patience*), and go back to the weights of
#    the best epoch.

# %%
import math
import random

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import Value, no_grad
from course import exercises
from nn import MLP, SGD, Adam, EarlyStopping, evaluate, fit, regression_1d, train_val_split

random.seed(0)

# %% [markdown]
# ## A small, noisy data set
#
# Twenty-four samples of sin(x) with a lot of noise; a third of them are held out.

# %%
X, y = regression_1d(24, noise=0.3, seed=2)
X_train, y_train, X_val, y_val = train_val_split(X, y, val_fraction=0.33, seed=0)
print(f"{len(X_train)} training examples, {len(X_val)} validation examples")

def fresh_model():
    return MLP(1, [16, 16, 1], activation="tanh", seed=5)   # 321 parameters for 16 points: plenty

def train(model, epochs, early_stopping=None):
    return fit(model, X_train, y_train, loss="mse", optimizer=Adam(model.parameters(), lr=0.01),
               epochs=epochs, validation=(X_val, y_val), early_stopping=early_stopping, progress=False)


# %% [markdown]
# ## One new tool: the Adam optimizer
#
# Every update so far was plain gradient descent, p ← p − η·∂E/∂p, which is what `nn.SGD`
# does. It would overfit this network too, but only after thousands of epochs. So that the
# story fits in a few hundred, this notebook trains with a widely used variant, **Adam**
# (`nn.Adam`). For every parameter it keeps two running averages over the updates so far: m,
# of the gradient g, and v, of g². Its step is η·m̂ / (√v̂ + ε), where m̂ and v̂ are the two
# averages corrected for having started at 0, and ε is a tiny number against division by 0.
#
# * Dividing by √v̂ (roughly |g|) makes every parameter's step about η long, whatever the size of
#   its gradient: parameters on shallow slopes move as fast as those on steep ones.
# * Averaging g keeps some of the previous direction, like a ball rolling downhill with momentum.
#
# One update on a shallow loss shows the difference:

# %%
p_sgd, p_adam = Value(1.0, label="p"), Value(1.0, label="p")
for p in (p_sgd, p_adam):
    (0.001 * p * p).backward()          # a shallow bowl: the gradient is only 0.002
SGD([p_sgd], lr=0.01).step()
Adam([p_adam], lr=0.01).step()
print(f"gradient {p_sgd.grad:g}: SGD moves p by {1 - p_sgd.data:.2g}, Adam by {1 - p_adam.data:.2g} (about η)")

# %% [markdown]
# Nothing in early stopping depends on the optimizer: with SGD the curves below would look the
# same, stretched over more epochs.
#
# ## Training for too long
#
# 600 epochs of full-batch descent, no stopping rule. We record both curves.

# %%
overfit_model = fresh_model()
full = train(overfit_model, epochs=600)
best_epoch = 1 + min(range(full.epochs), key=lambda i: full.val_loss[i])
print(f"training loss: {full.loss[0]:.3f} -> {full.loss[-1]:.4f}")
print(f"validation loss: lowest {min(full.val_loss):.4f} at epoch {best_epoch}, then {full.val_loss[-1]:.4f} at epoch {full.epochs}")

# %%
epochs = range(1, full.epochs + 1)
fig, ax = plt.subplots(figsize=(6.5, 3.8))
ax.plot(epochs, full.loss, color="tab:blue", label="training loss")
ax.plot(epochs, full.val_loss, color="tab:orange", label="validation loss")
ax.axvline(best_epoch, color="gray", linestyle=":", label=f"lowest validation loss (epoch {best_epoch})")
ax.set_yscale("log"); ax.set_ylim(0.005, 3)
ax.set_xlabel("epoch"); ax.set_ylabel("MSE (log scale)"); ax.legend()
ax.set_title("The gap opens: training keeps improving, validation gets worse")
plt.show()

# %% [markdown]
# (The wiggles in the first epochs are Adam's doing: its first steps are about η long for every
# parameter at once, whatever the gradient, and overshoot.) Left of the dotted line both losses fall: the network is learning the sine. Right of it the
# training loss keeps falling but the validation loss climbs: what is being learned now is the
# noise of these particular sixteen points.
#
# ## Early stopping
#
# `EarlyStopping(patience=50, restore_best=True)` watches the validation loss after each
# epoch. If it has not reached a new best for 50 epochs in a row, training stops, and the
# parameters of the best epoch are put back. The history records why it stopped.

# %%
stopped_model = fresh_model()
early = train(stopped_model, epochs=600, early_stopping=EarlyStopping(patience=50, restore_best=True))
print("stop reason:", early.stop_reason, "-", early.stop_message)
print("epochs run:", early.epochs, "  best epoch:", early.best_epoch, "  best weights restored:", early.restored_best)
val_now, _ = evaluate(stopped_model, X_val, y_val, loss="mse")
print(f"validation loss of the restored model: {val_now:.4f}  (its best during training: {min(early.val_loss):.4f})")
assert math.isclose(val_now, min(early.val_loss), rel_tol=1e-9)

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.8))
ax.plot(epochs, full.val_loss, color="tab:orange", alpha=0.35, label="validation loss, no stopping")
ax.plot(range(1, early.epochs + 1), early.val_loss, color="tab:orange", linewidth=2, label="validation loss, early stopping")
ax.plot(range(1, early.epochs + 1), early.loss, color="tab:blue", linewidth=2, label="training loss, early stopping")
ax.axvline(early.best_epoch, color="tab:green", linestyle="--", label=f"best epoch {early.best_epoch}: weights restored")
ax.axvline(early.epochs, color="tab:red", linestyle="--", label=f"stopped at epoch {early.epochs} (patience 50)")
ax.set_yscale("log"); ax.set_ylim(0.005, 3)
ax.set_xlabel("epoch"); ax.set_ylabel("MSE (log scale)"); ax.legend(fontsize=8)
ax.set_title("Early stopping: wait 50 epochs for a new best, then go back")
plt.show()

# %% [markdown]
# ## The two networks side by side
#
# The overfitted network bends to reach individual noisy training points; the early-stopped
# one is smoother and closer to the true curve, which is what the validation loss measured.

# %%
grid = [-3 + 6 * i / 300 for i in range(301)]
fig, ax = plt.subplots(figsize=(6.5, 3.8))
ax.scatter([x[0] for x in X_train], y_train, color="black", s=18, label="training points")
ax.scatter([x[0] for x in X_val], y_val, color="white", edgecolor="tab:orange", s=30, linewidth=1.5,
           label="validation points")
with no_grad():
    ax.plot(grid, [overfit_model([g]).data for g in grid], color="tab:purple",
            label=f"after {full.epochs} epochs (overfitted)")
    ax.plot(grid, [stopped_model([g]).data for g in grid], color="tab:green", linewidth=2,
            label=f"early stopping (epoch {early.best_epoch})")
ax.plot(grid, [math.sin(g) for g in grid], color="gray", linestyle=":", label="sin x")
ax.set_xlabel("x"); ax.legend(fontsize=8); ax.set_ylim(-2, 2)
ax.set_title("Overfitted vs early-stopped")
plt.show()

# %% [markdown]
# Other ways to decide "small enough" exist too: a target loss (`EarlyStopping(target=...)`
# stops as soon as it is reached), a fixed budget of epochs, or making overfitting harder in
# the first place (more data, a smaller network, the L2 penalty `fit(..., l2=...)`). Early
# stopping on a validation set is the one that needs no guess about the right size of the error.
#
# ## Exercises
#
# **Exercise 9.1.** Write the patience rule as a function. `stop_epoch(val_losses, patience)`
# gets one validation loss per epoch (epoch 1 first) and returns the pair
# `(best_epoch, stop_epoch)` that `EarlyStopping(patience=patience)` would reach: an epoch is a
# new best when its loss is strictly lower than every loss before it; training stops after the
# epoch that makes `patience` epochs in a row without a new best (or after the last epoch, if
# that never happens). Epochs count from 1.

# %% exercise="9.1"
def stop_epoch(val_losses, patience):
    """(best epoch, stop epoch) of the patience rule on one validation curve."""
    raise NotImplementedError

# %%
exercises.stopping.stop_epoch(stop_epoch)

# %% [markdown]
# **Exercise 9.2.** A less patient rule. The cell below trains the same network again, this
# time with `EarlyStopping(patience=20)`, and does not print what happened. Using only the curve
# of the run **without** stopping, `full.val_loss`, predict the best epoch and the epoch at
# which this run stopped, as a pair. (Both runs start from the same weights and see the data in
# the same order, so they are identical up to the stop.) Look at the first 60 epochs of the
# validation curve above: what do the wiggles do to a rule with little patience?

# %%
impatient = train(fresh_model(), epochs=600, early_stopping=EarlyStopping(patience=20))

# %% exercise="9.2"
my_prediction = ...   # (best epoch, stop epoch)

# %%
exercises.stopping.predicted_run(my_prediction, full, impatient)

# %% [markdown]
# Solutions to notebook 05, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="5.1"
my_grad = [2, -1, 0.5]              # ∂Z/∂wᵢ = xᵢ

# %% wrong="5.1"
my_grad = [0.3, 0.8, -1.0]          # the weights

# %% solution="5.2"
my_new_w = [0.3 - 0.5 * 2, 0.8 - 0.5 * (-1), -1.0 - 0.5 * 0.5]

# %% wrong="5.2"
my_new_w = [0.3 + 0.5 * 2, 0.8 + 0.5 * (-1), -1.0 + 0.5 * 0.5]   # uphill

# %% [markdown]
# Solutions to notebook 08, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="8.1"
my_updates = {None: 1, 1: 40, 8: 5, 7: 6}      # ⌈40 / 7⌉ = 6: five batches of 7 and one of 5

# %% wrong="8.1"
my_updates = {None: 1, 1: 40, 8: 5, 7: 5}      # forgot the last, smaller batch

# %% solution="8.2"
# per-example slopes 2x(wx - d): 2·1·(1 - 2) = -2, 2·2·(2 - 1) = 4, 2·3·(3 - 5) = -12
my_batch_grad = (-2 + 4 - 12) / 3

# %% wrong="8.2"
my_batch_grad = -2 + 4 - 12                   # the sum, not the mean

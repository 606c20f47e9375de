# %% [markdown]
# Solutions to notebook 01, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="1.1"
# mistakes d - y:  0.2, -0.2, 0.3, -0.1, 0.2, -0.2
my_mse = (0.04 + 0.04 + 0.09 + 0.01 + 0.04 + 0.04) / 6

# %% wrong="1.1"
my_mse = 0.04 + 0.04 + 0.09 + 0.01 + 0.04 + 0.04   # forgot to divide by m

# %% solution="1.2"
my_mae = (0.2 + 0.2 + 0.3 + 0.1 + 0.2 + 0.2) / 6

# %% wrong="1.2"
my_mae = (0.2 - 0.2 + 0.3 - 0.1 + 0.2 - 0.2) / 6   # signed mistakes

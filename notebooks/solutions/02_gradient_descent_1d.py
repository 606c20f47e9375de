# %% [markdown]
# Solutions to notebook 02, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="2.1"
my_slope_at_2 = 3 * 2**2 - 3          # g'(x) = 3x² - 3

# %% wrong="2.1"
my_slope_at_2 = 2**3 - 3 * 2          # g(2), the height, not the slope

# %% solution="2.2"
my_next_x = 2 - 0.1 * (3 * 2**2 - 3)  # x - η g'(x)

# %% wrong="2.2"
my_next_x = 2 + 0.1 * (3 * 2**2 - 3)  # uphill

# %% [markdown]
# Solutions to notebook 03, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="3.1"
my_gradient = (2 * 1 + (-1) - 4, 1 + 6 * (-1) - 2)           # (2x₀ + x₁ - 4, x₀ + 6x₁ - 2)

# %% wrong="3.1"
my_gradient = (1 + 6 * (-1) - 2, 2 * 1 + (-1) - 4)           # swapped

# %% solution="3.2"
my_next_point = (1 - 0.1 * (-3), -1 - 0.1 * (-7))

# %% wrong="3.2"
my_next_point = (1 + 0.1 * (-3), -1 + 0.1 * (-7))            # uphill

# %% solution="3.3"
# The steep direction limits η (above about 0.32 the steps grow), the flat one needs η large
# enough to cover the distance in 15 steps: anything from about 0.19 to 0.27 works.
my_eta = 0.25

# %% wrong="3.3"
my_eta = 0.15    # converges, but too slowly for 15 steps

# %% [markdown]
# Solutions to notebook 04, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="4.1"
# q = 2·(-1) + (-1) = -3
my_dF_dx = 2 * (-3) * (-1)          # ∂F/∂q · ∂q/∂x = 2q · y

# %% wrong="4.1"
my_dF_dx = 2 * (-3)                 # ∂F/∂q only

# %% solution="4.2"
my_dF_dy = 2 * (-3) * (2 + 1)       # ∂F/∂q · ∂q/∂y = 2q · (x + 1): two paths through y

# %% wrong="4.2"
my_dF_dy = 2 * (-3) * 2             # only the path through x·y

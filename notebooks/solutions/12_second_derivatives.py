# %% [markdown]
# Solutions to notebook 12, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong.

# %% solution="12.1"
my_second_derivative = 6 * 2            # g″(x) = 6x

# %% wrong="12.1"
my_second_derivative = 3 * 2**2 - 3     # g′(2), one derivative short

# %% solution="12.2"
my_newton_x = 2 - (3 * 2**2 - 3) / (6 * 2)     # 2 − 9/12 = 1.25

# %% wrong="12.2"
my_newton_x = 2 - (6 * 2) / (3 * 2**2 - 3)     # g″/g′ upside down

# %% solution="12.3"
# the factors |1 − ηλ| are equal when 1 − ηλ_flat = −(1 − ηλ_steep): η = 2/(λ_flat + λ_steep),
# and λ_flat + λ_steep is the trace of the Hessian, 2 + 6
my_best_eta = 2 / (2 + 6)

# %% wrong="12.3"
my_best_eta = 1 / (4 + 5**0.5)          # 1/λ_steep: the flat direction is left crawling

# %% [markdown]
# Solutions to notebook 11, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="11.1"
class Softplus(Op):
    """y = ln(1 + eˣ); ∂y/∂x = eˣ / (1 + eˣ) = σ(x)."""

    name = "softplus"

    def forward(self, x):
        return math.log1p(math.exp(x)), (1 / (1 + math.exp(-x)),)

    def formulas(self, inputs, output):
        return [f"σ({inputs[0]})"]


# %% wrong="11.1"
class Softplus(Op):
    """The chain rule stopped half-way: 1 / (1 + eˣ), without the inner eˣ."""

    name = "softplus"

    def forward(self, x):
        return math.log1p(math.exp(x)), (1 / (1 + math.exp(x)),)


# %% solution="11.2"
class Sin(Op):
    """y = sin(x); ∂y/∂x = cos(x)."""

    name = "sin"

    def forward(self, x):
        return math.sin(x), (math.cos(x),)

    def formulas(self, inputs, output):
        return [f"cos({inputs[0]})"]


# %% wrong="11.2"
class Sin(Op):
    """The derivative with the wrong sign (−cos x is the slope of −sin x)."""

    name = "sin"

    def forward(self, x):
        return math.sin(x), (-math.cos(x),)

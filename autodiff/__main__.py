"""``python -m autodiff draw|explain|step ...``: see :mod:`autodiff.cli.commands`."""

import sys

from .cli.commands import run

if __name__ == "__main__":
    sys.exit(run())

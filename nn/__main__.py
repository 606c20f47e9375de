"""``python -m nn``: the command line of :mod:`nn.cli` (``demo`` and ``train``)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

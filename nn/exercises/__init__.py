"""Checks for the notebooks' exercises: each prints one line, ``exercise <id>: ...``."""

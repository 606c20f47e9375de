"""The command line ``python -m autodiff draw|explain|step``.

``commands.py`` is the one argparse tree and what each command does; the expression
language the three commands read is :mod:`autodiff.expression`, shared with the browser lab.
"""

"""The command line ``python -m autodiff draw|explain|step``.

``expression.py`` is the safe expression language the three commands share (parse,
evaluate, bindings); ``commands.py`` is the one argparse tree and what each command does.
"""

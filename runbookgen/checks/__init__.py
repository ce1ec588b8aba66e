"""The lint checks: one module per check, each with a code, a name, a default level and its documentation.

See ``registry.CHECKS`` for the list and ``docs.py`` for the pages generated from the docstrings.
"""

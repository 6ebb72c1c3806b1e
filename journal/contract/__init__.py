"""The post contract and what it rests on: pure code, no Sphinx.

The importer, ``journal new`` and the build share it.
"""

"""Command-line tools: ``python -m journal new``, ``import-jekyll``, the build benchmark. Nothing imports them."""

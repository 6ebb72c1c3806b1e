"""A learning journal on Sphinx: our extension for ABlog + MyST + sphinx-book-theme.

``extensions = [..., "journal"]`` in ``conf.py`` registers every piece below.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from journal import config, posts

#: Our features, each a small Sphinx extension of its own (``setup(app)``), loaded in this order.
FEATURES: list[str] = [
    "journal.gcfreeze",
    "journal.autoescape",
    "journal.navigation",
    "journal.ablog_patches",
    "journal.pagewriters",
    "journal.incremental",
    "journal.searchindex_fix",
    "journal.notes",
    "journal.notelist",
    "journal.backlinks",
    "journal.feeds",
    "journal.discovery",
    "journal.pages",
    "journal.widgets",
    "journal.templatecache",
    "journal.comments",
    "journal.korean",
    "journal.redirects_check",
    "journal.localfiles",
]

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("ablog")
    config.register(app)
    posts.setup(app)
    for feature in FEATURES:
        app.setup_extension(feature)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}

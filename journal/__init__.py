"""A learning journal on Sphinx: our extension for ABlog + MyST + sphinx-book-theme.

``extensions = [..., "journal"]`` in ``conf.py`` registers every piece below.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from journal import config
from journal.content import posts

#: Our features, each a small Sphinx extension of its own (``setup(app)``), loaded in this order.
FEATURES: list[str] = [
    "journal.speed.gcfreeze",
    "journal.upstream.templates",
    "journal.pages.navigation",
    "journal.upstream.ablog",
    "journal.speed.pagewriters",
    "journal.speed.incremental",
    "journal.upstream.sphinx_search",
    "journal.content.notes",
    "journal.content.notelist",
    "journal.content.backlinks",
    "journal.publishing.feeds",
    "journal.publishing.discovery",
    "journal.pages",
    "journal.speed.widgets",
    "journal.speed.templatecache",
    "journal.publishing.comments",
    "journal.korean",
    "journal.publishing.redirects",
    "journal.content.localfiles",
]

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("ablog")
    config.register(app)
    posts.setup(app)
    for feature in FEATURES:
        app.setup_extension(feature)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}

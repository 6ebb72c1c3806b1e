"""sphinx-sitemap's page queue, which it offers no API for: the one door to sphinx-sitemap.

sphinx-sitemap 2.x collects the pages it lists in ``html-page-context`` into a queue,
``app.sitemap_links`` (a ``multiprocessing.Manager().Queue()``, created at ``builder-inited``),
with its function ``add_html_link``, and writes ``sitemap.xml`` from that queue at
``build-finished``. :mod:`journal.publishing.discovery` replaces the queue with a plain one and
adds the pages an incremental build did not rewrite. ``tests/test_upstream.py`` pins the source of
``add_html_link`` and ``record_builder_type`` (where the queue is made), so a sphinx-sitemap that
changes either fails a test instead of writing a sitemap that lists too few pages.
"""

from __future__ import annotations

import queue
from typing import Any

from sphinx_sitemap import add_html_link

__all__ = ["add_page", "drain", "replace_queue", "sitemap_queue"]


def sitemap_queue(app: Any) -> Any:
    """sphinx-sitemap's queue of ``(page link, last updated)`` items, or None when it is not loaded."""
    return getattr(app, "sitemap_links", None)


def replace_queue(app: Any) -> None:
    """Give sphinx-sitemap a plain in-process queue instead of its ``multiprocessing.Manager`` one."""
    if hasattr(app, "sitemap_links"):
        app.sitemap_links = queue.SimpleQueue()


def drain(links: Any) -> list[tuple[str, str | None]]:
    """Everything in sphinx-sitemap's queue *links*, which is left empty."""
    items = []
    while not links.empty():
        items.append(links.get_nowait())
    return items


def add_page(app: Any, pagename: str) -> None:
    """Queue *pagename* as sphinx-sitemap does for a page it sees written (its URL rules and excludes)."""
    add_html_link(app, pagename, "page.html", {}, None)

"""sphinx-notfound-page's 404 page, written only when what it shows changed.

Reason: its ``html-collect-pages`` handler (``notfound.extension.html_collect_pages``) yields
the 404 page on every build, so every rebuild, even one that changed nothing, renders a whole
page through the theme for it. Sphinx has no way to filter another extension's pages, so that
handler is disconnected (:func:`patch_not_found_page`, at ``builder-inited``, once every
extension is set up) and called from ours (:func:`collect_not_found_page`, in the event table at
notfound's priority), which leaves the page out when it is on disk from the same inputs
(:func:`journal.speed.incremental.site_page_unchanged`): the page is made from the
``notfound_*`` settings (part of the configuration's hash, which the site digest holds) and
shows the sidebars (the site digest). ``tests/test_upstream.py`` pins the handler's source.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from notfound.extension import html_collect_pages as NOTFOUND_PAGES
from sphinx.application import Sphinx

from journal.speed.incremental import site_page_unchanged
from journal.upstream.listeners import disconnect

EXTENSION = "notfound.extension"
#: The priority sphinx-notfound-page connects ``html_collect_pages`` at (Sphinx's default).
NOTFOUND_PRIORITY = 500


def collect_not_found_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: sphinx-notfound-page's pages, unless unchanged on disk."""
    if EXTENSION not in app.extensions:
        return
    for page in NOTFOUND_PAGES(app):
        if not site_page_unchanged(app, page[0], page):
            yield page


def patch_not_found_page(app: Sphinx) -> None:
    """``builder-inited``: disconnect sphinx-notfound-page's handler (ours takes its place)."""
    if EXTENSION not in app.extensions:  # a project without it
        return
    disconnect(app, "html-collect-pages", NOTFOUND_PAGES, NOTFOUND_PRIORITY, __name__)

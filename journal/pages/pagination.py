"""The journal index and the archives, N posts a page: page links and ``<link rel="prev/next">``.

The pages themselves come from :mod:`journal.upstream.ablog_pages` (names and slices from
:mod:`journal.contract.pagination`). Here: page 1 of the journal index (a source page) lists
only its first N posts and ends with the page links; every paginated page's ``prev``/``next``
(the theme's ``<link rel>`` in the head and its prev/next bar) are its neighbouring pages. The
canonical URL of page k is page k's own (Sphinx derives it from the page name).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from journal.contract.pagination import Pagination
from journal.upstream.ablog_pages import JOURNAL_INDEX, journal_index_pagination, limit_postlist
from journal.upstream.ablog_state import PostList

TEMPLATE = "journal/pagination.html"


def first_page_of_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, before ABlog fills post lists: the journal index's list shows page 1."""
    if docname != JOURNAL_INDEX or app.builder.format != "html":
        return
    for node in doctree.findall(PostList):
        if limit_postlist(node, app.config.journal_listing_page_size):
            return


def page_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: prev/next are the listing's neighbouring pages; the journal index's list
    ends with the page links (archive pages include them in their template)."""
    if app.builder.format != "html" or "pathto" not in context:
        return
    pagination: Pagination | None = context.get("journal_pagination")
    if pagination is None and pagename == JOURNAL_INDEX and "body" in context:
        pagination = journal_index_pagination(app, app.config.journal_listing_page_size)
        context["journal_pagination"] = pagination
        nav = app.builder.templates.render(TEMPLATE, context)
        context["body"] = context["body"] + nav  # as journal.pages.insert_after_title: body is the page's HTML
    if pagination is not None:
        set_neighbours(context, pagination)


def set_neighbours(context: dict[str, Any], pagination: Pagination) -> None:
    """The theme's ``prev``/``next`` (its ``<link rel>`` in the head and its prev/next bar) are the
    neighbouring pages of the listing, not the toctree's neighbours."""
    pathto = context["pathto"]
    for key, name, number in (
        ("prev", pagination.previous, pagination.number - 1),
        ("next", pagination.next, pagination.number + 1),
    ):
        context[key] = {"link": pathto(name), "title": f"{number}쪽"} if name else None

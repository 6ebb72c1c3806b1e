"""The learning-journal look: post cards, post header, series box, related posts, scannable archives.

Page data is computed in small modules (:mod:`reading_time`, :mod:`series`, :mod:`related`,
:mod:`cards`, :mod:`archive`, :mod:`images`) and reaches the templates in ``_templates/journal/``
through ``html-page-context`` (post pages, catalog pages) or a placeholder node (home cards).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sphinx.application import Sphinx

from journal.pages import facts, home, mathml
from journal.pages.context import SERIES_PAGE, PageData
from journal.speed.incremental import site_page_unchanged

HEADER_TEMPLATE = "journal/post-header.html"


def add_page_data(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html":
        return
    data = PageData(app, pagename)
    if templatename == "ablog/catalog.html" and "catalog" in context:
        context["journal_catalog"] = data.catalog_sections(context["catalog"])
    if pagename not in data.posts or "body" not in context:
        return
    page = data.post_page(pagename, app.config.journal_related_posts)
    context["journal_post"] = page
    header = app.builder.templates.render(HEADER_TEMPLATE, {**context, "journal_post": page})
    context["body"] = insert_after_title(context["body"], header)


def insert_after_title(body: str, html: str) -> str:
    """*html* right after the page's ``<h1>``; at the top when the page has none."""
    end = body.find("</h1>")
    if end < 0:
        return html + body
    end += len("</h1>")
    return body[:end] + html + body[end:]


def series_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.format != "html" or SERIES_PAGE in app.env.found_docs:
        return
    # It shows the posts' series (their front matter: in the site digest) and the sidebars.
    page = (SERIES_PAGE, {"title": "시리즈", "parents": []}, "journal/series-index.html")
    if not site_page_unchanged(app, SERIES_PAGE, page):
        yield page


def series_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if pagename == SERIES_PAGE and templatename == "journal/series-index.html":
        context["journal_series"] = PageData(app, pagename).all_series()


def setup(app: Sphinx) -> dict[str, Any]:
    facts.setup(app)
    home.setup(app)
    mathml.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sidebar widgets rendered once per output folder instead of once per page.

Every page's sidebar repeats the book navigation, recent posts, tag cloud, categories and
archives, and pydata-sphinx-theme renders each sidebar template a second time to drop empty
ones. On most pages these widgets differ only in their relative links, which depend on the
page's folder alone; at 1,000 posts rendering them was about half of the writing phase.

A template opts in by rendering ``{{ journal_widget("<the real template>") }}``. For an
*ordinary* page the real template is rendered once per output folder and reused. Ordinary pages
are the posts the widgets cannot tell apart from their neighbours: a widget links to a page
with ``#`` on that page itself, so every page a widget links to renders its own, namely

* pages that are not posts (tag, category and year pages; notes; the listings; the home page),
* posts in a toctree (the navigation marks and opens them),
* the newest posts (ABlog's recent-posts widget links to them and leaves out the page itself).

Pages 2, 3, … of a listing (``blog/tag/python/page/2``: no source document) are ordinary too:
the widgets link to a listing's page 1 only, so such pages share their folder's renderings.

Other pages render each widget once instead of twice.

The cache lives in the writing process only, for one build.
``journal_widget_cache = False`` renders every widget on every page (the tests compare both).

Every non-empty widget is written between two comments naming it (:func:`delimited`), so that
:mod:`journal.speed.splice` can put a folder's new widgets into pages written by an earlier
build without rendering them again (empty ones stay empty: the theme drops their container).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from itertools import islice
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx

from journal.contract.pagination import is_later_page
from journal.speed.incremental import once_per_build
from journal.state import posts_of
from journal.upstream.ablog_state import RECENT_POSTS, blog

#: Around each widget in the written page: ``<!-- journal-widget TEMPLATE -->…<!-- /journal-widget -->``.
WIDGET_START = "<!-- journal-widget "
WIDGET_END = "<!-- /journal-widget -->"


def delimited(template: str, html: str) -> str:
    """*html*, a widget's rendering, between the comments naming it (nothing when it is empty)."""
    if not html.strip():
        return html
    return f"{WIDGET_START}{template} -->{html}{WIDGET_END}"


def render_widget(app: Sphinx, template: str, context: dict[str, Any]) -> str:
    # Markup: HTML our templates rendered, printed as it is by the autoescaped overrides
    # (journal.upstream.templates).
    return Markup(delimited(template, app.builder.templates.render(template, context)))  # noqa: S704


class WidgetCache:
    def __init__(self, ordinary: set[str], documents: set[str] | None = None) -> None:
        #: The documents that share their folder's renderings (with the listings' later pages).
        self.ordinary = ordinary
        self.documents = documents or set()
        self.rendered: dict[tuple[str, ...], str] = {}

    def shares(self, pagename: str) -> bool:
        """*pagename* shows its folder's widgets."""
        return pagename in self.ordinary or (pagename not in self.documents and is_later_page(pagename))

    @classmethod
    def for_build(cls, app: Sphinx) -> WidgetCache:
        env = app.env
        toctree_pages = set(env.toctree_includes).union(*env.toctree_includes.values())
        newest = {post.docname for post in islice(blog(app).posts, RECENT_POSTS)}
        posts = set(posts_of(env))
        return cls(posts - toctree_pages - newest, set(env.found_docs))

    def widget_function(self, app: Sphinx, pagename: str, context: dict[str, Any]) -> Callable[[str], str]:
        """``journal_widget(template)`` for the page being written."""
        if not app.config.journal_widget_cache:
            return lambda template: render_widget(app, template, context)
        scope: tuple[str, ...]
        if self.shares(pagename):
            rendered, scope = self.rendered, (folder_of(app, pagename),)
        else:  # still rendered once, not twice (see the module's docstring)
            rendered, scope = {}, ()

        def journal_widget(template: str) -> str:
            key = (template, *scope)
            if key not in rendered:
                rendered[key] = render_widget(app, template, context)
            return rendered[key]

        return journal_widget


def folder_of(app: Sphinx, pagename: str) -> str:
    """The output folder of *pagename*: its ordinary pages share their widgets."""
    return posixpath.dirname(app.builder.get_target_uri(pagename))


def ordinary_pages(app: Sphinx) -> set[str]:
    """The pages that share their folder's widgets in this build."""
    return widget_cache(app).ordinary


def widget_cache(app: Sphinx) -> WidgetCache:
    return once_per_build(app.env, "widgets", lambda: WidgetCache.for_build(app))


def add_widget_function(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html":
        return
    context["journal_widget"] = widget_cache(app).widget_function(app, pagename, context)

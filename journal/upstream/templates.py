"""Front-matter values are text in every page: our templates and ABlog's escape what they print.

Sphinx compiles templates without Jinja's autoescape: its own context values (``body``,
``title``, ``toc``) are HTML it produced, and themes print them as they are. Our templates and
ABlog's print values taken from front matter (titles, tags, categories, authors, excerpts,
series names, image paths), so a title ``</a><script>…`` would become markup in the sidebar of
every page. Templates named ``journal/…`` and ``ablog/…`` (ours, ABlog's, and our overrides of
ABlog's) are therefore compiled with autoescape on, at ``builder-inited``, before any is loaded:
every ``{{ value }}`` in them is escaped unless the value is :class:`markupsafe.Markup`.

What those templates print as HTML must say so: the rendered sidebar widgets
(:mod:`journal.speed.widgets`), ABlog's rendered excerpts (``Post.to_html``, in
:mod:`journal.upstream.ablog`), the navigation Sphinx renders (``|safe`` in the template).

Sphinx's and the theme's own templates keep their rules; values we hand them (prev/next titles,
ABlog's archive page titles) are escaped where we hand them over, and the two titles that
sphinx-book-theme puts in its context as plain text are escaped here (:data:`THEME_TEXT_TITLES`).
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape
from sphinx.application import Sphinx

#: Template folders whose templates are compiled with autoescape on.
ESCAPED_FOLDERS = ("journal/", "ablog/")


def escapes(template_name: str | None) -> bool:
    """Jinja's autoescape policy: True for our templates and ABlog's (``!ablog/…`` too)."""
    return template_name is not None and template_name.lstrip("!").startswith(ESCAPED_FOLDERS)


def escape_template_values(app: Sphinx) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is not None:  # a builder without templates has nothing to escape
        environment.autoescape = escapes


#: Context values sphinx-book-theme 1.4 fills with a title's plain text (``title.astext()``) and
#: prints unescaped: ``pagetitle`` in the print-only ``<h1>`` of layout.html, ``root_title`` in
#: its navigation. Every other title in a Sphinx context is HTML already.
THEME_TEXT_TITLES = ("pagetitle", "root_title")


def escape_theme_titles(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    for name in THEME_TEXT_TITLES:
        if isinstance(context.get(name), str):
            context[name] = escape(context[name])  # escape() leaves Markup (already HTML) alone

"""The home page's post cards: ``{postcards} 6`` in a page becomes the newest posts as cards.

The directive leaves a placeholder node; when the page is written (all posts known), the HTML
translator renders ``_templates/journal/postcards.html`` with the cards in its place. Other
builders skip it. The node holds no text, so the search index does not see the cards.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from journal.pages.context import PageData
from journal.speed.incremental import mark_listing_page

DEFAULT_COUNT = 6
TEMPLATE = "journal/postcards.html"


class postcards(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """Placeholder for the newest posts as cards."""


class PostCardsDirective(SphinxDirective):
    optional_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"heading": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        try:
            count = int(self.arguments[0]) if self.arguments else DEFAULT_COUNT
        except ValueError:
            raise self.error(f"postcards: the argument is the number of cards, not {self.arguments[0]!r}") from None
        if count < 1:
            raise self.error("postcards: show at least one card")
        # Cards list posts: the page is written again whenever a post changes (not re-read).
        mark_listing_page(self.env, self.env.docname)
        return [postcards(count=count, heading=self.options.get("heading", ""))]


def visit_postcards_html(translator: Any, node: postcards) -> None:
    builder = translator.builder
    data = PageData(builder.app, builder.current_docname)
    cards = [data.card(docname) for docname in data.published()[: node["count"]]]
    html = builder.templates.render(TEMPLATE, {"cards": cards, "heading": node["heading"], "data": data})
    translator.body.append(html)
    raise nodes.SkipNode


def skip(translator: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    others: dict[str, Any] = {fmt: (skip, None) for fmt in ("latex", "text", "man", "texinfo")}
    app.add_node(postcards, html=(visit_postcards_html, None), **others)
    app.add_directive("postcards", PostCardsDirective)

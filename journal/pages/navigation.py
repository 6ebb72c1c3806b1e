"""One prev/next bar per post, in date order.

Posts are not in any toctree (a journal of hundreds of posts would make every
page's navigation, and every build, grow with the square of the post count), so
the theme's own prev/next bar has nothing to show for them; ABlog's second bar
is switched off (``post_show_prev_next = False``). Here the theme's bar gets the
chronological neighbours instead: "이전" is the older post, "다음" the newer one.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from markupsafe import escape
from sphinx.application import Sphinx

from journal.upstream.ablog_state import blog


def chronological_neighbours(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.Node | None
) -> None:
    """``html-page-context``: the theme's prev/next bar gets the post's older and newer neighbours."""
    if doctree is None or app.builder.format != "html":
        return
    posts = blog(app).posts
    if pagename not in posts:
        return
    post = posts[pagename]
    pathto = context["pathto"]
    context["prev"] = {"link": pathto(post.prev.docname), "title": escape(post.prev.title)} if post.prev else None
    context["next"] = {"link": pathto(post.next.docname), "title": escape(post.next.title)} if post.next else None

"""What a reader downloads besides the page itself: icons as a small stylesheet (`icons`), one
stylesheet bundle (`stylesheets`), scripts that never block the first paint (`scripts`), pages
without their templates' indentation (`htmlspace`), and
``journal-sidebars.js``, which makes the book theme's sidebar buttons work on phones."""

from __future__ import annotations

from sphinx.application import Sphinx

from journal.assets.icons import STYLESHEET


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_css_file(STYLESHEET)
    app.add_js_file("journal-sidebars.js", defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}

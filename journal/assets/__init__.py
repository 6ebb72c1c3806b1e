"""What a reader downloads besides the page itself: icons as a small stylesheet (`icons`) and
scripts that never block the first paint (`scripts`)."""

from __future__ import annotations

from sphinx.application import Sphinx

from journal.assets.icons import STYLESHEET


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_css_file(STYLESHEET)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

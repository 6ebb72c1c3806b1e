"""ABlog labels that never reach gettext, translated through the same catalog.

ABlog 0.11.13 stores a few labels as plain English in its blog state instead of
calling gettext: the titles of its reference targets (``{ref}`blog-tags``` gets
the link title "Tags"; without explicit text it also shows "Tags") and the
names of its "Posts" and "Drafts" collections (the heading of the "All posts"
page reads "All Posts"). At ``builder-inited`` we pass those stored strings
through the ``sphinx`` catalog, the one ABlog's templates use, so they follow
the site's language like every other label. No ABlog code is replaced: the
``Blog`` object is ABlog's shared state, the same one its templates read.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.locale import get_translation

from journal.upstream.ablog_state import relabel

_ = get_translation("sphinx")

#: ABlog's reference targets whose titles are English labels.
REFERENCE_TARGETS = (
    "blog-archives",
    "blog-tags",
    "blog-authors",
    "blog-locations",
    "blog-languages",
    "blog-categories",
    "blog-posts",
    "blog-drafts",
)


def translate_blog_labels(app: Sphinx) -> None:
    relabel(app, REFERENCE_TARGETS, lambda label: str(_(label)))

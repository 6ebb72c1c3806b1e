"""Sphinx lets go of a page's pickled doctree once the page is resolved for writing.

Reason (Sphinx 9.0.4): ``BuildEnvironment.get_doctree`` (``sphinx/environment/__init__.py``)
keeps the bytes of every doctree file it reads in ``env._pickled_doctree_cache``, for the
whole build. While writing, the main process reads every page's doctree to resolve it, so by
the end of a full build it holds all of them: about 8 KB a page, 40 MB of the main process's
peak at 5,000 posts (the build's peak; the writing processes are forked from it). Nothing
reads most of them again.

The workaround: at the end of ``doctree-resolved`` (the page was read, resolved, and every
handler has used it), the page's entry leaves that cache. Code that wants a doctree later
(a feed's full-text entry, ABlog's full-text rendering) gets it from the same file, through
the same ``get_doctree``, as on a cache miss. Output is unchanged. ``tests/test_upstream.py``
pins ``get_doctree``, whose cache this relies on.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


def forget_pickled_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved, last: the page's pickled doctree leaves Sphinx's in-memory cache."""
    cache: dict[str, bytes] | None = getattr(app.env, "_pickled_doctree_cache", None)
    if cache is not None:
        cache.pop(docname, None)

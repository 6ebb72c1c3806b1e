"""sphinx-reredirects' rule for the file a redirect is written to: the one door to sphinx-reredirects.

:mod:`journal.publishing.redirects` checks every redirect before sphinx-reredirects writes it (a key
must not overwrite a page, nor land outside the output folder), so it asks sphinx-reredirects itself
where each file would go: ``Reredirects(app).docname_out_path(key, suffix)``, a method of the class
its ``html-collect-pages`` handler uses, not a documented API. ``tests/test_upstream.py`` pins that
method's source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sphinx_reredirects import Reredirects

__all__ = ["out_path_rule"]


def out_path_rule(app: Any) -> Callable[[str, str], Sequence[str]]:
    """``(key, suffix) ->`` the path parts of the file sphinx-reredirects writes for redirect *key*."""
    rule: Callable[[str, str], Sequence[str]] = Reredirects(app).docname_out_path  # the package has no py.typed
    return rule

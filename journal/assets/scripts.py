"""No script blocks the first paint: every script file a page loads from its ``<head>`` is ``defer``.

Sphinx, the themes and their extensions add their scripts (``doctools.js``, ``copybutton.js``,
``translations.js``, the book theme's…) as plain ``<script src>``: the browser stops parsing
the page for each one. Deferred, they run in the same order, once the page is parsed and
before ``DOMContentLoaded``, which is when all of them start their work anyway.

One stays as it is: ``documentation_options.js`` defines ``DOCUMENTATION_OPTIONS``, which the
inline scripts after it (the theme's ``DOCUMENTATION_OPTIONS.pagename = …``) use at once, and
inline scripts cannot be deferred. It is 300 bytes.

The search page keeps all its scripts as they are: Sphinx's template loads ``searchtools.js``
there without ``defer``, and it needs ``doctools.js``'s ``_ready`` as it runs.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from journal.upstream.sphinx_assets import attributes_of, filename_of, with_attribute

#: Script files the inline scripts of a page use while the page is parsed.
KEPT_BLOCKING = ("documentation_options.js",)
#: Attributes that already keep a script from blocking, or change how it runs.
NON_BLOCKING = ("defer", "async", "type")


def defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: each script file of the page's head gets ``defer``."""
    scripts = context.get("script_files")
    if not scripts or pagename == "search":
        return
    context["script_files"] = [_deferred(script) for script in scripts]


def _deferred(script: Any) -> Any:
    filename = filename_of(script)
    attributes = attributes_of(script)
    if filename is None or "body" in attributes or any(name in attributes for name in NON_BLOCKING):
        return script
    if filename.rsplit("/", 1)[-1].split("?", 1)[0] in KEPT_BLOCKING:
        return script
    return with_attribute(script, "defer", "defer")

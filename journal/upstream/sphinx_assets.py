"""A page's scripts as Sphinx hands them to the templates.

Why this touches upstream: ``context["script_files"]`` holds Sphinx's ``_JavaScript`` objects
(private: ``filename``, ``priority``, ``attributes``; immutable). Sphinx offers no public way
to change the attributes of a script that another extension added (``add_js_file`` only adds),
so :mod:`journal.assets.scripts` makes a copy of one with ``defer`` set, through the object's
own class. ``tests/test_upstream.py`` fails when the class stops taking these arguments.
"""

from __future__ import annotations

from typing import Any


def filename_of(script: Any) -> str | None:
    """The script's file name, or None for an inline script (a ``body``)."""
    filename = getattr(script, "filename", script)
    return str(filename) if filename else None


def attributes_of(script: Any) -> dict[str, str]:
    return dict(getattr(script, "attributes", {}))


def with_attribute(script: Any, name: str, value: str) -> Any:
    """A copy of *script* with one more attribute (Sphinx's class, same file and priority)."""
    attributes = {**attributes_of(script), name: value}
    options: dict[str, Any] = {"priority": script.priority, **attributes}
    return type(script)(script.filename, **options)


def site_wide_css(builder: Any) -> list[Any]:
    """The stylesheets every page links, in order (the HTML builder's list before page additions).

    ``_orig_css_files`` is the list Sphinx restores after each page (set when writing starts);
    ``_css_files`` the list itself, before that.
    """
    files = getattr(builder, "_orig_css_files", None)
    if files is None:
        files = getattr(builder, "_css_files", [])
    return sorted(files, key=lambda css: getattr(css, "priority", 500))

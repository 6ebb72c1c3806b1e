"""Typed warnings: every warning we emit is ``journal.<kind>``.

They go through Sphinx's logger with a location, so ``-W`` turns them into
errors, messages name the file and line, and a user can silence exactly one
kind with ``suppress_warnings = ["journal.feed"]``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sphinx.util import logging

logger = logging.getLogger("journal")


class JournalWarning(StrEnum):
    FRONTMATTER = "frontmatter"
    FEED = "feed"
    CONFIG = "config"
    LOCALFILE = "localfile"
    REDIRECTS = "redirects"
    MATH = "math"
    WIKILINK = "wikilink"


def warn(kind: JournalWarning, message: str, location: Any = None) -> None:
    """Emit *message* as a ``journal.<kind>`` warning at *location* (docname, (docname, line), node or "path:line").

    Sphinx itself appends `` [journal.<kind>]`` (``show_warning_types``, on by default since Sphinx 8).
    """
    logger.warning(message, type="journal", subtype=kind.value, location=location)

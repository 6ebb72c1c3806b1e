"""The only place where we patch ABlog's internals, each patch with its reason.

Every patch below exists because ABlog 0.11.13 offers no hook or setting for it.
``tests/test_ablog_patches.py`` pins the source of each patched function, so an
ABlog upgrade that changes one fails the tests instead of silently undoing (or
breaking) the patch. Append new patches as separate, clearly named functions and
apply them from :func:`setup`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import ablog.blog
import ablog.post
from sphinx.application import Sphinx

# --- NFC archive URLs ---------------------------------------------------------
# Reason: ``ablog.blog.slugify`` normalises labels with NFKD before building the
# file names of tag/category/author archives. NFKD splits every Hangul syllable
# into jamo, so the page for tag "회고" is written as "blog/tag/회고.html":
# a URL typed or pasted as "blog/tag/회고.html" (NFC, what keyboards produce)
# is a different byte string and 404s on most hosts. There is no setting for the
# slug function, and ``ablog.post`` imports it by name, so both modules' names are
# rebound. We keep ABlog's own rules (NFKD folding, punctuation removed, lower
# case, dashes) and recompose the result to NFC: Latin labels are unchanged
# ("Café" -> "cafe"), Hangul stays whole syllables ("회고" -> "회고").

#: ABlog's slug function, captured before patching.
ABLOG_SLUGIFY: Callable[[str], str] = getattr(ablog.blog.slugify, "__wrapped__", ablog.blog.slugify)


def label_slug(label: Any) -> str:
    """The archive file name ABlog gives *label* (tag, category or author name), in NFC."""
    return unicodedata.normalize("NFC", ABLOG_SLUGIFY(label))


label_slug.__wrapped__ = ABLOG_SLUGIFY  # type: ignore[attr-defined]


def patch_nfc_slugify() -> None:
    ablog.blog.slugify = label_slug
    ablog.post.slugify = label_slug


# --- setup --------------------------------------------------------------------


def setup(app: Sphinx) -> dict[str, Any]:
    patch_nfc_slugify()
    # env_version: environments pickled before a patch (e.g. NFKD archive labels) are re-read.
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}

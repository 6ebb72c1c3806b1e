"""Where the site lives: the canonical base URL every absolute link is built from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlparse

#: Read the Docs exports the URL of the version being built, e.g. https://p.readthedocs.io/ko/latest/
READTHEDOCS_VARIABLE = "READTHEDOCS_CANONICAL_URL"
#: Lets a local build or another host choose the base URL without editing conf.py.
OVERRIDE_VARIABLE = "JOURNAL_BASEURL"


def with_slash(url: str) -> str:
    """*url* ending in ``/``, as a base URL or a folder's path must for relative links to join it."""
    return url if url.endswith("/") else url + "/"


def canonical_base_url(default: str, environ: Mapping[str, str] | None = None) -> str:
    """The site's base URL, always ending in ``/``: Read the Docs' when set, else ours, else *default*."""
    environ = os.environ if environ is None else environ
    url = environ.get(READTHEDOCS_VARIABLE) or environ.get(OVERRIDE_VARIABLE) or default
    return with_slash(url)


def base_url_source(environ: Mapping[str, str] | None = None) -> str | None:
    """The environment variable that chose the base URL, or None when ``conf.py``'s default applies."""
    environ = os.environ if environ is None else environ
    return next((name for name in (READTHEDOCS_VARIABLE, OVERRIDE_VARIABLE) if environ.get(name)), None)


def served_path(base_url: str, environ: Mapping[str, str] | None = None) -> str:
    """The URL path the site is served under: ``/ko/latest/`` on Read the Docs, ``/`` for a local build.

    A local build (no variable set) is served from its output folder's root, e.g. by
    ``python -m http.server``, whatever default base URL ``conf.py`` names for feeds.
    """
    if base_url_source(environ) is None:
        return "/"
    path = urlparse(base_url).path or "/"
    return with_slash(path)


def is_default_base_url(default: str, environ: Mapping[str, str] | None = None) -> bool:
    """True when no environment variable chose the base URL (a local build)."""
    return canonical_base_url(default, environ) == canonical_base_url(default, {})

"""The redirects data file: old URL -> new page, written by the importer, read by ``conf.py``.

``redirects.json`` maps the file an old URL was served from (``2025/04/12/slug.html``,
``posts/slug/index.html``) to the new page, as a path from the site root
(``/posts/2025/04-12-slug.html``); sphinx-reredirects writes a small page at each old
path that forwards there. Keys are explicit paths, never wildcards (those only match
pages that exist). Re-importing merges into the file; it never drops entries.

The file is checked when it is loaded (:func:`load_redirects`), so a hand-edited one
cannot make the build write outside its output folder: every key must be a plain
relative path inside the site (no leading ``/``, no ``.``/``..`` or empty segments, no
backslash, control character, query, fragment, scheme or wildcard), and every value a
path of this site (``/...``) or an ``http(s)://`` address without characters that would
break out of the redirect page's HTML. Whether a key would replace a page the site
builds is only known at build time: :mod:`journal.publishing.redirects` refuses those.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.errors import ConfigError

FILENAME = "redirects.json"

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_WILDCARD = re.compile(r"[*?\[\]]")
#: Characters a target may not hold: they would end the attribute or the script string it is put in.
_UNSAFE_IN_TARGET = re.compile(r"[\s\"'<>`\\{}]")


class RedirectsError(ConfigError):
    """``redirects.json`` holds something that must not become a redirect page.

    A :class:`sphinx.errors.ConfigError`, so Sphinx shows the message alone (no traceback)
    when ``conf.py`` loads the file.
    """


def key_problem(key: object) -> str | None:
    """Why *key* cannot be the path of a redirect page in the output folder, or None."""
    if not isinstance(key, str):
        return "is not text"
    if not key:
        return "is empty"
    if _CONTROL.search(key):
        return "contains a control character"
    if "\\" in key:
        return "contains a backslash"
    if "?" in key or "#" in key:
        return "has a query or fragment (? or #); a redirect page is a file"
    if _WILDCARD.search(key):
        return "contains a wildcard (* [ ]), which would match the site's own pages"
    if _SCHEME.match(key) or key.startswith("//"):
        return "is an address (scheme or host), not a path inside the site"
    if key.startswith("/"):
        return "starts with '/'; write the path from the site root without it (2025/04/12/x.html)"
    segments = key.split("/")
    if any(segment in (".", "..") for segment in segments):
        return "has '.' or '..' segments; it could name a file outside the output folder"
    if any(segment == "" for segment in segments):
        return "has an empty segment ('//' or a trailing '/'); end a folder URL with index.html"
    return None


def value_problem(value: object) -> str | None:
    """Why *value* cannot be a redirect's target, or None."""
    if not isinstance(value, str):
        return "is not text"
    if not value:
        return "is empty"
    if _CONTROL.search(value) or _UNSAFE_IN_TARGET.search(value):
        return "contains a space, quote, angle bracket, backslash or control character"
    if value.startswith("//"):
        return "is an address without a scheme; write https://..."
    if _SCHEME.match(value):
        if not re.match(r"^https?://[^/]", value, re.I):
            return "is not a page of this site (/...) or an http(s):// address"
        return None
    if not value.startswith("/"):
        return "must be a path from the site root (/posts/2025/04-12-x.html) or an http(s):// address"
    path = value.split("#", 1)[0].split("?", 1)[0]
    if any(segment in (".", "..") for segment in path.split("/")):
        return "has '.' or '..' segments"
    return None


def problems(data: dict[str, str]) -> list[str]:
    """One line per bad entry of *data*: the key and why."""
    found = []
    for key, value in data.items():
        problem = key_problem(key)
        if problem:
            found.append(f"key {key!r} {problem}")
            continue
        problem = value_problem(value)
        if problem:
            found.append(f"key {key!r}: its target {value!r} {problem}")
    return found


def load_redirects(path: Path) -> dict[str, str]:
    """The redirects in *path* (``{}`` when there is no file yet), for ``redirects = ...`` in ``conf.py``.

    Raises :class:`RedirectsError` naming the file and each bad key.
    """
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RedirectsError(f"{path}: not valid JSON text ({error})") from None
    if not isinstance(data, dict):
        raise RedirectsError(f"{path}: expected a JSON object mapping old paths to new pages")
    found = problems(data)
    if found:
        listed = "\n".join(f"  {line}" for line in found)
        raise RedirectsError(f"{path}: {len(found)} redirect(s) refused; fix or remove them:\n{listed}")
    return data


def merged(existing: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """*existing* plus *new* (new targets win for the same old path), sorted so the file is stable."""
    return dict(sorted({**existing, **new}.items()))


def render(redirects: dict[str, str]) -> str:
    return json.dumps(redirects, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

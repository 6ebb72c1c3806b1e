"""Images in a post's body load when the reader gets near them, decode off the main thread, and
take their place before they arrive.

Every ``<img>`` in a page's body that says nothing about its loading gets ``loading="lazy"`` and
``decoding="async"``, and ``width``/``height`` when the file's size can be read (PNG, JPEG, GIF,
SVG with a size, WebP: :func:`journal.pages.images.image_size`, imagesize's header reader) and the
tag sets no size of its own. The page's HTML is changed, not the doctree: a docutils image with a
``width`` would make Sphinx link it to its full-size file (``html_scaled_image_link``), and the
HTML writer has no place for ``decoding``. Images that already say how to load are left alone:
the home page's cards and a post's feature image (``_templates/journal/``), which decide which
of them are on the first screen, and raw HTML that chose for itself.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sphinx.application import Sphinx

from journal.pages.images import image_size

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\s([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
#: Attributes after which the image is left as it is (it chose how to load).
_CHOSEN = frozenset({"loading", "decoding", "fetchpriority"})
#: Attributes that size the image already.
_SIZED = frozenset({"width", "height"})


def attributes(tag: str) -> dict[str, str]:
    """The attributes of one ``<img …>`` tag (names in lower case)."""
    found = {}
    for match in _ATTRIBUTE.finditer(tag[4:]):
        found[match.group(1).lower()] = next((v for v in match.groups()[1:] if v is not None), "")
    return found


def hinted(tag: str, size: tuple[int, int] | None) -> str:
    """*tag* with loading hints, and *size* when it has none (its ``style`` may size it too)."""
    present = attributes(tag)
    if _CHOSEN & present.keys():
        return tag
    extra = ' loading="lazy" decoding="async"'
    style = present.get("style", "")
    if size and not (_SIZED & present.keys()) and "width" not in style and "height" not in style:
        extra = f' width="{size[0]}" height="{size[1]}"' + extra
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return tag[:end].rstrip() + extra + (" />" if tag.endswith("/>") else ">")


def source_file(app: Sphinx, pagename: str, src: str) -> Path | None:
    """The source file an ``src`` on *pagename* shows: an image Sphinx copied to ``_images``, or a
    file at the same path under the source folder (feature images, files copied as they are)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if "/_images/" in f"/{path}":
        copied = {name: source for source, name in app.builder.images.items()}
        source = copied.get(posixpath.basename(path))
        return Path(app.srcdir, source) if source else None
    relative = posixpath.normpath(posixpath.join(posixpath.dirname(pagename), path))
    return None if relative.startswith("..") else Path(app.srcdir, relative)


def add_loading_hints(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: every body image that does not say how to load gets the hints above."""
    body = context.get("body")
    if app.builder.format != "html" or not isinstance(body, str) or "<img" not in body:
        return

    def replace(match: re.Match[str]) -> str:
        src = attributes(match.group(0)).get("src", "")
        path = source_file(app, pagename, src)
        return hinted(match.group(0), image_size(path) if path else None)

    context["body"] = type(body)(_IMG.sub(replace, str(body)))

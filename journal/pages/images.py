"""Feature images: ``image:`` in a post's front matter, a URL or a file path relative to the post.

Local files are checked when the post is read (a missing file is a ``journal.frontmatter``
warning at the ``image:`` line), measured (width and height go into the ``<img>``, so the page
does not shift when the image arrives) and copied into the output at the same relative path.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import imagesize

_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_IMAGE_KEY = re.compile(r"^(?:image|feature_image|feature-img)\s*:", re.MULTILINE)


@dataclass(frozen=True)
class FeatureImage:
    #: An absolute URL, or a path relative to the source folder (posix).
    src: str
    alt: str
    width: int | None = None
    height: int | None = None

    @property
    def is_url(self) -> bool:
        return bool(_URL.match(self.src))


def resolve(image: str, alt: str | None, docname: str, srcdir: Path) -> FeatureImage:
    """The feature image of *docname*; raises FileNotFoundError for a local file that does not exist."""
    if _URL.match(image):
        return FeatureImage(image, alt or "")
    if image.startswith("/"):
        relative = posixpath.normpath(image.lstrip("/"))
    else:
        relative = posixpath.normpath(posixpath.join(posixpath.dirname(docname), image))
    path = srcdir / relative
    if relative.startswith("..") or not path.is_file():
        raise FileNotFoundError(f"image: {image!r} is not a file (looked for {relative}, relative to the post)")
    width, height = _size(path)
    return FeatureImage(relative, alt or "", width, height)


def _size(path: Path) -> tuple[int | None, int | None]:
    size = image_size(path)
    return size if size else (None, None)


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels from the file's header (PNG, JPEG, GIF, WebP, TIFF, an SVG that
    gives both), or None when it cannot be read; the file is never decoded."""
    try:
        width, height = imagesize.get(path)
    except (OSError, ValueError):
        return None
    if width <= 0 or height <= 0:
        return None
    return int(width), int(height)


def image_line(source: str) -> int:
    """1-based line of the ``image:`` key in a post's source, 1 when not found."""
    match = _IMAGE_KEY.search(source)
    return source.count("\n", 0, match.start()) + 1 if match else 1

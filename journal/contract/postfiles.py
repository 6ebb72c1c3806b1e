"""Where a post's file goes: ``posts/YYYY/MM-DD-slug.md``, with a readable (Korean-friendly) slug."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

_NOT_SLUG = re.compile(r"[^\w\s-]", re.UNICODE)
_SPACES = re.compile(r"[-\s_]+")


def slugify(title: str, max_length: int = 60) -> str:
    """A file-name slug: NFC (Hangul stays whole syllables), lower case, words joined by ``-``.

    ``"오픈스택 SDK 첫 리뷰!"`` -> ``"오픈스택-sdk-첫-리뷰"``. Empty when nothing usable is left.
    """
    text = unicodedata.normalize("NFC", title)
    text = _NOT_SLUG.sub(" ", text).strip().lower()
    slug = _SPACES.sub("-", text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def post_path(posts_dir: Path, date: dt.date, slug: str) -> Path:
    """``posts_dir/YYYY/MM-DD-slug.md``; a date-only name when *slug* is empty."""
    name = f"{date:%m-%d}-{slug}" if slug else f"{date:%m-%d}"
    return posts_dir / f"{date.year:04d}" / f"{name}.md"  # strftime's %Y does not pad years before 1000

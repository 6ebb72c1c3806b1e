"""Related posts: the posts sharing the most tags with this one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from journal.frontmatter import PostMeta

_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _tag_set(meta: PostMeta) -> set[str]:
    return {tag.casefold() for tag in meta.tags}


def related_posts(posts: Mapping[str, PostMeta], docname: str, limit: int = 3) -> list[str]:
    """Up to *limit* other posts sharing at least one tag: most shared tags first, then newest first."""
    meta = posts.get(docname)
    if meta is None or limit <= 0:
        return []
    tags = _tag_set(meta)
    scored = []
    for other, other_meta in posts.items():
        shared = len(tags & _tag_set(other_meta))
        if other != docname and shared:
            scored.append((-shared, -(other_meta.date or _EARLIEST).timestamp(), other))
    return [other for *_, other in sorted(scored)[:limit]]

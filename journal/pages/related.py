"""Related posts: the posts sharing the most tags with this one."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping

from journal.frontmatter import PostMeta

_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _tag_set(meta: PostMeta) -> set[str]:
    return {tag.casefold() for tag in meta.tags}


class RelatedIndex:
    """Posts by tag, built once per build: each post's lookup then touches only posts sharing a tag."""

    def __init__(self, posts: Mapping[str, PostMeta]) -> None:
        self.posts = posts
        self.by_tag: dict[str, list[str]] = defaultdict(list)
        self.age: dict[str, float] = {}  # minus the timestamp: newest first when sorted
        for docname, meta in posts.items():
            self.age[docname] = -(meta.date or _EARLIEST).timestamp()
            for tag in _tag_set(meta):
                self.by_tag[tag].append(docname)

    def related(self, docname: str, limit: int = 3) -> list[str]:
        """Up to *limit* other posts sharing at least one tag: most shared tags first, then newest first."""
        meta = self.posts.get(docname)
        if meta is None or limit <= 0:
            return []
        shared = Counter(other for tag in _tag_set(meta) for other in self.by_tag[tag] if other != docname)
        # the few best of many candidates (a common tag is shared by a good part of the journal)
        return heapq.nsmallest(limit, shared, key=lambda other: (-shared[other], self.age[other], other))


def related_posts(posts: Mapping[str, PostMeta], docname: str, limit: int = 3) -> list[str]:
    """:meth:`RelatedIndex.related` for a one-off question (build the index once for many)."""
    return RelatedIndex(posts).related(docname, limit)

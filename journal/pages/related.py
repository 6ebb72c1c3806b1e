"""Related posts: the posts sharing the most tags with this one."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Mapping
from itertools import combinations, islice

from journal.contract.frontmatter import PostMeta

_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _tag_set(meta: PostMeta) -> set[str]:
    return {tag.casefold() for tag in meta.tags}


class RelatedIndex:
    """Posts by tag, built once per build, so that each post's question touches few posts.

    A common tag is shared by a good part of the journal, so counting every post that shares
    a tag grows with the square of the journal. Instead: posts sharing two or more tags come
    from intersections of the tags' sets; the rest, when needed, are the newest posts of the
    tags' lists (kept newest first), merged until enough are found.
    """

    def __init__(self, posts: Mapping[str, PostMeta]) -> None:
        self.posts = posts
        #: The order of the answer among posts sharing as many tags: newest first, then by name.
        self.order = {docname: (-(meta.date or _EARLIEST).timestamp(), docname) for docname, meta in posts.items()}
        by_tag: dict[str, list[str]] = defaultdict(list)
        for docname, meta in posts.items():
            for tag in _tag_set(meta):
                by_tag[tag].append(docname)
        self.newest_first = {tag: sorted(docnames, key=self.order.__getitem__) for tag, docnames in by_tag.items()}
        self.tagged = {tag: set(docnames) for tag, docnames in by_tag.items()}

    def related(self, docname: str, limit: int = 3) -> list[str]:
        """Up to *limit* other posts sharing at least one tag: most shared tags first, then newest first."""
        meta = self.posts.get(docname)
        if meta is None or limit <= 0:
            return []
        tags = sorted(_tag_set(meta))
        several = set().union(*(self.tagged[a] & self.tagged[b] for a, b in combinations(tags, 2))) - {docname}
        shared = {other: sum(other in self.tagged[tag] for tag in tags) for other in several}
        chosen = heapq.nsmallest(limit, several, key=lambda other: (-shared[other], self.order[other]))
        if len(chosen) < limit:  # then every post sharing two or more tags is chosen
            lists = (self.newest_first[tag] for tag in tags)
            merged = heapq.merge(*lists, key=self.order.__getitem__)
            # a post sharing one tag is in one list only: no duplicates
            single = (other for other in merged if other != docname and other not in several)
            chosen += islice(single, limit - len(chosen))
        return chosen


def related_posts(posts: Mapping[str, PostMeta], docname: str, limit: int = 3) -> list[str]:
    """:meth:`RelatedIndex.related` for a one-off question (build the index once for many)."""
    return RelatedIndex(posts).related(docname, limit)

"""Series: posts that share a ``series:`` name, read in date order, with this one highlighted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from journal.contract.frontmatter import PostMeta

_LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class SeriesBox:
    """What the series box of one post shows."""

    name: str
    docnames: tuple[str, ...]
    current: int  # index of this post in ``docnames``

    @property
    def position(self) -> int:
        """1-based place of this post in the series."""
        return self.current + 1

    @property
    def previous(self) -> str | None:
        return self.docnames[self.current - 1] if self.current > 0 else None

    @property
    def next(self) -> str | None:
        return self.docnames[self.current + 1] if self.current + 1 < len(self.docnames) else None


def _order(item: tuple[str, PostMeta]) -> tuple[dt.datetime, str]:
    docname, meta = item
    return (meta.date or _LATEST, docname)


def all_series(posts: Mapping[str, PostMeta]) -> dict[str, tuple[str, ...]]:
    """Series name -> its posts' docnames, oldest first; series sorted by name."""
    members: dict[str, list[str]] = {}
    for docname, meta in sorted(posts.items(), key=_order):
        if meta.series:
            members.setdefault(meta.series, []).append(docname)
    return {name: tuple(members[name]) for name in sorted(members)}


def series_box(posts: Mapping[str, PostMeta], docname: str) -> SeriesBox | None:
    """The series box of *docname*, or None when it is in no series."""
    meta = posts.get(docname)
    if meta is None or not meta.series:
        return None
    docnames = all_series(posts)[meta.series]
    return SeriesBox(meta.series, docnames, docnames.index(docname))

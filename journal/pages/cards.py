"""What a template shows about a post: a card on the home page, the header of the post page.

Pure data: the Sphinx glue (:mod:`journal.pages.context`) resolves URLs and hands them in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from journal.pages.images import FeatureImage
from journal.pages.reading_time import ReadingTime

EXCERPT_LENGTH = 140


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    count: int | None = None


@dataclass(frozen=True)
class PostCard:
    title: str
    url: str
    date: dt.datetime | None
    updated: dt.datetime | None = None
    reading: ReadingTime | None = None
    tags: tuple[Link, ...] = ()
    category: tuple[Link, ...] = ()
    excerpt: str = ""
    image: FeatureImage | None = None
    image_url: str | None = None

    @property
    def date_label(self) -> str:
        return korean_date(self.date) if self.date else ""

    @property
    def updated_label(self) -> str:
        return korean_date(self.updated) if self.updated else ""

    @property
    def is_updated(self) -> bool:
        """True when the post was updated on a later day than it was published."""
        return bool(self.updated and self.date and self.updated.date() > self.date.date())


def korean_date(moment: dt.datetime | dt.date) -> str:
    """``2025년 6월 7일``."""
    return f"{moment.year}년 {moment.month}월 {moment.day}일"


def iso_date(moment: dt.datetime | None) -> str:
    """Machine-readable date for ``<time datetime>``."""
    return moment.isoformat() if moment else ""


def shorten(text: str, length: int = EXCERPT_LENGTH) -> str:
    """*text* on one line, cut at a word boundary to at most *length* characters (plus an ellipsis)."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return cut.rstrip(" ,.;:·") + "…"

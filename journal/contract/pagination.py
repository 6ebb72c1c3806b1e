"""Listings split into pages of N posts: page names, which posts each page shows, its links.

ABlog writes every archive page (all posts, a year, a tag, a category, an author) with all of
its posts (ABlog issue #4): at 1,000 posts ``blog.html`` weighed 1.7 MB. A listing of *count*
posts becomes ``ceil(count / size)`` pages. Page 1 keeps the listing's own name
(``blog/tag/openstack``); page k is ``<base>/page/<k>`` where the base is the name without a
final ``/index`` (``blog/tag/openstack/page/2``, ``blog/page/2``, ``posts/page/2``).

No page name collides with another page: tag, category and author pages are files *in* their
catalog's folder (``blog/tag/<slug>.html``, :mod:`journal.contract.labels`), never a folder
``page/`` below a label; a label's folder only holds its feeds (``rss.xml``, ``atom.xml``); year
pages are ``blog/<year>.html``; posts live in ``posts/<year>/``. A source document that would
take a page's name anyway is reported by the build, and that page is not written.

Pure: no Sphinx, docutils or ABlog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

#: The folder holding a listing's pages 2, 3, ... below its base name.
PAGE_FOLDER = "page"


def page_count(count: int, size: int) -> int:
    """How many pages a listing of *count* posts takes at *size* per page (an empty one: 1)."""
    return max(1, -(-count // size))


def page_name(first: str, number: int) -> str:
    """The page name of page *number* of the listing whose page 1 is *first*."""
    if number == 1:
        return first
    base = first.removesuffix("/index") if first != "index" else ""
    return f"{base}/{PAGE_FOLDER}/{number}" if base else f"{PAGE_FOLDER}/{number}"


def is_later_page(pagename: str) -> bool:
    """*pagename* has the form of a listing's page 2, 3, … (``<base>/page/<k>``, k > 1)."""
    folder, _, number = pagename.rpartition("/")
    return (folder == PAGE_FOLDER or folder.endswith(f"/{PAGE_FOLDER}")) and number.isdigit() and int(number) > 1


def page_slice(items: Sequence[T], size: int, number: int) -> list[T]:
    """The items page *number* shows (newest first when *items* are)."""
    return list(items[(number - 1) * size : number * size])


def by_year(items: Sequence[T], year_of: Callable[[T], int | None]) -> list[tuple[int | None, list[T]]]:
    """*items* (newest first) under their years, in the order the years first appear; an
    item whose year is None (an undated draft) goes under None."""
    years: dict[int | None, list[T]] = {}
    for item in items:
        years.setdefault(year_of(item), []).append(item)
    return list(years.items())


@dataclass(frozen=True)
class PageLink:
    number: int
    pagename: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    """Page *number* of *count* pages of the listing whose page 1 is *first*."""

    first: str
    number: int
    count: int

    @property
    def pagename(self) -> str:
        return page_name(self.first, self.number)

    @property
    def previous(self) -> str | None:
        return page_name(self.first, self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return page_name(self.first, self.number + 1) if self.number < self.count else None

    @property
    def pages(self) -> tuple[PageLink, ...]:
        """Every page, in order (a journal of 1,000 posts at 20 a page has 50: few enough to list)."""
        return tuple(PageLink(n, page_name(self.first, n), n == self.number) for n in range(1, self.count + 1))


def paginations(first: str, count: int, size: int) -> list[Pagination]:
    """The pages of a listing of *count* posts whose page 1 is *first*."""
    pages = page_count(count, size)
    return [Pagination(first, number, pages) for number in range(1, pages + 1)]

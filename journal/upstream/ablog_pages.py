"""ABlog's archive pages, N posts a page (ABlog issue #4: ABlog never paginates).

Reason: ``ablog.post.generate_archive_pages`` yields one page per collection (all posts, each
year, tag, category and author) listing every post with its excerpt: at 1,000 posts
``blog.html`` was 1.7 MB. ABlog has no setting for it, so :func:`paginate` takes ABlog's page
tuples ``(pagename, context, template)`` and splits each collection page into pages of
``journal_archive_page_size`` posts (names: :mod:`journal.contract.pagination`), each marked
``journal_compact``: ``_templates/ablog/collection.html`` lists them as compact rows (date,
title, tags), without ABlog's excerpts. Each page's
context holds a :class:`CollectionPage` as ``collection``: ABlog's ``Collection`` (a subclass,
so whatever asks ``isinstance`` or reads its label, catalog and feed ``path`` sees the label)
that iterates over the page's posts only and names the page as its ``docname`` (ABlog's
``collection.html`` renders excerpts relative to ``collection.docname``). It relies on
``Collection``'s attributes living in its ``__dict__`` and on ``docname``/``path`` being
properties (``tests/test_upstream.py`` pins the class's source).

The journal index (``posts/index``, a source page with a ``{postlist}``) gets its pages 2, 3, ...
here too, as ABlog collection pages of all posts with excerpts (not compact), of
``journal_listing_page_size`` posts: :func:`journal_index_pages`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from journal.contract.pagination import Pagination, by_year, page_slice, paginations
from journal.upstream.ablog_state import Blog, BlogCollection, Post, generate_archive_pages
from journal.warnings import JournalWarning, warn

PageTuple = tuple[str, dict[str, Any], str]

#: The journal index: a source page whose post list is split into pages like ABlog's.
JOURNAL_INDEX = "posts/index"
COLLECTION_TEMPLATE = "ablog/collection.html"


class CollectionPage(BlogCollection):  # type: ignore[misc]  # ablog has no type hints
    """One page of an ABlog collection: its label, catalog and feed path; this page's posts and name."""

    def __init__(self, whole: Any, posts: Sequence[Post], pagename: str) -> None:
        self.__dict__.update(whole.__dict__)  # not Collection.__init__: that registers the label again
        self.whole = whole
        self.page_posts = list(posts)
        self.pagename = pagename

    def __iter__(self) -> Iterator[Post]:
        yield from self.page_posts

    def __len__(self) -> int:
        return len(self.page_posts)

    def __bool__(self) -> bool:
        return bool(self.page_posts)

    @property
    def years(self) -> list[tuple[int | None, list[Post]]]:
        """This page's posts under their years, newest first (undated drafts: None)."""
        return by_year(self.page_posts, lambda post: post.date.year if post.date else None)

    @property
    def docname(self) -> str:
        return self.pagename

    @property
    def path(self) -> str:
        path: str = self.whole.path  # the feed folder stays the label's
        return path


def paginate(pages: Iterable[PageTuple], size: int) -> Iterator[PageTuple]:
    """ABlog's *pages* with every collection page split into compact pages of *size* posts."""
    for pagename, context, template in pages:
        collection = context.get("collection")
        if template != COLLECTION_TEMPLATE or collection is None:
            yield pagename, context, template
        else:
            yield from split(pagename, {**context, "journal_compact": True}, list(collection), size)


def split(first: str, context: dict[str, Any], posts: list[Post], size: int) -> Iterator[PageTuple]:
    whole = context["collection"]
    for pagination in paginations(first, len(posts), size):
        page_context = dict(context)
        shown = page_slice(posts, size, pagination.number)
        page_context["collection"] = CollectionPage(whole, shown, pagination.pagename)
        set_pagination(page_context, pagination)
        yield pagination.pagename, page_context, COLLECTION_TEMPLATE


def set_pagination(context: dict[str, Any], pagination: Pagination) -> None:
    """The page's place in its listing, for the templates (and, as numbers, for its fingerprint)."""
    context["journal_pagination"] = pagination
    context["journal_page_number"] = pagination.number
    context["journal_page_count"] = pagination.count
    if pagination.number > 1 and isinstance(context.get("title"), str):
        context["title"] = f"{context['title']} ({pagination.number}쪽)"


def journal_index_pages(app: Any, size: int) -> Iterator[PageTuple]:
    """Pages 2, 3, ... of the journal index (page 1 is the source page ``posts/index``)."""
    if JOURNAL_INDEX not in app.env.found_docs:
        return
    blog = Blog(app)
    context = {"parents": [], "title": "모든 글", "header": "", "collection": blog.posts, "summary": True}
    for page in split(JOURNAL_INDEX, context, list(blog.posts), size):
        if page[0] != JOURNAL_INDEX:
            yield page


def journal_index_pagination(app: Any, size: int) -> Pagination:
    """Page 1 of the journal index."""
    return paginations(JOURNAL_INDEX, len(Blog(app).posts), size)[0]


def listing_pages(app: Any, pages: Iterable[PageTuple]) -> list[PageTuple]:
    """ABlog's *pages*, paginated, and the journal index's pages 2, 3, ... (the pages we write)."""
    archive_size: int = app.config.journal_archive_page_size
    listing_size: int = app.config.journal_listing_page_size
    return [*paginate(pages, archive_size), *journal_index_pages(app, listing_size)]


def clashing(app: Any, pages: Iterable[PageTuple]) -> Iterator[PageTuple]:
    """*pages* without listing pages 2, 3, ... whose name a source document takes (ABlog leaves
    out its own pages in that case); each is reported: the source page wins."""
    taken = set(app.env.found_docs)
    for page in pages:
        if page[0] in taken and page[1].get("journal_page_number", 1) > 1:
            warn(JournalWarning.CONFIG, f"{page[0]} is a listing's page and a source document: the page is not written")
        else:
            yield page


def listing_page_names(app: Any) -> list[str]:
    """The names of every page :func:`listing_pages` gives (nothing is rendered: names only)."""
    taken = set(app.env.found_docs)
    pages = listing_pages(app, generate_archive_pages(app))
    return [name for name, context, _ in pages if name not in taken or context.get("journal_page_number", 1) == 1]


#: The ``{postlist}`` options that filter posts (``ablog.post.PostListDirective.run`` sets each, a list).
POSTLIST_FILTERS = ("tags", "author", "category", "location", "language")


def limit_postlist(node: Any, size: int) -> bool:
    """Make an unfiltered, unlimited ``{postlist}`` *node* list the newest *size* posts (page 1 of
    its listing); ABlog's ``process_postlist`` reads ``length`` (None: every post). True if it did."""
    if node.get("length") is not None or any(node.get(key) for key in POSTLIST_FILTERS) or node.get("sort"):
        return False
    node["length"] = size
    return True

"""Sphinx glue: per-page data for our templates, from ``env.journal_posts`` and ABlog's ``Blog``.

:class:`PageData` turns docnames into the dataclasses of :mod:`cards`, :mod:`series`,
:mod:`related` and :mod:`archive`, with URLs relative to the page being written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from journal.contract.frontmatter import PostMeta
from journal.contract.postfiles import slugify
from journal.pages.archive import ArchiveEntry, CatalogSection, group_by_month
from journal.pages.cards import Link, PostCard, shorten
from journal.pages.related import RelatedIndex
from journal.pages.series import all_series, series_box
from journal.speed.incremental import once_per_build
from journal.state import images_of, posts_of, reading_of
from journal.upstream.ablog_state import Blog, Post

#: How many of a label's newest posts a catalog page (all tags, all years...) shows under it: the
#: label's own pages list them all, N a page (a catalog of every post was 550 KB at 1,000 posts).
CATALOG_PREVIEW = 3

#: Where the series index page is written.
SERIES_PAGE = "blog/series"


@dataclass(frozen=True)
class PublishedPosts:
    """The published posts, newest first, with their metadata: the same for every page of a build."""

    meta: dict[str, PostMeta]  # in ABlog's order, newest first
    related: RelatedIndex

    @property
    def docnames(self) -> list[str]:
        return list(self.meta)


def published_posts(app: Sphinx) -> PublishedPosts:
    return once_per_build(app.env, "published_posts", lambda: _published_posts(app))


def _published_posts(app: Sphinx) -> PublishedPosts:
    posts: Mapping[str, PostMeta] = posts_of(app.env)
    meta = {post.docname: posts[post.docname] for post in Blog(app).posts if post.docname in posts}
    return PublishedPosts(meta, RelatedIndex(meta))


@dataclass(frozen=True)
class SeriesView:
    name: str
    position: int
    entries: tuple[tuple[Link, bool], ...]  # (post, is this page)
    previous: Link | None
    next: Link | None


@dataclass(frozen=True)
class PostPage:
    card: PostCard
    series: SeriesView | None
    related: tuple[PostCard, ...]


class PageData:
    """Everything our templates show, for one page (*pagename*) of the build."""

    def __init__(self, app: Sphinx, pagename: str) -> None:
        self.app = app
        self.pagename = pagename
        self.posts: Mapping[str, PostMeta] = posts_of(app.env)
        self.blog = Blog(app)

    # --- URLs -----------------------------------------------------------------

    def url(self, docname: str) -> str:
        return self.app.builder.get_relative_uri(self.pagename, docname)

    def asset_url(self, relative: str) -> str:
        return relative_uri(self.app.builder.get_target_uri(self.pagename), relative)

    # --- posts ----------------------------------------------------------------

    def published(self) -> list[str]:
        """Docnames of ABlog's published posts, newest first."""
        return published_posts(self.app).docnames

    def ablog_post(self, docname: str) -> Post | None:
        return self.blog[docname]  # ABlog answers None for a page that is no post

    def title(self, docname: str) -> str:
        meta = self.posts.get(docname)
        if meta and meta.title:
            return meta.title
        post = self.ablog_post(docname)
        return post.title if post else docname

    def card(self, docname: str) -> PostCard:
        meta = self.posts.get(docname) or PostMeta()
        post = self.ablog_post(docname)
        image = images_of(self.app.env).get(docname)
        image_url = None
        if image is not None:
            image_url = image.src if image.is_url else self.asset_url(image.src)
        return PostCard(
            title=self.title(docname),
            url=self.url(docname),
            date=meta.date,
            updated=meta.updated,
            reading=reading_of(self.app.env).get(docname),
            tags=self._labels(post, "tags"),
            category=self._labels(post, "category"),
            excerpt=shorten(meta.excerpt or _excerpt_text(post)),
            image=image,
            image_url=image_url,
        )

    def _labels(self, post: Post | None, catalog: str) -> tuple[Link, ...]:
        collections = getattr(post, catalog, None) or []
        return tuple(Link(str(coll), self.url(coll.docname), len(coll)) for coll in collections)

    def post_page(self, docname: str, related_limit: int) -> PostPage:
        related = published_posts(self.app).related.related(docname, related_limit)
        return PostPage(self.card(docname), self.series(docname), tuple(self.card(d) for d in related))

    def _published_meta(self) -> dict[str, PostMeta]:
        return published_posts(self.app).meta

    def explore_links(self) -> tuple[Link, ...]:
        """The home page's ways into the journal: all posts, tags, categories, series, years, feed."""
        blog = self.blog
        posts_index = "posts/index" if "posts/index" in self.app.env.found_docs else blog.blog_path
        links = [
            Link("모든 글", self.url(posts_index), len(blog.posts)),
            Link("태그", self.url(blog.tags.docname), sum(1 for c in blog.tags if c)),
            Link("카테고리", self.url(blog.category.docname), sum(1 for c in blog.category if c)),
            Link("시리즈", self.url(SERIES_PAGE), len(self.all_series())),
            Link("연도별 보관함", self.url(blog.archive.docname)),
        ]
        if blog.blog_baseurl:
            links.append(Link("피드 구독", self.asset_url(blog.feed_path)))
        return tuple(links)

    # --- series ---------------------------------------------------------------

    def series(self, docname: str) -> SeriesView | None:
        box = series_box(self._published_meta(), docname)
        if box is None:
            return None
        entries = tuple((self._doc_link(d), d == docname) for d in box.docnames)
        previous = self._doc_link(box.previous) if box.previous else None
        following = self._doc_link(box.next) if box.next else None
        return SeriesView(box.name, box.position, entries, previous, following)

    def all_series(self) -> list[tuple[str, tuple[Link, ...]]]:
        return [
            (name, tuple(self._doc_link(d) for d in docnames))
            for name, docnames in all_series(self._published_meta()).items()
        ]

    def _doc_link(self, docname: str) -> Link:
        return Link(self.title(docname), self.url(docname))

    # --- catalogs (tag, category, author and year indexes) ---------------------

    def catalog_sections(self, catalog: Iterable[Any]) -> list[CatalogSection]:
        sections = []
        for collection in catalog:
            if not collection:
                continue
            posts = list(collection)
            entries = [self._entry(post) for post in posts[:CATALOG_PREVIEW]]
            label = Link(str(collection), self.url(collection.docname), len(posts))
            anchor = slugify(f"{collection.catalog.name}-{collection}") or collection.xref
            sections.append(CatalogSection(label, anchor, group_by_month(entries)))
        return sections

    def _entry(self, post: Post) -> ArchiveEntry:
        meta = self.posts.get(post.docname)
        return ArchiveEntry(self.title(post.docname), self.url(post.docname), meta.date if meta else None)


def _excerpt_text(post: Post | None) -> str:
    if post is None or not post.excerpt:
        return ""
    return " ".join(node.astext() for node in post.excerpt)

"""RSS 2.0 and Atom feeds for the whole journal and for each tag and category.

ABlog writes Atom only, keeps one author per post, stamps naive dates with the
build machine's zone and the feed with the build clock. Its writer is turned off
in ``conf.py`` (``blog_feed_templates = {}``, ``blog_feed_archives = False``)
and this module writes both formats with feedgen from ABlog's ``Blog`` and our
:class:`~journal.contract.frontmatter.PostMeta` (``env.journal_posts``):

* ``<blog_path>/rss.xml`` and ``<blog_path>/atom.xml`` for every published post;
* ``<collection.path>/rss.xml`` and ``atom.xml`` for each tag and category
  (``blog/tag/openstack/rss.xml``), next to the archive page ABlog writes.

A feed carries the newest ``journal_feed_length`` posts (default 20; None or 0: every post),
each in full. It is a subscription feed in the sense of RFC 5005 (a sliding window of the
newest entries, what a feed without ``<fh:complete/>`` is taken to be), so nothing in it marks
it as partial; the way to older posts is the feed's link to its HTML archive page (Atom
``<link rel="alternate" type="text/html">``, RSS ``<channel><link>``: ``blog.html`` for the
site, ``blog/tag/<slug>.html`` for a tag), not a made-up item. At 1,000 posts the site feeds
went from 4.3 MB each to under 0.1 MB.

Each post's entry is rendered and serialised once per post version, whatever the number
of feeds it is in, and kept between builds; a feed is assembled from them (see "writing"
below). Dates come from the posts, never from the clock, so unchanged sources give
byte-identical feeds. ``html-page-context`` adds ``<link rel="alternate">`` for
the feeds that concern a page and gives templates ``journal_feeds``.

A post page keeps the author's own HTML; what an entry carries of it (content and summary)
is sanitised by :mod:`journal.publishing.feedsafe` when the entry is written (:func:`add_entry`, the one
way into feedgen), and every text field is stripped of characters XML 1.0 cannot hold.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import lxml.etree
from feedgen.feed import FeedGenerator
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from journal import site
from journal.content.posts import build_time, site_timezone
from journal.contract.frontmatter import PostMeta
from journal.publishing import feedsafe
from journal.speed import incremental
from journal.state import posts_of
from journal.upstream.ablog_state import Blog, Post, hide_feed_link
from journal.upstream.ablog_state import BlogCollection as Collection
from journal.warnings import JournalWarning, warn

logger = logging.getLogger(__name__)

#: File name and MIME type of each format, in the order links are listed.
FORMATS: dict[str, tuple[str, str]] = {
    "rss": ("rss.xml", "application/rss+xml"),
    "atom": ("atom.xml", "application/atom+xml"),
}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom"}
#: ABlog catalogs that get a feed per collection, and how a feed title names them.
ARCHIVE_LABELS: dict[str, str] = {"tags": "태그", "category": "카테고리"}
#: Feed date when a feed has no post at all (fixed, so empty feeds are stable too).
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FeedLink:
    """A feed as pages link to it: its title, the output folder of its files, a short label."""

    title: str
    folder: str
    #: What a subscribe link names: empty for the whole journal, e.g. "태그 openstack" for a tag.
    label: str = ""

    def path(self, fmt: str) -> str:
        return f"{self.folder}/{FORMATS[fmt][0]}"


@dataclass(frozen=True)
class Entry:
    """One post as every feed shows it; built once per build. Its texts and HTML are the
    post's own: :func:`add_entry` sanitises them as it writes them."""

    docname: str
    url: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    authors: list[tuple[str, str | None]]
    categories: list[str]
    #: Plain text (the excerpt).
    summary: str
    #: The post's HTML as its page shows it (URLs relative to *url*), or None.
    content: str | None


@dataclass(frozen=True)
class FeedItem:
    """A post's entry serialised once per format, exactly as it sits in any feed; what the
    feeds are assembled from, and what is kept between builds."""

    docname: str
    published: dt.datetime
    updated: dt.datetime
    #: format -> the ``<item>`` (RSS) or ``<entry>`` (Atom) element, indented, UTF-8.
    xml: dict[str, bytes]


# --- which feeds exist --------------------------------------------------------


def site_feed(app: Sphinx) -> FeedLink:
    return FeedLink(app.config.blog_title, app.config.blog_path)


def collection_feed(app: Sphinx, collection: Any) -> FeedLink | None:
    """The feed of a tag or category page, or None for other collections and empty ones."""
    if not isinstance(collection, Collection):
        return None
    catalog = collection.catalog
    label = ARCHIVE_LABELS.get(getattr(catalog, "name", ""))
    if label is None or catalog.name not in app.config.journal_feed_archives:
        return None
    if not any(is_published(app, post) for post in collection):
        return None
    return FeedLink(f"{app.config.blog_title} - {label}: {collection}", collection.path, f"{label} {collection}")


def is_published(app: Sphinx, post: Post) -> bool:
    """Published for ABlog and for the post contract (drafts and future posts are in no feed).
    Asked for every post of every feed: answered once per post and build, against one moment."""
    answers: dict[tuple[str, str], bool] = incremental.once_per_build(app.env, "published-in-feeds", dict)
    key = (post.docname, post.section)  # a document may hold several posts
    if key not in answers:
        meta = posts_of(app.env).get(post.docname)
        moment = incremental.once_per_build(app.env, "feeds-build-time", lambda: build_time(app.config))
        published = post.published and not post.external_link
        answers[key] = published and (meta is None or meta.is_published(moment))
    return answers[key]


# --- entries --------------------------------------------------------------------


def base_url(app: Sphinx) -> str:
    url = app.config.html_baseurl
    return url and site.with_slash(url)


def absolute_url(app: Sphinx, path: str) -> str:
    """*path* (an output path such as ``blog/tag/회고/rss.xml``) as an absolute, percent-encoded URL."""
    return base_url(app) + quote(path, safe="/#%")


def published_at(app: Sphinx, post: Post) -> dt.datetime:
    """The post's date, as its feed entry carries it."""
    meta = posts_of(app.env).get(post.docname) or PostMeta()
    return meta.date or aware(post.date, site_timezone(app.config.journal_timezone))


def newest(app: Sphinx, posts: list[Post], limit: int | None) -> list[Post]:
    """The *limit* newest of *posts* (all when it is 0 or None), newest first: a feed's posts,
    chosen before any entry is rendered (an entry is the post's whole page rendered again)."""
    ordered = sorted(posts, key=lambda post: (-published_at(app, post).timestamp(), post.docname))
    return ordered[:limit] if limit else ordered


def carried(app: Sphinx, posts: list[Post]) -> list[Post]:
    """The published posts among a feed's *posts* that the feed carries, newest first."""
    return newest(app, [post for post in posts if is_published(app, post)], app.config.journal_feed_length)


def make_entry(app: Sphinx, post: Post) -> Entry:
    meta = posts_of(app.env).get(post.docname) or PostMeta()
    url = absolute_url(app, app.builder.get_target_uri(post.docname))
    if post.section:
        url += "#" + post.section
    tz = site_timezone(app.config.journal_timezone)
    published = published_at(app, post)
    labels = [str(c) for c in (post.tags or [])] + [str(c) for c in (post.category or [])]
    content = None
    if app.config.journal_feed_fulltext:
        loaded_here = post.doctree is None
        register_images(app, post)
        content = post.to_html(post.docname, fulltext=True)
        if loaded_here:  # let it go: every post's doctree kept until the build ends was 24 MB at 1,000 posts
            post.doctree = None
    return Entry(
        docname=post.docname,
        url=url,
        title=meta.title or post.title,
        published=published,
        updated=max(published, meta.updated or aware(post.update, tz)),
        authors=[(c.name, c.href) for c in (post.author or [])],
        categories=list(dict.fromkeys(xml_text(label) for label in labels)),
        summary=meta.excerpt or " ".join(p.astext() for p in post.excerpt).strip(),
        content=content,
    )


def register_images(app: Sphinx, post: Post) -> None:
    """Give the post's images their names in ``_images`` before its entry is rendered.

    Sphinx names a page's images when it writes the page, after ``doctree-resolved``, where
    :func:`render_entry_early` renders the entry, and not at all for a page this build does not
    write; an image the builder does not know keeps its source path, which is no URL of the
    site. Registering an image its page registers too changes nothing else (same name, copied once).
    """
    if not isinstance(app.builder, Builder):
        return
    if post.doctree is None:  # ABlog keeps a whole-document post's doctree only once it is rendered
        post.doctree = app.env.get_doctree(post.docname)
    Builder.post_process_images(app.builder, post.doctree)


def aware(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """ABlog's naive dates are read in the site's zone, never the build machine's."""
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


#: Drops the characters XML 1.0 cannot hold (a feed holding one is not XML).
xml_text = feedsafe.xml_text


# --- writing --------------------------------------------------------------------
# A feed is feedgen's output for the feed's own fields, with each post's element (serialised
# once per post version, see FeedItem) spliced in where feedgen puts its entries: after every
# other element. Serialising the site feed's 1,000 full-text entries anew took longer than
# the rest of an edit-one-post rebuild; tests/test_feeds.py checks that the result is
# byte for byte what feedgen writes for the same entries.

#: Per format: the element that holds the entries, and the tag that starts one entry.
_ENTRY_PARENT = {"rss": (b"</channel>", b"<item>"), "atom": (b"</feed>", b"<entry>")}


def new_generator() -> FeedGenerator:
    """A feedgen generator with our extensions (they decide the XML namespaces)."""
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)  # RSS <author> must be an e-mail: use dc:creator
    return generator


def describe_feed(app: Sphinx, generator: FeedGenerator, feed: FeedLink, updated: dt.datetime) -> None:
    """The feed's own fields (everything but its entries and links)."""
    generator.id(absolute_url(app, feed.path("atom")))
    generator.title(xml_text(feed.title))
    generator.description(xml_text(app.config.blog_feed_subtitle or feed.title))
    generator.language(app.config.language or "ko")
    generator.generator("journal (Sphinx + ABlog)")
    generator.updated(updated)
    generator.lastBuildDate(updated)


def serialise(generator: FeedGenerator, fmt: str) -> bytes:
    # feedgen has no type hints
    data: bytes = generator.rss_str(pretty=True) if fmt == "rss" else generator.atom_str(pretty=True)
    return data


def render(app: Sphinx, feed: FeedLink, items: list[FeedItem], page: str) -> dict[str, bytes]:
    """The feed in each format; *items* newest first, already cut to the configured length."""
    updated = max((item.updated for item in items), default=EPOCH)
    documents = feed_documents(app, feed, page, updated)
    return {fmt: splice(document, fmt, [item.xml[fmt] for item in items]) for fmt, document in documents.items()}


def feed_documents(
    app: Sphinx, feed: FeedLink, page: str, updated: dt.datetime, entries: Sequence[Entry] = ()
) -> dict[str, bytes]:
    """feedgen's serialisation of *feed* in each format: without entries, as :func:`render`
    uses it, or with *entries* (the reference the tests compare :func:`render` with)."""
    generator = new_generator()
    describe_feed(app, generator, feed, updated)
    for entry in entries:
        add_entry(generator, entry)
    alternate = {"href": absolute_url(app, app.builder.get_target_uri(page)), "rel": "alternate", "type": "text/html"}
    output = {}
    for fmt, (_, mime) in FORMATS.items():
        # feedgen takes the RSS <link> from the last link: the HTML page, not the feed itself
        own = {"href": absolute_url(app, feed.path(fmt)), "rel": "self", "type": mime}
        generator.link([own, alternate], replace=True)
        output[fmt] = serialise(generator, fmt)
    return output


def splice(document: bytes, fmt: str, elements: list[bytes]) -> bytes:
    """*document* (a feed without entries) with *elements* appended to the entries' parent."""
    closing = _line_start(document, document.rindex(_ENTRY_PARENT[fmt][0]))
    return document[:closing] + b"".join(elements) + document[closing:]


def _line_start(text: bytes, index: int) -> int:
    """Where the (indented) line holding *index* starts."""
    return text.rindex(b"\n", 0, index) + 1


class ItemWriter:
    """Serialises entries one at a time inside a feed without entries, so that each comes
    out with the namespaces and indentation it has in a real feed."""

    def __init__(self) -> None:
        self.generator = new_generator()
        self.generator.id("-")  # the fields feedgen requires; no entry depends on them
        self.generator.title("-")
        self.generator.description("-")
        self.generator.link(href="-", rel="alternate")
        parser = lxml.etree.XMLParser(remove_blank_text=True)
        self.roots = {fmt: lxml.etree.fromstring(serialise(self.generator, fmt), parser) for fmt in FORMATS}

    def item(self, entry: Entry) -> FeedItem:
        feed_entry = add_entry(self.generator, entry)
        try:
            xml = {fmt: self._element(fmt, feed_entry) for fmt in FORMATS}
        finally:
            self.generator.remove_entry(feed_entry)
        return FeedItem(entry.docname, entry.published, entry.updated, xml)

    def _element(self, fmt: str, feed_entry: Any) -> bytes:
        root = self.roots[fmt]
        parent = root[0] if fmt == "rss" else root  # <rss><channel> or <feed>
        element = feed_entry.rss_entry() if fmt == "rss" else feed_entry.atom_entry()
        parent.append(element)
        try:
            text: bytes = lxml.etree.tostring(root, encoding="UTF-8", pretty_print=True)  # lxml: no type hints
        finally:
            parent.remove(element)
        closing, opening = _ENTRY_PARENT[fmt]
        return text[_line_start(text, text.index(opening)) : _line_start(text, text.rindex(closing))]


@functools.cache
def item_writer() -> ItemWriter:
    return ItemWriter()


def add_entry(generator: FeedGenerator, entry: Entry) -> Any:
    """*entry* added to *generator*: texts stay text (feedgen escapes them), without the
    characters XML forbids; the summary and content are HTML sanitised by :mod:`journal.publishing.feedsafe`
    (RSS ``<description>`` is read as HTML, so the summary is given as HTML in both formats)."""
    item = generator.add_entry(order="append")
    item.id(entry.url)
    item.guid(entry.url, permalink=True)
    item.title(xml_text(entry.title))
    item.link(href=entry.url)
    item.published(entry.published)
    item.updated(entry.updated)
    names = [xml_text(name) for name, _ in entry.authors]
    for name, (_, href) in zip(names, entry.authors, strict=True):
        item.author({"name": name, **({"uri": href} if href else {})})
    item.dc.dc_creator(names)
    for label in entry.categories:
        item.category(term=xml_text(label), label=xml_text(label))
    summary = feedsafe.text_as_html(entry.summary) if entry.summary else ""
    if summary:
        item.summary(summary, type="html")
    content = feedsafe.clean(entry.content, entry.url) if entry.content else ""
    if content:
        item.content(content, type="html")
    return item


def feeds_to_write(app: Sphinx, the_blog: Blog) -> Iterator[tuple[FeedLink, str, list[Post]]]:
    """(feed, docname of its HTML page, its posts) for the site and each tag and category."""
    yield site_feed(app), the_blog.posts.docname, list(the_blog.posts)
    for name in ARCHIVE_LABELS:
        for collection in the_blog.catalogs[name]:
            feed = collection_feed(app, collection)
            if feed is not None:
                yield feed, collection.docname, list(collection)


def writes_html(app: Sphinx) -> bool:
    """An HTML builder writing pages (not the json/pickle serializers): feeds go beside them."""
    return app.builder.format == "html" and app.builder.name not in ("json", "pickle")


def feeds_enabled(app: Sphinx) -> bool:
    return writes_html(app) and bool(base_url(app))


def write_feeds(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages`` (after ABlog's pages): write every feed whose inputs changed; yields no page.

    A feed's fingerprint covers the site (posts' titles, dates, labels; navigation; configuration)
    and the version of each post it carries; entries are kept between builds per post version,
    so a rebuild renders only the posts that were read again.
    """
    if not writes_html(app):
        return
    if not base_url(app):
        warn(JournalWarning.FEED, "html_baseurl is empty: feeds need absolute URLs; no feed written")
        return
    report_base_url(app)
    the_blog = incremental.filled_blog(app)
    previous = incremental.load_state(app, "feeds")
    digest = incremental.site_digest(app)
    fingerprints: dict[str, str] = {}
    limit = app.config.journal_feed_length
    planned = []
    for feed, page, posts in feeds_to_write(app, the_blog):
        published = [p for p in posts if is_published(app, p)]
        versions = sorted((p.docname, incremental.content_version(app.env, p.docname)) for p in published)
        fingerprints[feed.folder] = incremental.digest((digest, feed, page, limit, versions, feedsafe.POLICY))
        planned.append((feed, page, published))
    # Stale feeds go and every feed is on record before any is written: a build interrupted
    # while writing leaves no feed the next build does not know of (and it trusts no fingerprint).
    for folder in set(previous) - set(fingerprints):  # a tag or category that is gone
        for name, _ in FORMATS.values():
            Path(app.outdir, folder, name).unlink(missing_ok=True)
    incremental.save_state(app, "feeds", fingerprints)
    trusted = {} if incremental.previous_build_unfinished(app) else previous
    for feed, page, published in planned:
        paths = [Path(app.outdir, feed.path(fmt)) for fmt in FORMATS]
        if trusted.get(feed.folder) == fingerprints[feed.folder] and all(path.is_file() for path in paths):
            continue
        chosen = [feed_item(app, post) for post in carried(app, published)]
        for fmt, data in render(app, feed, chosen, page).items():
            write_if_changed(Path(app.outdir, feed.path(fmt)), data)
    yield from ()


class FeedItemCache(incremental.RenderedCache):
    """Feed items by post (see :class:`journal.speed.incremental.RenderedCache`), valid for one
    sanitiser policy too: items kept by a build with another policy (or none, before it
    existed) are rendered again, and the file then holds only the current policy's items."""

    def start(self, app: Sphinx, env: BuildEnvironment) -> None:
        super().start(app, env)
        self.stamp = incremental.digest((self.stamp, feedsafe.POLICY))


ITEMS = FeedItemCache("feed-items")
#: Posts whose entry is being rendered (rendering resolves the post again: see render_entry_early).
_RENDERING: set[str] = set()


def feed_item(app: Sphinx, post: Post) -> FeedItem:
    """The post's feed item: kept from an earlier build, or rendered now."""

    def render() -> FeedItem:
        _RENDERING.add(post.docname)
        try:
            entry = make_entry(app, post)
        finally:
            _RENDERING.discard(post.docname)
        return item_writer().item(entry)

    return ITEMS.get(post.docname, (post.section,), render)


def render_entry_early(app: Sphinx, doctree: Any, docname: str) -> None:
    """``doctree-resolved``: a post's feed entry is rendered as soon as its page is resolved.

    Under ``-j N`` the main process resolves pages while worker processes write them, and
    waits for them most of that time: an entry rendered then costs no wall-clock time, where
    the same work at ``html-collect-pages``, after every page, costs about 5 ms per post.
    Rendering an entry resolves the post once more, which emits this event again: skipped.
    """
    if docname in _RENDERING or ITEMS.app is None or not feeds_enabled(app):
        return
    if docname in posts_in_feeds(app):
        feed_item(app, incremental.filled_blog(app).posts[docname])


def posts_in_feeds(app: Sphinx) -> set[str]:
    """The posts some feed of this build carries: only those get an entry rendered."""

    def compute() -> set[str]:
        the_blog = incremental.filled_blog(app)
        return {post.docname for _, _, posts in feeds_to_write(app, the_blog) for post in carried(app, posts)}

    return incremental.once_per_build(app.env, "posts-in-feeds", compute)


def report_base_url(app: Sphinx) -> None:
    chosen_by = site.base_url_source()
    if chosen_by is None:
        logger.info(
            f"journal: feeds use html_baseurl {base_url(app)} from conf.py "
            f"(set {site.READTHEDOCS_VARIABLE} or {site.OVERRIDE_VARIABLE} to change it)"
        )


def write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    incremental.write_atomically(path, data)


# --- pages ------------------------------------------------------------------------


def page_feeds(app: Sphinx, context: dict[str, Any]) -> list[FeedLink]:
    feeds = [site_feed(app)]
    own = collection_feed(app, context.get("collection"))
    if own is not None:
        feeds.append(own)
    return feeds


def link_feeds(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Autodiscovery links in ``<head>`` and ``journal_feeds`` for templates (subscribe link)."""
    if app.builder.format != "html" or "pathto" not in context:
        return
    hide_feed_link(context)  # ABlog's page.html would link <feed_path>/atom.xml itself
    feeds = page_feeds(app, context)
    context["journal_feeds"] = feeds
    pathto = context["pathto"]
    tags = [
        f'<link rel="alternate" type="{mime}" title="{html.escape(f"{feed.title} ({FORMAT_NAMES[fmt]})")}" '
        f'href="{html.escape(pathto(feed.path(fmt), 1))}" />'
        for feed in feeds
        for fmt, (_, mime) in FORMATS.items()
    ]
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags) + "\n"

"""The only place where we patch ABlog's internals, each patch with its reason.

Every patch below exists because ABlog 0.11.13 offers no hook or setting for it.
``tests/test_upstream_ablog.py`` pins the source of each patched function, so an
ABlog upgrade that changes one fails the tests instead of silently undoing (or
breaking) the patch. Append new patches as separate, clearly named functions and
apply them from :func:`setup`.
"""

from __future__ import annotations

import copy
import datetime as dt
import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import ablog.blog
import ablog.post
import docutils.utils
from docutils import frontend, nodes
from markupsafe import Markup, escape
from sphinx import addnodes
from sphinx.application import Sphinx

if TYPE_CHECKING:
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

from journal.contract.labels import label_slug
from journal.speed.incremental import PageTuple, RenderedCache, archive_pages_to_write, listing_splices, posts_on_page
from journal.speed.pagewriters import share_pages
from journal.speed.splice import plan_listing_splices
from journal.upstream.ablog_pages import clashing, listing_pages
from journal.upstream.listeners import disconnect
from journal.warnings import JournalWarning, warn

# --- NFC archive URLs ---------------------------------------------------------
# Reason: ``ablog.blog.slugify`` normalises labels with NFKD before building the
# file names of tag/category/author archives. NFKD splits every Hangul syllable
# into jamo, so the page for tag "회고" is written as "blog/tag/회고.html":
# a URL typed or pasted as "blog/tag/회고.html" (NFC, what keyboards produce)
# is a different byte string and 404s on most hosts. There is no setting for the
# slug function, and ``ablog.post`` imports it by name, so both modules' names are
# rebound. We keep ABlog's own rules (NFKD folding, punctuation removed, lower
# case, dashes) and recompose the result to NFC: Latin labels are unchanged
# ("Café" -> "cafe"), Hangul stays whole syllables ("회고" -> "회고").

#: ABlog's slug function, captured when this module is first imported, before it is patched.
#: Our rule, :func:`journal.contract.labels.label_slug`, is ABlog's followed by NFC
#: (``tests/test_upstream_ablog.py`` compares the two and pins this function's source).
ABLOG_SLUGIFY: Callable[[str], str] = ablog.blog.slugify


def patch_nfc_slugify() -> None:
    ablog.blog.slugify = label_slug
    ablog.post.slugify = label_slug


# --- Publication cutoff in the journal's time zone --------------------------------
# Reason: ABlog publishes a post when its date is before ``ablog.blog.TOMORROW``: midnight after
# the day the build machine's clock (local time: UTC on Read the Docs) showed when ABlog was
# imported. We hand ABlog naive dates in ``journal_timezone``, so on a UTC machine a post written
# in Seoul between 00:00 and 09:00 (a day ahead) was an ABlog draft until UTC midnight: built as a
# page, yet in no listing, archive, feed or sidebar (and a journal whose only post it is, such as
# the welcome post ``init`` writes, had no posts at all). The cutoff becomes the build moment in
# ``journal_timezone``, the rule the post contract already applies (``PostMeta.is_published``).


def set_publication_cutoff(now: dt.datetime) -> None:
    """ABlog publishes exactly the posts dated at or before *now* (an aware time in the journal's zone)."""
    ablog.blog.TOMORROW = now.replace(tzinfo=None) + dt.timedelta(microseconds=1)


# --- Render each post's listing HTML once --------------------------------------
# Reason: archive templates call ``Post.to_html(pagename)`` for every post on
# every archive page (a post is on about six: all posts, year, tags, category,
# author), and each call builds a fresh docutils document and settings object.
# ABlog has no hook for rendering. The output depends on the page only through
# relative links, so it is cached per post and per page folder (or once, when
# the fragment has no link or image), and kept between builds (FRAGMENTS).

#: ABlog's renderer, captured before patching.
ABLOG_TO_HTML: Callable[..., str] = getattr(ablog.blog.Post.to_html, "__wrapped__", ablog.blog.Post.to_html)
_LINKISH = (nodes.reference, nodes.image, addnodes.pending_xref, addnodes.download_reference)


#: Rendered fragments by post, page folder and options (see :class:`journal.speed.incremental.RenderedCache`).
FRAGMENTS = RenderedCache("fragments")


def _has_links(post: ablog.blog.Post, fulltext: bool) -> bool:
    trees = [_full_doctree(post)] if fulltext else list(post.excerpt)
    return any(next(iter(tree.findall(_is_linkish)), None) is not None for tree in trees)


def _is_linkish(node: nodes.Node) -> bool:
    return isinstance(node, _LINKISH)


def cached_to_html(
    self: ablog.blog.Post, pagename: str, fulltext: bool = False, drop_h1: bool = True, img_url: bool = False
) -> str:
    if fulltext:
        _full_doctree(self)
    folder = posixpath.dirname(pagename) if _has_links(self, fulltext) else None
    key = (self.section, folder, pagename == self.docname, fulltext, drop_h1, img_url)
    html = FRAGMENTS.get(
        self.docname, key, lambda: ABLOG_TO_HTML(self, pagename, fulltext=fulltext, drop_h1=drop_h1, img_url=img_url)
    )
    # HTML that docutils wrote: ABlog's autoescaped templates print it as it is (journal.upstream.templates).
    return Markup(html)  # noqa: S704


cached_to_html.__wrapped__ = ABLOG_TO_HTML  # type: ignore[attr-defined]  # typeshed: functions have no __wrapped__


# --- Fresh documents without rebuilding docutils' defaults ---------------------
# Reason: ``Post.to_html`` starts each render from ``new_document("")``, which builds
# docutils' default settings from scratch (an option parser over every component,
# ~2.5 ms) for every fragment; a 1,000-post build renders about 2,000 uncached ones.
# ``ablog.blog`` imports ``new_document`` by name, so that name is rebound to one that
# hands out a deep copy of defaults computed once: the same settings, fresh per call.

_DEFAULT_SETTINGS: Any = None


def new_document(source_path: str, settings: Any = None) -> nodes.document:
    """docutils' ``new_document``; without *settings*, a copy of the defaults computed once."""
    global _DEFAULT_SETTINGS
    if settings is None:
        if _DEFAULT_SETTINGS is None:
            _DEFAULT_SETTINGS = frontend.get_default_settings()
        settings = copy.deepcopy(_DEFAULT_SETTINGS)
    return docutils.utils.new_document(source_path, settings)


def patch_new_document() -> None:
    ablog.blog.new_document = new_document


# --- Keep post doctrees out of the environment --------------------------------------
# Reason: ABlog stores a deep copy of every post's doctree in ``env.ablog_posts`` (for
# full-text rendering), so the pickled environment every rebuild loads, and every
# parallel reading process sends back, holds each post twice. The copy is dropped
# once the post is read; full-text rendering loads the post's own pickled doctree.
# The excerpt ABlog keeps is a copy too, but docutils' ``copy()`` keeps each node's
# reference to its original document: pickling one excerpt paragraph pickles the
# whole post. Those references are cut (a fragment is rendered in a new document).


def drop_doctree_copies(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read`` (after ABlog's handler): forget the copy ABlog just stored."""
    for info in getattr(app.env, "ablog_posts", {}).get(app.env.docname, []):
        info["doctree"] = None
        for excerpt in info["excerpt"]:
            for node in excerpt.findall(include_self=True):
                vars(node).pop("_document", None)


def _full_doctree(post: ablog.blog.Post) -> nodes.Node:
    if post.doctree is None:
        post.doctree = post.blog.app.env.get_doctree(post.docname)
    doctree: nodes.Node = post.doctree  # ablog has no type hints
    return doctree


def patch_to_html_cache(app: Sphinx) -> None:
    ablog.blog.Post.to_html = cached_to_html


# --- Generate only the archive pages that changed ---------------------------------
# Reason: ABlog's ``html-collect-pages`` handler regenerates every archive page on
# every build, even when no post changed (most of a no-change rebuild's time).
# Sphinx has no way to filter another extension's pages, so ABlog's handler is
# disconnected and called from ours, which drops the pages whose inputs and
# output file are unchanged (:func:`journal.speed.incremental.archive_pages_to_write`)
# and, under ``-j N``, has about half of the rest written by a second process
# (:mod:`journal.speed.pagewriters`), which sends back the fragments it rendered.

ABLOG_ARCHIVE_PAGES = ablog.post.generate_archive_pages


def collect_archive_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The archive pages to write, N posts a page (:mod:`journal.upstream.ablog_pages`); under
    ``-j N`` about half are written by another process."""
    listed = clashing(app, listing_pages(app, inside_output(app, ABLOG_ARCHIVE_PAGES(app))))
    pages = list(archive_pages_to_write(app, with_html_titles(listed)))
    pages += plan_listing_splices(app, pages, listing_splices(app))  # the others: new widgets only
    known = set(FRAGMENTS.loaded())  # loaded before the fork: the writing process starts with them
    yield from share_pages(app, pages, _listed_posts, lambda: FRAGMENTS.new_since(known), FRAGMENTS.merge)


def inside_output(app: Sphinx, pages: Iterator[PageTuple]) -> Iterator[PageTuple]:
    """ABlog's pages without those it would write outside the output folder: a post's
    ``:redirect:`` (the ``{post}`` directive's option, which the post contract does not take
    from front matter) names a page as written, ``../../elsewhere`` included."""
    outdir = Path(app.outdir).resolve()
    for page in pages:
        if Path(cast("StandaloneHTMLBuilder", app.builder).get_outfilename(page[0])).resolve().is_relative_to(outdir):
            yield page
            continue
        source = page[1].get("redirect") if page[2] == "ablog/redirect.html" else None
        message = f"ABlog's page {page[0]!r} would be written outside the output folder; it is not written"
        warn(JournalWarning.REDIRECTS, message, location=source)


def with_html_titles(pages: Iterator[PageTuple]) -> Iterator[PageTuple]:
    """ABlog's pages with their ``title`` as HTML, as Sphinx hands every other page's title to the
    theme: ABlog passes the tag or author name as it was written (``Posts tagged <b>``), and the
    theme prints ``title`` unescaped (its ``<title>`` strips tags instead)."""
    for pagename, context, template in pages:
        if isinstance(context.get("title"), str):
            context["title"] = escape(context["title"])
        yield pagename, context, template


def _listed_posts(page: tuple[str, dict[str, Any], str]) -> int:
    return 1 + sum(1 for _ in posts_on_page(page[1]))


def patch_archive_pages(app: Sphinx) -> None:
    """Disconnect ABlog's handler: :func:`collect_archive_pages` takes its place (the event table
    connects it at ABlog's priority, which this checks)."""
    disconnect(app, "html-collect-pages", ABLOG_ARCHIVE_PAGES, ABLOG_ARCHIVE_PRIORITY, __name__)


#: The priority ABlog connects ``generate_archive_pages`` at (Sphinx's default).
ABLOG_ARCHIVE_PRIORITY = 500


# --- Parallel reading -------------------------------------------------------------
# Reason: ABlog declares ``parallel_read_safe = False`` (upstream issues #264, #297,
# #327) because nothing merges its post data, ``env.ablog_posts``, back from the
# reading processes. :func:`merge_post_data` does, in ``env-merge-info``, the way
# Sphinx's collectors merge theirs: the read documents' entries. A reading process
# sends back only what merging takes (``journal/upstream/sphinx_parallel.py``), so
# the post data it inherited costs nothing. With this, ABlog may be declared
# parallel-read-safe.


def merge_post_data(app: Sphinx, env: Any, docnames: set[str], other: BuildEnvironment) -> None:
    """env-merge-info: ABlog's data of the posts in *docnames*, read in *other*."""
    # env: Any, since Sphinx's class does not declare ABlog's env.ablog_posts
    theirs = getattr(other, "ablog_posts", {})
    if not hasattr(env, "ablog_posts"):
        env.ablog_posts = {}
    env.ablog_posts.update({name: theirs[name] for name in docnames if name in theirs})


def patch_parallel_reading(app: Sphinx) -> None:
    app.extensions["ablog"].parallel_read_safe = True


# --- setup --------------------------------------------------------------------


def setup(app: Sphinx) -> dict[str, Any]:
    patch_nfc_slugify()
    patch_to_html_cache(app)
    patch_new_document()
    patch_archive_pages(app)
    patch_parallel_reading(app)
    # env_version: environments pickled before a patch (e.g. NFKD archive labels) are re-read.
    return {"env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}

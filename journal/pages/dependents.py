"""Which pages show what changed, when a post's title, date, labels or front matter change.

Such a change (adding, deleting, retitling, re-dating or re-tagging a post) used to rewrite
every page through the theme, since every sidebar counts and lists posts. Now, after
reading, the posts' *snapshot* (:class:`Snapshot`: each post's row of the blog shape, ABlog's
chronological neighbours, our front matter in ABlog's order) is compared with the previous
build's, and a page is written through the theme only when something besides its sidebar
widgets may have changed:

* every page that is not *ordinary* (:func:`journal.speed.widgets.ordinary_pages`): pages that
  are not posts (home, listings, notes, tag pages…), posts in a toctree, the newest posts;
* posts whose *dependencies* (:func:`dependencies`) changed: what a post page shows of other
  posts, namely its prev/next neighbours, its related posts and its series, each with the
  shown post's row;
* pages that link to a changed, added or deleted post (a reference shows its title);
* the listing pages (:func:`journal.speed.incremental.listing_pages`).

Every other ordinary post keeps its page: only its widgets changed, and
:mod:`journal.speed.splice` puts its folder's new widgets into it after the writing phase.

A feature that shows other posts on a post page (beyond the sidebar widgets) must add what it
shows to :func:`dependencies`, or mark such pages as listings; the equivalence tests
(``tests/test_incremental.py``) compare every file of an incremental build with a clean one
after each kind of change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from journal.content.backlinks import Resolver
from journal.contract.frontmatter import PostMeta
from journal.pages.context import published_posts
from journal.pages.related import RelatedIndex
from journal.pages.series import all_series
from journal.speed import incremental, splice
from journal.speed.widgets import ordinary_pages
from journal.state import links_of, swap_post_snapshot
from journal.upstream.ablog_state import blog

logger = logging.getLogger(__name__)
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Snapshot:
    """What other pages may show of the posts, in one build."""

    rows: dict[str, Row]  # docname -> incremental.post_rows
    neighbours: dict[str, tuple[str | None, str | None]]  # ABlog's older and newer post
    meta: dict[str, PostMeta]  # the published posts, newest first (journal.pages.context)


def snapshot(app: Sphinx) -> Snapshot:
    neighbours = {
        post.docname: (post.prev.docname if post.prev else None, post.next.docname if post.next else None)
        for post in blog(app).posts
    }
    return Snapshot(incremental.post_rows(app.env), neighbours, dict(published_posts(app).meta))


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: :func:`journal.speed.incremental.pages_to_rewrite`, with the pages that
    really show what changed when the blog shape did (the rest are spliced)."""
    current = snapshot(app)
    previous = swap_post_snapshot(env, current)
    return incremental.pages_to_rewrite(app, env, lambda: shape_dependents(app, previous, current))


def shape_dependents(app: Sphinx, previous: Any, current: Snapshot) -> set[str]:
    env = app.env
    if not isinstance(previous, Snapshot):  # an environment from before this module
        return set(env.found_docs)
    ordinary = ordinary_pages(app) & env.found_docs
    limit = app.config.journal_related_posts
    before = Dependencies(previous, RelatedIndex(previous.meta), limit)
    now = Dependencies(current, published_posts(app).related, limit)
    changed = {d for d in previous.rows.keys() | current.rows.keys() if previous.rows.get(d) != current.rows.get(d)}
    written = set(env.found_docs) - ordinary
    written |= {docname for docname in ordinary if before.of(docname) != now.of(docname)}
    written |= linking_to(env, changed)
    written |= incremental.listing_pages(env)
    written |= splice.plan_splices(app, written, ordinary - written, ordinary)
    spliced = len(ordinary - written)
    logger.info("journal: posts changed, %d pages show it, %d get new widgets only", len(written), spliced)
    return written


class Dependencies:
    """What a post page shows of other posts, by the rows of a :class:`Snapshot`."""

    def __init__(self, snapshot: Snapshot, related: RelatedIndex, limit: int) -> None:
        self.snapshot, self.related, self.limit = snapshot, related, limit
        self.series = series_members(snapshot.meta)

    def of(self, docname: str) -> tuple[Any, ...]:
        rows = self.snapshot.rows
        neighbours = self.snapshot.neighbours.get(docname, (None, None))
        related = self.related.related(docname, self.limit)
        series = self.series.get(docname, ())
        return tuple((shown, rows.get(shown)) for group in (neighbours, related, series) for shown in (*group, "|"))


def series_members(meta: Mapping[str, PostMeta]) -> dict[str, tuple[str, ...]]:
    """docname -> the posts of its series, oldest first (what its series box lists)."""
    return {docname: members for members in all_series(meta).values() for docname in members}


def linking_to(env: BuildEnvironment, targets: set[str]) -> set[str]:
    """Pages with a reference to one of *targets* (or to a label in one of them)."""
    resolver = Resolver(env)
    return {
        source
        for source, links in links_of(env).items()
        if any(link.target in targets or resolver.page(link) in targets for link in links)
    }

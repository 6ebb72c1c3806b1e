"""ABlog's objects and state as the features read and write them: the one door to ABlog's data.

ABlog 0.11.13 offers no API for what the features need, so they reach into its state; each such
reach is an adapter here, with what it relies on. Features import ABlog's classes (``Blog``,
``Post``, ``Collection``, ``PostList``, ``PostDirective``) from this module, never from ``ablog``
(``lint-imports`` enforces it). The patches of ABlog's functions are in :mod:`journal.upstream.ablog`;
this module is separate because it imports no journal code, so the build-speed machinery that those
patches use (:mod:`journal.speed.incremental`) can use it too without an import cycle.

What each adapter relies on, and the test that fails when ABlog changes it
(``tests/test_upstream.py``):

* :func:`post_infos`, :func:`set_excerpt`, :func:`remember`: ``env.ablog_posts`` is
  docname -> a list of dicts, one per ``{post}`` (keys ``title``, ``date``, ``excerpt`` ...), filled by
  ``ablog.post.process_posts`` and read by ``register_posts``; we overwrite ``excerpt`` (a list of
  nodes) and add a key of our own, which travels with the dict (pinned: ``process_posts``'s source).
* :func:`matched_posts`, :func:`set_matched_posts`: ``config.matched_blog_posts``, the docnames
  ABlog matched with ``blog_post_pattern`` at ``config-inited``; it only asks ``docname in`` it
  (pinned: ``ablog.config_inited``'s source).
* :data:`ABLOG_DEFAULTS`: ``ablog.blog.CONFIG`` is a list of ``(name, default, rebuild[, check])`` tuples.
* :func:`relabel`: ``Blog.references`` maps a target to ``(docname, title)`` and a collection's
  label is its ``name`` attribute (pinned: ``Blog.__init__``'s source).
* :func:`hide_feed_link`: ABlog's ``page.html`` links ``<feed_path>/atom.xml`` when ``feed_path``
  is set in the page context (pinned: the template).
* :data:`RECENT_POSTS`: the literal in ABlog's ``ablog/recentposts.html`` (pinned: the template).
* :func:`archive_page_names`: ``generate_archive_pages`` yields ``(pagename, context, template)``
  and renders nothing until its context is used (pinned with the patches).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

import ablog.blog
from ablog.blog import Blog, Post
from ablog.blog import Collection as BlogCollection
from ablog.post import PostDirective, PostList, generate_archive_pages, register_posts
from docutils import nodes
from sphinx.environment import BuildEnvironment

__all__ = [
    "ABLOG_DEFAULTS",
    "RECENT_POSTS",
    "Blog",
    "BlogCollection",
    "Post",
    "PostDirective",
    "PostList",
    "archive_page_names",
    "blog",
    "generate_archive_pages",
    "hide_feed_link",
    "matched_posts",
    "post_infos",
    "register_posts",
    "relabel",
    "remember",
    "set_excerpt",
    "set_matched_posts",
]

#: ABlog option -> its default value, from ``ablog.blog.CONFIG`` (``(name, default, rebuild[, check])`` tuples).
ABLOG_DEFAULTS: dict[str, object] = {entry[0]: entry[1] for entry in ablog.blog.CONFIG}

#: How many posts ABlog's ``ablog/recentposts.html`` lists (``ablog.recent(5, pagename)``).
RECENT_POSTS = 5


def blog(app: Any) -> Blog:
    """ABlog's ``Blog``: one shared state per application (ABlog's templates read the same one)."""
    return Blog(app)


def post_infos(env: BuildEnvironment) -> dict[str, list[dict[str, Any]]]:
    """``env.ablog_posts``: docname -> ABlog's data of each ``{post}`` in it (empty before ABlog read any)."""
    infos: dict[str, list[dict[str, Any]]] = getattr(env, "ablog_posts", {})
    return infos


def set_excerpt(info: dict[str, Any], text: str) -> None:
    """Make *text* the excerpt ABlog lists and feeds for the post of *info*."""
    info["excerpt"] = [nodes.paragraph(text, text)]


def remember(info: dict[str, Any], key: str, value: Any) -> None:
    """Keep *value* under our *key* in ABlog's data of a post: it is pickled and merged with that data."""
    info[key] = value


def matched_posts(config: Any) -> Collection[str]:
    """The docnames ABlog matched with ``blog_post_pattern`` (at ``config-inited``)."""
    matched: Collection[str] = getattr(config, "matched_blog_posts", ())
    return matched


def set_matched_posts(config: Any, docnames: Collection[str]) -> None:
    """Replace ABlog's list of matched posts (ABlog only asks ``docname in`` it)."""
    config.matched_blog_posts = docnames


def relabel(app: Any, targets: Iterable[str], translate: Callable[[str], str]) -> None:
    """Translate the labels ABlog keeps as plain English in its ``Blog``: the titles of the
    reference *targets* (``blog-tags`` ...) and the names of its posts and drafts collections."""
    the_blog = Blog(app)
    for target in targets:
        docname, title = the_blog.references[target]
        the_blog.references[target] = (docname, translate(title))
    for collection in (the_blog.posts, the_blog.drafts):
        collection.name = translate(collection.name)


def hide_feed_link(context: dict[str, Any]) -> None:
    """Keep ABlog's ``page.html`` from linking its own ``<feed_path>/atom.xml`` (we link our feeds)."""
    context["feed_path"] = None


def archive_page_names(app: Any) -> list[str]:
    """The page names of every archive page ABlog writes (nothing is rendered: names only)."""
    return [pagename for pagename, _, _ in generate_archive_pages(app)]

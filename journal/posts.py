"""Posts in Sphinx: apply the post contract before ABlog reads a post.

* ``config-inited``: drafts and future posts are added to ``exclude_patterns``
  (unless ``journal_show_drafts``), so they cannot leak into any page, listing,
  feed, sitemap or search index: Sphinx never reads them.
* ``source-read``: a post's front matter is parsed by :mod:`journal.frontmatter`;
  every problem becomes a ``journal.frontmatter`` warning at its file and line.
* :class:`ApplyPostContract` (a transform that runs just before ABlog's
  ``CheckFrontMatter``) rewrites the post's docinfo fields from the normalised
  :class:`~journal.frontmatter.PostMeta`, so ABlog sees plain values (no JSON
  lists, no ``\\uXXXX`` escapes, naive local dates it can compare) and never
  crashes on user input; the page title is set as plain text, not Markdown.
* :class:`PostMetaCollector` keeps each post's ``PostMeta`` in the environment
  (``env.journal_posts``), purged and merged per document, for feeds and pages.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ablog.post import PostDirective
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.transforms import SphinxTransform
from sphinx.util.matching import Matcher

from journal.frontmatter import ALIASES, KNOWN_KEYS, ParsedPost, PostMeta, parse_post
from journal.warnings import JournalWarning, warn

#: Date format ABlog parses first (``post_date_format`` is for display).
ABLOG_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


@cache
def site_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"journal_timezone: {name!r} is not an IANA time zone such as 'Asia/Seoul'") from None


def is_post(app: Sphinx, docname: str) -> bool:
    return docname in app.config.matched_blog_posts


def build_time(config: Config) -> dt.datetime:
    """The moment that divides published from future posts."""
    return dt.datetime.now(site_timezone(config.journal_timezone))


# --- config-inited: keep unpublished posts out of the build -----------------


def post_sources(srcdir: Path, config: Config) -> list[Path]:
    posts_dir = srcdir / config.journal_posts_dir
    excluded = Matcher(config.exclude_patterns)
    sources = sorted(posts_dir.glob("*/*.md"))
    return [path for path in sources if not excluded(path.relative_to(srcdir).as_posix())]


def exclude_unpublished(app: Sphinx, config: Config) -> None:
    if config.journal_show_drafts:
        return
    now = build_time(config)
    tz = site_timezone(config.journal_timezone)
    for path in post_sources(Path(app.srcdir), config):
        parsed = parse_post(path.read_text(encoding="utf-8"), tz)
        if parsed.problems:
            continue  # reported when the post is read
        if not parsed.meta.is_published(now):
            config.exclude_patterns.append(path.relative_to(app.srcdir).as_posix())


# --- source-read: parse and report ------------------------------------------


def read_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    if not is_post(app, docname):
        return
    env = app.env
    parsed = parse_post(source[0], site_timezone(app.config.journal_timezone))
    for problem in parsed.problems:
        warn(JournalWarning.FRONTMATTER, str(problem), location=(docname, problem.line))
    env.journal_parsed[docname] = parsed  # type: ignore[attr-defined]


# --- transform: hand ABlog plain, valid values --------------------------------


class ApplyPostContract(SphinxTransform):
    """Replace a post's docinfo with normalised fields before ABlog's ``CheckFrontMatter`` (800) reads them."""

    default_priority = 790

    def apply(self, **kwargs: Any) -> None:
        parsed: ParsedPost | None = getattr(self.env, "journal_parsed", {}).pop(self.env.docname, None)
        if parsed is None:
            return
        meta = parsed.meta
        if meta.title:
            self._set_title(meta.title)
        docinfo = next(iter(self.document.findall(nodes.docinfo)), None)
        if docinfo is None:
            docinfo = nodes.docinfo()
            self.document.insert(0, docinfo)
        docinfo.children = [child for child in docinfo.children if _is_foreign_field(child)]
        for name, value in ablog_fields(meta, self.config.journal_show_drafts).items():
            docinfo += nodes.field("", nodes.field_name("", name), nodes.field_body("", nodes.paragraph("", value)))
        self.env.journal_posts[self.env.docname] = meta  # type: ignore[attr-defined]

    def _set_title(self, title: str) -> None:
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is not None and section.children and isinstance(section[0], nodes.title):
            section[0].children = [nodes.Text(title)]


#: Fields ABlog interprets; we replace them all with normalised values.
_CONTRACT_FIELDS = frozenset(KNOWN_KEYS) | frozenset(ALIASES) | frozenset(PostDirective.option_spec) | {"blogpost"}


def _is_foreign_field(node: nodes.Node) -> bool:
    """Fields outside the contract (``orphan``, ``nosearch``, ...) stay for Sphinx to read."""
    return isinstance(node, nodes.field) and node[0].astext() not in _CONTRACT_FIELDS


def ablog_fields(meta: PostMeta, show_drafts: bool) -> dict[str, str]:
    """The front matter ABlog understands, as the plain strings it expects."""
    fields = {"blogpost": "true"}
    if meta.title:
        fields["title"] = meta.title
    unpublished = meta.draft and show_drafts
    if meta.date and not unpublished:
        fields["date"] = meta.date.strftime(ABLOG_DATE_FORMAT)
    for name in ("tags", "category", "author"):
        values: list[str] = getattr(meta, name)
        if values:
            fields[name] = ", ".join(value.replace(",", " ") for value in values)
    return fields


# --- environment ------------------------------------------------------------


class PostMetaCollector(EnvironmentCollector):
    """Keeps ``env.journal_posts`` (docname -> PostMeta) right across incremental and parallel builds."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        env.journal_posts.pop(docname, None)  # type: ignore[attr-defined]

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
        for docname in docnames:
            if docname in other.journal_posts:  # type: ignore[attr-defined]
                env.journal_posts[docname] = other.journal_posts[docname]  # type: ignore[attr-defined]

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass


def init_env(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if not hasattr(env, "journal_posts"):
        env.journal_posts = {}  # type: ignore[attr-defined]
    env.journal_parsed = {}  # type: ignore[attr-defined]


def setup(app: Sphinx) -> None:
    app.connect("config-inited", exclude_unpublished, priority=600)
    app.connect("env-before-read-docs", init_env)
    app.connect("source-read", read_front_matter)
    app.add_transform(ApplyPostContract)
    app.add_env_collector(PostMetaCollector)

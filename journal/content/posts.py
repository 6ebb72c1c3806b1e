"""Posts in Sphinx: apply the post contract before ABlog reads a post.

* ``config-inited``: every post's front matter is checked by
  :mod:`journal.contract.frontmatter` (plus the checks that need all posts at once:
  archive pages two labels would share, URLs that differ only in case or
  Unicode form); every problem becomes a ``journal.frontmatter`` warning at its
  file and line, on every build. Posts with a problem, drafts and future posts
  are withheld (:func:`journal.upstream.sphinx_project.withhold`; drafts and future posts
  stay when ``journal_show_drafts``), so they cannot leak into any page, listing, feed,
  sitemap or search index: Sphinx never reads them, and a post becoming withheld or shown
  is one removed or added document, not a changed configuration. It also means MyST never
  sees broken YAML, so its own "Malformed YAML" warning never doubles ours.
* ``source-read``: a post's front matter for the transform below: the ``config-inited``
  parse when the text Sphinx read is the text checked then (the same digest; readers forked
  for ``-j N`` inherit it), else parsed again.
* :class:`ApplyPostContract` (a transform that runs just before ABlog's
  ``CheckFrontMatter``) rewrites the post's docinfo fields from the normalised
  :class:`~journal.contract.frontmatter.PostMeta`, so ABlog sees plain values (no JSON
  lists, no ``\\uXXXX`` escapes, naive local dates it can compare) and never
  crashes on user input; the page title is set as plain text, not Markdown.
* ``doctree-read`` (after ABlog's ``process_posts``): an ``excerpt:`` replaces
  ABlog's automatic one in listings and feeds; in a drafts preview, drafts and
  future posts get a "초안" banner.
* :class:`PostMetaCollector` keeps each post's ``PostMeta`` in the environment
  (``env.journal_posts``), purged and merged per document, for feeds and pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util.matching import Matcher

from journal.contract import frontmatter, labels
from journal.contract.frontmatter import (
    ALIASES,
    KNOWN_KEYS,
    FrontMatterProblem,
    ParsedPost,
    PostMeta,
    parse_post,
    time_zone,
)
from journal.speed.incremental import digest, load_state, save_state
from journal.state import PerDocumentCollector, parsed_of, posts_of, reset_parsed
from journal.upstream.ablog import set_publication_cutoff
from journal.upstream.ablog_state import PostDirective, matched_posts, post_infos, set_excerpt, set_matched_posts
from journal.upstream.sphinx_project import withheld, withhold
from journal.warnings import JournalWarning, warn

#: Date format ABlog parses first (``post_date_format`` is for display).
ABLOG_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


@cache
def site_timezone(name: str) -> ZoneInfo:
    try:
        return time_zone(name)
    except ValueError as error:
        raise ValueError(f"journal_timezone: {error}") from None


def is_post(app: Sphinx, docname: str) -> bool:
    """A MyST post that the contract applies to (ABlog's ``blog_post_pattern``, written in Markdown)."""
    return docname in matched_posts(app.config) and Path(app.env.doc2path(docname)).suffix == ".md"


def build_time(config: Config) -> dt.datetime:
    """The moment that divides published from future posts: now, or ``SOURCE_DATE_EPOCH``
    (seconds since 1970, UTC) when set, as Sphinx itself reads it for reproducible builds."""
    tz = site_timezone(config.journal_timezone)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r}: expected whole seconds since 1970-01-01 UTC") from None
    return dt.datetime.now(tz)


def build_date(config: Config) -> dt.date:
    """The build's "today" in ``journal_timezone``: the date of :func:`build_time`."""
    return build_time(config).date()


# --- config-inited: check every post, keep unpublished and broken ones out ----


def post_sources(srcdir: Path, config: Config, withheld: Sequence[str] = ()) -> list[Path]:
    """The Markdown files of ABlog's matched posts that ``exclude_patterns`` and *withheld*
    leave in, sorted."""
    excluded = Matcher([*config.exclude_patterns, *withheld])
    sources = (f"{docname}.md" for docname in matched_posts(config))
    return sorted(srcdir / source for source in sources if not excluded(source) and (srcdir / source).is_file())


def read_source(path: Path, tz: ZoneInfo) -> ParsedPost:
    return read_source_with_digest(path, tz)[1]


def read_source_with_digest(path: Path, tz: ZoneInfo) -> tuple[str, ParsedPost]:
    """(:func:`journal.speed.incremental.digest` of the text, its parse); the digest is empty for a
    file that is not UTF-8."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problem = FrontMatterProblem(
            1, None, f"not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
        )
        return "", ParsedPost(PostMeta(), [problem])
    return digest(text), parse_post(text, tz)


#: Per application, each post checked at ``config-inited``: path -> (text digest, parse).
_CHECKED: WeakKeyDictionary[Sphinx, dict[str, tuple[str, ParsedPost]]] = WeakKeyDictionary()


def read_sources(app: Sphinx, paths: list[Path], tz: ZoneInfo) -> dict[Path, ParsedPost]:
    """Every post parsed; a file whose size and modification time are those of the previous
    build is not parsed again (``journal-frontmatter.pickle`` beside the doctrees)."""
    stamp = (_CONTRACT_VERSION, _STATE_FORMAT, str(tz))
    state = load_state(app, "frontmatter")
    known: dict[str, tuple[tuple[int, int], str, ParsedPost]] = (
        state.get("posts", {}) if state.get("stamp") == stamp else {}
    )
    current, parsed = {}, {}
    for path in paths:
        status = path.stat()
        seen = (status.st_mtime_ns, status.st_size)
        previous = known.get(str(path))
        sha, parsed[path] = previous[1:] if previous and previous[0] == seen else read_source_with_digest(path, tz)
        current[str(path)] = (seen, sha, parsed[path])
    if current.keys() != known.keys() or any(current[name][0] != known[name][0] for name in current):
        save_state(app, "frontmatter", {"stamp": stamp, "posts": current})
    _CHECKED[app] = {name: (sha, post) for name, (_, sha, post) in current.items()}
    return parsed


#: The post contract's code: parsed front matter kept from an older contract is parsed again.
_CONTRACT_VERSION = hashlib.sha256(Path(frontmatter.__file__).read_bytes()).hexdigest()
#: The shape of ``journal-frontmatter.pickle``'s entries: (stat, text digest, parse).
_STATE_FORMAT = 2


def matched_posts_as_set(app: Sphinx, config: Config) -> None:
    """ABlog's list of matched posts, as a set: ABlog and :func:`is_post` ask ``docname in`` it
    for every document read, which over a list grows with the square of the number of posts."""
    set_matched_posts(config, frozenset(matched_posts(config)))


def check_posts(app: Sphinx, config: Config) -> None:
    """Report every post's problems and exclude what must not be built."""
    srcdir = Path(app.srcdir)
    tz = site_timezone(config.journal_timezone)
    now = build_time(config)
    set_publication_cutoff(now)  # ABlog's own cutoff would be the build machine's midnight
    parsed = read_sources(app, post_sources(srcdir, config, withheld(app)), tz)
    problems = {path: list(post.problems) for path, post in parsed.items()}
    shown = {
        path: post
        for path, post in parsed.items()
        if not problems[path] and (config.journal_show_drafts or post.meta.is_published(now))
    }
    for path, problem in clashes(srcdir, config, shown):
        problems[path].append(problem)
    for path in parsed:
        for problem in sorted(problems[path], key=lambda problem: problem.line):
            warn(JournalWarning.FRONTMATTER, str(problem), location=f"{path}:{problem.line}")
        if problems[path] or path not in shown:
            withhold(app, path.relative_to(srcdir).as_posix())


def clashes(srcdir: Path, config: Config, posts: dict[Path, ParsedPost]) -> Iterator[tuple[Path, FrontMatterProblem]]:
    """Problems only visible across posts: two URLs or two archive pages that would be one
    (:func:`journal.contract.labels.clashes`, which ``python -m journal new`` runs too)."""
    return labels.clashes(srcdir, posts, config.blog_path, config.blog_authors)


# --- source-read: parse for the transform -------------------------------------


def read_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    if not is_post(app, docname):
        return
    checked = _CHECKED.get(app, {}).get(str(Path(app.srcdir) / f"{docname}.md"))
    if checked is not None and checked[0] == digest(source[0]):
        parsed = checked[1]
    else:
        parsed = parse_post(source[0], site_timezone(app.config.journal_timezone))
    parsed_of(app.env)[docname] = parsed


def forget_checked_posts(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: reading is over; the ``config-inited`` parses kept for it are let go
    (at 5,000 posts they are megabytes that the writing phase, at the build's peak, never reads)."""
    _CHECKED.pop(app, None)


# --- transform: hand ABlog plain, valid values --------------------------------


class ApplyPostContract(SphinxTransform):
    """Replace a post's docinfo with normalised fields before ABlog's ``CheckFrontMatter`` (800) reads them."""

    default_priority = 790

    def apply(self, **kwargs: Any) -> None:
        parsed: ParsedPost | None = parsed_of(self.env).pop(self.env.docname, None)
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
        posts_of(self.env)[self.env.docname] = meta

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


# --- doctree-read: what ABlog cannot be told in front matter ------------------


def after_ablog_read(app: Sphinx, doctree: nodes.document) -> None:
    """Runs after ABlog's ``process_posts`` took its copies of the post (priority 500)."""
    meta = posts_of(app.env).get(app.env.docname)
    if meta is None:
        return
    if meta.excerpt:
        for postinfo in post_infos(app.env).get(app.env.docname, []):
            set_excerpt(postinfo, meta.excerpt)
    if app.config.journal_show_drafts and not meta.is_published(build_time(app.config)):
        add_draft_banner(doctree, meta)


def add_draft_banner(doctree: nodes.document, meta: PostMeta) -> None:
    """A "초안" admonition under the title: this page only exists in a drafts preview."""
    if meta.draft:
        why = "아직 공개하지 않은 초안입니다."
    elif meta.date:
        why = f"{meta.date:%Y-%m-%d %H:%M}에 공개될 예정인 글입니다."
    else:
        why = "날짜가 없어 공개되지 않는 글입니다."
    text = f"{why} 초안 미리 보기(make html DRAFTS=1)에서만 보이며, 공개 빌드에는 들어가지 않습니다."
    banner = nodes.admonition("", nodes.title("초안", "초안"), nodes.paragraph(text, text))
    banner["classes"] += ["warning", "journal-draft"]
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None:
        section.insert(1, banner)


# --- environment ------------------------------------------------------------


class PostMetaCollector(PerDocumentCollector):
    """Keeps ``env.journal_posts`` (docname -> PostMeta, set by ApplyPostContract) right across
    incremental and parallel builds."""

    kept = (posts_of,)


def init_env(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    posts_of(env)
    reset_parsed(env)


def setup(app: Sphinx) -> None:
    app.add_transform(ApplyPostContract)
    app.add_env_collector(PostMetaCollector)

"""Notes: evergreen pages under ``notes/`` that are not blog posts.

A note is any page below ``journal_notes_dir`` except the section pages
(``index``) that hold the table of contents. Its optional front matter is
``title``, ``tags``, ``updated`` and ``status`` (seedling, growing, evergreen).
Notes never match ``blog_post_pattern``, so ABlog keeps them out of every post
listing and feed; they still carry tags, and each tag's archive lists them
separately (``_templates/ablog/collection.html``).

* :func:`parse_note` (pure) validates the front matter, reusing the post
  contract of :mod:`journal.contract.frontmatter` for the keys both share.
* ``source-read`` reports every problem as a ``journal.frontmatter`` warning at
  its file and line and keeps the :class:`NoteMeta` in ``env.journal_notes``
  (:class:`NoteCollector` purges and merges it for incremental and parallel builds).
* ``doctree-resolved`` puts a small header under a note's title: status,
  date of the last update, and its tags linked to their archives.
* ``html-page-context`` hands a tag archive the notes carrying that tag.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from journal.content.posts import site_timezone
from journal.contract.frontmatter import (
    ALIASES,
    KNOWN_KEYS,
    PASSTHROUGH_KEYS,
    FrontMatterProblem,
    parse_post,
)
from journal.speed.incremental import filled_blog
from journal.state import PerDocumentCollector, notes_of, posts_of, swap_archived_tags
from journal.warnings import JournalWarning, warn

#: Front matter a note accepts, with what each key takes.
NOTE_KEYS: dict[str, str] = {
    "title": KNOWN_KEYS["title"],
    "tags": KNOWN_KEYS["tags"],
    "updated": KNOWN_KEYS["updated"],
    "status": "seedling, growing or evergreen",
    "order": "a number: the note's place in its topic (see journal.content.notefiling)",
}
#: A note's status -> how the site shows it.
STATUSES: dict[str, str] = {"seedling": "🌱 새싹", "growing": "🌿 자라는 중", "evergreen": "🌳 상록"}
#: Date format of a note's ``updated`` on pages.
DATE_FORMAT = "%Y-%m-%d"


@dataclass
class NoteMeta:
    title: str | None = None
    tags: list[str] = field(default_factory=list)
    updated: dt.datetime | None = None
    status: str | None = None
    #: Place in the topic's navigation (lower first); notes without one follow, by title.
    order: float | None = None
    #: ``orphan:`` in the front matter: the note is filed in no topic.
    orphan: bool = False

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status or "", "")


@dataclass
class ParsedNote:
    meta: NoteMeta
    problems: list[FrontMatterProblem]


# --- the contract (pure) ------------------------------------------------------


def parse_note(text: str, tz: ZoneInfo) -> ParsedNote:
    """Parse a note's front matter; keys shared with posts are checked by the post contract."""
    parsed = parse_post(text, tz, require_date=False)
    lines = parsed.key_lines
    problems = [p for p in parsed.problems if p.key is None or ALIASES.get(p.key, p.key) in NOTE_KEYS]
    problems += [problem for key, line in lines.items() if (problem := _check_key(key, line)) is not None]
    meta = NoteMeta(title=parsed.meta.title, tags=parsed.meta.tags, updated=parsed.meta.updated)
    status = parsed.meta.extra.get("status")
    if status is not None:
        if isinstance(status, str) and status.strip().lower() in STATUSES:
            meta.status = status.strip().lower()
        else:
            problems.append(
                FrontMatterProblem(lines.get("status", 1), "status", f"{status!r} is not one of {NOTE_KEYS['status']}")
            )
    order = parsed.meta.extra.get("order")
    if order is not None:
        meta.order = order_number(order)
        if meta.order is None:
            problems.append(FrontMatterProblem(lines.get("order", 1), "order", f"{order!r} is not a number"))
    meta.orphan = "orphan" in lines  # Sphinx, too, takes the key's presence for an orphan
    problems.sort(key=lambda p: p.line)
    return ParsedNote(meta, problems)


def order_number(value: object) -> float | None:
    """``order:`` as a number; None for anything else (text, a boolean, a list)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:  # NaN
        return None
    return float(value)


def _check_key(key: str, line: int) -> FrontMatterProblem | None:
    name = ALIASES.get(key, key)
    if name in NOTE_KEYS or name in PASSTHROUGH_KEYS - {"blogpost"}:
        return None
    accepted = ", ".join(NOTE_KEYS)
    if name == "blogpost":
        return FrontMatterProblem(line, key, "a note is not a blog post; remove this key, or move the file to posts/")
    if name == "date":
        return FrontMatterProblem(line, key, "a note has no publication date; write 'updated' instead")
    if name in KNOWN_KEYS:
        return FrontMatterProblem(line, key, f"is for posts; a note accepts {accepted}")
    close = difflib.get_close_matches(key.lower(), list(NOTE_KEYS), n=1, cutoff=0.75)
    if close:
        return FrontMatterProblem(line, key, f"unknown key; did you mean '{close[0]}'?")
    return None  # other keys are kept quietly, as for posts


# --- Sphinx: which pages are notes ------------------------------------------


def is_note(app: Sphinx, docname: str) -> bool:
    """A page under the notes folder, other than a section's table of contents (``index``)."""
    prefix = app.config.journal_notes_dir.strip("/") + "/"
    return docname.startswith(prefix) and docname.rsplit("/", 1)[-1] != "index"


def read_note(app: Sphinx, docname: str, source: list[str]) -> None:
    if not is_note(app, docname):
        return
    parsed = parse_note(source[0], site_timezone(app.config.journal_timezone))
    for problem in parsed.problems:
        warn(JournalWarning.FRONTMATTER, str(problem), location=(docname, problem.line))
    notes_of(app.env)[docname] = parsed.meta


class PlainNoteTitle(SphinxTransform):
    """A note's ``title:`` is its heading as plain text, as for posts (:mod:`journal.content.posts`).

    MyST's ``myst_title_to_header`` parses the front-matter title as Markdown, raw HTML
    included, so ``title: <script>…`` would run in the page, the navigation and every list of
    notes; runs before the title collector records ``env.titles``.
    """

    default_priority = 790

    def apply(self, **kwargs: Any) -> None:
        meta = notes_of(self.env).get(self.env.docname)
        if meta is None or not meta.title:
            return
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is not None and section.children and isinstance(section[0], nodes.title):
            section[0].children = [nodes.Text(meta.title)]


class NoteCollector(PerDocumentCollector):
    """Keeps ``env.journal_notes`` (docname -> NoteMeta, set at ``source-read``) right across
    incremental and parallel builds."""

    kept = (notes_of,)

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Notes whose tag links changed because a tag gained or lost its archive page."""
        archived = archived_tags(env)
        previous = swap_archived_tags(env, archived)
        if previous is None or previous == archived:
            return []
        changed = previous ^ archived
        return sorted(docname for docname, meta in notes_of(env).items() if changed & set(meta.tags))


def init_env(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    notes_of(env)


# --- tags: which archives exist ---------------------------------------------


def archived_tags(env: BuildEnvironment) -> set[str]:
    """Tags that have an archive page: those of published posts (ABlog makes no page for an empty tag)."""
    posts = posts_of(env)
    return {tag for meta in posts.values() if meta.date is not None and not meta.draft for tag in meta.tags}


def tag_archive(app: Sphinx, tag: str) -> str | None:
    """Docname of ABlog's archive page for *tag*, or None when the tag has no published post."""
    collection = filled_blog(app).tags.collections.get(tag)
    return collection.docname if collection is not None and len(collection) else None


def notes_tagged(env: BuildEnvironment, tag: str) -> list[tuple[str, NoteMeta]]:
    notes = [(docname, meta) for docname, meta in notes_of(env).items() if tag in meta.tags]
    return sorted(notes, key=lambda item: str(env.titles[item[0]].astext()) if item[0] in env.titles else item[0])


# --- the note's header ------------------------------------------------------


def add_note_header(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    meta = notes_of(app.env).get(docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if meta is None or section is None or not (meta.status or meta.updated or meta.tags):
        return
    header = nodes.paragraph(classes=["journal-note-meta", "no-search"])
    parts: list[list[nodes.Node]] = []
    if meta.status:
        parts.append([nodes.inline(meta.status_label, meta.status_label, classes=["journal-note-status", meta.status])])
    if meta.updated:
        parts.append([nodes.Text(f"{meta.updated:{DATE_FORMAT}} 갱신")])
    if meta.tags:
        parts.append([nodes.Text("태그 "), *_join(_tag_node(app, docname, tag) for tag in meta.tags)])
    for index, part in enumerate(parts):
        if index:
            header += nodes.Text(" · ")
        header.extend(part)
    section.insert(1, header)


def _tag_node(app: Sphinx, docname: str, tag: str) -> nodes.Node:
    target = tag_archive(app, tag) if app.builder.format == "html" else None
    if target is None:
        return nodes.inline(tag, tag, classes=["journal-tag"])
    uri = app.builder.get_relative_uri(docname, target)
    return nodes.reference(tag, tag, internal=True, refuri=uri, classes=["journal-tag"])


def _join(items: Iterable[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    joined: list[nodes.Node] = []
    for item in items:
        if joined:
            joined.append(nodes.Text(separator))
        joined.append(item)
    return joined


# --- tag archives -------------------------------------------------------------


def tag_archive_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Give ABlog's archive page of a tag the notes carrying that tag (``journal_tag_notes``)."""
    collection = context.get("collection")
    catalog = getattr(collection, "catalog", None)
    if collection is None or catalog is None or getattr(catalog, "name", None) != "tags":
        return
    context["journal_tag_notes"] = [
        {"docname": docname, "title": doc_title(app.env, docname), "meta": meta}
        for docname, meta in notes_tagged(app.env, str(collection.name))
    ]


def doc_title(env: BuildEnvironment, docname: str) -> str:
    """The title of *docname* as text; the docname when it has none."""
    title = env.titles.get(docname)
    return title.astext() if title is not None else docname


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_transform(PlainNoteTitle)
    app.add_env_collector(NoteCollector)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

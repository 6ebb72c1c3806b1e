"""다시 볼 노트: ``{revisitnotes} 5`` lists the notes waiting for another look.

A note is due when its status is ``seedling`` or ``growing`` and its ``updated`` date is more
than ``journal_revisit_after_days`` days before the build's "today"
(:func:`journal.content.posts.build_date`); a note without ``updated`` is not listed (nothing
says how old it is). The oldest come first, at most the directive's number (default 5).

The directive leaves a placeholder that ``doctree-resolved`` fills, like ``{notelist}``;
:class:`RevisitCollector` rewrites the pages holding a list whenever the due notes changed
(a note edited, or a new day making another note due).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from journal.content.notes import DATE_FORMAT, NoteMeta, doc_title
from journal.content.posts import build_date, site_timezone
from journal.speed.incremental import PagesHoldingCollector
from journal.state import notes_of, swap_revisit_state

DEFAULT_SIZE = 5
#: The statuses of notes still growing.
GROWING = ("seedling", "growing")
EMPTY = "지금은 다시 볼 노트가 없습니다."


class revisitnotes(nodes.General, nodes.Element):  # docutils names node classes in lower case
    """Placeholder for the list, replaced at ``doctree-resolved``."""


class RevisitNotesDirective(SphinxDirective):
    optional_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        size = directives.positive_int(self.arguments[0]) if self.arguments else DEFAULT_SIZE
        node = revisitnotes(size=size)
        self.set_source_info(node)
        return [node]


def is_due(meta: NoteMeta, today: dt.date, after_days: int, tz: dt.tzinfo) -> bool:
    """A growing note whose last update is more than *after_days* days before *today*."""
    if meta.status not in GROWING or meta.updated is None:
        return False
    return (today - meta.updated.astimezone(tz).date()).days > after_days


def due_notes(app: Sphinx) -> list[tuple[str, str, NoteMeta]]:
    """(docname, title, meta) of every due note, the oldest update first (then by title)."""
    today, tz = build_date(app.config), site_timezone(app.config.journal_timezone)
    after = app.config.journal_revisit_after_days
    env = app.env
    due = [(doc, doc_title(env, doc), meta) for doc, meta in notes_of(env).items() if is_due(meta, today, after, tz)]
    due.sort(key=lambda item: (item[2].updated, item[1], item[0]))
    return due


def fill_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(revisitnotes))
    if not placeholders:
        return
    due = due_notes(app)
    for placeholder in placeholders:
        shown = due[: placeholder["size"]]
        if not shown:
            placeholder.replace_self(nodes.paragraph(EMPTY, EMPTY, classes=["journal-revisit", "no-search"]))
            continue
        items = nodes.bullet_list(classes=["journal-revisit", "no-search"])
        for note_docname, title, meta in shown:
            items += _item(app, docname, note_docname, title, meta)
        placeholder.replace_self(items)


def _item(app: Sphinx, docname: str, note_docname: str, title: str, meta: NoteMeta) -> nodes.list_item:
    link = nodes.reference(title, title, internal=True, refuri=app.builder.get_relative_uri(docname, note_docname))
    paragraph = nodes.paragraph("", "", link)
    assert meta.updated is not None  # due notes have a date
    details = f" · {meta.status_label} · {meta.updated:{DATE_FORMAT}} 갱신"
    paragraph += nodes.inline("", details, classes=["journal-notelist-meta"])
    return nodes.list_item("", paragraph)


class RevisitCollector(PagesHoldingCollector):
    """Which pages hold a ``revisitnotes`` (``env.journal_revisits``)."""

    node_class = revisitnotes
    attribute = "journal_revisits"

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Pages holding a list, when the due notes (or what the list shows of them) changed."""
        current = [(docname, title, meta.updated, meta.status) for docname, title, meta in due_notes(app)]
        return self.pages_if_changed(env, current, swap_revisit_state)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(revisitnotes)
    app.add_directive("revisitnotes", RevisitNotesDirective)
    app.add_env_collector(RevisitCollector)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

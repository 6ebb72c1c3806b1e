"""``notelist``: the most recently updated notes, e.g. on the home page.

```markdown
:::{notelist} 5
:::
```

The directive leaves a placeholder that ``doctree-resolved`` fills from
``env.journal_notes``, so the list is always built from every note, even when
only the page holding it is rewritten. ``env-get-updated`` rewrites the pages
holding a list whenever the list itself changed (a note's title, date or status).
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
from journal.speed.incremental import PagesHoldingCollector
from journal.state import notes_of, swap_notelist_state

DEFAULT_SIZE = 5


class notelist(nodes.General, nodes.Element):  # docutils names node classes in lower case
    """Placeholder for the list, replaced at ``doctree-resolved``."""


class NoteListDirective(SphinxDirective):
    optional_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        size = directives.positive_int(self.arguments[0]) if self.arguments else DEFAULT_SIZE
        node = notelist(size=size)
        self.set_source_info(node)
        return [node]


def recent_notes(env: BuildEnvironment) -> list[tuple[str, str, NoteMeta]]:
    """(docname, title, meta) of every note, the most recently updated first; undated notes last, by title."""
    notes = [(docname, doc_title(env, docname), meta) for docname, meta in notes_of(env).items()]
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    notes.sort(key=lambda item: item[1])
    notes.sort(key=lambda item: item[2].updated or oldest, reverse=True)
    return notes


def fill_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(notelist))
    if not placeholders:
        return
    notes = recent_notes(app.env)
    for placeholder in placeholders:
        items = nodes.bullet_list(classes=["journal-notelist", "no-search"])  # titles of other pages
        for note_docname, title, meta in notes[: placeholder["size"]]:
            items += _item(app, docname, note_docname, title, meta)
        placeholder.replace_self(items)


def _item(app: Sphinx, docname: str, note_docname: str, title: str, meta: NoteMeta) -> nodes.list_item:
    link = nodes.reference(title, title, internal=True, refuri=app.builder.get_relative_uri(docname, note_docname))
    paragraph = nodes.paragraph("", "", link)
    details = [f"{meta.updated:{DATE_FORMAT}} 갱신"] if meta.updated else []
    details += [meta.status_label] if meta.status else []
    if details:
        paragraph += nodes.inline("", " · " + " · ".join(details), classes=["journal-notelist-meta"])
    return nodes.list_item("", paragraph)


class NoteListCollector(PagesHoldingCollector):
    """Which pages hold a ``notelist`` (``env.journal_notelists``)."""

    node_class = notelist
    attribute = "journal_notelists"

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Pages holding a list, when the list changed since the last build."""
        current = [(docname, title, meta.updated, meta.status) for docname, title, meta in recent_notes(env)]
        return self.pages_if_changed(env, current, swap_notelist_state)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(notelist)
    app.add_directive("notelist", NoteListDirective)
    app.add_env_collector(NoteListCollector)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

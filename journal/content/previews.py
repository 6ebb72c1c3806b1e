"""What a link preview shows of each page, collected while the page is read.

:class:`PreviewCollector` (an environment collector: purged and merged per document, so
incremental and ``-j N`` builds keep the same data) records for every document its first
paragraph, and for every heading and glossary term in it the title and the first paragraph of
its section or the term's definition, as text. :func:`preview_of` adds what the front matter
says (a post's date, a note's status and date) when the data is written, so it always follows
the current post and note meta. :mod:`journal.pages.previews` writes it for the browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from journal.content.notes import DATE_FORMAT, doc_title
from journal.state import PerDocumentCollector, notes_of, posts_of, previews_of

#: Longest preview text, in characters; longer text ends with "…" at a word boundary.
MAX_TEXT = 180
#: Paragraphs inside these are not the first paragraph of a page or section.
SKIPPED_CONTAINERS = (
    nodes.Admonition,
    nodes.sidebar,
    nodes.topic,
    nodes.table,
    nodes.footnote,
    nodes.citation,
    nodes.system_message,
    nodes.definition_list,
    nodes.field_list,
    nodes.line_block,
    addnodes.toctree,
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Anchor:
    """A heading or glossary term a link can point at: ``kind`` is ``section`` or ``term``."""

    kind: str
    title: str
    text: str


@dataclass(frozen=True)
class DocumentPreview:
    """What a document's own text gives its previews."""

    text: str
    anchors: dict[str, Anchor]


def shortened(text: str, limit: int = MAX_TEXT) -> str:
    """*text* on one line, cut at a word boundary before *limit* characters with "…"."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def first_paragraph(node: nodes.Element) -> str:
    """The text of the first paragraph under *node* that is body text (not in a note box, table…)."""
    for paragraph in node.findall(nodes.paragraph):
        if not _inside_skipped(paragraph, node):
            return shortened(paragraph.astext())
    return ""


def _inside_skipped(paragraph: nodes.Node, top: nodes.Node) -> bool:
    parent = paragraph.parent
    while parent is not None and parent is not top:
        if isinstance(parent, SKIPPED_CONTAINERS):
            return True
        parent = parent.parent
    return False


def section_anchors(doctree: nodes.document) -> dict[str, Anchor]:
    """Every id of every heading below the page title, with its section's first paragraph."""
    anchors: dict[str, Anchor] = {}
    for section in doctree.findall(nodes.section):
        if section.parent is doctree or not section.children or not isinstance(section[0], nodes.title):
            continue
        anchor = Anchor("section", shortened(section[0].astext()), first_paragraph(section))
        anchors.update({anchor_id: anchor for anchor_id in section["ids"]})
    return anchors


def term_anchors(doctree: nodes.document) -> dict[str, Anchor]:
    """Every glossary term's id, with its definition's first paragraph."""
    anchors: dict[str, Anchor] = {}
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            definition = next(iter(item.findall(nodes.definition)), None)
            text = shortened(definition[0].astext()) if definition is not None and definition.children else ""
            for term in item.findall(nodes.term):
                anchor = Anchor("term", shortened(term.astext()), text)
                anchors.update({anchor_id: anchor for anchor_id in term["ids"]})
    return anchors


class PreviewCollector(PerDocumentCollector):
    """``env.journal_previews``: docname -> :class:`DocumentPreview`."""

    kept = (previews_of,)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        anchors = section_anchors(doctree) | term_anchors(doctree)
        previews_of(app.env)[app.env.docname] = DocumentPreview(first_paragraph(doctree), anchors)


def preview_of(env: BuildEnvironment, docname: str, post_date_format: str) -> dict[str, Any] | None:
    """The preview data of *docname* as the browser reads it; ``None`` when it was never read."""
    found = previews_of(env).get(docname)
    if found is None:
        return None
    kind, meta = _kind_and_meta(env, docname, post_date_format)
    targets = sorted(set(found.anchors.values()), key=lambda anchor: min(_ids_of(found, anchor)))
    index = {anchor: position for position, anchor in enumerate(targets)}
    ids = {anchor_id: index[anchor] for anchor_id, anchor in sorted(found.anchors.items())}
    return {
        "title": doc_title(env, docname),
        "kind": kind,
        "meta": meta,
        "text": found.text,
        "anchors": [vars(anchor) for anchor in targets],
        "ids": ids,
    }


def _ids_of(found: DocumentPreview, anchor: Anchor) -> list[str]:
    return [anchor_id for anchor_id, other in found.anchors.items() if other == anchor]


def _kind_and_meta(env: BuildEnvironment, docname: str, post_date_format: str) -> tuple[str, str]:
    post = posts_of(env).get(docname)
    if post is not None:
        return "post", post.date.strftime(post_date_format) if post.date else ""
    note = notes_of(env).get(docname)
    if note is not None:
        updated = note.updated.strftime(DATE_FORMAT) if note.updated else ""
        return "note", " · ".join(part for part in (note.status_label, updated) if part)
    return "page", ""


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_env_collector(PreviewCollector)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

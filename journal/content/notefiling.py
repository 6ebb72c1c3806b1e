"""Notes file themselves: every note appears in its topic's navigation without a toctree edit.

A *topic* is a folder under ``journal_notes_dir``; its index page is ``<folder>/index``. While
Sphinx reads a topic's index, :class:`FileNotes` puts into its toctree every note of the folder
and the index page of every sub-folder, ordered by their ``order:`` (a number, lower first;
those without one follow), then by title as written (front matter ``title:``, or the first
``#`` heading). An explicit toctree in the index wins: what it lists keeps its place and its
options; the rest is appended to the index's last toctree, or, when it has none, to a new one
(``maxdepth: 1``) at the end of the page. A note with ``orphan:`` in its front matter is filed
nowhere.

A folder holding notes but no ``index.md`` gets a generated index page. Its title is the folder's
name with ``-`` and ``_`` read as spaces, or ``title:`` in an optional ``_topic.yml`` in the
folder (which may also give the topic's ``order:``); the notes folder itself is titled ``노트``.
Its source is written beside the doctrees (``journal-topics/``) and made a document of the
project by :mod:`journal.upstream.sphinx_project`.

Incremental and parallel builds: the index's entries are read from the notes' source files, not
from the environment, so they do not depend on which process read which note first. Each note's
file is a dependency of its topic's index (``env.note_dependency``: a retitled, re-ordered or
deleted note re-reads the index), and ``env-get-outdated`` (:func:`file_topics`) re-reads the
topic indexes above every added or removed document under the notes folder, and above every
generated page whose source changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from journal.content.notes import parse_note
from journal.content.posts import site_timezone
from journal.speed.incremental import navigation_shape
from journal.state import swap_navigation_shape
from journal.upstream.sphinx_project import add_document, has_changed
from journal.warnings import JournalWarning, warn

#: Optional file in a notes folder without ``index.md``: ``title:`` and ``order:`` of its page.
TOPIC_FILE = "_topic.yml"
#: Folder beside the doctrees holding the generated index pages' sources.
GENERATED_DIR = "journal-topics"
#: Title of the notes folder's own page when it is generated.
ROOT_TITLE = "노트"
HEADING = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&])")


@dataclass(frozen=True)
class Entry:
    """A page filed in a topic: a note, or a sub-topic's index page."""

    docname: str
    title: str
    order: float | None


# --- which pages go where (pure) ------------------------------------------------------


def notes_root(config: Config) -> str:
    return str(config.journal_notes_dir).strip("/")


def is_topic_index(root: str, docname: str) -> bool:
    return docname == f"{root}/index" or (docname.startswith(f"{root}/") and docname.endswith("/index"))


def children(folder: str, docnames: set[str]) -> list[str]:
    """The pages *folder*'s index files: its notes and the index page of each sub-folder."""
    prefix = folder + "/"
    found: set[str] = set()
    for docname in docnames:
        if not docname.startswith(prefix):
            continue
        first, below, _ = docname[len(prefix) :].partition("/")
        if not below:
            if first != "index":
                found.add(docname)
        elif f"{prefix}{first}/index" in docnames:
            found.add(f"{prefix}{first}/index")
    return sorted(found)


def topic_indexes_above(root: str, docname: str) -> list[str]:
    """The index pages of every folder holding *docname*, from its own up to the notes folder."""
    if not docname.startswith(f"{root}/"):
        return []
    folders = docname.split("/")[:-1]
    if docname.endswith("/index"):
        folders = folders[:-1]
    return [f"{'/'.join(folders[:depth])}/index" for depth in range(len(folders), 0, -1)]


def wanted_topics(root: str, docnames: set[str]) -> set[str]:
    """Index pages to generate: one for each folder holding a document under the notes folder but no index."""
    wanted: set[str] = set()
    for docname in docnames:
        for index in topic_indexes_above(root, docname):
            if index not in docnames:
                wanted.add(index)
    return wanted


def sort_key(entry: Entry) -> tuple[int, float, str, str]:
    """``order:`` first (lower first), then those without one; then title, then docname."""
    unordered = entry.order is None
    return (int(unordered), 0.0 if entry.order is None else entry.order, entry.title.casefold(), entry.docname)


def default_title(root: str, folder: str) -> str:
    if folder == root:
        return ROOT_TITLE
    return re.sub(r"[-_]+", " ", folder.rsplit("/", 1)[-1]).strip() or folder


def generated_source(title: str, order: float | None) -> str:
    """The Markdown source of a generated index page (its toctree is filed like any other)."""
    front = f"---\norder: {order:g}\n---\n" if order is not None else ""
    heading = MARKDOWN_PUNCTUATION.sub(r"\\\1", title)
    return f"{front}# {heading}\n\n{heading} 주제의 노트를 모은 페이지입니다.\n"


# --- reading a topic's index --------------------------------------------------------


def read_entry(docname: str, text: str, tz: Any) -> Entry | None:
    """The entry of a page from its source *text*; None for an orphan."""
    meta = parse_note(text, tz).meta
    if meta.orphan:
        return None
    heading = HEADING.search(text)
    title = meta.title or (heading.group(1) if heading else docname.rsplit("/", 1)[-1])
    return Entry(docname, title, meta.order)


class FileNotes(SphinxTransform):
    """A topic's index page lists every note and sub-topic of its folder in its toctree.

    Runs before ``doctree-read``, where Sphinx's toctree collector records the toctree
    (``env.toctree_includes``), so filed notes count as included like any listed by hand.
    """

    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        root = notes_root(self.config)
        docname = self.env.docname
        if not is_topic_index(root, docname):
            return
        tz = site_timezone(self.config.journal_timezone)
        self._check_own_order(tz)
        listed = {name for toctree in self.document.findall(addnodes.toctree) for name in toctree["includefiles"]}
        missing = [entry.docname for entry in self._entries(tz) if entry.docname not in listed]
        if missing:
            toctree = self._last_toctree() or self._new_toctree()
            toctree["entries"].extend((None, name) for name in missing)
            toctree["includefiles"].extend(missing)

    def _entries(self, tz: Any) -> list[Entry]:
        """The pages this topic files, in their order; each read from its source, a dependency of this page."""
        generated = Path(self.env.doctreedir) / GENERATED_DIR
        entries = []
        for child in children(self.env.docname.removesuffix("/index"), self.env.found_docs):
            path = Path(self.env.doc2path(child))
            if not path.is_relative_to(generated):  # a generated page's changes are seen by file_topics
                self.env.note_dependency(path)
            entry = read_entry(child, path.read_text(encoding="utf-8"), tz)
            if entry is not None:
                entries.append(entry)
        return sorted(entries, key=sort_key)

    def _check_own_order(self, tz: Any) -> None:
        """The index page's own ``order:`` (its place in the folder above) is checked as a note's."""
        path = Path(self.env.doc2path(self.env.docname))
        for problem in parse_note(path.read_text(encoding="utf-8"), tz).problems:
            if problem.key == "order":
                warn(JournalWarning.FRONTMATTER, str(problem), location=(self.env.docname, problem.line))

    def _last_toctree(self) -> addnodes.toctree | None:
        toctrees = list(self.document.findall(addnodes.toctree))
        return toctrees[-1] if toctrees else None

    def _new_toctree(self) -> addnodes.toctree:
        """A toctree as ``{toctree}`` with ``:maxdepth: 1`` makes it, at the end of the page."""
        toctree = addnodes.toctree()
        toctree["parent"] = self.env.docname
        toctree["entries"] = []
        toctree["includefiles"] = []
        toctree["maxdepth"] = 1
        toctree["caption"] = None
        toctree["glob"] = False
        toctree["hidden"] = False
        toctree["includehidden"] = False
        toctree["numbered"] = 0
        toctree["titlesonly"] = False
        toctree.source, toctree.line = self.document["source"], None
        wrapper = nodes.compound(classes=["toctree-wrapper"])
        wrapper += toctree
        sections = list(self.document.findall(nodes.section))
        (sections[-1] if sections else self.document).append(wrapper)
        return toctree


# --- before reading: generated pages, topics to read again ------------------------------


def file_topics(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """``env-get-outdated``: generated index pages become documents; returns the topic indexes to read again."""
    root = notes_root(app.config)
    folder = Path(app.doctreedir) / GENERATED_DIR
    outdated: set[str] = set()
    wanted = wanted_topics(root, env.found_docs)
    for docname in sorted(wanted):
        path = folder / f"{docname}.md"
        text = generated_source(*_topic_settings(app, root, docname.removesuffix("/index")))
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            outdated.add(docname)
            outdated.update(topic_indexes_above(root, docname))
        add_document(env, docname, path)
        removed.discard(docname)
        if docname not in env.all_docs or has_changed(env, docname):
            outdated.add(docname)
    for docname in _drop_stale(folder, wanted):  # now written by hand, or gone
        outdated.add(docname)
        outdated.update(topic_indexes_above(root, docname))
    for docname in added | removed:
        outdated.update(topic_indexes_above(root, docname))
    return sorted(outdated & env.found_docs)


def rewrite_on_new_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: every page, when the navigation (the toctrees and their titles) changed.

    Every page's sidebar shows the notes book, so a note filed, moved, retitled or re-ordered
    changes every page; Sphinx itself rewrites only the pages it read."""
    shape = navigation_shape(env)
    previous = swap_navigation_shape(env, shape)
    return sorted(env.found_docs) if previous is not None and previous != shape else []


def _topic_settings(app: Sphinx, root: str, folder: str) -> tuple[str, float | None]:
    """Title and order of a generated index page: from ``_topic.yml`` (checked), else the folder's name."""
    path = Path(app.srcdir) / folder / TOPIC_FILE
    if not path.is_file():
        return default_title(root, folder), None
    parsed = parse_note(f"---\n{path.read_text(encoding='utf-8')}\n---\n", site_timezone(app.config.journal_timezone))
    for problem in parsed.problems:
        warn(JournalWarning.FRONTMATTER, str(problem), location=f"{path}:{max(problem.line - 1, 1)}")
    return parsed.meta.title or default_title(root, folder), parsed.meta.order


def _drop_stale(folder: Path, wanted: set[str]) -> set[str]:
    """Sources of pages no longer generated are deleted; returns their docnames."""
    stale: set[str] = set()
    if not folder.is_dir():
        return stale
    for path in sorted(folder.rglob("*.md")):
        docname = path.relative_to(folder).with_suffix("").as_posix()
        if docname not in wanted:
            path.unlink()
            stale.add(docname)
    return stale


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_transform(FileNotes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

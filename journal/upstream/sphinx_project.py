"""Documents whose source is not a file of the project: the generated topic pages of the notes.

Sphinx knows a document only when :meth:`sphinx.project.Project.discover` found its file below
the source folder, and it has no API to add one. :mod:`journal.content.notefiling` gives a notes
folder without an ``index.md`` a generated index page, whose source it writes beside the
doctrees; this module makes Sphinx take that file for the document:

* :func:`add_document` adds the docname to the project (``Project.docnames`` and its bijective
  path mappings), which ``discover`` clears and refills at the start of every build
  (``env.find_files``), so it is called at every ``env-get-outdated``, after that. It turns the
  project into a :class:`ProjectWithGenerated` (the same object, its class changed, so
  ``app.project`` and ``env.project`` stay one): its ``discover`` forgets the generated documents
  again, and its ``doc2path`` gives the generated file for reading (``absolute=True``) and
  ``<docname>.md`` as the name relative to the source folder (``absolute=False``), from which
  Sphinx slices the source link (``_sources/``, ``StandaloneHTMLBuilder.get_doc_context``) and
  takes the search index's file names;
* :func:`has_changed` asks Sphinx's own rule (``_has_doc_changed``: the doctree is missing, the
  source or a dependency is newer than the last read) about such a document, which
  ``get_outdated_files`` could not look at since it was not found yet.

``tests/test_upstream.py`` pins ``Project.discover``, ``Project.doc2path``,
``StandaloneHTMLBuilder.get_doc_context`` and ``_has_doc_changed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.environment import _has_doc_changed
from sphinx.project import Project
from sphinx.util._pathlib import _StrPath

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.environment import BuildEnvironment

__all__ = ["UPSTREAM", "ProjectWithGenerated", "add_document", "has_changed"]

#: The upstream code this module relies on, pinned by ``tests/test_upstream.py``.
UPSTREAM = {"has_doc_changed": _has_doc_changed}


class ProjectWithGenerated(Project):
    """A project some of whose documents are read from generated files outside the source folder."""

    #: docname -> the generated source file (absolute) it is read from
    generated: dict[str, Path]

    def discover(self, exclude_paths: Iterable[str] = (), include_paths: Iterable[str] = ("**",)) -> set[str]:
        """A new build starts without generated documents: each build adds those it still has."""
        self.generated = {}
        return super().discover(exclude_paths, include_paths)

    def doc2path(self, docname: str, absolute: bool) -> _StrPath:
        path = getattr(self, "generated", {}).get(docname)
        if path is None:
            return super().doc2path(docname, absolute)
        return _StrPath(path) if absolute else _StrPath(docname + path.suffix)


def add_document(env: BuildEnvironment, docname: str, path: Path) -> None:
    """Make *docname* a document of the project, read from *path* (absolute)."""
    project = env.project
    if not isinstance(project, ProjectWithGenerated):
        project.__class__ = ProjectWithGenerated
    assert isinstance(project, ProjectWithGenerated)
    if not hasattr(project, "generated"):
        project.generated = {}
    project.generated[docname] = path
    project.docnames.add(docname)
    project._docname_to_path[docname] = Path(docname + path.suffix)
    project._path_to_docname[Path(docname + path.suffix)] = docname


def has_changed(env: BuildEnvironment, docname: str) -> bool:
    """Whether Sphinx would read *docname* (already read once) again."""
    return _has_doc_changed(
        docname,
        filename=Path(env.doc2path(docname)),
        reread_always=env.reread_always,
        doctreedir=Path(env.doctreedir),
        all_docs=env.all_docs,
        dependencies=env.dependencies,
    )

"""Documents Sphinx's discovery gets wrong for us: generated topic pages, and withheld posts.

**Withheld posts.** A post with a front-matter problem, a draft, a future post or a symlink
out of the project must not be read. They used to be appended to ``exclude_patterns``; but
Sphinx compares that value with the last build's and re-reads *every* document when it
differs, so saving a draft, or a post with a YAML typo, and fixing it again, cost two full
builds. Now :func:`withhold` records such a file for this build (``config-inited``), and
:func:`apply_withheld` (``builder-inited``, after Sphinx compared the configuration) hands
them to the project, whose ``discover`` leaves them out next to ``exclude_patterns``. A post
that becomes withheld is then a removed document and one that stops being withheld an added
one, which is what they are to the site. :func:`excluded_paths` is the whole list, for code
that must skip what the build skips.

**Generated documents.** The generated topic pages of the notes.

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
from weakref import WeakKeyDictionary

from sphinx.environment import _has_doc_changed
from sphinx.project import Project
from sphinx.util._pathlib import _StrPath

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__all__ = [
    "UPSTREAM",
    "ProjectWithGenerated",
    "add_document",
    "apply_withheld",
    "excluded_paths",
    "has_changed",
    "withheld",
    "withhold",
]

#: The upstream code this module relies on, pinned by ``tests/test_upstream.py``.
UPSTREAM = {"has_doc_changed": _has_doc_changed}


#: The source files (relative to the source folder) this build withholds, by application.
_WITHHELD: WeakKeyDictionary[Sphinx, list[str]] = WeakKeyDictionary()


def withhold(app: Sphinx, relative: str) -> None:
    """``config-inited``: this build must not read the source file *relative* (a POSIX path)."""
    _WITHHELD.setdefault(app, []).append(relative)


def withheld(app: Sphinx) -> list[str]:
    return list(_WITHHELD.get(app, ()))


def excluded_paths(app: Sphinx, config: Config) -> list[str]:
    """What this build leaves out of its documents: ``exclude_patterns`` and the withheld files."""
    return [*config.exclude_patterns, *withheld(app)]


def apply_withheld(app: Sphinx) -> None:
    """``builder-inited``: the project's discovery (``env.find_files``, later) leaves out the
    withheld files."""
    project = _as_our_project(app.project)
    project.withheld = tuple(withheld(app))


class ProjectWithGenerated(Project):
    """A project some of whose documents are read from generated files outside the source
    folder, and some of whose files are withheld."""

    #: docname -> the generated source file (absolute) it is read from
    generated: dict[str, Path]
    #: source files (relative POSIX paths) left out as if ``exclude_patterns`` named them
    withheld: tuple[str, ...] = ()

    def discover(self, exclude_paths: Iterable[str] = (), include_paths: Iterable[str] = ("**",)) -> set[str]:
        """A new build starts without generated documents: each build adds those it still has."""
        self.generated = {}
        return super().discover([*exclude_paths, *self.withheld], include_paths)

    def doc2path(self, docname: str, absolute: bool) -> _StrPath:
        path = getattr(self, "generated", {}).get(docname)
        if path is None:
            return super().doc2path(docname, absolute)
        return _StrPath(path) if absolute else _StrPath(docname + path.suffix)


def add_document(env: BuildEnvironment, docname: str, path: Path) -> None:
    """Make *docname* a document of the project, read from *path* (absolute)."""
    project = _as_our_project(env.project)
    if not hasattr(project, "generated"):
        project.generated = {}
    project.generated[docname] = path
    project.docnames.add(docname)
    project._docname_to_path[docname] = Path(docname + path.suffix)
    project._path_to_docname[Path(docname + path.suffix)] = docname


def _as_our_project(project: Project) -> ProjectWithGenerated:
    """The same project object (``app.project`` and ``env.project`` stay one), as our class."""
    if not isinstance(project, ProjectWithGenerated):
        project.__class__ = ProjectWithGenerated
    assert isinstance(project, ProjectWithGenerated)
    return project


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

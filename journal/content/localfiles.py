"""Local files stay local: the build never publishes a file from outside the project folder.

A post can name any path: ``{literalinclude} ../../../../etc/passwd``, an image that is a
symlink to ``~/.ssh/id_rsa``, a post file that is itself such a symlink. Sphinx reads
whatever it is given and publishes it (page, ``_images``/``_downloads``, feeds, search
index). Here, every file the build reads for a document must *really* be inside the
project (``srcdir`` or ``confdir``, after resolving symlinks; a symlink from one project
file to another is fine). Anything else fails the strict build with a
``journal.localfile`` warning at the file and line that named it, and its content is
left out; where Sphinx had already parsed the reference, the node becomes a short
Korean notice (:data:`NOTICE`).

Where each kind of reference is caught (earliest first):

* documents (posts, notes, pages) that are symlinks, or in a folder that is a symlink,
  pointing out of the project are never read: posts at ``config-inited`` (withheld,
  :func:`journal.upstream.sphinx_project.withhold`, before :mod:`journal.content.posts`
  reads their front matter), every
  other document at ``env-get-outdated`` (taken out of ``env.found_docs``, so no toctree
  glob, page, listing or search entry has it);
* ``literalinclude`` (and its ``:diff:``), ``raw :file:``, ``csv-table :file:`` and
  reStructuredText's ``include``: the directives are replaced by subclasses that check
  the path the original would open, before it is opened;
* MyST's ``{include}`` (which does not run the directive class) and any other include:
  ``include-read``, which gets the text before it is parsed; the read is refused with an
  error that MyST and docutils turn into a message node at the directive's line, which
  :class:`GuardDocument` turns into the warning and the notice;
* images, figures and ``{download}`` targets: :class:`GuardDocument`, a transform that
  runs before ``doctree-read`` (ABlog copies excerpts and Sphinx's image and download
  collectors register files to copy there), checks each node's path the way those
  collectors will compute it;
* feature images (``image:`` in front matter, which :mod:`journal.pages` resolves at
  ``doctree-read`` and copies at ``build-finished``): a later ``doctree-read`` handler;
* anything else that read a file (a directive of another extension): every path in the
  document's dependencies is checked too; nodes that came from an outside file are
  replaced and the document is reported.

A document with a refused file is read again on every build, so the strict build keeps
failing until the reference is fixed, not only the first time. Paths are resolved once
per build process (:class:`Guard` caches them); finding the documents that are symlinks
lists each folder once (``os.scandir``), so no document costs a system call of its own.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterable, Sequence, Set
from pathlib import Path
from typing import Any, cast

from docutils import nodes
from docutils.parsers.rst import DirectiveError
from docutils.parsers.rst.directives.misc import Include as DocutilsInclude
from docutils.parsers.rst.directives.misc import Raw, adapt_path
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include
from sphinx.directives.patches import CSVTable
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.errors import SphinxError
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.i18n import get_image_filename_for_language, search_image_for_language
from sphinx.util.logging import get_node_location
from sphinx.util.matching import Matcher

from journal.state import images_of, localfile_docs_of
from journal.upstream.ablog_state import matched_posts
from journal.upstream.sphinx_project import excluded_paths, withhold
from journal.warnings import JournalWarning, warn

#: What a reader sees where a file from outside the project was referenced.
NOTICE = "(프로젝트 폴더 밖의 파일이라 싣지 않았습니다.)"
#: The notice's CSS class.
NOTICE_CLASS = "journal-localfile"
#: ``current_document`` key: real paths refused while reading the current document.
_REFUSED = "journal_localfiles_refused"
#: ``current_document`` key: (path, real path) of each include refused in ``include-read``.
_PENDING = "journal_localfiles_pending"
#: Starts the message of the error raised in ``include-read`` (see :class:`RefusedRead`).
_MESSAGE_PREFIX = "journal.localfile:"


# --- where the project is -------------------------------------------------------


class Guard:
    """Tells whether a path is really (symlinks resolved) inside one of *roots*; caches every answer."""

    def __init__(self, roots: Iterable[str | os.PathLike[str]]) -> None:
        self.roots = tuple(dict.fromkeys(os.path.realpath(root) for root in roots))
        self._real: dict[str, str] = {}
        self._folders: dict[tuple[str, str], tuple[bool, list[str]] | None] = {}

    def real(self, path: str | os.PathLike[str]) -> str:
        key = os.fspath(path)
        real = self._real.get(key)
        if real is None:
            real = self._real[key] = os.path.realpath(key)
        return real

    def contains(self, real: str) -> bool:
        return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots)

    def outside(self, path: str | os.PathLike[str]) -> str | None:
        """The real path of *path* when it is outside the project, else None."""
        real = self.real(path)
        return None if self.contains(real) else real

    def _folder(self, srcdir: str, folder: str) -> tuple[bool, list[str]] | None:
        """(is *folder* of *srcdir* inside, the names of its symlinks), listed once; None when unreadable."""
        key = (srcdir, folder)
        if key not in self._folders:
            where = os.path.join(srcdir, folder)  # noqa: PTH118 - strings, once per folder
            try:
                inside = self.contains(self.real(where))
                links = [entry.name for entry in os.scandir(where) if entry.is_symlink()] if inside else []
                self._folders[key] = (inside, links)
            except OSError:
                self._folders[key] = None
        return self._folders[key]

    def outside_documents(
        self, srcdir: str | os.PathLike[str], docnames: Iterable[str], path_of: Callable[[str], Any]
    ) -> list[tuple[str, str, str]]:
        """(docname, path, real path) of the *docnames* (below *srcdir*, at ``path_of(docname)``)
        whose file is outside: each folder is listed once, and only a document in a folder outside,
        or whose name a symlink of its folder starts with, is looked at more closely."""
        srcdir = os.fspath(srcdir)
        found = []
        for docname in sorted(docnames):
            folder, _, name = docname.rpartition("/")
            listed = self._folder(srcdir, folder)
            if listed is None or (listed[0] and not any(link.startswith(name + ".") for link in listed[1])):
                continue
            path = os.fspath(path_of(docname))
            real = self.outside(path)
            if real is not None:
                found.append((docname, path, real))
        return found

    def outside_file(self, srcdir: str | os.PathLike[str], relative: str) -> str | None:
        """As :meth:`outside` for *relative* (a posix path below *srcdir*), cheap for a file that
        is no symlink in a folder inside."""
        srcdir = os.fspath(srcdir)
        folder, _, name = relative.rpartition("/")
        if ".." not in relative.split("/"):
            listed = self._folder(srcdir, folder)
            if listed is not None and listed[0] and name not in listed[1]:
                return None
        return self.outside(os.path.join(srcdir, relative))  # noqa: PTH118


_GUARDS: dict[str, Guard] = {}


def project_roots(srcdir: str | os.PathLike[str], confdir: str | os.PathLike[str] | None) -> list[str]:
    """The folders whose files a build may read: the project, and docutils' standard includes
    (``.. include:: <isonum.txt>``, data that ships with docutils)."""
    roots = [os.fspath(srcdir)]
    if confdir:
        roots.append(os.fspath(confdir))
    roots.append(os.fspath(DocutilsInclude.standard_include_path))
    return roots


def guard_for(env: BuildEnvironment) -> Guard:
    key = os.fspath(env.srcdir)
    guard = _GUARDS.get(key)
    if guard is None:
        guard = _GUARDS[key] = Guard(project_roots(env.srcdir, None))
    return guard


def new_guard(app: Sphinx) -> Guard:
    """A fresh guard (and cache) for this build, with ``confdir`` among the roots."""
    guard = _GUARDS[os.fspath(app.srcdir)] = Guard(project_roots(app.srcdir, app.confdir))
    return guard


# --- reporting ----------------------------------------------------------------


def message(what: str, written: str, real: str, env: BuildEnvironment) -> str:
    return (
        f"{what}: {written!r} is outside the project folder (it resolves to {real}); "
        f"the build only reads files inside {env.srcdir}, so it was left out"
    )


def notice(inline: bool = False) -> nodes.Element:
    if inline:
        return nodes.inline(NOTICE, NOTICE, classes=[NOTICE_CLASS])
    return nodes.paragraph(NOTICE, NOTICE, classes=[NOTICE_CLASS])


def _note_refused(env: BuildEnvironment, real: str) -> None:
    refused = env.current_document.get(_REFUSED)
    if refused is None:
        refused = env.current_document[_REFUSED] = set()
    refused.add(real)


def refuse(env: BuildEnvironment, what: str, written: str, real: str, location: Any) -> None:
    """Report a refused file at *location* and remember it for the current document."""
    _note_refused(env, real)
    warn(JournalWarning.LOCALFILE, message(what, written, real, env), location=location)


def _inline_context(node: nodes.Node) -> bool:
    return isinstance(node.parent, nodes.TextElement)


# --- directives: check the path before the file is opened ---------------------------


class AnyOption(dict[str, Callable[[str], Any]]):
    """An ``option_spec`` that takes every option as text: a refused ``{include}`` keeps its options."""

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return _unchanged

    def __bool__(self) -> bool:
        return True


def _unchanged(value: str | None) -> str:
    return value or ""


class _Refused(Exception):
    """A directive's path was refused (the warning is out): the directive returns the notice."""


def _directive_location(directive: Any) -> str:
    source, line = directive.state_machine.get_source_and_line(directive.lineno)
    return f"{source}:{line}"


def _check(directive: Any, what: str, written: str, path: str | os.PathLike[str]) -> None:
    """Raise :class:`_Refused` (after the warning) when *path* is outside the project."""
    env = directive.state.document.settings.env
    try:
        real = guard_for(env).outside(path)
    except (OSError, ValueError):  # the directive itself reports an impossible path
        return
    if real is not None:
        refuse(env, what, written, real, _directive_location(directive))
        raise _Refused


class LocalLiteralInclude(LiteralInclude):
    def run(self) -> list[nodes.Node]:
        try:
            if "diff" in self.options:
                _check(
                    self, "literalinclude :diff:", self.options["diff"], self.env.relfn2path(self.options["diff"])[1]
                )
            _check(self, "literalinclude", self.arguments[0], self.env.relfn2path(self.arguments[0])[1])
        except _Refused:
            return [notice()]
        return super().run()


class LocalInclude(Include):
    """reStructuredText's ``include``: docutils opens the file in ``read_file``, with the path it
    computed (after Sphinx made it absolute). MyST's ``{include}`` never runs this class: see
    :func:`refuse_include_read`."""

    def run(self) -> list[nodes.Node]:
        self._written = self.arguments[0]
        try:
            return list(super().run())
        except _Refused:
            return [notice()]

    def read_file(self, path: Any) -> str:
        _check(self, "include", getattr(self, "_written", str(path)), path)
        return super().read_file(path)


class LocalRaw(Raw):
    def run(self) -> Sequence[nodes.Node]:
        if "file" in self.options and not self.content and "url" not in self.options:
            settings = self.state.document.settings
            path = adapt_path(self.options["file"], cast(str, self.state.document.current_source), settings.root_prefix)
            try:
                _check(self, "raw :file:", self.options["file"], path)
            except _Refused:
                return [notice()]
        return super().run()


class LocalCSVTable(CSVTable):
    def run(self) -> Sequence[nodes.Node]:  # type: ignore[override]  # types-docutils: CSVTable.run gives tables only
        self._written = self.options.get("file", "")
        try:
            return super().run()
        except _Refused:
            return [notice()]

    def get_csv_data(self) -> Any:
        if "file" in self.options and not self.content and "url" not in self.options:
            settings = self.state.document.settings
            path = adapt_path(self.options["file"], cast(str, self.state.document.current_source), settings.root_prefix)
            _check(self, "csv-table :file:", cast(str, getattr(self, "_written", self.options["file"])), path)
        return super().get_csv_data()  # type: ignore[no-untyped-call]  # types-docutils leaves it unannotated


# --- include-read: MyST's {include} and any other include ---------------------------


class RefusedRead(DirectiveError, SphinxError):
    """Raised in ``include-read``: a SphinxError, so Sphinx's event manager lets it through; a
    DirectiveError, so the directive that read the file (MyST's or docutils') turns it into a
    message node at its own line, which :class:`GuardDocument` reports and replaces. Level 1
    (info), so that message itself is not logged."""

    def __init__(self, number: int) -> None:
        super().__init__(1, f"{_MESSAGE_PREFIX}{number}")


def refuse_include_read(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    env = app.env
    try:
        real = guard_for(env).outside(Path(env.srcdir, relative_path))
    except (OSError, ValueError):
        return
    if real is None:
        if relative_path.suffix == ".md":  # includes nested in an included Markdown file
            content[0] = refuse_outside_myst_includes(env, parent_docname, content[0])
        return
    content[0] = ""
    pending = env.current_document.get(_PENDING)
    if pending is None:
        pending = env.current_document[_PENDING] = []
    pending.append((os.fspath(relative_path), real))
    raise RefusedRead(len(pending) - 1)


# --- MyST's {include}: refused before MyST opens the file ----------------------------------
# MyST reads an ``{include}`` itself (``MockIncludeDirective``) and only then emits ``include-read``:
# a path outside that is a device or a pipe (``/dev/zero``, a FIFO) would make it read forever.
# So, in the Markdown text of a document (``source-read``) and of every file it includes
# (``include-read``), an ``{include}`` whose path is outside the project is renamed to
# ``{journal-refused-include}`` before MyST parses it: that directive reports it and shows the notice.

#: An opening fence of a MyST directive naming ``{include}``: ```` ```{include} path ````, ``:::{include} path``.
_MYST_INCLUDE = re.compile(
    r"^(?P<fence>[ \t]*(?:`{3,}|~{3,}|:{3,})[ \t]*)\{include\}(?P<rest>[ \t]+(?P<path>\S[^\n]*?))[ \t]*$", re.M
)
REFUSED_INCLUDE = "journal-refused-include"


def refuse_outside_myst_includes(env: BuildEnvironment, docname: str, text: str) -> str:
    """*text* with each MyST ``{include}`` of a file outside the project renamed (see above)."""
    if "{include}" not in text:
        return text

    def rename(match: re.Match[str]) -> str:
        written = match.group("path").strip()
        if written.startswith("<") and written.endswith(">"):  # docutils' standard includes
            return match.group(0)
        try:
            _, path = env.relfn2path(written, docname)
            outside = guard_for(env).outside(path)
        except (OSError, ValueError):
            return match.group(0)
        return (
            match.group(0) if outside is None else f"{match.group('fence')}{{{REFUSED_INCLUDE}}}{match.group('rest')}"
        )

    return _MYST_INCLUDE.sub(rename, text)


def refuse_includes_in_source(app: Sphinx, docname: str, source: list[str]) -> None:
    if Path(app.env.doc2path(docname)).suffix == ".md":
        source[0] = refuse_outside_myst_includes(app.env, docname, source[0])


class RefusedInclude(SphinxDirective):
    """What a MyST ``{include}`` of a file outside the project became: the warning and the notice."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = AnyOption()

    def run(self) -> list[nodes.Node]:
        written = self.arguments[0].strip()
        _, path = self.env.relfn2path(written, self.env.docname)
        refuse(self.env, "include", written, guard_for(self.env).real(path), _directive_location(self))
        return [notice()]


# --- the transform: images, downloads, refused includes, other dependencies ----------------


def _assets(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.image, addnodes.download_reference, nodes.system_message))


class GuardDocument(SphinxTransform):
    """Before ``doctree-read`` (880): nothing from outside the project stays in the document."""

    default_priority = 870

    def apply(self, **kwargs: Any) -> None:
        self.guard = guard_for(self.env)
        self.docname = self.env.docname
        for node in list(self.document.findall(_assets)):
            if isinstance(node, nodes.image):
                self._image(node)
            elif isinstance(node, addnodes.download_reference):
                self._download(node)
            elif isinstance(node, nodes.system_message):  # the last kind _assets finds
                self._refused_read(node)
        self._dependencies()

    def _refuse_node(self, node: nodes.Element, what: str, written: str, real: str) -> None:
        refuse(self.env, what, written, real, get_node_location(node) or self.docname)
        node.replace_self(notice(inline=_inline_context(node)))

    def _image_paths(self, uri: str) -> list[str]:
        """The files Sphinx's image collector will take for *uri* (see ``ImageCollector.process_doc``)."""
        if uri.endswith(os.extsep + "*"):
            paths = []
            for candidate in (get_image_filename_for_language(uri, self.env), uri):
                _, full = self.env.relfn2path(candidate, self.docname)
                paths += [full, *glob.glob(full)]  # noqa: PTH207 - as ImageCollector.collect_candidates
            return paths
        _, full = self.env.relfn2path(search_image_for_language(uri, self.env), self.docname)
        return [full]

    def _image(self, node: nodes.image) -> None:
        uri = node.get("uri", "")
        if not uri or uri.startswith("data:") or "://" in uri:
            return
        try:
            outside = [real for path in self._image_paths(uri) if (real := self.guard.outside(path))]
        except (OSError, ValueError):
            return
        if outside:
            self._refuse_node(node, "image", uri, outside[0])

    def _download(self, node: addnodes.download_reference) -> None:
        target = node.get("reftarget", "")
        if not target or "://" in target:
            return
        try:
            real = self.guard.outside(self.env.relfn2path(target, self.docname)[1])
        except (OSError, ValueError):
            return
        if real is not None:
            self._refuse_node(node, "download", target, real)

    def _refused_read(self, node: nodes.system_message) -> None:
        text = node[0].astext() if len(node) else ""
        if node.get("level") != 1 or not text.startswith(_MESSAGE_PREFIX):
            return
        pending = self.env.current_document.get(_PENDING) or []
        number = text[len(_MESSAGE_PREFIX) :]
        if not number.isdigit() or int(number) >= len(pending):
            return
        written, real = pending[int(number)]
        refuse(self.env, "include", written, real, get_node_location(node) or self.docname)
        node.replace_self(notice())

    def _dependencies(self) -> None:
        """Any other file read for the document (another extension's directive, a path computed
        differently from the checks above): reported at the document, its nodes replaced."""
        srcdir = os.fspath(self.env.srcdir)
        paths = [os.path.join(srcdir, dep) for dep in self.env.dependencies.get(self.docname, ())]  # noqa: PTH118
        paths += [os.path.abspath(dep) for dep in self.document.settings.record_dependencies.list]  # noqa: PTH100
        refused = self.env.current_document.get(_REFUSED) or set()
        found: dict[str, str] = {}
        for path in paths:
            try:
                real = self.guard.outside(path)
            except (OSError, ValueError):
                continue
            if real is not None and real not in refused:
                found.setdefault(real, path)
        if not found:
            return
        locations: dict[str, str] = {}
        self._strip(self.document, set(found), locations)
        for real, path in found.items():
            written = os.path.relpath(path, srcdir)
            refuse(self.env, "a file read for this document", written, real, locations.get(real, self.docname))

    def _strip(self, node: nodes.Element, reals: set[str], locations: dict[str, str]) -> None:
        """Replace every node that came from one of *reals* (its ``source`` attribute, as on
        ``literal_block`` and ``raw``, or docutils' own, as on nodes of an included file);
        *locations* gets, for each file, the first place in the project that used it."""
        for child in list(node.children):
            if not isinstance(child, nodes.Element):
                continue
            attribute, origin = child.get("source"), child.source
            real = next((r for s in (attribute, origin) if s and (r := self.guard.real(s)) in reals), None)
            if real is None:
                self._strip(child, reals, locations)
                continue
            if origin and child.line and self.guard.real(origin) not in reals:
                locations.setdefault(real, f"{origin}:{child.line}")
            child.replace_self(notice(inline=_inline_context(child)))


# --- doctree-read: feature images; remember documents to read again ----------------------


def finish_document(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after :mod:`journal.pages` resolved a post's ``image:`` (its collector runs
    at 500): refuse a feature image from outside; remember a document that had a file refused."""
    env = app.env
    docname = env.docname
    image = images_of(env).get(docname)
    if image is not None and not image.is_url:
        path = Path(env.srcdir, image.src)
        try:
            real = guard_for(env).outside(path)
        except (OSError, ValueError):
            real = None
        if real is not None:
            from journal.pages.images import image_line

            del images_of(env)[docname]
            source = Path(env.doc2path(docname))
            line = image_line(source.read_text(encoding="utf-8", errors="replace"))
            refuse(env, "image", image.src, real, f"{source}:{line}")
    if env.current_document.get(_REFUSED):
        localfile_docs_of(env).add(docname)


class RefusedDocsCollector(EnvironmentCollector):
    """``env.journal_localfile_docs``: documents that referenced a file outside the project."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        localfile_docs_of(env).discard(docname)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
        localfile_docs_of(env).update(localfile_docs_of(other) & docnames)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass


def init_env(app: Sphinx) -> None:
    localfile_docs_of(app.env)


# --- documents that are symlinks out of the project -----------------------------------


def _document_message(relative: str, real: str) -> str:
    return (
        f"document {relative!r} is a symlink to {real}, outside the project folder; "
        "it was left out of the build (copy the file into the project instead)"
    )


def exclude_outside_posts(app: Sphinx, config: Config) -> None:
    """``config-inited``, after ABlog matched the posts and before :mod:`journal.content.posts` reads them."""
    guard = new_guard(app)
    srcdir = os.fspath(app.srcdir)
    posts = matched_posts(config)
    outside = guard.outside_documents(srcdir, posts, lambda docname: Path(srcdir, f"{docname}.md"))
    if not outside:
        return
    excluded = Matcher(excluded_paths(app, config))
    for docname, path, real in outside:
        relative = f"{docname}.md"
        if not excluded(relative) and Path(path).is_file():
            warn(JournalWarning.LOCALFILE, _document_message(relative, real), location=f"{path}:1")
            withhold(app, relative)


def drop_outside_documents(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: documents that are no files of the project are not documents.

    Returns the documents that referenced an outside file, to be read (and reported) again."""
    for docname, path, real in guard_for(env).outside_documents(env.srcdir, env.found_docs, env.doc2path):
        relative = os.fspath(env.doc2path(docname, base=False))
        warn(JournalWarning.LOCALFILE, _document_message(relative, real), location=f"{path}:1")
        env.found_docs.discard(docname)
        added.discard(docname)
        changed.discard(docname)
        if docname in env.all_docs:
            removed.add(docname)
    return sorted((localfile_docs_of(env) | stale_assets(env)) & env.found_docs)


def stale_assets(env: BuildEnvironment) -> set[str]:
    """Documents whose image, download or feature image, fine when they were read, is now outside
    (replaced by a symlink since, which Sphinx may not see as a change): the builder would copy
    it again without reading them, so they are read (and refused) again."""
    guard = guard_for(env)
    docnames: set[str] = set()
    for files in (env.images, env.dlfiles):
        for path, (docs, _) in files.items():
            if guard.outside_file(env.srcdir, os.fspath(path).replace(os.sep, "/")):
                docnames |= docs
    for docname, image in images_of(env).items():
        if not image.is_url and guard.outside_file(env.srcdir, image.src):
            docnames.add(docname)
    return docnames


# --- setup --------------------------------------------------------------------


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive(REFUSED_INCLUDE, RefusedInclude)
    app.add_transform(GuardDocument)
    app.add_env_collector(RefusedDocsCollector)
    app.add_directive("literalinclude", LocalLiteralInclude, override=True)
    app.add_directive("include", LocalInclude, override=True)
    app.add_directive("raw", LocalRaw, override=True)
    app.add_directive("csv-table", LocalCSVTable, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

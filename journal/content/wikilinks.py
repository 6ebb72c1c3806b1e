"""Wikilinks: ``[[title]]``, ``[[file-name]]``, ``[[notes/dev-env/devstack]]``, ``[[page#heading|label]]``,
``![[image.svg]]``.

* Parsing (:func:`wikilink_plugin`, a markdown-it plugin added to MyST's parser through
  :func:`journal.upstream.myst.use_markdown_plugin`): an inline rule turns ``[[…]]`` into the role
  ``{wikilink}`` and ``![[…]]`` into ``{wikiimage}``. Inline rules never run inside code spans,
  fenced code or math, so ``[[x]]`` there stays text; ``\\[[x]]`` is text too.
* Reading: ``{wikilink}`` leaves a ``pending_xref`` (reftype ``wikilink``), so the backlinks
  collector sees it like any other cross-reference. ``{wikiimage}`` is resolved at once, relative
  to the page, then by unique file name in the project, into an ordinary image node (Sphinx copies
  the file and re-reads the page when the file changes). :class:`WikilinkCollector` keeps each
  page's wikilinks and each page's headings.
* After reading (``env-get-updated``): every page's wikilinks are resolved against all titles,
  file names and paths (:class:`Resolver`) and kept as :class:`Resolution`\\ s. A page whose
  resolutions changed (its target renamed, retitled, deleted, or a second page with the same
  name added) is returned to be rewritten, so an incremental build writes what a clean one does.
* Writing (:class:`ResolveWikilinks`, a post-transform before Sphinx's own reference resolver):
  each ``pending_xref`` becomes an internal reference to the target page or heading; an unknown or
  ambiguous target is a ``journal.wikilink`` warning at ``file:line`` naming the candidates, and
  the text stays as written.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from docutils import nodes
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxRole
from sphinx.util.matching import get_matching_files
from sphinx.util.nodes import make_refnode

from journal.state import (
    PerDocumentCollector,
    headings_of,
    swap_wikilink_resolutions,
    wikilink_resolutions_of,
    wikilinks_of,
)
from journal.upstream.myst import role_token, use_markdown_plugin
from journal.warnings import JournalWarning, warn

#: The roles ``[[…]]`` and ``![[…]]`` become (also usable as ``{wikilink}`…```).
LINK_ROLE = "wikilink"
IMAGE_ROLE = "wikiimage"
#: ``pending_xref`` reftype of a wikilink; the node keeps what was written under ``WRITTEN``.
REFTYPE = "wikilink"
WRITTEN = "journal_wikilink"
SOURCE = "journal_wikilink_source"
#: Files ``![[…]]`` may show.
IMAGE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
#: Folders never searched for images by file name (besides ``exclude_patterns``).
IMAGE_SEARCH_EXCLUDES = ("_build", "_static", "_templates", ".*", "**/.*", "node_modules")


# --- parsing ------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    """A wikilink as written: ``page#heading|label`` (each part may be empty but ``page#heading``)."""

    page: str
    heading: str
    label: str | None

    @classmethod
    def parse(cls, text: str) -> Written:
        target, bar, label = text.partition("|")
        page, _, heading = target.partition("#")
        return cls(page.strip(), heading.strip(), label.strip() if bar else None)


def _tokenize(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    image = src.startswith("![[", pos)
    if not image and not src.startswith("[[", pos):
        return False
    start = pos + (3 if image else 2)
    end = src.find("]]", start, state.posMax)
    inner = src[start:end] if end >= 0 else ""
    written = Written.parse(inner)
    if any(char in inner for char in "[]\n") or not (written.page or written.heading):
        return False
    if not silent:
        token = role_token(state, IMAGE_ROLE if image else LINK_ROLE, inner)
        token.meta["journal_offset"] = pos
    state.pos = end + 2
    return True


def _set_lines(state: StateCore) -> None:
    """Give each wikilink token the line it is on (MyST passes it to the role)."""
    for block in state.tokens:
        if block.type != "inline" or not block.map or not block.children:
            continue
        for child in block.children:
            if child.type == "myst_role" and "journal_offset" in child.meta:
                line = block.map[0] + block.content.count("\n", 0, child.meta.pop("journal_offset"))
                child.map = [line, line + 1]


def wikilink_plugin(md: MarkdownIt) -> None:
    """markdown-it plugin: ``[[…]]`` and ``![[…]]`` as the roles ``wikilink`` and ``wikiimage``."""
    md.inline.ruler.before("link", "journal_wikilink", _tokenize)
    md.core.ruler.after("inline", "journal_wikilink_lines", _set_lines)


def register_parser(app: Sphinx, config: Any) -> None:
    use_markdown_plugin(app, wikilink_plugin)


# --- reading ------------------------------------------------------------------


class WikilinkRole(SphinxRole):
    """``[[page#heading|label]]``: a cross-reference resolved once every page is read."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        written = Written.parse(self.text)
        node = addnodes.pending_xref(
            self.rawtext,
            refdomain="",
            reftype=REFTYPE,
            reftarget=written.page,
            refexplicit=written.label is not None,
            refdoc=self.env.docname,
        )
        node[WRITTEN] = self.text
        node[SOURCE] = self.env.docname  # refdoc changes where ABlog shows the page's excerpt
        node += nodes.inline(self.text, written.label or self.text, classes=["xref", "journal-wikilink"])
        self.set_source_info(node)
        return [node], []


class WikiImageRole(SphinxRole):
    """``![[diagram.svg|alt]]``: the image next to the page, else the one file of that name."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        written = Written.parse(self.text)
        found, problem = find_image(self.env, written.page)
        if found is None:
            warn(JournalWarning.WIKILINK, f"![[{self.text}]]: {problem}", location=self.get_location())
            return [nodes.inline(self.rawtext, f"![[{self.text}]]", classes=["journal-wikilink-missing"])], []
        alt = written.label or PurePosixPath(written.page).stem
        image = nodes.image(self.rawtext, uri="/" + found, alt=alt, classes=["journal-wikiimage"])
        self.set_source_info(image)
        return [image], []


#: srcdir -> image file name -> the project files of that name (relative, posix); built once a build.
_IMAGE_FILES: dict[str, dict[str, list[str]]] = {}
#: (source, line, text) of the broken wikilinks reported in this build: a page's excerpt shown on a
#: listing page or in a feed is resolved again, and says nothing new.
_REPORTED: set[tuple[str, int | None, str]] = set()


def forget_build_values(app: Sphinx) -> None:
    _IMAGE_FILES.clear()
    _REPORTED.clear()


def _image_files(env: BuildEnvironment) -> dict[str, list[str]]:
    key = str(env.srcdir)
    if key not in _IMAGE_FILES:
        excludes = [*env.config.exclude_patterns, *IMAGE_SEARCH_EXCLUDES]
        index: dict[str, list[str]] = {}
        for relative in sorted(get_matching_files(env.srcdir, exclude_patterns=excludes)):
            if PurePosixPath(relative).suffix.lower() in IMAGE_SUFFIXES:
                index.setdefault(PurePosixPath(relative).name.casefold(), []).append(relative)
        _IMAGE_FILES[key] = index
    return _IMAGE_FILES[key]


def find_image(env: BuildEnvironment, name: str) -> tuple[str | None, str]:
    """(the image's path relative to the project, "") or (None, why not)."""
    if PurePosixPath(name).suffix.lower() not in IMAGE_SUFFIXES:
        return None, f"only images can be embedded ({', '.join(sorted(IMAGE_SUFFIXES))})"
    srcdir = Path(env.srcdir).resolve()
    beside = (srcdir / PurePosixPath(env.docname).parent / name.lstrip("/")).resolve()
    if name.startswith("/"):
        beside = (srcdir / name.lstrip("/")).resolve()
    if beside.is_file() and beside.is_relative_to(srcdir):
        return beside.relative_to(srcdir).as_posix(), ""
    same_name = _image_files(env).get(PurePosixPath(name).name.casefold(), [])
    if len(same_name) == 1:
        return same_name[0], ""
    if same_name:
        return None, f"ambiguous image name, candidates: {', '.join(same_name)} (write the path relative to the page)"
    return None, "no such image beside the page or anywhere in the project"


class WikilinkCollector(PerDocumentCollector):
    """``env.journal_wikilinks`` (each page's wikilinks as written) and ``env.journal_headings``."""

    kept = (wikilinks_of, headings_of)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        docname = app.env.docname
        written = {node[WRITTEN] for node in doctree.findall(addnodes.pending_xref) if node.get("reftype") == REFTYPE}
        if written:
            wikilinks_of(app.env)[docname] = tuple(sorted(written))
        headings_of(app.env)[docname] = tuple(
            (section[0].astext(), section["ids"][0])
            for section in doctree.findall(nodes.section)
            if section["ids"] and section.children and isinstance(section[0], nodes.title)
        )


def resolve_wikilinks(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``, before anything digests where wikilinks land (the kept renderings' stamp,
    the listings' fingerprints: :func:`journal.speed.incremental.wikilink_targets`): resolve every
    page's wikilinks; return the pages whose links now land elsewhere, to be written again.

    (Resolved later, at ``env-get-updated``, a build digested the previous build's targets: the
    first build's renderings were stamped as if no page had a wikilink, and the next build
    rendered every excerpt and feed entry again.)
    """
    resolver = Resolver(env)
    resolutions = {
        docname: {text: resolver.resolve(text, docname) for text in texts}
        for docname, texts in sorted(wikilinks_of(env).items())
    }
    before = swap_wikilink_resolutions(env, resolutions)
    if before is None:
        return sorted(resolutions.keys() & env.all_docs.keys())
    changed = {d for d in resolutions.keys() | before.keys() if resolutions.get(d) != before.get(d)}
    return sorted(changed & env.all_docs.keys())


# --- resolving ----------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """Where a wikilink lands (``docname``, ``anchor``, ``title`` for its text) or why it does not."""

    docname: str | None
    anchor: str = ""
    title: str = ""
    problem: str = ""


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _title(env: BuildEnvironment, docname: str) -> str:
    return env.titles[docname].astext() if docname in env.titles else docname


def _page_key(page: str) -> str:
    return normalised(page.strip("/").removesuffix(".md"))


class Resolver:
    """Wikilink targets by path (docname), title and file name, over every page of the build."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.titles = {docname: _title(env, docname) for docname in env.all_docs}
        self.paths = {normalised(docname): docname for docname in sorted(env.all_docs)}
        self.by_title: dict[str, set[str]] = {}
        self.by_name: dict[str, set[str]] = {}
        for docname, title in self.titles.items():
            self.by_title.setdefault(normalised(title), set()).add(docname)
            self.by_name.setdefault(normalised(docname.rpartition("/")[2]), set()).add(docname)
        self.headings = headings_of(env)

    def page(self, page: str) -> str | None:
        """The one page *page* names, or None."""
        found = self._candidates(page)
        return found[0] if len(found) == 1 else None

    def _candidates(self, page: str) -> list[str]:
        key = _page_key(page)
        if key in self.paths:
            return [self.paths[key]]
        return sorted(self.by_title.get(normalised(page), set()) | self.by_name.get(key, set()))

    def resolve(self, text: str, source: str) -> Resolution:
        written = Written.parse(text)
        if not written.page:
            return self._heading(text, source, written.heading, same_page=True)
        found = self._candidates(written.page)
        if len(found) > 1:
            return Resolution(None, problem=f"[[{text}]] is ambiguous: {self._describe(found)}; write its path")
        if not found:
            return Resolution(None, problem=f"[[{text}]] names no page{self._near(written.page)}")
        if written.heading:
            return self._heading(text, found[0], written.heading, same_page=False)
        return Resolution(found[0], "", self.titles[found[0]])

    def _heading(self, text: str, docname: str, heading: str, same_page: bool) -> Resolution:
        wanted = normalised(heading)
        sections = self.headings.get(docname, ())
        for title, anchor in sections:
            if wanted in (normalised(title), normalised(anchor), normalised(anchor.replace("-", " "))):
                shown = title if same_page else f"{self.titles[docname]} › {title}"
                return Resolution(docname, anchor, shown)
        known = ", ".join(f'"{title}"' for title, _ in sections[1:]) or "none"
        return Resolution(None, problem=f"[[{text}]]: {docname} has no heading {heading!r} (its headings: {known})")

    def _describe(self, docnames: list[str]) -> str:
        return ", ".join(f'{docname} ("{self.titles[docname]}")' for docname in docnames)

    def _near(self, page: str) -> str:
        keys = {**{normalised(t): t for t in self.titles.values()}, **{k: d for k, d in self.paths.items()}}
        close = difflib.get_close_matches(normalised(page), list(keys), n=3, cutoff=0.6)
        return f"; did you mean: {', '.join(keys[key] for key in close)}" if close else ""


# --- writing ------------------------------------------------------------------


class ResolveWikilinks(SphinxPostTransform):
    """Each wikilink's ``pending_xref`` -> a reference to its page or heading (before Sphinx's resolver, 10)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        resolver: Resolver | None = None
        kept = wikilink_resolutions_of(self.env)
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != REFTYPE:
                continue
            source, text = node.get(SOURCE, node["refdoc"]), node[WRITTEN]
            resolution = kept.get(source, {}).get(text)
            if resolution is None:  # not kept (a page written without being known to the collector)
                resolver = resolver or Resolver(self.env)
                resolution = resolver.resolve(text, source)
            node.replace_self(self._replacement(node, source, text, resolution))

    def _replacement(self, node: addnodes.pending_xref, source: str, text: str, resolution: Resolution) -> nodes.Node:
        if resolution.docname is None:
            self._report(node, source, resolution.problem)
            return nodes.inline(node.rawsource, f"[[{text}]]", classes=["journal-wikilink-missing"])
        label = Written.parse(text).label or resolution.title
        content = nodes.inline(label, label, classes=["xref", "std", "std-doc", "journal-wikilink"])
        shown_on = node["refdoc"]  # the page being written: the post itself, or a listing showing its excerpt
        target, anchor = resolution.docname, resolution.anchor
        return make_refnode(self.app.builder, shown_on, target, anchor, content, resolution.title)

    def _report(self, node: addnodes.pending_xref, source: str, problem: str) -> None:
        key = (source, node.line, problem)
        if key not in _REPORTED:
            _REPORTED.add(key)
            warn(JournalWarning.WIKILINK, problem, location=node)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_role(LINK_ROLE, WikilinkRole())
    app.add_role(IMAGE_ROLE, WikiImageRole())
    app.add_env_collector(WikilinkCollector)
    app.add_post_transform(ResolveWikilinks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

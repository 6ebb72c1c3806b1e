"""Link previews: a small card on hover or focus of a link to a post, note, glossary term or heading.

Why our own and not ``sphinx-tippy`` (Executable Books, 0.4.3 read): its defaults load Popper
and Tippy from unpkg.com on every page (``tippy_js``), and its Wikipedia and DOI tips call
``requests.get`` during the build; both break "no third-party requests, builds offline". It
also parses every page's HTML with BeautifulSoup and writes each page's tips into a script
named with a fresh ``uuid4()`` on every build, loaded with the page on its first view: the
output differs between two builds of the same sources, and the tips of page A, taken from
page B's HTML when A is written, go stale when B is retitled and A is not rewritten. What we
need is small (text only, no interactive content), so it is done here:

* Reading: :mod:`journal.content.previews` keeps each document's first paragraph and its
  headings' and glossary terms' text on the environment (a collector, so ``-j N`` and
  incremental builds keep the same data).
* Writing a page (``doctree-resolved``): every internal reference to a document gets the
  class ``journal-preview``; the card is only offered on those links.
* ``build-finished``: one small JSON file per document, ``_previews/<docname>.json`` (title,
  kind, date or note status, first paragraph, and its headings and terms), written from the
  environment, so it follows a retitled or edited target whatever was rewritten; files of
  documents that are gone are removed. Unchanged files are left alone: a digest of each file's
  text is kept beside the doctrees, so a finished build's files are not read again.
* The browser (``_static/journal-previews.js``, deferred, ~3 KB; ``journal-previews.css``
  in the stylesheet bundle) fetches a target's file on the first hover or focus of a link to
  it, only where the pointer can hover (``(hover: hover) and (pointer: fine)``): on touch
  screens a tap just follows the link. The card is a ``role="tooltip"`` the link names with
  ``aria-describedby``; focus stays on the link, the card holds nothing focusable, Esc hides it.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from journal.content.previews import preview_of
from journal.speed.incremental import digest, load_state, previous_build_unfinished, save_state
from journal.state import previews_of

#: Folder of the per-document preview files in the output.
FOLDER = "_previews"
#: Class of the links that show a preview.
LINK_CLASS = "journal-preview"
SCRIPT = "journal-previews.js"
#: Builders whose pages load the script and whose links end in ``.html`` (not EPUB, single-page or
#: directory HTML, whose relative links the mapping below does not read).
BUILDERS = frozenset({"html", "readthedocs"})
STYLESHEET = "journal-previews.css"


def target_docname(app: Sphinx, docname: str, reference: nodes.reference) -> str | None:
    """The document an internal *reference* on *docname*'s page leads to, if it is one."""
    if not reference.get("internal"):
        return None
    refuri = reference.get("refuri")
    if refuri is None:
        return docname if reference.get("refid") else None
    path = refuri.split("#", 1)[0]
    if not path:
        return docname
    suffix = app.builder.link_suffix  # type: ignore[attr-defined]  # the HTML builders have it
    if "://" in path or not path.endswith(suffix):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(docname), path[: -len(suffix)]))
    return target if target in app.env.all_docs else None


def mark_preview_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: links to documents get the class the preview script looks for."""
    if app.builder.name not in BUILDERS:
        return
    for reference in doctree.findall(nodes.reference):
        if target_docname(app, docname, reference) is not None:
            reference["classes"].append(LINK_CLASS)


def write_preview_files(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: ``_previews/<docname>.json`` for every document, and no file for any other."""
    if exception is not None or app.builder.name not in BUILDERS:
        return
    folder = Path(app.outdir) / FOLDER
    date_format = getattr(app.config, "post_date_format_short", "%Y-%m-%d")
    # What the previous build wrote, when it finished: a file it wrote with the same text is not read again.
    written: dict[str, str] = {} if previous_build_unfinished(app) else load_state(app, "previews")
    digests: dict[str, str] = {}
    wanted: set[Path] = set()
    for docname in sorted(previews_of(app.env).keys() & app.env.all_docs.keys()):
        data = preview_of(app.env, docname, date_format)
        if data is None:
            continue
        path = folder / f"{docname}.json"
        wanted.add(path)
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digests[docname] = digest(text)
        if written.get(docname) != digests[docname] or not path.is_file():
            _write_if_changed(path, text)
    if digests.keys() != written.keys():  # a document came or went (or the previous build is not trusted)
        _remove_others(folder, wanted)
    if digests != written:
        save_state(app, "previews", digests)


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _remove_others(folder: Path, wanted: set[Path]) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.json"), reverse=True):
        if path not in wanted:
            path.unlink()
    for directory in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_css_file(STYLESHEET)
    app.add_js_file(SCRIPT, defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}

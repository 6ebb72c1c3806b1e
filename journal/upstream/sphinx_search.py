"""Sphinx's search index keeps the index entries of pages that are not rewritten.

Reason (Sphinx 9.0.4, upstream bug): ``searchindex.js`` loses the ``indexentries`` (glossary
terms, ``index`` directives) of every page an incremental build does not rewrite, so a
no-change rebuild drops all of them. The code path:

* ``StandaloneHTMLBuilder.prepare_writing`` creates an ``IndexBuilder``
  (``sphinx/search/__init__.py``) whose ``_index_entries`` is the environment's
  ``env._search_index_index_entries``, and ``StandaloneHTMLBuilder.load_indexer``
  (``sphinx/builders/html/__init__.py``) calls ``IndexBuilder.load`` to restore the pages
  that are not rewritten from the previous ``searchindex.js``;
* ``IndexBuilder.load`` restores titles, file names, all titles and both word maps, but not
  the index entries, although ``IndexBuilder.freeze`` writes them to ``searchindex.js``;
* the entries ``IndexBuilder.feed`` stores while pages are written never reach the next
  build either: ``Builder.build`` (``sphinx/builders/__init__.py``) pickles the environment
  after reading, before writing, and not at all when nothing was read;
* so ``StandaloneHTMLBuilder.dump_search_index`` dumps the entries of the rewritten pages only.

Also, ``IndexBuilder.prune`` never removes a page's entries, and ``freeze`` lists them in the
order pages were fed (a clean build feeds every page in name order, a rebuild its few). And
``prune`` removes the rewritten pages from each word's set of pages but keeps the word, so a
rebuild lists dead words (``"더": []``) that a clean build does not.

The workaround (three wrapped ``IndexBuilder`` methods, nothing else): ``load`` also restores
the entries from the same ``searchindex.js`` (as ``freeze`` wrote them: the entry lower-cased,
``main`` as a flag, which ``freeze`` turns into the same output again); ``prune`` drops the
entries of the pages it drops; ``freeze`` lists them by page name and leaves out words no page
has. A rebuild then writes the ``searchindex.js`` of a clean build. ``tests/test_interrupt.py``
builds a plain Sphinx project (without this extension) twice, then once more after an edit,
and fails once upstream keeps the entries or drops the dead words ("upstream fixed: ..."); it
also pins the source of the wrapped methods.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import IndexBuilder

#: The wrapped methods, as Sphinx defines them (captured before wrapping).
UPSTREAM: dict[str, Callable[..., Any]] = {
    name: getattr(getattr(IndexBuilder, name), "__wrapped__", getattr(IndexBuilder, name))
    for name in ("load", "prune", "freeze")
}


class _Recording:
    """A search index format that remembers what it loaded (``IndexBuilder.load`` keeps no copy)."""

    def __init__(self, format: Any) -> None:
        self.format = format
        self.frozen: Any = None

    def load(self, stream: Any) -> Any:
        self.frozen = self.format.load(stream)
        return self.frozen


def index_entries(frozen: dict[str, Any]) -> dict[str, list[tuple[str, str, str]]]:
    """docname -> index entries, as ``IndexBuilder.feed`` stores them, from a frozen index.

    ``freeze`` keys each entry by its lower-cased text and keeps ``main`` as a flag; it lists
    every page's entries of one key in that page's own order, which is kept here.
    """
    docnames = frozen["docnames"]
    entries: dict[str, list[tuple[str, str, str]]] = {}
    for entry, refs in frozen.get("indexentries", {}).items():
        for docindex, target_id, main in refs:
            entries.setdefault(docnames[docindex], []).append((entry, target_id, "main" if main else ""))
    return entries


@functools.wraps(UPSTREAM["load"])
def load(self: IndexBuilder, stream: Any, format: Any) -> None:
    if isinstance(format, str):
        format = self.formats[format]
    recording = _Recording(format)
    UPSTREAM["load"](self, stream, recording)  # raises ValueError for an old or broken index
    self._index_entries = index_entries(recording.frozen)


@functools.wraps(UPSTREAM["prune"])
def prune(self: IndexBuilder, docnames: Iterable[str]) -> None:
    kept = set(docnames)
    UPSTREAM["prune"](self, kept)
    self._index_entries = {doc: entries for doc, entries in self._index_entries.items() if doc in kept}


@functools.wraps(UPSTREAM["freeze"])
def freeze(self: IndexBuilder) -> dict[str, Any]:
    # Only pages in the index (``freeze`` numbers pages by their title), in name order.
    self._index_entries = {doc: self._index_entries[doc] for doc in sorted(self._index_entries) if doc in self._titles}
    for words in (self._mapping, self._title_mapping):
        for word in [word for word, pages in words.items() if not pages]:
            del words[word]
    frozen: dict[str, Any] = UPSTREAM["freeze"](self)
    return frozen


def patch_index_builder() -> None:
    IndexBuilder.load = load  # type: ignore[method-assign]  # we patch Sphinx's class: the point of this module
    IndexBuilder.prune = prune  # type: ignore[method-assign]  # we patch Sphinx's class: the point of this module
    IndexBuilder.freeze = freeze  # type: ignore[method-assign]  # we patch Sphinx's class: the point of this module


def setup(app: Sphinx) -> dict[str, Any]:
    patch_index_builder()
    return {"parallel_read_safe": True, "parallel_write_safe": True}

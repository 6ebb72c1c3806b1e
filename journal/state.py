"""What the journal keeps on the Sphinx build environment, behind typed accessors.

Sphinx pickles the :class:`~sphinx.environment.BuildEnvironment` between builds, and every
attribute on it with it; the journal's attributes are named ``journal_*``. This module is the
one place that knows their names and types: code reads and writes them through the functions
below, never with ``getattr(env, "journal_…")``.

Kept per document (purged and merged by the collector named):

=========================  ==============================================  =====================================
attribute                  value                                           kept by
=========================  ==============================================  =====================================
``journal_posts``          docname -> :class:`PostMeta`                    :mod:`journal.content.posts`
``journal_parsed``         docname -> :class:`ParsedPost` (this read only) :mod:`journal.content.posts`
``journal_notes``          docname -> :class:`NoteMeta`                    :mod:`journal.content.notes`
``journal_reading``        docname -> :class:`ReadingTime`                 :mod:`journal.pages.facts`
``journal_images``         docname -> :class:`FeatureImage`                :mod:`journal.pages.facts`
``journal_links``          docname -> its links, unresolved                :mod:`journal.content.backlinks`
``journal_wikilinks``      docname -> its wikilinks as written             :mod:`journal.content.wikilinks`
``journal_headings``       docname -> (heading text, anchor) of each       :mod:`journal.content.wikilinks`
``journal_previews``       docname -> :class:`DocumentPreview`             :mod:`journal.content.previews`
``journal_localfile_docs`` docnames that referenced a file outside          :mod:`journal.content.localfiles`
``journal_listing_pages``  docnames holding a ``postlist``                 :mod:`journal.speed.incremental`
``journal_notelists``      docnames holding a ``notelist``                 :mod:`journal.content.notelist`
``journal_heatmaps``       docnames holding a ``studyheatmap``             :mod:`journal.pages.heatmap`
``journal_revisits``       docnames holding a ``revisitnotes``             :mod:`journal.pages.revisit`
=========================  ==============================================  =====================================

Kept for the whole site, to compare with the next build (``None`` before the first one):
``journal_backlinks``, ``journal_term_uses`` (:mod:`journal.content.backlinks`), ``journal_wikilink_resolutions``
(:mod:`journal.content.wikilinks`),
``journal_archived_tags`` (:mod:`journal.content.notes`), ``journal_notelist_state``
(:mod:`journal.content.notelist`),
``journal_navigation_shape`` (:mod:`journal.content.notefiling`),
``journal_heatmap_state`` (:mod:`journal.pages.heatmap`),
``journal_revisit_state`` (:mod:`journal.pages.revisit`), ``journal_map_state`` (:mod:`journal.pages.gardenmap`),
``journal_blog_state`` (:mod:`journal.speed.incremental`), ``journal_post_snapshot``
(:mod:`journal.pages.dependents`).

The per-document accessors create their attribute when it is missing. The collectors create
them where they always did (``builder-inited``, ``env-before-read-docs``), so the pickled
environment holds the same attributes, in the same order, as before these accessors.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from sphinx.environment.collectors import EnvironmentCollector

if TYPE_CHECKING:  # types only: this module imports nothing of the journal at run time
    import datetime as dt

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from journal.content.backlinks import Backlink, Link
    from journal.content.notes import NoteMeta
    from journal.content.previews import DocumentPreview
    from journal.content.wikilinks import Resolution
    from journal.contract.frontmatter import ParsedPost, PostMeta
    from journal.pages.images import FeatureImage
    from journal.pages.reading_time import ReadingTime

    #: page -> the pages linking to it
    Backlinks: TypeAlias = dict[str, tuple[Backlink, ...]]
    #: glossary page -> term anchor -> the pages using the term
    TermUses: TypeAlias = dict[str, dict[str, tuple[Backlink, ...]]]
    #: (docname, title, updated, status) of every note, as the lists show them
    NoteListState: TypeAlias = list[tuple[str, str, dt.datetime | None, str | None]]
    #: docname -> wikilink as written -> where it lands
    WikilinkResolutions: TypeAlias = dict[str, dict[str, Resolution]]
    #: (blog shape digest, docname -> listing digest)
    BlogState: TypeAlias = tuple[str, dict[str, str]]

T = TypeVar("T")


def _kept(env: BuildEnvironment, name: str, new: type[T]) -> T:
    """``env.<name>``, created empty (``new()``) when missing."""
    if not hasattr(env, name):
        setattr(env, name, new())
    value: T = getattr(env, name)
    return value


def _previous(env: BuildEnvironment, name: str) -> Any:
    return getattr(env, name, None)


def _store(env: BuildEnvironment, name: str, value: object) -> None:
    setattr(env, name, value)


# --- per document --------------------------------------------------------------


def posts_of(env: BuildEnvironment) -> dict[str, PostMeta]:
    """``env.journal_posts``: docname -> the post's normalised front matter."""
    return _kept(env, "journal_posts", dict)


def parsed_of(env: BuildEnvironment) -> dict[str, ParsedPost]:
    """``env.journal_parsed``: posts parsed at ``source-read``, until the contract transform takes them."""
    return _kept(env, "journal_parsed", dict)


def reset_parsed(env: BuildEnvironment) -> None:
    _store(env, "journal_parsed", {})


def notes_of(env: BuildEnvironment) -> dict[str, NoteMeta]:
    """``env.journal_notes``: docname -> the note's front matter."""
    return _kept(env, "journal_notes", dict)


def reading_of(env: BuildEnvironment) -> dict[str, ReadingTime]:
    """``env.journal_reading``: docname -> the post's reading time."""
    return _kept(env, "journal_reading", dict)


def images_of(env: BuildEnvironment) -> dict[str, FeatureImage]:
    """``env.journal_images``: docname -> the post's feature image."""
    return _kept(env, "journal_images", dict)


def links_of(env: BuildEnvironment) -> dict[str, tuple[Link, ...]]:
    """``env.journal_links``: docname -> the links its page makes, unresolved."""
    return _kept(env, "journal_links", dict)


def previews_of(env: BuildEnvironment) -> dict[str, DocumentPreview]:
    """``env.journal_previews``: docname -> what link previews show of it."""
    return _kept(env, "journal_previews", dict)


def wikilinks_of(env: BuildEnvironment) -> dict[str, tuple[str, ...]]:
    """``env.journal_wikilinks``: docname -> its wikilinks as written (pages that have some)."""
    return _kept(env, "journal_wikilinks", dict)


def headings_of(env: BuildEnvironment) -> dict[str, tuple[tuple[str, str], ...]]:
    """``env.journal_headings``: docname -> (text, anchor) of each of its headings, the title first."""
    return _kept(env, "journal_headings", dict)


def localfile_docs_of(env: BuildEnvironment) -> set[str]:
    """``env.journal_localfile_docs``: documents that referenced a file outside the project."""
    return _kept(env, "journal_localfile_docs", set)


def doc_set(env: BuildEnvironment, name: str) -> set[str]:
    """``env.<name>``, a set of docnames (``journal_listing_pages``, ``journal_notelists``)."""
    return _kept(env, name, set)


# --- whole site, compared with the previous build -------------------------------


def backlinks_of(env: BuildEnvironment) -> Backlinks:
    """``env.journal_backlinks`` (empty before it is first computed)."""
    found: Backlinks | None = _previous(env, "journal_backlinks")
    return found if found is not None else {}


def term_uses_of(env: BuildEnvironment) -> TermUses:
    """``env.journal_term_uses`` (empty before it is first computed)."""
    found: TermUses | None = _previous(env, "journal_term_uses")
    return found if found is not None else {}


def swap_backlinks(env: BuildEnvironment, new: tuple[Backlinks, TermUses]) -> tuple[Backlinks | None, TermUses | None]:
    """Store the backlinks and term uses; return those of the previous build."""
    before = (_previous(env, "journal_backlinks"), _previous(env, "journal_term_uses"))
    _store(env, "journal_backlinks", new[0])
    _store(env, "journal_term_uses", new[1])
    return before


def wikilink_resolutions_of(env: BuildEnvironment) -> WikilinkResolutions:
    """``env.journal_wikilink_resolutions`` (empty before it is first computed)."""
    found: WikilinkResolutions | None = _previous(env, "journal_wikilink_resolutions")
    return found if found is not None else {}


def swap_wikilink_resolutions(env: BuildEnvironment, new: WikilinkResolutions) -> WikilinkResolutions | None:
    """Store where every wikilink lands; return the previous build's."""
    before: WikilinkResolutions | None = _previous(env, "journal_wikilink_resolutions")
    _store(env, "journal_wikilink_resolutions", new)
    return before


def swap_archived_tags(env: BuildEnvironment, new: set[str]) -> set[str] | None:
    """Store the tags that have an archive page; return the previous build's."""
    before: set[str] | None = _previous(env, "journal_archived_tags")
    _store(env, "journal_archived_tags", new)
    return before


def swap_notelist_state(env: BuildEnvironment, new: NoteListState) -> NoteListState | None:
    """Store what the note lists show; return the previous build's."""
    before: NoteListState | None = _previous(env, "journal_notelist_state")
    _store(env, "journal_notelist_state", new)
    return before


def swap_navigation_shape(env: BuildEnvironment, new: str) -> str | None:
    """Store the digest of the navigation every page shows; return the previous build's."""
    before: str | None = _previous(env, "journal_navigation_shape")
    _store(env, "journal_navigation_shape", new)
    return before


def swap_map_state(env: BuildEnvironment, new: object) -> object:
    """Store what the garden map and the notes' local graphs show; return the previous build's."""
    before: object = _previous(env, "journal_map_state")
    _store(env, "journal_map_state", new)
    return before


def swap_heatmap_state(env: BuildEnvironment, new: object) -> object:
    """Store what the home page's study heatmaps show (today, activity); return the previous build's."""
    before: object = _previous(env, "journal_heatmap_state")
    _store(env, "journal_heatmap_state", new)
    return before


def swap_revisit_state(env: BuildEnvironment, new: object) -> object:
    """Store what the revisit lists show (today, notes due); return the previous build's."""
    before: object = _previous(env, "journal_revisit_state")
    _store(env, "journal_revisit_state", new)
    return before


def swap_blog_state(env: BuildEnvironment, new: BlogState) -> tuple[Any, ...] | None:
    """Store the blog's shape and listing digests; return the previous build's (any tuple: an
    environment from an older version may hold another layout)."""
    before: tuple[Any, ...] | None = _previous(env, "journal_blog_state")
    _store(env, "journal_blog_state", new)
    return before


def swap_post_snapshot(env: BuildEnvironment, new: object) -> Any:
    """Store what other pages may show of the posts (:class:`journal.pages.dependents.Snapshot`);
    return the previous build's (anything: an older environment may hold another value)."""
    before = _previous(env, "journal_post_snapshot")
    _store(env, "journal_post_snapshot", new)
    return before


class PerDocumentCollector(EnvironmentCollector):
    """Purges and merges the docname-keyed dicts of :attr:`kept` (accessors above), in that
    order, across incremental and parallel builds; a subclass fills them in ``process_doc``."""

    kept: tuple[Callable[[BuildEnvironment], dict[str, Any]], ...] = ()

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        for kept in self.kept:
            kept(env).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
        for kept in self.kept:
            theirs = kept(other)
            kept(env).update({docname: theirs[docname] for docname in docnames if docname in theirs})

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass

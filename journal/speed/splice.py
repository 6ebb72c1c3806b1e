"""New sidebar widgets put into pages an earlier build wrote, instead of rendering those pages again.

Adding, deleting or retitling a post changes every page's sidebar: the recent posts, the tag
cloud, the counts of posts per category and year. Most post pages change nowhere else, yet
rendering each through the theme again was nearly all of such a build (1,000 posts: 28 s
against 2.6 s for plain Sphinx adding a page).

The sidebar widgets of an *ordinary* page (:mod:`journal.speed.widgets`) are its output
folder's renderings, and every non-empty one is written between comments naming it. So,
after the pages Sphinx writes this build are written, the widgets of each folder are read
from one of them (a *sample*: an ordinary page of that folder written through the theme in
this build) and put, in place of the old ones, into the folder's other ordinary pages that
the caller (:mod:`journal.pages.dependents`) found unchanged but for their widgets. The
result is what the theme would have written: the same page with its folder's widgets of this
build, which the cache (checked against rendering every widget on every page) says they are.

A listing's pages 2, 3, … share their folder's widgets too: those whose own content did not
change (:func:`journal.speed.incremental.archive_pages_to_write`) are spliced the same way,
after the second writing process is done (:func:`splice_listing_widgets`), from a page of the
same listing written in this build.

A page whose widgets do not line up with its sample's (one became empty, or the page is not
on disk) is written through the theme after all (:func:`write_through_theme`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.util import logging

from journal.speed.incremental import is_shared_listing_page
from journal.speed.widgets import WIDGET_END, WIDGET_START, folder_of

if TYPE_CHECKING:
    from sphinx.builders.html import StandaloneHTMLBuilder

logger = logging.getLogger(__name__)
PageTuple = tuple[str, dict[str, Any], str]
#: One widget in a written page: its template's name, then its HTML.
WIDGET = re.compile(re.escape(WIDGET_START).encode() + rb"(\S+) -->(.*?)" + re.escape(WIDGET_END).encode(), re.S)


@dataclass
class FolderSplice:
    sample: str  # an ordinary page of the folder written through the theme in this build
    pages: list[str] = field(default_factory=list)  # pages of the folder whose widgets are put in


_PLANS: WeakKeyDictionary[Sphinx, dict[str, FolderSplice]] = WeakKeyDictionary()
#: The listing pages to splice, by folder, and each page's tuple (to write it if it must be).
_LISTING_PLANS: WeakKeyDictionary[Sphinx, tuple[dict[str, FolderSplice], dict[str, PageTuple]]] = WeakKeyDictionary()


def plan_splices(app: Sphinx, written: Iterable[str], to_splice: Iterable[str], ordinary: set[str]) -> set[str]:
    """Remember to splice *to_splice* (ordinary pages) after writing; return the pages to write
    through the theme besides *written*: a sample of each folder that has none among *written*."""
    samples: dict[str, str] = {}
    for docname in sorted(set(written) & ordinary):
        samples.setdefault(folder_of(app, docname), docname)
    plan: dict[str, FolderSplice] = {}
    more: set[str] = set()
    for docname in sorted(set(to_splice) - set(written)):
        folder = folder_of(app, docname)
        if folder not in plan:
            if folder not in samples:  # this page becomes the folder's sample
                samples[folder] = docname
                more.add(docname)
                plan[folder] = FolderSplice(docname)
                continue
            plan[folder] = FolderSplice(samples[folder])
        plan[folder].pages.append(docname)
    _PLANS[app] = plan
    return more


def plan_listing_splices(app: Sphinx, written: list[PageTuple], to_splice: list[PageTuple]) -> list[PageTuple]:
    """Remember to splice the listing pages *to_splice* once every page is written; return the
    pages to write besides *written*: a sample of each folder that has none among *written*."""
    samples: dict[str, str] = {}
    for pagename, _, _ in written:
        if is_shared_listing_page(app.env, pagename):
            samples.setdefault(folder_of(app, pagename), pagename)
    plan: dict[str, FolderSplice] = {}
    more: list[PageTuple] = []
    for page in to_splice:
        folder = folder_of(app, page[0])
        if folder not in samples:
            samples[folder] = page[0]
            more.append(page)
            continue
        plan.setdefault(folder, FolderSplice(samples[folder])).pages.append(page[0])
    _LISTING_PLANS[app] = (plan, {page[0]: page for page in to_splice})
    return more


def forget_splices(app: Sphinx, *args: Any) -> None:
    """``builder-inited``: no plan of an earlier build in this process is carried out."""
    _PLANS.pop(app, None)
    _LISTING_PLANS.pop(app, None)


def splice_widgets(app: Sphinx) -> Iterator[PageTuple]:
    """``html-collect-pages``: every document is written; put each folder's widgets into its
    planned pages (pages already showing them are left alone)."""
    carry_out(app, _PLANS.pop(app, {}), lambda docname: write_through_theme(app, docname))
    yield from ()


def splice_listing_widgets(app: Sphinx) -> Iterator[PageTuple]:
    """``html-collect-pages``, after the writing processes are joined: the same for the
    listings' pages 2, 3, …"""
    plan, pages = _LISTING_PLANS.pop(app, ({}, {}))
    builder = cast("StandaloneHTMLBuilder", app.builder)
    carry_out(app, plan, lambda pagename: builder.handle_page(*pages[pagename]))
    yield from ()


def carry_out(app: Sphinx, plan: dict[str, FolderSplice], write: Callable[[str], None]) -> None:
    builder = cast("StandaloneHTMLBuilder", app.builder)
    spliced, written = 0, 0
    for splice in plan.values():
        widgets = widgets_of(Path(builder.get_outfilename(splice.sample)).read_bytes())
        for pagename in splice.pages:
            if splice_page(Path(builder.get_outfilename(pagename)), widgets):
                spliced += 1
            else:
                write(pagename)
                written += 1
    if plan:
        logger.info("journal: new sidebar widgets put into %d pages (%d written instead)", spliced, written)


def widgets_of(html: bytes) -> list[tuple[bytes, bytes]]:
    """(template, HTML) of every delimited widget in a written page, in order."""
    return [(match[1], match[2]) for match in WIDGET.finditer(html)]


def spliced(html: bytes, widgets: list[tuple[bytes, bytes]]) -> bytes | None:
    """*html* with its widgets replaced by *widgets*, or None when they are not the same widgets."""
    parts = WIDGET.split(html)  # text, template, widget, text, …, text
    if parts[1::3] != [template for template, _ in widgets]:
        return None
    out = [parts[0]]
    for (template, widget), text in zip(widgets, parts[3::3], strict=True):
        out += [WIDGET_START.encode(), template, b" -->", widget, WIDGET_END.encode(), text]
    return b"".join(out)


def splice_page(path: Path, widgets: list[tuple[bytes, bytes]]) -> bool:
    """Put *widgets* into the page at *path*; False when that cannot give the theme's page."""
    try:
        html = path.read_bytes()
    except OSError:
        return False
    new = spliced(html, widgets)
    if new is None:
        return False
    if new != html:
        path.write_bytes(new)
    return True


def write_through_theme(app: Sphinx, docname: str) -> None:
    """Write *docname* as Sphinx's writing phase does (this process: the writers are done)."""
    builder = cast("StandaloneHTMLBuilder", app.builder)
    doctree = app.env.get_and_resolve_doctree(docname, builder)
    builder.write_doc_serialized(docname, doctree)
    builder.write_doc(docname, doctree)

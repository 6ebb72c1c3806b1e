"""Redirects checked at build time: no redirect page replaces a page of the site or leaves ``_build``.

sphinx-reredirects writes one page per entry of ``redirects`` (``conf.py`` loads them
from ``redirects.json``) at ``html-collect-pages``, to ``outdir / key``, overwriting
whatever is there: a key ``index.html`` silently replaced the home page, and a key
with ``..`` wrote outside the output folder. ``conf.py``'s
:func:`~journal.jekyll.redirects.load_redirects` already refuses keys that are not
plain paths; what a key may not name depends on the build, so it is checked here,
just before sphinx-reredirects runs:

* its page must resolve (symlinks included) inside the output folder;
* it must not be a page the site builds: a document (``env.found_docs``, through the
  builder's own file names), one of ABlog's archive pages or post redirects, the
  journal's series page, the 404 page, the general index and search pages, a file of
  ``html_extra_path``, or anything in the folders Sphinx writes (``_static``, ...);
* its target must be a page the site builds (or an ``http(s)://`` address).

A refused redirect is a ``journal.redirects`` warning at its line of ``redirects.json``
(an error under ``-W``) and is not written; the others are written as before.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path
from typing import Any, cast

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from journal.jekyll.redirects import FILENAME, key_problem, value_problem
from journal.upstream import ablog_state
from journal.upstream.reredirects import out_path_rule

logger = logging.getLogger(__name__)

#: Folders of the output that Sphinx fills itself.
SPHINX_FOLDERS = ("_static", "_images", "_sources", "_downloads", "_modules")
#: Before sphinx-reredirects' own ``html-collect-pages`` handler (priority 500).
PRIORITY = 400


def _fold(path: str) -> str:
    """One spelling per output file: case-insensitive and NFC/NFD-blind file systems see one file."""
    return unicodedata.normalize("NFC", path).casefold()


def built_pages(app: Sphinx) -> dict[str, str]:
    """Output files the build writes (folded relative path -> what it is)."""
    builder = cast(StandaloneHTMLBuilder, app.builder)
    outdir = Path(app.outdir)
    pages: dict[str, str] = {}

    def add(pagename: str, what: str) -> None:
        try:
            relative = Path(builder.get_outfilename(pagename)).relative_to(outdir).as_posix()
        except ValueError:
            return
        pages.setdefault(_fold(relative), what)

    assert app.env is not None
    for docname in sorted(app.env.found_docs):
        add(docname, f"the page of {app.env.doc2path(docname, False)}")
    for pagename in _ablog_pages(app):
        add(pagename, "one of ABlog's pages")
    for pagename in ("genindex", "search", "blog/series", getattr(app.config, "notfound_pagename", "404")):
        add(pagename, "a page the build writes")
    for pagename in getattr(app.config, "html_additional_pages", {}) or {}:
        add(pagename, "a page of html_additional_pages")
    for extra in getattr(app.config, "html_extra_path", []) or []:
        folder = Path(app.confdir, extra)
        if folder.is_file():
            pages.setdefault(_fold(folder.name), "a file of html_extra_path")
        for base, _, files in os.walk(folder):
            for name in files:
                relative = Path(base, name).relative_to(folder).as_posix()
                pages.setdefault(_fold(relative), "a file of html_extra_path")
    return pages


def _ablog_pages(app: Sphinx) -> list[str]:
    """ABlog's archive pages (tags, categories, years, authors, all posts, drafts) and post redirects."""
    blog = ablog_state.blog(app)
    names: list[str] = []
    for post in getattr(blog, "posts", []) or []:
        names.extend(getattr(post, "redirect", None) or [])
    for catalog_name in ("author", "location", "language", "category", "archive", "tags"):
        catalog = getattr(blog, catalog_name, None)
        if catalog is None:
            continue
        names.append(catalog.docname)
        names.extend(collection.docname for collection in catalog)
    for collection_name in ("posts", "drafts"):
        collection = getattr(blog, collection_name, None)
        if collection is not None:
            names.append(collection.docname)
    return names


def _locations(app: Sphinx) -> dict[str, str]:
    """``redirects.json:LINE`` for each key written in the project's redirects.json."""
    path = Path(app.confdir, FILENAME)
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    try:
        keys = json.loads(text)
    except json.JSONDecodeError:
        return {}
    found: dict[str, str] = {}
    for key in keys if isinstance(keys, dict) else {}:
        needle = json.dumps(key, ensure_ascii=False) + ":"
        escaped = json.dumps(key) + ":"
        line = next((n for n, row in enumerate(lines, 1) if needle in row or escaped in row), 1)
        found[key] = f"{path}:{line}"
    return found


def _target_page(target: str) -> str | None:
    """The output file a site-relative target names (``/a/b.html#x`` -> ``a/b.html``), None for others."""
    if not target.startswith("/"):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path if path.endswith(".html") else None


def check_redirects(app: Sphinx) -> list[Any]:
    """``html-collect-pages``, before sphinx-reredirects: refuse the redirects that must not be written."""
    redirects = getattr(app.config, "redirects", None)
    if not redirects or not isinstance(app.builder, StandaloneHTMLBuilder):
        return []
    if not isinstance(redirects, dict):
        logger.warning(
            "redirects: expected a mapping of old paths to new pages; none is written",
            type="journal",
            subtype="redirects",
        )
        app.config._journal_all_redirects = redirects
        app.config.redirects = {}
        return []
    writer = out_path_rule(app)
    suffix = getattr(app.builder, "out_suffix", ".html")
    outdir = Path(app.outdir)
    real_outdir = outdir.resolve()
    pages = built_pages(app)
    locations = _locations(app)
    source = f"{FILENAME} (or conf.py's redirects)"
    kept: dict[str, str] = {}
    for key, target in redirects.items():
        problem = key_problem(key)
        if problem is None:
            problem = _page_problem(writer, key, suffix, outdir, real_outdir, pages)
        if problem is None:
            target_problem = value_problem(target)
            if target_problem is None:
                page = _target_page(target)
                if page is not None and _fold(page) not in pages and page not in redirects:
                    target_problem = "is not a page the site builds"
            if target_problem:
                problem = f"-> {target!r}: the target {target_problem}"
        if problem:
            logger.warning(
                "%s: redirect %r %s; it is not written",
                FILENAME if key in locations else source,
                key,
                problem,
                type="journal",
                subtype="redirects",
                location=locations.get(key) if isinstance(key, str) else None,
            )
            continue
        kept[key] = target
    if len(kept) != len(redirects):
        app.config._journal_all_redirects = redirects
        app.config.redirects = kept
    return []


def _page_problem(
    writer: Any, key: str, suffix: str, outdir: Path, real_outdir: Path, pages: dict[str, str]
) -> str | None:
    """Why the page sphinx-reredirects would write for *key* must not be written, or None."""
    out = writer(key, suffix)
    path = outdir.joinpath(*out).with_suffix(suffix)
    real = path.resolve()
    if not real.is_relative_to(real_outdir) or real == real_outdir:
        return f"would write {real}, outside the output folder {real_outdir}"
    relative = path.relative_to(outdir).as_posix()
    if relative.split("/", 1)[0] in SPHINX_FOLDERS:
        return f"would write {relative}, in a folder Sphinx fills itself"
    for name in {_fold(relative), _fold(real.relative_to(real_outdir).as_posix())}:
        if name in pages:
            return f"would replace {relative}, {pages[name]}"
    return None


def restore_redirects(app: Sphinx) -> list[Any]:
    """``html-collect-pages``, after sphinx-reredirects: the configuration as ``conf.py`` gave it."""
    original = app.config.__dict__.pop("_journal_all_redirects", None)
    if original is not None:
        app.config.redirects = original
    return []

"""Incremental builds that write exactly what a clean build would, and no more.

Sphinx rewrites a page when its own source changed. A journal's pages also show
other posts: every sidebar lists recent posts, tags, categories and archives;
each post's prev/next bar names its neighbours; the home page and the journal
index list excerpts; ABlog's archive pages list posts. So after reading:

* the *blog shape* (every post's title, date, labels and front matter) is
  compared with the previous build's; when it changed, every page is rewritten
  (its sidebar or prev/next bar may name the changed post);
* otherwise, when what listings show of a post changed (its excerpt, reading time or
  image), the pages holding a post listing are rewritten (``env-updated`` returns
  them, no page is re-read);
* ABlog's archive pages carry a fingerprint of everything they show; one whose
  fingerprint and output file are unchanged is not generated again
  (:func:`archive_pages_to_write`, used by :mod:`journal.upstream.ablog`).

Editing a post's body therefore rewrites that post (and the feeds), not the site.

A build that does not finish (Ctrl-C, a crash) leaves outputs that Sphinx's environment
no longer describes: Sphinx pickles the environment after reading and before writing, so
pages it meant to write next, and ``searchindex.js``, may be missing or old while the
environment says they are up to date. Every build therefore records, as its very last step,
that it finished and which environment pickle its output goes with
(:func:`finish_build`); a build that finds no such record for the environment it loaded
(:func:`start_build`) rewrites every page (reading only what changed) and trusts none of
our fingerprints and rendering caches. Our state files are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Set
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TypeVar, cast
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.application import ENV_PICKLE_FILENAME, Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

if TYPE_CHECKING:
    from sphinx.builders.html import StandaloneHTMLBuilder

from journal.contract.pagination import is_later_page
from journal.state import (
    doc_set,
    images_of,
    links_of,
    notes_of,
    posts_of,
    reading_of,
    swap_blog_state,
    wikilink_resolutions_of,
)
from journal.upstream.ablog_state import Blog, PostList, post_infos, register_posts, remember

PageTuple = tuple[str, dict[str, Any], str]
FINGERPRINTS_FILE = "journal-pages.json"
#: Written when a build has finished: the environment pickle and output folder it went with.
FINISHED_FILE = "journal-finished.json"
#: Fingerprints of the site's one-off generated pages (the series page, the map, 404): :func:`site_page_unchanged`.
SITE_PAGES_FILE = "journal-site-pages.json"
T = TypeVar("T")


def _html(app: Sphinx) -> StandaloneHTMLBuilder:
    """The builder, as the HTML builder these steps only run for (``app.builder.format == "html"``)."""
    return cast("StandaloneHTMLBuilder", app.builder)


# --- values computed once per build -------------------------------------------

_BUILD_VALUES: WeakKeyDictionary[BuildEnvironment, dict[str, Any]] = WeakKeyDictionary()


def once_per_build(env: BuildEnvironment, name: str, compute: Callable[[], T]) -> T:
    """*compute()* on first use after reading, then the same value for the rest of the build:
    what depends only on what was read (the posts, the toctree) is the same for every page."""
    values = _BUILD_VALUES.setdefault(env, {})
    if name not in values:
        values[name] = compute()
    value: T = values[name]
    return value


def forget_build_values(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``, before any other handler: reading is over, compute everything again."""
    _BUILD_VALUES.pop(env, None)


def digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def blog_shape(env: BuildEnvironment) -> str:
    """Digest of what every page may show of the posts: titles, dates, labels, front matter."""
    return once_per_build(env, "blog_shape", lambda: _blog_shape(env))


def _blog_shape(env: BuildEnvironment) -> str:
    return digest(sorted(post_rows(env).items()))


def post_rows(env: BuildEnvironment) -> dict[str, tuple[Any, ...]]:
    """docname -> what other pages may show of the post (ABlog's titles, dates and labels, and
    our front matter): the rows of :func:`blog_shape`, one per post."""
    return once_per_build(env, "post_rows", lambda: _post_rows(env))


def _post_rows(env: BuildEnvironment) -> dict[str, tuple[Any, ...]]:
    rows: dict[str, list[Any]] = {}
    for docname, infos in post_infos(env).items():
        for info in infos:
            labels = tuple(tuple(info[key]) for key in ("tags", "category", "author", "location", "language"))
            rows.setdefault(docname, []).append(
                (info["section"], info["title"], _iso(info["date"]), _iso(info["update"]), labels)
            )
    metas = posts_of(env)
    return {docname: (tuple(rows.get(docname, ())), repr(metas.get(docname))) for docname in rows.keys() | metas.keys()}


#: Key of the excerpt's digest in ABlog's data of a post (it travels with that data).
EXCERPT_DIGEST = "journal_excerpt_digest"


def remember_excerpt_digest(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after every handler that sets the excerpt (ABlog, the post contract,
    :mod:`journal.upstream.ablog`): digest it once, when the post is read, not on every build."""
    for info in post_infos(app.env).get(app.env.docname, []):
        remember(info, EXCERPT_DIGEST, digest([node.pformat() for node in info["excerpt"]]))


def excerpt_digests(env: BuildEnvironment) -> dict[str, str]:
    """docname -> digest of the post's excerpt as ABlog will render it in listings."""
    return once_per_build(env, "excerpt_digests", lambda: _excerpt_digests(env))


def _excerpt_digests(env: BuildEnvironment) -> dict[str, str]:
    return {docname: digest([info[EXCERPT_DIGEST] for info in infos]) for docname, infos in post_infos(env).items()}


def navigation_shape(env: BuildEnvironment) -> str:
    """Digest of the toctree (the book theme's navigation on every page) and its titles."""
    includes = sorted((doc, tuple(children)) for doc, children in env.toctree_includes.items())
    titled = {doc for _, children in includes for doc in children} | {env.config.root_doc}
    titles = sorted((doc, env.titles[doc].astext()) for doc in titled if doc in env.titles)
    return digest((includes, titles))


# --- which pages to rewrite ---------------------------------------------------


def pages_to_rewrite(
    app: Sphinx, env: BuildEnvironment, shape_changed: Callable[[], Iterable[str]] | None = None
) -> list[str]:
    """Pages whose content depends on posts that changed elsewhere (every page after a build
    that did not finish: its pages may be missing or old, see :func:`start_build`).

    When the blog shape changed, the pages *shape_changed()* names (every page without it):
    :mod:`journal.pages.dependents` knows which pages show what of the posts.
    """
    shape, listed = blog_shape(env), listing_digests(env)
    previous = swap_blog_state(env, (shape, listed))
    _BUILD_VALUES.setdefault(env, {})[SHAPE_CHANGED] = previous is None or previous[:1] != (shape,)
    if previous_build_unfinished(app):
        return sorted(env.found_docs)
    if previous is None or len(previous) != 2:
        return []  # first build (or an older state): everything is written anyway
    if shape != previous[0]:
        return sorted(env.found_docs if shape_changed is None else set(shape_changed()) | listing_pages(env))
    if listed != previous[1]:
        return sorted(listing_pages(env))
    return []


def listing_digests(env: BuildEnvironment) -> dict[str, str]:
    """docname -> digest of what listings show of a post beyond the blog shape: the excerpt
    (postlists, cards), the reading time and the feature image (cards). An edit below the
    excerpt that leaves the reading time alone rewrites no listing."""
    reading, images = reading_of(env), images_of(env)
    return {
        docname: digest((excerpt, getattr(reading.get(docname), "minutes", None), repr(images.get(docname))))
        for docname, excerpt in excerpt_digests(env).items()
    }


def listing_pages(env: BuildEnvironment) -> set[str]:
    return ListingPagesCollector.pages(env) | {env.config.root_doc}


def mark_listing_page(env: BuildEnvironment, docname: str) -> None:
    """Declare (while reading *docname*) that it lists posts: it is rewritten whenever a post changes."""
    ListingPagesCollector.pages(env).add(docname)


class PagesHoldingCollector(EnvironmentCollector):
    """Remembers which pages hold a ``node_class`` node, in ``env.<attribute>`` (a set of docnames),
    right across incremental and parallel reads. Subclasses name the node and the attribute."""

    node_class: type[nodes.Node]
    attribute: str

    @classmethod
    def pages(cls, env: BuildEnvironment) -> set[str]:
        return doc_set(env, cls.attribute)

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        self.pages(env).discard(docname)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
        self.pages(env).update(docnames & self.pages(other))

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if next(iter(doctree.findall(self.node_class)), None) is not None:
            self.pages(app.env).add(app.env.docname)

    def pages_if_changed(
        self, env: BuildEnvironment, current: object, swap: Callable[[BuildEnvironment, Any], object]
    ) -> list[str]:
        """Every page holding the node when *current* (what they show) differs from the last
        build's, which *swap* returns as it stores *current*; else none."""
        return sorted(self.pages(env)) if swap(env, current) != current else []


class ListingPagesCollector(PagesHoldingCollector):
    """Pages holding a ``postlist`` (they show other posts' excerpts)."""

    node_class = PostList
    attribute = "journal_listing_pages"


# --- archive pages: generate only what changed --------------------------------


def posts_on_page(context: dict[str, Any]) -> Iterator[Any]:
    """The ABlog posts an archive page's *context* lists."""
    if "collection" in context:
        yield from context["collection"]
    for collection in context.get("catalog") or ():
        yield from collection
    if "post" in context:
        yield context["post"]


def shows_excerpts(context: dict[str, Any]) -> bool:
    """The page renders its posts' excerpts: not a compact archive page (rows of dates and titles)."""
    return not context.get("journal_compact")


def page_fingerprint(app: Sphinx, site_digest: str, excerpts: dict[str, str], page: PageTuple) -> str:
    pagename, context, template = page
    posts = sorted({post.docname for post in posts_on_page(context)})
    shown = {key: str(value) for key, value in context.items() if isinstance(value, (str, int, bool))}
    excerpts = excerpts if shows_excerpts(context) else {}
    return digest((site_digest, pagename, template, sorted(shown.items()), [(p, excerpts.get(p)) for p in posts]))


def shared_page_fingerprint(app: Sphinx, base_digest: str, page: PageTuple) -> str:
    """The fingerprint of a listing's page 2, 3, … without its sidebar widgets: what it shows of
    each of its posts (row; excerpt, reading time and feature image; the titles its links show),
    not the whole blog's shape, nor the post's version: an edit below the excerpt that leaves
    the reading time alone rewrites no listing page."""
    pagename, context, template = page
    env, rows = app.env, post_rows(app.env)
    posts = sorted({post.docname for post in posts_on_page(context)})
    shown = {key: str(value) for key, value in context.items() if isinstance(value, (str, int, bool))}
    listed: list[tuple[str, str | None, object, str | None]]
    if shows_excerpts(context):
        cards = listing_digests(env)
        listed = [(p, cards.get(p), rows.get(p), render_version(env, p)[1]) for p in posts]
    else:  # compact rows: what the rows show (title, date, tags) is all
        listed = [(p, None, rows.get(p), None) for p in posts]
    return digest((base_digest, pagename, template, sorted(shown.items()), listed))


def is_shared_listing_page(env: BuildEnvironment, pagename: str) -> bool:
    """*pagename* is a listing's page 2, 3, … (no source document): it shows its folder's widgets
    (:mod:`journal.speed.widgets`), so when only they changed it is spliced, not written."""
    return pagename not in env.found_docs and is_later_page(pagename)


def listing_splices(app: Sphinx) -> list[PageTuple]:
    """The listing pages :func:`archive_pages_to_write` left unwritten although the widgets may
    have changed (the blog shape did): :mod:`journal.speed.splice` gives them the new ones."""
    found: list[PageTuple] = _BUILD_VALUES.get(app.env, {}).get(LISTING_SPLICES, [])
    return found


#: Build values: the blog shape changed since the previous build; listing pages to splice.
SHAPE_CHANGED, LISTING_SPLICES = "blog_shape_changed", "listing_splices"


def site_digest(app: Sphinx) -> str:
    """What every generated page depends on beyond its own posts."""
    return once_per_build(app.env, "site_digest", lambda: _site_digest(app))


def _site_digest(app: Sphinx) -> str:
    return digest((blog_shape(app.env), listing_base_digest(app)))


def listing_base_digest(app: Sphinx) -> str:
    """:func:`site_digest` but the blog shape: what a listing's page 2, 3, … depends on beyond
    its posts and its widgets."""
    return once_per_build(app.env, "listing_base_digest", lambda: _listing_base_digest(app))


def _listing_base_digest(app: Sphinx) -> str:
    env = app.env
    templates = app.builder.templates.newest_template_mtime() if hasattr(app.builder, "templates") else None
    shape = (navigation_shape(env), _config_hash(app), templates, note_dates(env))
    return digest((*shape, wikilink_targets(env)))


def note_dates(env: BuildEnvironment) -> list[str]:
    """Every note's last update: a year archive's study heatmap counts them (journal.pages.heatmap)."""
    return sorted(str(meta.updated) for meta in notes_of(env).values() if meta.updated)


def render_digest(app: Sphinx) -> str:
    """What every rendered post fragment depends on: the configuration and where wikilinks land
    (the titles a fragment's links show are in :func:`render_version`)."""
    return once_per_build(app.env, "render_digest", lambda: _render_digest(app))


def _render_digest(app: Sphinx) -> str:
    return digest((_config_hash(app), wikilink_targets(app.env)))


def render_version(env: BuildEnvironment, docname: str) -> tuple[int, str]:
    """What a rendered fragment of *docname* depends on besides :func:`render_digest`: the post's
    version and what its links show of other pages (their titles), so that adding or retitling
    a post renders again only the fragments that link to it."""
    versions: dict[str, tuple[int, str]] = once_per_build(env, "render_versions", dict)
    if docname not in versions:
        versions[docname] = (content_version(env, docname), digest(_linked(env, docname)))
    return versions[docname]


def _linked(env: BuildEnvironment, docname: str) -> list[Any]:
    std = env.domains.standard_domain
    shown: list[Any] = []
    for link in links_of(env).get(docname, ()):
        if link.kind == "doc":
            shown.append((link.target, _title(env, link.target)))
        elif link.kind == "label":
            entry = std.labels.get(link.target) or std.anonlabels.get(link.target)
            shown.append((link.target, entry, _title(env, entry[0]) if entry else None))
        else:  # terms, wikilinks: every title, as before
            shown.append(once_per_build(env, "all_titles", lambda: digest(sorted(_titles(env)))))
    return shown


def _title(env: BuildEnvironment, docname: str) -> str | None:
    title = env.titles.get(docname)
    return title.astext() if title is not None else None


def _titles(env: BuildEnvironment) -> Iterator[tuple[str, str]]:
    return ((doc, title.astext()) for doc, title in env.titles.items())


def wikilink_targets(env: BuildEnvironment) -> list[tuple[str, list[tuple[str, Any]]]]:
    """Where every page's wikilinks land (journal.content.wikilinks): an excerpt shows them, and a
    heading's anchor may change while every title stays."""
    return sorted((doc, sorted(found.items())) for doc, found in wikilink_resolutions_of(env).items())


def _config_hash(app: Sphinx) -> tuple[str, str] | None:
    build_info = getattr(app.builder, "build_info", None)
    return (build_info.config_hash, build_info.tags_hash) if build_info else None


def archive_pages_to_write(app: Sphinx, pages: Iterable[PageTuple]) -> Iterator[PageTuple]:
    """Yield the pages of *pages* that must be (re)written; remember every page's fingerprint.

    Pages that are gone are deleted and the fingerprints stored before the first page is
    yielded: the store always names every page that may be on disk. After a build that did not
    finish, no fingerprint is trusted (its pages may be half written), but its pages are known.
    """
    store = Path(app.doctreedir) / FINGERPRINTS_FILE
    try:
        previous: dict[str, str] = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    trusted = {} if previous_build_unfinished(app) else previous
    current: dict[str, str] = {}
    to_write: list[PageTuple] = []
    to_splice: list[PageTuple] = _BUILD_VALUES.setdefault(app.env, {}).setdefault(LISTING_SPLICES, [])
    widgets_changed = _BUILD_VALUES[app.env].get(SHAPE_CHANGED, True)
    digest, base, excerpts = site_digest(app), listing_base_digest(app), excerpt_digests(app.env)
    for page in pages:
        shared = is_shared_listing_page(app.env, page[0])
        if shared:
            fingerprint = shared_page_fingerprint(app, base, page)
        else:
            fingerprint = page_fingerprint(app, digest, excerpts, page)
        current[page[0]] = fingerprint
        output = Path(_html(app).get_outfilename(page[0]))
        if trusted.get(page[0]) != fingerprint or not output.is_file():
            to_write.append(page)
        elif shared and widgets_changed:
            to_splice.append(page)
    outdir = Path(app.outdir).resolve()
    for stale in set(previous) - set(current):
        output = Path(_html(app).get_outfilename(stale))
        if output.resolve().is_relative_to(outdir):  # the store is a file on disk: never trust it further
            output.unlink(missing_ok=True)
    write_atomically(store, json.dumps(current, sort_keys=True, indent=0).encode("utf-8"))
    yield from to_write


# --- the site's one-off generated pages: generate only what changed ------------------------


def site_page_unchanged(app: Sphinx, pagename: str, shows: Any) -> bool:
    """*pagename*, a page generated at ``html-collect-pages`` that shows the sidebars and what
    *shows* holds (beyond :func:`site_digest`: the site's posts, navigation, configuration and
    templates), is on disk as a finished build wrote it from the same inputs, and need not be
    written again. The fingerprint is recorded either way (``journal-site-pages.json``), and
    the page is one of :func:`site_pages` for the sitemap."""
    store = once_per_build(app.env, "site_pages", lambda: _site_pages_store(app))
    fingerprint = digest((site_digest(app), pagename, shows))
    trusted = store["trusted"].get(pagename) == fingerprint
    store["current"][pagename] = fingerprint
    write_atomically(Path(app.doctreedir) / SITE_PAGES_FILE, json.dumps(store["current"], sort_keys=True).encode())
    return trusted and Path(_html(app).get_outfilename(pagename)).is_file()


def site_pages(app: Sphinx) -> list[str]:
    """The one-off pages generated in this build (written or left as they were)."""
    store: dict[str, dict[str, str]] = _BUILD_VALUES.get(app.env, {}).get("site_pages", {"current": {}})
    return sorted(store["current"])


def _site_pages_store(app: Sphinx) -> dict[str, dict[str, str]]:
    try:
        previous: dict[str, str] = json.loads((Path(app.doctreedir) / SITE_PAGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    # After a build that did not finish, no page is trusted (it may have stopped before writing one).
    return {"trusted": {} if previous_build_unfinished(app) else previous, "current": {}}


def filled_blog(app: Sphinx) -> Blog:
    """ABlog's ``Blog`` with every post registered (what ABlog itself does before reading its catalogs)."""
    blog = Blog(app)
    if not blog:
        register_posts(app)
    return blog


def register_blog(app: Sphinx, env: BuildEnvironment) -> None:
    """Fill ABlog's ``Blog`` right after reading: ABlog only does it when it resolves a page, so a
    build that rewrites no post page (a no-change rebuild) rendered the index pages' sidebars empty."""
    filled_blog(app)


def remove_deleted_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: a deleted or renamed source takes its old page with it, as in a clean build."""
    if app.builder.format == "html":
        for docname in removed:
            Path(_html(app).get_outfilename(docname)).unlink(missing_ok=True)
    return []


# --- state kept between builds (beside the doctrees) -------------------------------


def load_state(app: Sphinx, name: str) -> dict[str, Any]:
    """What the previous build stored under *name*, or ``{}`` (first build, or unreadable).

    Only what is valid whatever the environment is belongs here (keyed by file stamps or by
    the post versions of :func:`content_version`); see :func:`previous_build_unfinished`.
    """
    try:
        with (Path(app.doctreedir) / f"journal-{name}.pickle").open("rb") as stream:
            state = pickle.load(stream)  # noqa: S301 - our own file in the doctree folder
    except Exception:  # a cache: whatever is wrong with it (truncated, old classes), start afresh
        return {}
    return state if isinstance(state, dict) else {}


def save_state(app: Sphinx, name: str, state: dict[str, Any]) -> None:
    """Store *state* under *name*, atomically: an interrupted build leaves the previous file.
    Pickled straight into the file: the feed items' state alone is megabytes at 1,000 posts,
    which ``pickle.dumps`` would hold in memory once more at the build's peak."""
    path = Path(app.doctreedir) / f"journal-{name}.pickle"
    write_atomically(path, lambda stream: pickle.dump(state, stream, pickle.HIGHEST_PROTOCOL))


def write_atomically(path: Path, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Write *data* (or what a function writes into the stream) to a temporary file beside
    *path*, then rename it to *path*: readers (and the next build, after an interrupt) see the
    old file or the new one, never part of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # One name per process (parallel writing processes may store the same file), created with
    # the usual permissions (tempfile's are private to the user).
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                data(stream)
        temporary.replace(path)  # os.replace: atomic within one folder
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --- builds that did not finish -------------------------------------------------------


class BuildStart(NamedTuple):
    unfinished: bool  # the previous build did not finish with the environment this one loaded
    environment: tuple[int, int, int] | None  # the environment pickle's stat when this build started
    digest: str | None  # and its digest


_STARTS: WeakKeyDictionary[Sphinx, BuildStart] = WeakKeyDictionary()


def start_build(app: Sphinx) -> None:
    """``builder-inited`` (the environment was just loaded), first: did the previous build finish
    with this environment? Then forget that it did, until this one has finished too.

    From here on a build changes its output and the environment pickle: Sphinx may write the
    new ``.buildinfo`` right away, deletes removed pages, pickles the environment after
    reading and writes pages, then ``searchindex.js``, then extension files at ``build-finished``.
    """
    marker = Path(app.doctreedir) / FINISHED_FILE
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = None
    stat, digest = _environment_stat(app), _environment_digest(app)
    _STARTS[app] = BuildStart(recorded != _finished_record(app, digest), stat, digest)
    marker.unlink(missing_ok=True)


def previous_build_unfinished(app: Sphinx | None) -> bool:
    """The previous build was interrupted (or failed, or wrote elsewhere, or there was none):
    the output may not be what the loaded environment describes."""
    start = _STARTS.get(app) if app is not None else None
    return start is None or start.unfinished


def finish_build(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, after every other writer: record that the output is complete and goes
    with the environment pickle now on disk (pickled by this build, or loaded unchanged)."""
    start = _STARTS.get(app)
    if exception is not None or start is None:
        return
    digest = start.digest if _environment_stat(app) == start.environment else _environment_digest(app)
    write_atomically(Path(app.doctreedir) / FINISHED_FILE, json.dumps(_finished_record(app, digest)).encode("utf-8"))


def _finished_record(app: Sphinx, environment_digest: str | None) -> dict[str, str | None]:
    # The output folder relative to the doctrees: a project moved or copied whole stays finished.
    outdir = os.path.relpath(Path(app.outdir).resolve(), Path(app.doctreedir).resolve())
    return {"environment": environment_digest, "outdir": outdir, "builder": app.builder.name}


def _environment_stat(app: Sphinx) -> tuple[int, int, int] | None:
    try:
        status = (Path(app.doctreedir) / ENV_PICKLE_FILENAME).stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def _environment_digest(app: Sphinx) -> str | None:
    try:
        with (Path(app.doctreedir) / ENV_PICKLE_FILENAME).open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


class RenderedCache:
    """Values rendered from posts (HTML fragments, feed entries), kept between builds beside the
    doctrees in ``journal-<name>.pickle``, per post version.

    A value depends on its post (re-read => new version, stamped by Sphinx in the environment),
    the titles its links show (:func:`render_version`) and :func:`render_digest` (configuration);
    the file is loaded on first use (ignored after a build that did not finish) and written,
    atomically, at ``build-finished`` of a build without error, only when something was
    rendered. ``start`` and ``save`` are the ``env-updated`` and ``build-finished`` handlers.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.app: Sphinx | None = None
        self.stamp = ""
        self.values: dict[tuple[Any, ...], Any] | None = None
        self.added = False

    def start(self, app: Sphinx, env: BuildEnvironment) -> None:
        self.app, self.stamp, self.values, self.added = app, render_digest(app), None, False

    def loaded(self) -> dict[tuple[Any, ...], Any]:
        if self.values is None:
            # After a build that did not finish, start afresh (see previous_build_unfinished).
            fresh = self.app is None or previous_build_unfinished(self.app)
            state = {} if fresh or self.app is None else load_state(self.app, self.name)
            self.values = state.get("fragments", {}) if state.get("stamp") == self.stamp else {}
        return self.values

    def get(self, docname: str, key: tuple[Any, ...], render: Callable[[], T]) -> T:
        """The value for *docname* and *key* at the post's current version, rendered when missing."""
        assert self.app is not None, "started at env-updated"
        values = self.loaded()
        full_key = (docname, *key, render_version(self.app.env, docname))
        if full_key not in values:
            values[full_key] = render()
            self.added = True
        value: T = values[full_key]
        return value

    def new_since(self, known: set[tuple[Any, ...]]) -> dict[tuple[Any, ...], Any]:
        """The values rendered since *known* (sent back by a writing process)."""
        return {key: value for key, value in self.loaded().items() if key not in known}

    def merge(self, rendered: dict[tuple[Any, ...], Any]) -> None:
        if rendered:
            self.loaded().update(rendered)
            self.added = True

    def save(self, app: Sphinx, exception: Exception | None) -> None:
        """Store the values of the posts' current versions, if this build rendered any."""
        if exception is not None or not self.added or self.values is None:
            return
        valid = {key: value for key, value in self.values.items() if key[-1] == render_version(app.env, key[0])}
        save_state(app, self.name, {"stamp": self.stamp, "fragments": valid})


def content_version(env: BuildEnvironment, docname: str) -> int:
    """Changes whenever *docname* is read again (Sphinx stamps each read in ``env.all_docs``)."""
    return int(env.all_docs.get(docname, 0))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_env_collector(ListingPagesCollector)
    # env_version: environments pickled before the excerpt digest was kept are read again.
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}

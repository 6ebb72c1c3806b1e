"""지식 지도: the map of the garden (``map.html``) and each note's local graph.

**Why static SVG laid out at build time, not a vendored graph library.** A library such as
Cytoscape.js or sigma.js is 100-400 KB of script before the data, lays the graph out in the
reader's browser (a different picture on each visit unless seeded, and a blank page without
JavaScript), and would have to be vendored, licensed and kept up to date by hand. The map
instead is drawn by :mod:`journal.pages.gardengraph`'s radial layout (O(n), no randomness), so
the page is plain HTML + SVG: the same bytes every build, readable offline and without
JavaScript, styled by the site's CSS variables (dark mode comes free). ``_static/journal-map.js``
(~2 KB, loaded by the map page only) adds what needs a script: zoom and pan (the SVG's
``viewBox``) and the tag filter (classes on the nodes and on the list beside the drawing).

**What the map shows at scale.** Every note and every tag; posts up to ``journal_map_posts``
(100): all of them on a small journal, else the posts linked with another page first, then the
newest. The others are counted on their tags (``글 N편``) and in a sentence above the map; each
tag node links to its archive, where every post is. At 1,000 posts the page stays far under the
250 KB budget (README, Speed).

**Incremental builds.** The map page is collected (``html-collect-pages``) and written on every
build. A note's local graph depends on other pages' links and titles: after reading (``env-updated``) the
local graphs of all notes are compared with the previous build's (``journal_map_state``) and the
notes whose graph changed are rewritten, as :mod:`journal.content.backlinks` does for backlinks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from journal.content.backlinks import Resolver
from journal.content.notes import doc_title, tag_archive
from journal.pages import gardengraph as gg
from journal.speed.incremental import once_per_build, site_page_unchanged
from journal.state import links_of, notes_of, posts_of, swap_map_state

#: Where the map is written.
MAP_PAGE = "map"
MAP_TEMPLATE = "journal/garden-map.html"


# --- the graph, from what the build read --------------------------------------------


def site_pages(env: BuildEnvironment) -> dict[str, gg.Page]:
    """The notes and published posts of the site, as the map knows them."""
    pages: dict[str, gg.Page] = {}
    for docname, note in sorted(notes_of(env).items()):
        if docname in env.all_docs:
            pages[docname] = gg.Page(docname, "note", doc_title(env, docname), tuple(note.tags))
    for docname, post in sorted(posts_of(env).items()):
        if docname in env.all_docs and post.date is not None and not post.draft:
            pages[docname] = gg.Page(docname, "post", doc_title(env, docname), tuple(post.tags), post.date.isoformat())
    return pages


def site_links(env: BuildEnvironment, pages: dict[str, gg.Page]) -> dict[str, set[str]]:
    """docname -> the pages of *pages* it links to, resolved as :mod:`journal.content.backlinks` does."""
    resolver = Resolver(env)
    found: dict[str, set[str]] = {}
    for source, links in sorted(links_of(env).items()):
        if source not in pages:
            continue
        targets = {target for link in links if (target := resolver.page(link)) in pages and target != source}
        if targets:
            found[source] = targets
    return found


def garden(app: Sphinx) -> gg.Graph:
    """The map's graph, once per build."""
    return once_per_build(app.env, "garden_graph", lambda: _garden(app))


def _garden(app: Sphinx) -> gg.Graph:
    pages = site_pages(app.env)
    return gg.build_graph(pages, site_links(app.env, pages), app.config.journal_map_posts)


def full_neighbours(app: Sphinx) -> tuple[dict[str, tuple[str, ...]], dict[str, gg.Page]]:
    """Page links of every page (not only those drawn on the map), for the local graphs."""
    return once_per_build(app.env, "garden_neighbours", lambda: _full_neighbours(app))


def _full_neighbours(app: Sphinx) -> tuple[dict[str, tuple[str, ...]], dict[str, gg.Page]]:
    pages = site_pages(app.env)
    graph = gg.build_graph(pages, site_links(app.env, pages), len(pages))
    return graph.neighbours, pages


# --- views for the templates -----------------------------------------------------------


@dataclass(frozen=True)
class NodeView:
    key: str
    kind: str
    title: str
    docname: str | None  # the page a click opens (a tag: its archive, when it has one)
    x: float
    y: float
    tag_ids: str  # "t0 t3": the filter's classes
    tags: tuple[str, ...]
    links: tuple[tuple[str, str | None], ...]  # (title, docname) of linked pages, either way
    posts: int = 0

    @property
    def kind_label(self) -> str:
        return gg.KIND_LABELS[self.kind]

    @property
    def radius(self) -> int:
        return {"note": 12, "post": 8, "tag": 10}[self.kind]


@dataclass(frozen=True)
class EdgeView:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: str  # "link" or "tag"
    ends: str  # "3 17": the indices of its two nodes (hidden with either)


@dataclass(frozen=True)
class MapView:
    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]
    tags: tuple[tuple[str, str, int], ...]  # (id, name, posts)
    counts: dict[str, int]
    left_out: int
    size: float = gg.SIZE


def map_view(app: Sphinx, graph: gg.Graph, places: dict[str, tuple[float, float]]) -> MapView:
    tags = sorted(node.tags[0] for node in graph.nodes if node.kind == "tag")
    tag_ids = {tag: f"t{index}" for index, tag in enumerate(tags)}
    by_key = {node.key: node for node in graph.nodes}
    views = {node.key: _node_view(app, graph, node, by_key, tag_ids, places) for node in graph.nodes}
    edges = _edges(views, graph.links, "link") + _edges(views, graph.tag_edges, "tag")
    counts = {kind: sum(1 for node in graph.nodes if node.kind == kind) for kind in gg.KINDS}
    options = tuple((tag_ids[tag], tag, by_key[gg.tag_key(tag)].posts) for tag in tags)
    return MapView(tuple(views.values()), tuple(edges), options, counts, graph.left_out)


def _node_view(
    app: Sphinx,
    graph: gg.Graph,
    node: gg.Node,
    by_key: dict[str, gg.Node],
    tag_ids: dict[str, str],
    places: dict[str, tuple[float, float]],
) -> NodeView:
    linked = tuple((by_key[key].title, key) for key in graph.neighbours.get(node.key, ()))
    x, y = places[node.key]
    ids = " ".join(tag_ids[tag] for tag in node.tags)
    return NodeView(node.key, node.kind, node.title, _target(app, node), x, y, ids, node.tags, linked, node.posts)


def _target(app: Sphinx, node: gg.Node) -> str | None:
    return tag_archive(app, node.tags[0]) if node.kind == "tag" else node.key


def _edges(views: dict[str, NodeView], pairs: Iterable[tuple[str, str]], kind: str) -> list[EdgeView]:
    """Lines between the nodes of *pairs*; a node's index is its place in *views*."""
    index = {key: number for number, key in enumerate(views)}
    return [EdgeView(views[a].x, views[a].y, views[b].x, views[b].y, kind, f"{index[a]} {index[b]}") for a, b in pairs]


@dataclass(frozen=True)
class LocalView:
    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]
    size: float = gg.LOCAL_SIZE


def local_members(app: Sphinx, docname: str) -> tuple[tuple[str, int], ...]:
    neighbours, pages = full_neighbours(app)
    return gg.local_graph(neighbours, {d: p.tags for d, p in pages.items()}, docname)


def local_view(app: Sphinx, docname: str) -> LocalView | None:
    """The local graph of note *docname*: nothing when it has no links and no tags."""
    members = local_members(app, docname)
    if len(members) < 2:
        return None
    neighbours, pages = full_neighbours(app)
    places = gg.local_layout(members)
    keys = {key for key, _ in members}
    views = {key: _local_node(app, key, pages, places) for key, _ in members}
    links = sorted({(a, b) for a in keys for b in neighbours.get(a, ()) if b in keys and a < b})
    tagged = [(d, t) for d in sorted(keys & pages.keys()) for t in _tag_keys(pages[d]) if t in keys]
    return LocalView(tuple(views.values()), tuple(_edges(views, links, "link") + _edges(views, tagged, "tag")))


def _tag_keys(page: gg.Page) -> list[str]:
    return [gg.tag_key(tag) for tag in page.tags]


def _local_node(app: Sphinx, key: str, pages: dict[str, gg.Page], places: dict[str, tuple[float, float]]) -> NodeView:
    x, y = places[key]
    page = pages.get(key)
    if page is None:  # a tag
        tag = key.removeprefix("tag:")
        return NodeView(key, "tag", tag, tag_archive(app, tag), x, y, "", (tag,), ())
    return NodeView(key, page.kind, page.title, key, x, y, "", page.tags, ())


# --- Sphinx events ------------------------------------------------------------------------------


def collect_map_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the map page (unless a source page already has its name)."""
    if app.builder.format != "html" or MAP_PAGE in app.env.found_docs:
        return
    graph = garden(app)  # the map is drawn from it alone (the layout is a function of it)
    page = (MAP_PAGE, {"title": "지식 지도", "parents": []}, MAP_TEMPLATE)
    drawn = (graph.nodes, graph.links, graph.tag_edges, graph.left_out, sorted(graph.neighbours.items()))
    if not site_page_unchanged(app, MAP_PAGE, (page, drawn)):
        yield page


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: the map's data on the map page, a note's local graph on a note."""
    if app.builder.format != "html":
        return
    if pagename == MAP_PAGE and templatename == MAP_TEMPLATE:
        graph = garden(app)
        context["journal_map"] = map_view(app, graph, gg.layout(graph))
    elif doctree is not None and pagename in notes_of(app.env):
        context["journal_local_graph"] = local_view(app, pagename)


def notes_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the notes whose local graph (members, titles, tags) changed."""
    _, pages = full_neighbours(app)
    state = {d: _local_state(app, d, pages) for d in sorted(notes_of(env)) if d in env.all_docs}
    before = swap_map_state(env, state)
    if not isinstance(before, dict):
        return []  # first build (everything is written) or an environment from before the map
    return sorted(d for d in state if state[d] != before.get(d))


def _local_state(app: Sphinx, docname: str, pages: dict[str, gg.Page]) -> tuple[Any, ...]:
    members = local_members(app, docname)
    neighbours, _ = full_neighbours(app)
    keys = {key for key, _ in members}
    shown = tuple((key, distance, pages.get(key)) for key, distance in members)
    return (shown, tuple(sorted((a, b) for a in keys for b in neighbours.get(a, ()) if b in keys)))

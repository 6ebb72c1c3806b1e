"""The garden as a graph, laid out for the map (pure: no Sphinx; :mod:`journal.pages.gardenmap` feeds it).

Nodes are notes, posts and tags; edges are links between pages (whichever way they point:
a backlink is the same edge seen from its target) and "page carries tag" (two pages sharing a
tag meet at the tag's node, as in Quartz's graph).

The layout is radial and O(n), so it stays instant and byte-for-byte the same at 1,000 posts:
tags sit on a circle in name order; a page sits between its tags (the centroid of their places,
drawn towards the middle), and the pages of one cluster (the same tag set) spread on a small
golden-angle spiral around that point; untagged pages spiral around the centre. No random
numbers, no iteration to converge, coordinates rounded to one decimal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: Kinds of nodes, in the order the list shows them.
KINDS = ("note", "post", "tag")
KIND_LABELS = {"note": "노트", "post": "글", "tag": "태그"}
#: Size of the map's square drawing, in SVG units (the viewBox).
SIZE = 1000.0
TAG_RING = 400.0  # radius of the circle of tags
PULL = 0.3  # how far a page moves from its tags' centroid towards the centre
SPREAD = 24.0  # distance between neighbours of a cluster's spiral
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class Page:
    """What the map knows of a note or a post."""

    docname: str
    kind: str  # "note" or "post"
    title: str
    tags: tuple[str, ...] = ()
    order: str = ""  # posts: ISO date (newest first when posts are left out); notes: ""


@dataclass(frozen=True, order=True)
class Node:
    kind: str
    title: str
    key: str  # a page's docname, or "tag:<name>"
    tags: tuple[str, ...] = ()  # a page's tags; a tag's own name
    posts: int = 0  # a tag: how many posts carry it (shown or not)


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    links: tuple[tuple[str, str], ...]  # (source key, target key) between pages, as written
    tag_edges: tuple[tuple[str, str], ...]  # (page key, tag key)
    left_out: int = 0  # posts not drawn (counted on their tags)
    neighbours: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)  # page links, either way


def tag_key(tag: str) -> str:
    return f"tag:{tag}"


def chosen_posts(pages: Mapping[str, Page], links: Mapping[str, set[str]], limit: int) -> set[str]:
    """The posts the map draws: all of them up to *limit*; beyond, the posts linked with another
    page first, then the newest, until *limit*."""
    posts = sorted((p for p in pages.values() if p.kind == "post"), key=lambda p: (p.order, p.docname), reverse=True)
    if len(posts) <= limit:
        return {post.docname for post in posts}
    linked = {d for source, targets in links.items() for d in (source, *targets)}
    ranked = sorted(posts, key=lambda p: p.docname not in linked)  # stable: newest first within each group
    return {post.docname for post in ranked[:limit]}


def build_graph(pages: Mapping[str, Page], links: Mapping[str, set[str]], limit: int) -> Graph:
    """The map's graph of *pages* (docname -> :class:`Page`) and their *links* (docname -> targets)."""
    drawn = chosen_posts(pages, links, limit)
    shown = {d: p for d, p in pages.items() if p.kind == "note" or d in drawn}
    counts: dict[str, int] = {}
    for page in pages.values():
        for tag in page.tags:
            counts.setdefault(tag, 0)
            counts[tag] += page.kind == "post"
    tags = {tag for page in shown.values() for tag in page.tags}
    nodes = [Node(p.kind, p.title, d, p.tags) for d, p in shown.items()]
    nodes += [Node("tag", tag, tag_key(tag), (tag,), counts[tag]) for tag in tags]
    page_links = sorted(
        {(s, t) for s, targets in links.items() for t in targets if s in shown and t in shown and s != t}
    )
    tag_edges = sorted((d, tag_key(tag)) for d, p in shown.items() for tag in p.tags)
    graph = Graph(tuple(sorted(nodes, key=_node_order)), tuple(page_links), tuple(tag_edges), len(pages) - len(shown))
    graph.neighbours.update(_neighbours(page_links))
    return graph


def _node_order(node: Node) -> tuple[int, str, str]:
    return (KINDS.index(node.kind), node.title, node.key)


def _neighbours(links: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for source, target in links:
        found.setdefault(source, set()).add(target)
        found.setdefault(target, set()).add(source)
    return {key: tuple(sorted(values)) for key, values in sorted(found.items())}


# --- layout ---------------------------------------------------------------------


def layout(graph: Graph) -> dict[str, tuple[float, float]]:
    """key -> (x, y) in a ``SIZE`` x ``SIZE`` square: the radial layout described above."""
    tags = sorted(node.tags[0] for node in graph.nodes if node.kind == "tag")
    centre = SIZE / 2
    places: dict[str, tuple[float, float]] = {}
    for index, tag in enumerate(tags):
        angle = 2 * math.pi * index / max(len(tags), 1) - math.pi / 2
        places[tag_key(tag)] = (centre + TAG_RING * math.cos(angle), centre + TAG_RING * math.sin(angle))
    clusters: dict[tuple[str, ...], list[Node]] = {}
    for node in graph.nodes:
        if node.kind != "tag":
            clusters.setdefault(tuple(sorted(node.tags)), []).append(node)
    for cluster_tags, members in sorted(clusters.items()):
        anchor = _anchor([places[tag_key(tag)] for tag in cluster_tags], centre)
        for index, node in enumerate(members):
            places[node.key] = _spiral(anchor, index + (0 if cluster_tags else 1))
    return {key: (round(x, 1), round(y, 1)) for key, (x, y) in sorted(places.items())}


def _anchor(points: list[tuple[float, float]], centre: float) -> tuple[float, float]:
    if not points:
        return (centre, centre)
    x = sum(p[0] for p in points) / len(points)
    y = sum(p[1] for p in points) / len(points)
    return (x + (centre - x) * PULL, y + (centre - y) * PULL)


def _spiral(anchor: tuple[float, float], index: int) -> tuple[float, float]:
    radius = SPREAD * math.sqrt(index)
    angle = index * GOLDEN_ANGLE
    return (anchor[0] + radius * math.cos(angle), anchor[1] + radius * math.sin(angle))


# --- the local graph of one page ----------------------------------------------------

LOCAL_SIZE = 400.0  # room for the labels of the outer ring
LOCAL_RINGS = (0.0, 80.0, 135.0)
LOCAL_LIMIT = 24  # nodes at most, the nearest first


def local_graph(
    neighbours: Mapping[str, tuple[str, ...]], tags: Mapping[str, tuple[str, ...]], centre: str
) -> tuple[tuple[str, int], ...]:
    """(key, distance) of the pages within two links of *centre* (either way) and of its tags (1),
    nearest first then by key, at most ``LOCAL_LIMIT`` including *centre* itself (0)."""
    found = {centre: 0}
    ring = [centre]
    for distance in (1, 2):
        ring = sorted({n for key in ring for n in neighbours.get(key, ()) if n not in found})
        found.update((key, distance) for key in ring)
    found.update((tag_key(tag), 1) for tag in tags.get(centre, ()) if tag_key(tag) not in found)
    ordered = sorted(found.items(), key=lambda item: (item[1], item[0]))
    return tuple(ordered[:LOCAL_LIMIT])


def local_layout(members: tuple[tuple[str, int], ...]) -> dict[str, tuple[float, float]]:
    """key -> (x, y): the centre in the middle, each distance on its own ring, evenly spaced."""
    middle = LOCAL_SIZE / 2
    places: dict[str, tuple[float, float]] = {}
    for distance, radius in enumerate(LOCAL_RINGS):
        ring = [key for key, d in members if d == distance]
        offset = distance * 0.5  # rings start at different angles, so labels overlap less
        for index, key in enumerate(ring):
            angle = 2 * math.pi * (index + offset) / max(len(ring), 1) - math.pi / 2
            places[key] = (round(middle + radius * math.cos(angle), 1), round(middle + radius * math.sin(angle), 1))
    return places

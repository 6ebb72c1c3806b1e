"""The map of the garden (map.html) and the notes' local graphs (journal.pages.gardenmap, gardengraph).

* the layout and the choice of posts, as pure functions;
* the sample site's map against its sources, read here without Sphinx: the nodes are its notes,
  published posts and tags, the links are the {doc}/{ref}/Markdown links between them, and the
  list beside the drawing holds the same nodes;
* in Chromium: a click on a node opens its page, the tag filter hides the rest, no sideways
  scroll on a phone, dark mode, axe-core without serious or critical violations;
* incremental builds (a link added, a tag changed) write what a clean build writes, and -j 2
  what a serial one writes;
* the map page's weight at 1,000 posts.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from buildsite import (
    NOW,
    ROOT,
    Build,
    browser_session,
    make_project,
    output_files,
    post_date,
    post_source,
    serve,
    source_posts,
    sphinx_build,
    workspace,
)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
MAP_BUDGET = 250 * 1024  # no HTML page over 250 KB at 1,000 posts (README, Speed)


# --- pure: the graph and its layout ------------------------------------------------------------


def test_layout_is_deterministic_and_inside_the_drawing():
    from journal.pages import gardengraph as gg

    pages = {
        f"p{i}": gg.Page(f"p{i}", "post", f"글 {i}", (f"t{i % 3}",), f"2025-01-{i + 1:02d}") for i in range(20)
    } | {"n": gg.Page("n", "note", "노트", ())}
    graph = gg.build_graph(pages, {"p1": {"n"}}, limit=100)
    first, second = gg.layout(graph), gg.layout(gg.build_graph(dict(reversed(pages.items())), {"p1": {"n"}}, 100))
    assert first == second
    assert set(first) == {node.key for node in graph.nodes}
    assert all(0 <= x <= gg.SIZE and 0 <= y <= gg.SIZE for x, y in first.values())
    assert len(set(first.values())) == len(first), "no two nodes on the same spot"


def test_beyond_the_limit_linked_posts_come_first_then_the_newest():
    from journal.pages import gardengraph as gg

    pages = {f"p{i}": gg.Page(f"p{i}", "post", f"글 {i}", ("t",), f"2025-01-{i + 1:02d}") for i in range(10)}
    pages["n"] = gg.Page("n", "note", "노트", ("t",))
    graph = gg.build_graph(pages, {"p0": {"n"}}, limit=3)
    assert {node.key for node in graph.nodes if node.kind == "post"} == {"p0", "p9", "p8"}
    assert graph.left_out == 7
    assert [node.posts for node in graph.nodes if node.kind == "tag"] == [10], "a tag counts every post"


def test_local_graph_reaches_two_links_either_way_and_the_page_tags():
    from journal.pages import gardengraph as gg

    neighbours = {"a": ("b",), "b": ("a", "c"), "c": ("b", "d"), "d": ("c",)}
    members = gg.local_graph(neighbours, {"a": ("x",)}, "a")
    assert members == (("a", 0), ("b", 1), ("tag:x", 1), ("c", 2))
    places = gg.local_layout(members)
    assert places["a"] == (gg.LOCAL_SIZE / 2, gg.LOCAL_SIZE / 2)


# --- the sample site's map against its sources ----------------------------------------------------


def front_matter(text: str) -> dict[str, object]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(match.group(1)) or {} if match else {}


def source_notes(root: Path = ROOT) -> dict[str, tuple[str, list[str]]]:
    """docname -> (title, tags) of every note: a page under notes/ other than an index."""
    notes = {}
    for path in sorted((root / "notes").rglob("*.md")):
        if path.name == "index.md":
            continue
        text = path.read_text(encoding="utf-8")
        meta = front_matter(text)
        heading = re.search(r"^# (.+)$", text, re.M)
        title = str(meta.get("title") or (heading.group(1).strip() if heading else path.stem))
        notes[path.relative_to(root).with_suffix("").as_posix()] = (title, [str(t) for t in meta.get("tags") or []])
    return notes


def published_posts(root: Path = ROOT) -> dict[str, tuple[str, list[str]]]:
    return {
        p.docname: (p.title, p.labels("tags")) for p in source_posts(root) if not p.is_draft and post_date(p) <= NOW
    }


DOC_ROLE = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")
REF_ROLE = re.compile(r"\{ref\}`(?:[^`<]*<)?([^`>]+)>?`")
MD_LINK = re.compile(r"\]\(([^)#\s]+)\.md(?:#[^)]*)?\)")
LABEL = re.compile(r"^\(([^)]+)\)=\s*$", re.M)
WIKILINK = re.compile(r"(?<![!\\])\[\[([^\]|#]+)")


def wikilink_target(target: str, titles: dict[str, str]) -> str | None:
    """The page a ``[[target]]`` names: by path, by title, or by file name (code is not told apart:
    a ``[[x]]`` in a code block names no page)."""
    names = {posixpath.basename(d): d for d in titles}
    return target if target in titles else {t: d for d, t in titles.items()}.get(target) or names.get(target)


def source_links(root: Path, pages: dict[str, str]) -> set[frozenset[str]]:
    """Links between *pages* (docname -> title), read from the Markdown sources, as unordered pairs."""
    texts = {d: (root / f"{d}.md").read_text(encoding="utf-8") for d in pages}
    labels = {label: d for d, text in texts.items() for label in LABEL.findall(text)}
    pairs = set()
    for docname, text in texts.items():
        folder = posixpath.dirname(docname)
        targets = [t.lstrip("/") if t.startswith("/") else posixpath.join(folder, t) for t in DOC_ROLE.findall(text)]
        targets += [posixpath.join(folder, t) for t in MD_LINK.findall(text)]
        targets += [labels[label] for label in REF_ROLE.findall(text) if label in labels]
        targets += [t for w in WIKILINK.findall(text) if (t := wikilink_target(w.strip(), pages))]
        pairs |= {frozenset((docname, posixpath.normpath(t))) for t in targets}
    return {pair for pair in pairs if len(pair) == 2 and pair <= pages.keys()}


def page_of(build: Build, page: Path, href: str) -> str:
    target = (page.parent / href.split("#")[0]).resolve().relative_to(build.outdir.resolve())
    return target.with_suffix("").as_posix()


def map_drawing(build: Build) -> dict[str, tuple[str, str]]:
    """The SVG's nodes: label -> (kind, the page a click opens or "")."""
    page = build.path("map.html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    nodes = {}
    for node in soup.select("svg.journal-map__svg .journal-map__node"):
        href = node.get("href")
        nodes[node.select_one("title").get_text()] = (node["data-kind"], page_of(build, page, href) if href else "")
    return nodes


def map_list(build: Build) -> dict[tuple[str, str], set[str]]:
    """The accessible list: (kind, title) -> the pages its links name."""
    page = build.path("map.html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    items = {}
    for item in soup.select("ul.journal-map__list > li"):
        title = item.select_one(".journal-map__title").get_text()
        links = {page_of(build, page, a["href"]) for a in item.select(".journal-map__links a")}
        items[(item["data-kind"], str(title).strip())] = links
    return items


def test_map_nodes_are_the_sites_notes_posts_and_tags(site: Build):
    notes, posts = source_notes(), published_posts()
    tags = {tag for _, page_tags in [*notes.values(), *posts.values()] for tag in page_tags}
    listed = map_list(site)
    expected = {("note", t) for t, _ in notes.values()} | {("post", t) for t, _ in posts.values()}
    expected |= {("tag", tag) for tag in tags}
    assert set(listed) == expected
    drawn = map_drawing(site)
    assert len(drawn) == len(expected)
    assert {(kind, target) for kind, target in drawn.values() if kind != "tag"} == {
        *(("note", d) for d in notes),
        *(("post", d) for d in posts),
    }, "each page node opens its page"
    assert all(target.startswith("blog/tag/") for kind, target in drawn.values() if kind == "tag")


def test_map_links_are_the_links_between_pages(site: Build):
    notes, posts = source_notes(), published_posts()
    titles = {title: d for d, (title, _) in [*notes.items(), *posts.items()]}
    expected = source_links(ROOT, {d: title for title, d in titles.items()})
    assert expected, "the sample notes link to each other and to posts"
    listed = {
        frozenset((titles[title], target))
        for (kind, title), targets in map_list(site).items()
        if kind != "tag"
        for target in targets
    }
    assert listed == expected
    soup = site.html("map")
    drawn_links = soup.select("svg.journal-map__svg .journal-map__edge--link")
    assert len(drawn_links) >= len(expected)  # a pair linked both ways is two lines
    tag_lines = soup.select("svg.journal-map__svg .journal-map__edge--tag")
    assert len(tag_lines) == sum(len(t) for _, t in [*notes.values(), *posts.values()])


def test_the_map_is_linked_from_every_page_and_loads_its_script_alone(site: Build):
    home = site.html("index")
    assert home.select_one(".journal-map-link a")["href"] == "map.html"
    assert site.html("posts/2025/04-26-devstack").select_one(".journal-map-link a")["href"] == "../../map.html"
    assert site.html("map").select_one('script[src$="journal-map.js"]') is not None
    assert home.select_one('script[src*="journal-map"]') is None, "the script is the map page's only"


def test_each_note_shows_its_local_graph(site: Build):
    page = site.path("notes/dev-env/devstack.html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    graph = soup.select_one("nav.journal-local-graph")
    assert graph is not None
    nodes = graph.select(".journal-map__node")
    assert "journal-map__node--current" in nodes[0]["class"]
    opened = {page_of(site, page, a["href"]) for a in graph.select("a.journal-map__node")}
    notes, posts = source_notes(), published_posts()
    neighbours = {
        next(iter(pair - {"notes/dev-env/devstack"}))
        for pair in source_links(ROOT, {d: t for d, (t, _) in [*notes.items(), *posts.items()]})
        if "notes/dev-env/devstack" in pair
    }
    assert neighbours and neighbours <= opened, "every page one link away is in the local graph"
    assert {f"blog/tag/{tag}" for tag in notes["notes/dev-env/devstack"][1]} <= opened


# --- in the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def map_url(site: Build):
    with serve(site.outdir) as url:
        yield url + "map.html"


@pytest.mark.browser
def test_a_click_on_a_node_opens_its_page(map_url: str):
    with browser_session() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(map_url)
        node = page.locator("svg .journal-map__node--note", has_text="DevStack 설치 정리").first
        node.click()
        page.wait_for_url("**/notes/dev-env/devstack.html")
        assert page.locator("h1").first.inner_text().startswith("DevStack 설치 정리")


@pytest.mark.browser
def test_the_tag_filter_hides_the_other_nodes(map_url: str):
    with browser_session() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(map_url)
        page.wait_for_selector(".journal-map__controls:not([hidden])")
        devstack = page.eval_on_selector(
            ".journal-map__tag", "s => [...s.options].find(o => o.text.startsWith('devstack ')).value"
        )
        page.select_option(".journal-map__tag", devstack)
        visible = "ns => ns.filter(n => n.getBoundingClientRect().width > 0).map(n => n.dataset.tags)"
        shown = page.eval_on_selector_all("svg .journal-map__node", visible)
        assert shown and all(devstack in tags.split() for tags in shown)
        hidden = page.eval_on_selector_all("svg .journal-map__node.journal-map--hidden", "ns => ns.length")
        assert hidden > 0
        items = page.eval_on_selector_all(".journal-map__item", "ls => ls.filter(l => l.offsetParent !== null).length")
        assert items == len(shown), "the list shows the same nodes as the drawing"
        page.uncheck(".journal-map__posts")
        kinds = page.eval_on_selector_all(
            "svg .journal-map__node:not(.journal-map--hidden)", "ns => ns.map(n => n.dataset.kind)"
        )
        assert "post" not in kinds and kinds
        page.click("[data-zoom=in]")
        assert page.eval_on_selector("svg.journal-map__svg", "s => s.viewBox.baseVal.width") < 1000


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_map_reads_on_a_phone_in_both_schemes_and_passes_axe(site: Build, map_url: str, scheme: str):
    if not AXE.is_file():
        pytest.skip("axe-core is missing: run `npm ci`")
    with browser_session() as browser:
        for url in (map_url, map_url.replace("map.html", "notes/dev-env/devstack.html")):
            page = browser.new_page(viewport={"width": 375, "height": 812}, color_scheme=scheme)
            page.goto(url)
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
            if scheme == "dark":
                mode = page.evaluate("document.documentElement.dataset.theme")
                assert mode == "dark"
                fill = page.eval_on_selector(".journal-map__node text", "t => getComputedStyle(t).fill")
                assert fill != "rgb(0, 0, 0)", "labels are light on the dark background"
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async () => (await axe.run(document)).violations"
                ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.nodes[0].target)"
            )
            assert violations == [], url
            page.close()


# --- incremental and parallel builds --------------------------------------------------------------

INDEX = """# 시험 일지

```{toctree}
:glob:
:hidden:

posts/*/*
notes/*
```
"""
A, B = "posts/2025/04-12-a.md", "posts/2025/04-13-b.md"
N, M, L = "notes/n.md", "notes/m.md", "notes/l.md"


def garden() -> dict[str, str]:
    """Post A -> note N -> note M; note L alone; B tagged like N."""
    return {
        A: post_source("글 A", "2025-04-12 10:00:00", "{doc}`/notes/n` 참고.", tags="[openstack]"),
        B: post_source("글 B", "2025-04-13 10:00:00", "혼자 있는 글.", tags="[git]"),
        N: "---\ntags: [openstack]\n---\n# 노트 N\n\n{doc}`m`와 함께.\n",
        M: "# 노트 M\n\n끝.\n",
        L: "---\ntags: [linux]\n---\n# 노트 L\n\n아직 링크가 없다.\n",
    }


def edit(path: Path, text: str) -> None:
    import os
    import time

    path.write_text(text, encoding="utf-8")
    later = time.time() + 2
    os.utime(path, (later, later))


def strict(project: Path, out: str, args: list[str] | None = None) -> Build:
    build = sphinx_build(project, project / "_build" / out, args=args)
    assert build.returncode == 0, build.output[-4000:]
    assert build.warnings == []
    return build


def local_graphs(build: Build) -> dict[str, str]:
    graphs = {}
    for page in build.pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        graphs[page.relative_to(build.outdir).as_posix()] = str(soup.select_one("nav.journal-local-graph"))
    return graphs


@pytest.mark.slow
def test_incremental_builds_rewrite_the_map_and_the_local_graphs(tmp_path: Path):
    project = make_project(tmp_path / "src", garden(), index=INDEX)
    strict(project, "html")
    steps = [
        ("L links M", lambda: edit(project / L, "---\ntags: [linux]\n---\n# 노트 L\n\n{doc}`m` 참고.\n")),
        (
            "B takes a tag of N",
            lambda: edit(project / B, post_source("글 B", "2025-04-13 10:00:00", "글.", tags="[openstack]")),
        ),
        ("M is renamed", lambda: edit(project / M, "# 노트 M2\n\n끝.\n")),
    ]
    for number, (step, change) in enumerate(steps):
        change()
        incremental = strict(project, "html")
        clean_copy = tmp_path / f"clean{number}" / "src"  # the same folder name: no page differs by its path
        shutil.copytree(project, clean_copy, ignore=shutil.ignore_patterns("_build"))
        clean = strict(clean_copy, "html")
        mine, theirs = output_files(incremental.outdir), output_files(clean.outdir)
        assert sorted(mine) == sorted(theirs), step
        assert mine["map.html"] == theirs["map.html"], step
        assert local_graphs(incremental) == local_graphs(clean), step
        if step != "M is renamed":  # a new title reaches other pages' navigation only in a clean build (Sphinx)
            assert [name for name in theirs if mine[name] != theirs[name]] == [], step
    local = BeautifulSoup(incremental.path("notes/n.html").read_text(encoding="utf-8"), "html.parser")
    assert "노트 M2 (노트)" in [t.get_text() for t in local.select("nav.journal-local-graph title")]
    assert "노트 L (노트)" in [t.get_text() for t in local.select("nav.journal-local-graph title")], "two links away"


@pytest.mark.slow
def test_parallel_build_writes_the_same_map(tmp_path: Path):
    project = make_project(tmp_path / "src", garden(), index=INDEX)
    serial, parallel = strict(project, "serial"), strict(project, "parallel", ["-j", "2"])
    assert serial.path("map.html").read_bytes() == parallel.path("map.html").read_bytes()
    assert serial.path("notes/n.html").read_bytes() == parallel.path("notes/n.html").read_bytes()


# --- weight at 1,000 posts -------------------------------------------------------------------------


@pytest.mark.slow
def test_map_page_stays_light_at_1000_posts(tmp_path_factory: pytest.TempPathFactory):
    import gzip

    src = workspace(tmp_path_factory.mktemp("thousand") / "src", 1000)
    build = sphinx_build(src, src / "_build" / "html", args=["-j", "2"])
    assert build.returncode == 0, build.output[-4000:]
    page = build.path("map.html").read_bytes()
    assert len(page) < MAP_BUDGET, f"map.html is {len(page)} bytes"
    script = (build.outdir / "_static" / "journal-map.js").read_bytes()
    assert len(gzip.compress(page)) + len(gzip.compress(script)) < 60 * 1024
    soup = BeautifulSoup(page, "html.parser")
    posts = soup.select("ul.journal-map__list > li[data-kind=post]")
    assert len(posts) == 100, "journal_map_posts posts drawn"
    assert re.search(r"\d+편은 지도에 그리지 않았습니다", soup.select_one(".journal-map__summary").get_text())
    notes = BeautifulSoup(build.path("notes/dev-env/devstack.html").read_bytes(), "html.parser")
    assert len(notes.select("nav.journal-local-graph .journal-map__node")) <= 24

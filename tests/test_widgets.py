"""Sidebar widgets rendered once per output folder (journal.speed.widgets) give the pages that
rendering them on every page gives, and are shared only by the pages they cannot tell apart."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from buildsite import Build, make_project, post_source, sphinx_build
from journal.speed.widgets import WidgetCache

#: 2024: four posts; 2025: seven. The five newest (2025) are in ABlog's recent-posts widget.
POSTS = {
    f"posts/{year}/{month:02d}-01-p{year}{month:02d}.md": post_source(
        f"{year}년 {month}월의 글",
        date=f"{year}-{month:02d}-01 10:00:00",
        tags=["[openstack]", "[회고]", "[openstack, python]"][month % 3],
        category=["기여", "회고"][month % 2],
    )
    for year, months in [(2024, range(3, 7)), (2025, range(1, 8))]
    for month in months
}
LISTED_POST = "posts/2024/04-01-p202404"  # in the home page's toctree: the navigation marks it
NEWEST = [f"posts/2025/{m:02d}-01-p2025{m:02d}" for m in range(7, 2, -1)]
INDEX = f"""# 위젯 시험

```{{toctree}}
:maxdepth: 1

{LISTED_POST}
about
```

{{postcards}}
"""
PAGES = {**POSTS, "about.md": "# 소개\n\n소개 글입니다.\n"}


def html_pages(build: Build) -> dict[str, bytes]:
    return {p.relative_to(build.outdir).as_posix(): p.read_bytes() for p in build.pages()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    src = make_project(tmp_path_factory.mktemp("widgets") / "src", PAGES, index=INDEX)
    # two posts a page: the listings' pages 2, 3, … share their folder's widgets too
    paged = ["-D", "journal_listing_page_size=2", "-D", "journal_archive_page_size=2"]
    cached = sphinx_build(src, src.parent / "cached", args=paged)
    uncached = sphinx_build(src, src.parent / "uncached", args=[*paged, "-D", "journal_widget_cache=0"])
    for build in (cached, uncached):
        assert build.returncode == 0, build.output[-3000:]
        assert build.warnings == []
    return cached, uncached


def test_cached_widgets_give_the_same_pages(builds: tuple[Build, Build]):
    cached, uncached = builds
    with_cache, without = html_pages(cached), html_pages(uncached)
    assert sorted(with_cache) == sorted(without)
    assert [name for name in without if with_cache[name] != without[name]] == []
    # the widgets are really there, on a page that shares them and on one that does not
    assert "blog/page/3.html" in with_cache and "blog/tag/openstack/page/2.html" in with_cache
    for page in ["posts/2024/03-01-p202403", NEWEST[0], "blog/tag/openstack", "blog/tag/openstack/page/2"]:
        html = cached.html(page)
        assert html.select(".ablog__tagcloud li a") and html.select(".ablog__recentposts li a")
        assert html.select(".ablog__categories li a") and html.select(".ablog__archives li a")
        assert html.select("nav.bd-docs-nav a.reference")


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A widget showing the page it was rendered for: shared pages show their folder's first page."""
    src = make_project(tmp_path_factory.mktemp("probe") / "src", PAGES, index=INDEX)
    (src / "_templates" / "probe.html").write_text("{{ pagename }}", encoding="utf-8")
    (src / "_templates" / "probe-widget.html").write_text(
        '<p class="probe">{{ journal_widget("probe.html") }}</p>', encoding="utf-8"
    )
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nhtml_sidebars["**"].append("probe-widget.html")\n')
    build = sphinx_build(src, src.parent / "html")
    assert build.returncode == 0, build.output[-3000:]
    return build


def rendered_for(build: Build, page: str) -> str:
    return build.html(page).select_one("p.probe").get_text()


def test_only_posts_the_widgets_cannot_tell_apart_share_them(probed: Build):
    ordinary = sorted(name.removesuffix(".md") for name in POSTS)
    for special in [LISTED_POST, *NEWEST]:
        ordinary.remove(special)
    assert ordinary == [
        "posts/2024/03-01-p202403",
        "posts/2024/05-01-p202405",
        "posts/2024/06-01-p202406",
        "posts/2025/01-01-p202501",
        "posts/2025/02-01-p202502",
    ]
    for folder in ["posts/2024", "posts/2025"]:
        shared = {rendered_for(probed, page) for page in ordinary if page.startswith(folder)}
        assert len(shared) == 1 and shared.pop().startswith(folder), "one rendering per folder"
    for page in [LISTED_POST, *NEWEST, "index", "about", "blog/tag/openstack", "blog/category/기여", "blog/2024"]:
        assert rendered_for(probed, page) == page, "a page the widgets link to renders its own"


def test_every_page_renders_each_widget_once_however_often_the_theme_asks():
    """The theme renders every sidebar template twice (once to drop empty ones): a page's
    widget is rendered on the first call; ordinary pages share one rendering per folder."""
    rendered: list[tuple[str, str]] = []

    def render(template: str, context: dict) -> str:
        rendered.append((template, context["pagename"]))
        return f"<{template}>"

    builder = SimpleNamespace(templates=SimpleNamespace(render=render), get_target_uri=lambda page: f"{page}.html")
    app = SimpleNamespace(config=SimpleNamespace(journal_widget_cache=True), builder=builder)
    cache = WidgetCache({"posts/2024/a", "posts/2024/b"})
    for page in ["posts/2024/a", "posts/2024/b", "index", "blog/tag/x"]:
        widget = cache.widget_function(app, page, {"pagename": page})
        for _ in range(2):
            # each between the comments journal.speed.splice finds it by
            assert widget("nav.html") == "<!-- journal-widget nav.html --><nav.html><!-- /journal-widget -->"
            assert widget("tags.html") == "<!-- journal-widget tags.html --><tags.html><!-- /journal-widget -->"
    assert sorted(rendered) == sorted(
        (template, page) for page in ["posts/2024/a", "index", "blog/tag/x"] for template in ["nav.html", "tags.html"]
    )

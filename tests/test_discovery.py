"""Discovery on real builds: feed autodiscovery and subscribe link, sitemap, OpenGraph, 404, robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

from buildsite import BASE, PUBLISHED, Build, local_file, make_project, post_date, post_source, sphinx_build
from journal.site import served_path

FEED_TYPES = {"application/rss+xml", "application/atom+xml"}


def alternates(site: Build, pagename: str) -> list[Path]:
    page = site.html(pagename)
    links = [link for link in page.select('link[rel="alternate"]') if link.get("type") in FEED_TYPES]
    return [(site.path(pagename + ".html").parent / unquote(link["href"])).resolve() for link in links]


def tag_page(site: Build, label: str) -> str:
    for link in site.html("blog/tag").select("div.ablog__catalog_header h2 a"):
        if link.get_text(strip=True) == label:
            target = (site.path("blog/tag.html").parent / unquote(link["href"])).resolve()
            return target.relative_to(site.outdir).with_suffix("").as_posix()
    raise AssertionError(f"no tag page for {label}")


@pytest.mark.parametrize("pagename", ["index", "posts/2025/04-12-ossca-start", "about"])
def test_pages_link_the_site_wide_feeds(site: Build, pagename: str):
    feeds = alternates(site, pagename)
    assert feeds == [site.path("blog/rss.xml").resolve(), site.path("blog/atom.xml").resolve()]


def test_tag_page_also_links_its_own_feeds(site: Build):
    pagename = tag_page(site, "openstack")
    feeds = alternates(site, pagename)
    assert len(feeds) == 4
    assert feeds[:2] == [site.path("blog/rss.xml").resolve(), site.path("blog/atom.xml").resolve()]
    assert [p.name for p in feeds[2:]] == ["rss.xml", "atom.xml"]
    for path in feeds:
        assert path.is_file(), path


def test_no_page_links_a_feed_that_does_not_exist(site: Build):
    for page in site.pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select('link[rel="alternate"]'):
            if link.get("type") in FEED_TYPES and not link["href"].startswith("/"):
                assert (page.parent / unquote(link["href"])).is_file(), (page, link["href"])


def test_sidebar_has_a_visible_subscribe_link(site: Build):
    page = site.html("index")
    link = next(a for a in page.select(".bd-sidebar-primary a") if a.get_text(strip=True) == "구독 (RSS)")
    assert (site.path("index.html").parent / link["href"]).resolve() == site.path("blog/rss.xml").resolve()


def sitemap_urls(site: Build) -> set[str]:
    root = ET.parse(site.path("sitemap.xml")).getroot()
    return {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}


def test_sitemap_lists_exactly_the_published_pages(site: Build):
    urls = sitemap_urls(site)
    for url in urls:
        assert local_file(site, url).is_file(), url
    listed = {local_file(site, url).relative_to(site.outdir).as_posix() for url in urls}
    left_out = {"search.html", "genindex.html", "404.html", "blog/drafts.html"}
    pages = {p.relative_to(site.outdir).as_posix() for p in site.pages()}
    assert listed == pages - left_out
    assert {f"{p.docname}.html" for p in PUBLISHED} <= listed
    assert not left_out & listed


def test_robots_txt_points_at_the_sitemap(site: Build):
    text = site.path("robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in text.splitlines()
    assert "User-agent: *" in text


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_post_page_has_opengraph_and_twitter_meta(site: Build):
    post = next(p for p in PUBLISHED if p.docname == "posts/2025/04-12-ossca-start")
    page = site.html(post.docname)
    assert meta(page, "og:title") == post.title
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:url") == f"{BASE}{post.docname}.html"
    first_paragraph = post.path.read_text(encoding="utf-8").split("---\n", 2)[2].strip().split("\n\n")[0]
    assert meta(page, "og:description") == first_paragraph
    assert meta(page, "article:published_time") == post_date(post).isoformat() == "2025-04-12T00:00:00+09:00"
    assert meta(page, "twitter:card")


def test_post_with_feature_image_has_an_absolute_og_image(site: Build):
    with_image = [p for p in PUBLISHED if p.front_matter.get("image")]
    assert with_image, "the sample site has a post with a feature image"
    for post in with_image:
        page = site.html(post.docname)
        image = meta(page, "og:image")
        assert image and image.startswith(BASE), (post.docname, image)
        assert local_file(site, image).is_file()
        assert meta(page, "twitter:card") == "summary_large_image"


def test_home_page_is_a_website_not_an_article(site: Build):
    page = site.html("index")
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:url") == f"{BASE}index.html"


def root_links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    values = [tag.get("href") or tag.get("src") for tag in soup.find_all(["a", "link", "img", "script"])]
    return [v for v in values if v and not urlparse(v).scheme and not v.startswith(("#", "//", "mailto:", "data:"))]


def assert_404_works_under(site: Build, prefix: str) -> None:
    page = site.html("404")
    assert page.select_one("article h1").get_text(strip=True) == "페이지를 찾을 수 없습니다"
    links = root_links(site.path("404.html"))
    assert any(urlparse(link).path.endswith("_static/styles/journal-bundle.css") for link in links)  # the stylesheet
    for link in links:
        assert link.startswith(prefix), link
        target = site.outdir / unquote(urlparse(link).path[len(prefix) :])
        assert target.is_file() or (target / "index.html").is_file(), link


def test_404_page_works_when_served_from_the_root(site: Build):
    assert_404_works_under(site, "/")


@pytest.fixture(scope="module")
def on_read_the_docs(tmp_path_factory: pytest.TempPathFactory) -> Build:
    src = make_project(tmp_path_factory.mktemp("rtd") / "src", {"posts/2025/04-12-first.md": post_source("첫 글")})
    env = {"READTHEDOCS": "True", "READTHEDOCS_CANONICAL_URL": "https://journal.readthedocs.io/ko/latest/"}
    build = sphinx_build(src, src.parent / "html", env=env)
    assert build.returncode == 0, build.output[-5000:]
    return build


def test_404_page_works_under_the_read_the_docs_prefix(on_read_the_docs: Build):
    assert_404_works_under(on_read_the_docs, "/ko/latest/")


def test_read_the_docs_url_reaches_feeds_sitemap_and_robots(on_read_the_docs: Build):
    base = "https://journal.readthedocs.io/ko/latest/"
    assert f"<link>{base}posts/2025/04-12-first.html</link>" in on_read_the_docs.path("blog/rss.xml").read_text()
    assert f"{base}posts/2025/04-12-first.html" in sitemap_urls(on_read_the_docs)
    assert f"Sitemap: {base}sitemap.xml" in on_read_the_docs.path("robots.txt").read_text()
    assert "feeds use html_baseurl" not in on_read_the_docs.output


def test_served_path():
    assert served_path("https://x.readthedocs.io/ko/latest/", {"READTHEDOCS_CANONICAL_URL": "https://x"}) == (
        "/ko/latest/"
    )
    assert served_path("https://x.readthedocs.io/ko/latest/", {}) == "/"
    assert served_path("http://localhost:8000", {"JOURNAL_BASEURL": "http://localhost:8000"}) == "/"

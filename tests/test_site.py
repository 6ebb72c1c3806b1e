"""The sample site, built once: pages, listings, archives, drafts and links."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from urllib.parse import quote, unquote

import pytest
from bs4 import BeautifulSoup

from buildsite import Build, archive_titles, internal_targets, post_date, source_posts, titles_by_label, walk_listing

PUBLISHED = [post for post in source_posts() if not post.is_draft]
CATALOG_POSTS = 3  # a catalog page shows each label's three newest posts (README, "Archives")
DRAFTS = [post for post in source_posts() if post.is_draft]


def as_date(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]


def test_sample_content_is_big_enough():
    assert len(PUBLISHED) >= 8
    assert len({as_date(p.front_matter["date"]).month for p in PUBLISHED}) >= 4
    assert len({tag for p in PUBLISHED for tag in p.labels("tags")}) >= 6
    assert len({c for p in PUBLISHED for c in p.labels("category")}) >= 2
    assert DRAFTS, "the sample site keeps one draft, to prove drafts never leak"


def test_build_is_strict_and_clean(site: Build):
    assert site.warnings == []


def test_every_published_post_has_a_page(site: Build):
    for post in PUBLISHED:
        page = site.html(post.docname)
        assert page.find("h1").get_text(strip=True).rstrip("#") == post.title


def listed_posts(page: BeautifulSoup) -> list[tuple[str, str]]:
    """(title, text of the item) for each post of an ABlog ``postlist`` on *page*."""
    items = page.select("ul.postlist > li.ablog-post")
    return [(item.select_one("a").get_text(strip=True), item.get_text(" ", strip=True)) for item in items]


def test_journal_index_lists_every_post_newest_first_with_date_and_tags(site: Build):
    expected = sorted(PUBLISHED, key=lambda p: p.front_matter["date"], reverse=True)
    listed = listed_posts(site.html("posts/index"))
    assert [title for title, _ in listed] == [p.title for p in expected]
    for (_, text), post in zip(listed, expected, strict=True):
        date = as_date(post.front_matter["date"])
        assert f"{date.year}년 {date.month}월 {date.day}일" in text  # Korean dates (journal.korean.dates)
        for tag in post.labels("tags"):
            assert tag in text


def test_home_page_shows_the_latest_posts(site: Build):
    newest = sorted(PUBLISHED, key=lambda p: p.front_matter["date"], reverse=True)[:6]
    cards = site.html("index").select("ul.journal-cards > li.journal-card .journal-card-title a")
    assert [a.get_text(strip=True) for a in cards] == [p.title for p in newest]


def archive_sections(site: Build, catalog: str) -> dict[str, list[str]]:
    """Label -> titles listed under it, in order, read from ABlog's catalog page (e.g. ``blog/tag``)."""
    page = site.html(catalog)
    sections: dict[str, list[str]] = {}
    for header in page.select("div.ablog__catalog_header"):
        label = header.select_one("h2 a").get_text(strip=True)
        sections[label] = [a.get_text(strip=True) for a in header.select(".ablog__catalog_post a")]
    return sections


def collection_titles(site: Build, catalog: str, label: str) -> set[str]:
    """Titles on every page of one label's archive, found by following the catalog's link and rel=next."""
    headers = site.html(catalog).select("div.ablog__catalog_header h2 a")
    link = next((a for a in headers if a.get_text(strip=True) == label), None)
    assert link is not None, f"{catalog} links no archive for {label!r}"
    first = (site.path(catalog + ".html").parent / unquote(link["href"])).resolve()
    titles: set[str] = set()
    for listing in walk_listing(first):
        page = BeautifulSoup(listing.path.read_text(encoding="utf-8"), "html.parser")
        titles |= set(archive_titles(page))
    return titles


def newest(titles: set[str], count: int = CATALOG_POSTS) -> list[str]:
    """The *count* newest of the published posts titled *titles*, newest first."""
    dated = sorted((post_date(p), p.title) for p in PUBLISHED if p.title in titles)
    return [title for _, title in reversed(dated)][:count]


@pytest.mark.parametrize(("key", "catalog"), [("tags", "blog/tag"), ("category", "blog/category")])
def test_each_archive_lists_exactly_the_posts_carrying_its_label(site: Build, key: str, catalog: str):
    expected = {label: set(titles) for label, titles in titles_by_label(PUBLISHED, key).items()}
    # The catalog shows each label's newest posts; the label's own archive pages show them all.
    assert archive_sections(site, catalog) == {label: newest(titles) for label, titles in expected.items()}
    for label, titles in expected.items():
        assert collection_titles(site, catalog, label) == titles


def test_year_archive_lists_the_years_posts(site: Build):
    by_year: dict[str, set[str]] = defaultdict(set)
    for post in PUBLISHED:
        by_year[str(as_date(post.front_matter["date"]).year)].add(post.title)
    for year, titles in by_year.items():
        page = site.html(f"blog/{year}")
        assert set(archive_titles(page)) == titles


def test_author_page_lists_every_post(site: Build):
    everyone = {p.title for p in PUBLISHED}
    for author in archive_sections(site, "blog/author"):
        assert collection_titles(site, "blog/author", author) == everyone


def test_post_sidebar_has_the_book_navigation_and_blog_widgets(site: Build):
    page = site.html(PUBLISHED[0].docname)
    sidebar = page.select_one(".bd-sidebar-primary")
    assert sidebar.select_one("nav.bd-docs-nav"), "the book theme's own navigation stays"
    for widget in ("ablog__postcard", "ablog__recentposts", "ablog__tagcloud", "ablog__categories", "ablog__archives"):
        assert sidebar.select_one(f".{widget}"), widget
    assert len(page.select(".prev-next-area")) == 1
    assert not page.select(".ablog__prev-next")


def test_prev_next_bar_follows_post_dates(site: Build):
    by_date = sorted(PUBLISHED, key=lambda p: p.front_matter["date"])
    for older, post, newer in zip([None, *by_date], by_date, [*by_date[1:], None], strict=False):
        bar = site.html(post.docname).select_one(".prev-next-area")
        prev, next_ = bar.select_one("a.left-prev"), bar.select_one("a.right-next")
        assert (prev.select_one(".prev-next-title").get_text(strip=True) if prev else None) == (
            older.title if older else None
        )
        assert (next_.select_one(".prev-next-title").get_text(strip=True) if next_ else None) == (
            newer.title if newer else None
        )


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda p: p.docname)
def test_drafts_leak_nowhere(site: Build, draft):
    marker = draft.title.split(":")[0]
    # searchindex.js stores Hangul as \uXXXX escapes: look for that spelling too
    spellings = {marker, json.dumps(marker)[1:-1], quote(marker)}
    assert not site.path(draft.docname + ".html").exists()
    for path in site.outdir.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".js", ".txt", ".json"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [spelling for spelling in spellings if spelling in text], path


def test_the_leak_check_can_see_published_titles(site: Build):
    """The spellings test_drafts_leak_nowhere looks for do find a published post's title."""
    index = site.path("searchindex.js").read_text(encoding="utf-8")
    title = next(p.title for p in PUBLISHED if not p.title.isascii())
    assert json.dumps(title)[1:-1] in index or title in index


def test_no_broken_internal_links_or_missing_assets(site: Build):
    broken = []
    for page in site.pages():
        for value, target in internal_targets(page, page.read_text(encoding="utf-8"), site.outdir):
            if not (target.is_file() or (target.is_dir() and (target / "index.html").is_file())):
                broken.append(f"{page.relative_to(site.outdir)} -> {value}")
    assert broken == []


def test_crawler_notices_a_broken_link(tmp_path):
    page = tmp_path / "a.html"
    page.write_text('<a href="missing.html">x</a><img srcset="ok.png 1x, gone.png 2x">', encoding="utf-8")
    (tmp_path / "ok.png").write_bytes(b"")
    found = [value for value, target in internal_targets(page, page.read_text()) if not target.exists()]
    assert found == ["missing.html", "gone.png"]

"""Paginated listings (journal.contract.pagination, journal.upstream.ablog_pages, journal.pages.pagination).

The built site is walked as a reader would: from page 1 of the journal index and of a tag's
archive, following ``<link rel="next">``, collecting the posts each page lists.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from buildsite import (
    ARCHIVE_ROW,
    ROOT,
    make_project,
    output_files,
    post_source,
    source_posts,
    sphinx_build,
    walk_listing,
)
from buildsite import newest_first as newest_first_sources
from journal.contract.pagination import Pagination, by_year, page_count, page_name, page_slice

SIZE = 2  # journal_listing_page_size: the journal index, with excerpts
ARCHIVE_SIZE = 3  # journal_archive_page_size: ABlog's archives, compact rows
POSTS = 9


def test_page_names_keep_page_one_and_put_the_others_in_a_page_folder():
    assert page_name("blog/tag/openstack", 1) == "blog/tag/openstack"
    assert page_name("blog/tag/openstack", 2) == "blog/tag/openstack/page/2"
    assert page_name("blog", 3) == "blog/page/3"
    assert page_name("posts/index", 2) == "posts/page/2"


def test_pages_split_newest_first_and_every_item_once():
    items = list(range(7))
    assert page_count(7, 3) == 3 and page_count(0, 3) == 1
    assert [page_slice(items, 3, n) for n in (1, 2, 3)] == [[0, 1, 2], [3, 4, 5], [6]]


def test_a_page_groups_its_items_under_their_years_newest_first():
    dates = [(2025, "b"), (2025, "a"), (2024, "z"), (None, "draft")]
    assert by_year(dates, lambda item: item[0]) == [
        (2025, [(2025, "b"), (2025, "a")]),
        (2024, [(2024, "z")]),
        (None, [(None, "draft")]),
    ]


def test_pagination_links_its_neighbours():
    middle = Pagination("blog", 2, 3)
    assert (middle.previous, middle.next) == ("blog", "blog/page/3")
    assert [link.current for link in middle.pages] == [False, True, False]
    assert Pagination("blog", 3, 3).next is None and Pagination("blog", 1, 3).previous is None


def post(n: int) -> str:
    tags = "[공통, 짝수]" if n % 2 == 0 else "[공통]"
    return post_source(f"글 {n}", date=f"2025-03-{n:02d} 10:00:00", tags=tags, body=f"{n}번 글의 첫 문단입니다.")


def post_path(n: int) -> str:
    return f"posts/2025/03-{n:02d}-post-{n}.md"


INDEX = """# 시험 일지

```{toctree}
:glob:
:hidden:

posts/index
posts/*/*
```
"""


def project(path: Path, posts: range) -> Path:
    files = {post_path(n): post(n) for n in posts}
    files["posts/index.md"] = (ROOT / "posts" / "index.md").read_text(encoding="utf-8")
    return make_project(path, files, index=INDEX)


SIZES = ["-D", f"journal_listing_page_size={SIZE}", "-D", f"journal_archive_page_size={ARCHIVE_SIZE}"]


def build(srcdir: Path, out: Path, *extra: str) -> Path:
    done = sphinx_build(srcdir, out / "html", doctreedir=out / "doctrees", args=[*SIZES, *extra])
    assert done.returncode == 0, done.output[-3000:]
    return out / "html"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("pagination")
    return build(project(base / "project", range(1, POSTS + 1)), base / "out")


def newest_first(html: Path, numbers: list[int]) -> list[Path]:
    return [(html / post_path(n)).with_suffix(".html").resolve() for n in sorted(numbers, reverse=True)]


@pytest.mark.parametrize(
    ("first", "numbers"),
    [
        ("posts/index.html", list(range(1, POSTS + 1))),
        ("blog.html", list(range(1, POSTS + 1))),
        ("blog/tag/공통.html", list(range(1, POSTS + 1))),
        ("blog/tag/짝수.html", list(range(2, POSTS + 1, 2))),
        ("blog/2025.html", list(range(1, POSTS + 1))),
    ],
)
def test_walking_the_pages_lists_every_post_once_newest_first(site, first, numbers):
    pages = walk_listing((site / first).resolve())
    assert [p.path for p in pages[1:]] == [
        (site / first).with_suffix("").joinpath("page", f"{n}.html").resolve()
        if first != "posts/index.html"
        else (site / "posts" / "page" / f"{n}.html").resolve()
        for n in range(2, len(pages) + 1)
    ]
    size = SIZE if first == "posts/index.html" else ARCHIVE_SIZE
    assert len(pages) == -(-len(numbers) // size)
    assert all(len(p.posts) == size for p in pages[:-1])
    assert [post for page in pages for post in page.posts] == newest_first(site, numbers)
    assert pages[0].prev is None and pages[-1].next is None
    assert [p.current for p in pages] == [f"{n}쪽" for n in range(1, len(pages) + 1)]


def test_the_journal_index_keeps_excerpts_and_archives_show_compact_rows(site):
    """Every page of the journal index shows its posts' excerpts (ABlog's list); every archive
    page (all posts, a tag, a category, an author, a year) one row per post: date and title, no excerpt."""
    index = [site / "posts/index.html", *sorted((site / "posts/page").glob("*.html"))]
    assert len(index) == -(-POSTS // SIZE)
    for path in index:
        items = listing_soup(path).select("li.ablog-post, div.ablog-post")
        assert items and all("번 글의 첫 문단입니다." in item.get_text() for item in items), path
        assert "journal-archive__row" not in path.read_text(encoding="utf-8")
    assert "더 읽기" in (site / "posts/page/2.html").read_text(encoding="utf-8")
    archives = [p for p in (site / "blog").rglob("*.html") if listing_soup(p).select_one(".ablog__collection")]
    archives = [p for p in archives if p.name != "drafts.html"]  # empty: no drafts in a public build
    names = {p.relative_to(site).as_posix() for p in archives}
    assert {
        "blog/page/2.html",
        "blog/tag/공통/page/3.html",
        "blog/2025/page/2.html",
        "blog/author/김보라.html",
    } <= names
    assert {"blog/category.html", "blog/tag.html"}.isdisjoint(names), "catalogs are no collections"
    for path in [site / "blog.html", *archives]:
        soup = listing_soup(path)
        rows = soup.select(ARCHIVE_ROW)
        assert 0 < len(rows) <= ARCHIVE_SIZE, path
        assert "첫 문단" not in soup.get_text() and not soup.select(".ablog-post, .ablog-post-expand"), path
        for row in rows:
            time = row.select_one("time")
            number = int(row.select_one("a.journal-archive__title").get_text().removeprefix("글 "))
            assert time["datetime"] == f"2025-03-{number:02d}" and time.get_text() == f"2025년 3월 {number}일"


def listing_soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_page_k_has_its_own_canonical_url_and_korean_page_links(site):
    html = (site / "blog/tag/공통/page/2.html").read_text(encoding="utf-8")
    canonical = f"https://baeum-ilji.readthedocs.io/ko/latest/blog/tag/{quote('공통')}/page/2.html"
    assert f'<link rel="canonical" href="{canonical}" />' in html
    assert 'aria-label="페이지 이동"' in html and ">이전</a>" in html and ">다음</a>" in html


def test_the_sitemap_lists_every_page(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    pages = [p for p in site.rglob("page/*.html")]
    assert len(pages) > 10
    for page in pages:
        assert f"/latest/{page.relative_to(site).as_posix()}</loc>" in sitemap


def test_catalogs_show_a_few_posts_per_label_and_link_the_rest(site):
    tags = (site / "blog/tag.html").read_text(encoding="utf-8")
    assert tags.count('class="ablog__catalog_post"') == 3 + 3  # 공통 (9 posts), 짝수 (4 posts)
    assert "공통: 9편 모두 보기" in tags


def test_a_page_size_of_the_wrong_type_is_a_config_error(tmp_path):
    srcdir = project(tmp_path / "project", range(1, 3))
    for name in ("journal_listing_page_size", "journal_archive_page_size"):
        done = sphinx_build(srcdir, tmp_path / "out", args=["-D", f"{name}=0"])
        assert done.returncode != 0 and f"{name} = 0: at least 1" in done.output
    (srcdir / "conf.py").write_text(
        (srcdir / "conf.py").read_text(encoding="utf-8") + '\njournal_listing_page_size = "20"\n', encoding="utf-8"
    )
    done = sphinx_build(srcdir, tmp_path / "out2")
    assert done.returncode != 0 and "journal_listing_page_size = '20': expected int, got str" in done.output


@pytest.mark.slow
def test_incremental_builds_equal_clean_ones_as_posts_come_and_go(tmp_path):
    srcdir = project(tmp_path / "project", range(1, POSTS + 1))
    build(srcdir, tmp_path / "incremental")
    steps = [
        ("add", lambda: (srcdir / post_path(POSTS + 1)).write_text(post(POSTS + 1), encoding="utf-8")),
        ("delete", lambda: [(srcdir / post_path(n)).unlink() for n in (1, 2, 3)]),
    ]
    for name, change in steps:
        change()
        incremental = output_files(build(srcdir, tmp_path / "incremental"))
        clean_sources = tmp_path / f"clean-{name}"
        shutil.copytree(srcdir, clean_sources)
        clean = output_files(build(clean_sources, tmp_path / f"clean-{name}-out"))
        assert sorted(incremental) == sorted(clean), name
        assert [page for page in clean if incremental[page] != clean[page]] == [], name
    assert not (tmp_path / "incremental/html/blog/tag/공통/page/4.html").exists()  # 7 posts: 3 pages
    assert not (tmp_path / "incremental/html/posts/page/5.html").exists()  # 7 posts: 4 pages


def test_a_later_listing_page_is_written_when_what_it_shows_of_a_post_changed(tmp_path):
    """posts/page/2 shows post 7's excerpt (9 posts, 2 a page, newest first): a sentence added
    below the excerpt (the reading time stays one minute) leaves that page as it was; a new first
    paragraph writes it, and it is then what a clean build writes."""
    srcdir = project(tmp_path / "project", range(1, POSTS + 1))
    page = build(srcdir, tmp_path / "incremental") / "posts/page/2.html"
    assert "7번 글의 첫 문단입니다." in page.read_text(encoding="utf-8")
    written = page.stat().st_mtime_ns
    source = srcdir / post_path(7)
    source.write_text(source.read_text(encoding="utf-8") + "\n끝에 한 문장을 더했다.\n", encoding="utf-8")
    build(srcdir, tmp_path / "incremental")
    assert page.stat().st_mtime_ns == written, "below the excerpt: the listing shows nothing new"
    source.write_text(
        source.read_text(encoding="utf-8").replace("7번 글의 첫 문단", "7번 글의 고친 첫 문단"), encoding="utf-8"
    )
    build(srcdir, tmp_path / "incremental")
    assert "7번 글의 고친 첫 문단입니다." in page.read_text(encoding="utf-8")
    clean_sources = tmp_path / "clean"
    shutil.copytree(srcdir, clean_sources)
    clean = output_files(build(clean_sources, tmp_path / "clean-out"))
    incremental = output_files(tmp_path / "incremental/html")
    assert [name for name in clean if incremental.get(name) != clean[name]] == []


@pytest.mark.slow
def test_parallel_builds_write_what_serial_ones_do(tmp_path):
    srcdir = project(tmp_path / "project", range(1, POSTS + 1))
    serial = output_files(build(srcdir, tmp_path / "serial"))
    parallel = output_files(build(srcdir, tmp_path / "parallel", "-j", "2"))
    assert sorted(serial) == sorted(parallel)
    assert [page for page in serial if serial[page] != parallel[page]] == []


def test_a_source_page_that_takes_a_page_name_is_reported_and_kept(tmp_path):
    srcdir = project(tmp_path / "project", range(1, POSTS + 1))
    (srcdir / "blog/tag/공통/page").mkdir(parents=True)
    (srcdir / "blog/tag/공통/page/2.md").write_text("---\norphan: true\n---\n# 내 페이지\n", encoding="utf-8")
    done = sphinx_build(srcdir, tmp_path / "out" / "html", args=SIZES)
    assert "blog/tag/공통/page/2 is a listing's page and a source document" in done.output
    assert done.returncode != 0  # a warning: the strict build fails
    assert "내 페이지" in (tmp_path / "out/html/blog/tag/공통/page/2.html").read_text(encoding="utf-8")


def test_the_sample_site_honours_the_archive_page_size(tmp_path):
    """The sample site with three rows an archive page: blog.html walks every published post once,
    newest first, three a page; the journal index keeps its twenty a page, excerpts included."""
    done = sphinx_build(ROOT, tmp_path / "html", args=["-D", "journal_archive_page_size=3"])
    assert done.returncode == 0, done.output[-3000:]
    published = newest_first_sources(source_posts())
    pages = walk_listing((tmp_path / "html/blog.html").resolve())
    assert len(pages) == -(-len(published) // 3) and all(len(page.posts) == 3 for page in pages[:-1])
    expected = [(tmp_path / "html" / f"{post.docname}.html").resolve() for post in published]
    assert [post for page in pages for post in page.posts] == expected
    index = walk_listing((tmp_path / "html/posts/index.html").resolve())
    assert len(index) == 1 and len(index[0].posts) == len(published)
    assert len(listing_soup(index[0].path).select("ul.postlist > li.ablog-post .ablog-post-excerpt")) == len(published)

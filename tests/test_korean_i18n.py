"""Korean interface text: catalogs cover ABlog and the theme, the built site shows no English label,
dates are Korean, the byline is fixed, and an English site stays English."""

from __future__ import annotations

import re
from pathlib import Path

import ablog
import pydata_sphinx_theme
import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from buildsite import Build, make_project, post_source, source_posts, sphinx_build
from journal.korean import i18n

ABLOG_DIR = Path(ablog.__file__).parent
PYDATA_POT = Path(pydata_sphinx_theme.__file__).parent / "locale" / "sphinx.pot"
PUBLISHED = [post for post in source_posts() if not post.is_draft]


def catalog(name: str) -> dict[str, str]:
    with (i18n.SOURCE_DIR / "ko" / "LC_MESSAGES" / f"{name}.po").open("rb") as source:
        return {message.id: message.string for message in read_po(source) if message.id}


def pot_ids(path: Path) -> set[str]:
    with path.open("rb") as source:
        return {message.id for message in read_po(source) if message.id}


def ablog_template_ids() -> set[str]:
    """Every string ABlog's templates pass to gettext/_() (its .pot misses some)."""
    ids = set()
    for template in (ABLOG_DIR / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        ids.update(re.findall(r"""(?:gettext|\b_)\(\s*["']([^"']+)["']\s*\)""", text))
    return ids


#: ABlog's English labels: its catalog template, what its templates ask for, and the
#: labels it keeps in its blog state (reference titles, collection names).
ABLOG_LABELS = pot_ids(ABLOG_DIR / "locales" / "sphinx.pot") | ablog_template_ids() | {"Posts", "Drafts", "Tags"}


def test_every_ablog_and_theme_string_has_a_korean_translation():
    ours = catalog("sphinx")
    wanted = ABLOG_LABELS | pot_ids(PYDATA_POT)
    missing = sorted(message for message in wanted if not ours.get(message))
    assert missing == []
    assert {"Read more ...", "Recent Posts"} <= ABLOG_LABELS  # the template scan found what the .pot misses


def test_book_theme_byline_is_fixed():
    assert catalog("booktheme")["By"] and "으로" not in catalog("booktheme")["By"]


def test_catalogs_compile_deterministically(tmp_path: Path):
    first = [path.read_bytes() for path in i18n.compile_catalogs(tmp_path / "a")]
    second = [path.read_bytes() for path in i18n.compile_catalogs(tmp_path / "b")]
    assert first == second and all(first)


def test_a_broken_po_file_fails_with_its_name(tmp_path: Path):
    broken = tmp_path / "ko" / "LC_MESSAGES" / "sphinx.po"
    broken.parent.mkdir(parents=True)
    broken.write_text('msgid "Tags"\nmsgstr "태그"\nmsgid "Archives"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"ko/LC_MESSAGES/sphinx\.po: not a valid message catalog"):
        i18n.compile_catalogs(tmp_path / "out", tmp_path)


def visible_texts(page: BeautifulSoup) -> list[str]:
    """Every text node and title/aria-label a reader (or screen reader) meets, outside code."""
    for tag in page(["script", "style", "pre", "code"]):
        tag.decompose()
    texts = [" ".join(text.split()) for text in page.find_all(string=True)]
    texts += [tag[attribute] for attribute in ("title", "aria-label") for tag in page.find_all(attrs={attribute: True})]
    return [text for text in texts if text]


def english_labels_on(page: BeautifulSoup) -> list[str]:
    labels = ABLOG_LABELS | pot_ids(PYDATA_POT) | {"Draft", "Comments", "By"}
    prefixes = ("Posts tagged", "Posts in", "Posted in", "Posts by", "Posts from", "Updated on", "Read more")
    return [
        text
        for text in visible_texts(page)
        if text.rstrip(":") in labels or text.startswith(prefixes) or re.match(r"By\s", text)
    ]


def pages_to_scan(site: Build) -> list[str]:
    pages = ["index", "posts/index", "blog", "blog/archive", "blog/tag", "blog/category", "blog/author"]
    pages += [post.docname for post in PUBLISHED]
    for folder in ("blog/tag", "blog/category", "blog/author"):
        pages += [p.relative_to(site.outdir).with_suffix("").as_posix() for p in site.path(folder).glob("*.html")]
    years = {str(post.front_matter["date"].year) for post in PUBLISHED}
    return pages + [f"blog/{year}" for year in sorted(years)]


def test_no_english_interface_label_remains(site: Build):
    found = {name: english_labels_on(site.html(name)) for name in pages_to_scan(site)}
    assert {name: labels for name, labels in found.items() if labels} == {}


def test_korean_labels_on_post_pages_and_sidebars(site: Build):
    page = site.html(PUBLISHED[0].docname)
    sidebar = page.select_one(".bd-sidebar-primary").get_text(" ", strip=True)
    for label in ("최근 글", "태그", "카테고리", "보관함"):
        assert label in sidebar
    assert page.select_one(".component-author").get_text(strip=True).startswith("만든 이:")
    assert "맨 위로" in page.get_text()
    assert page.select_one("nav.bd-docs-nav")["aria-label"] == "사이트 탐색"
    assert page.select_one("button.primary-toggle.btn")["title"] == "사이드바 열고 닫기"
    assert page.select_one("button.secondary-toggle.btn")["title"] == "이 페이지 목차 열고 닫기"


def test_korean_labels_on_listings_and_archives(site: Build):
    for folder, label in (("blog/tag", "태그"), ("blog/category", "카테고리")):
        pages = sorted(site.path(folder).glob("*.html"))
        assert pages, folder
        for path in pages:
            page = site.html(path.relative_to(site.outdir).with_suffix("").as_posix())
            heading = " ".join(page.select_one(".ablog__collection h1").get_text().split())
            assert heading.startswith(f"{label}: "), (path.name, heading)
            assert page.select_one("title").get_text().startswith(f"{label}: ")
    year_number = PUBLISHED[0].front_matter["date"].year
    year = site.html(f"blog/{year_number}")
    assert year.select_one(".ablog__collection h1").get_text(" ", strip=True).startswith("작성 연도:")
    assert " ".join(site.html("blog").select_one(".ablog__collection h1").get_text().split()) == "전체 글"
    assert year.select_one("li.journal-archive__row time").get_text().startswith(f"{year_number}년 ")


def korean_date(value) -> str:
    return f"{value.year}년 {value.month}월 {value.day}일"


#: Where ABlog prints a date: post card, archive entries, catalog entries, recent posts, post lists.
DATE_SELECTORS = (
    ".ablog__postcard h2 span",
    "ul.ablog-archive > li:first-child span",
    ".ablog__catalog_post span",
    ".ablog__recentposts li a",
)
KOREAN_DATE = re.compile(r"\b\d{4}년 \d{1,2}월 \d{1,2}일")
MONTHS = re.compile(r"January|February|March|April|May|June|July|August|September|October|November|December")


def test_dates_are_korean(site: Build):
    post = PUBLISHED[0]
    assert korean_date(post.front_matter["date"]) in site.html(post.docname).select_one(".ablog__postcard").get_text()
    listing = site.html("posts/index").get_text(" ", strip=True)
    for post in PUBLISHED:
        assert korean_date(post.front_matter["date"]) in listing
    checked = 0
    for name in pages_to_scan(site):
        for element in site.html(name).select(", ".join(DATE_SELECTORS)):
            text = element.get_text(" ", strip=True)
            assert KOREAN_DATE.search(text) and not MONTHS.search(text), (name, text)
            checked += 1
    assert checked > 100


@pytest.mark.slow
def test_an_english_site_stays_english(tmp_path: Path):
    project = make_project(
        tmp_path / "src",
        {"posts/2025/04-12-hello.md": post_source("Hello", body="Plain **English** text.", tags="[demo]")},
    )
    build = sphinx_build(project, tmp_path / "html", args=["-D", "language=en"])
    assert build.returncode == 0, build.output[-3000:]
    page = build.html("posts/2025/04-12-hello")
    sidebar = page.select_one(".bd-sidebar-primary").get_text(" ", strip=True)
    assert "Recent Posts" in sidebar and "Tags" in sidebar and "Archives" in sidebar
    assert "12 April 2025" in page.select_one(".ablog__postcard").get_text()
    assert page.select_one(".component-author").get_text(strip=True).startswith("By ")
    assert "최근 글" not in page.get_text() and "만든 이" not in page.get_text()
    assert "KoreanStemmer" not in build.path("_static/language_data.js").read_text(encoding="utf-8")

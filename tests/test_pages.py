"""journal.pages: the pure pieces (reading time, series, related, archives, images) and the sample site's pages."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from docutils import nodes

from buildsite import Build, source_posts
from journal.contract.frontmatter import PostMeta
from journal.pages import insert_after_title
from journal.pages.archive import ArchiveEntry, group_by_month
from journal.pages.cards import shorten
from journal.pages.images import image_line, resolve
from journal.pages.reading_time import measure, measure_doctree
from journal.pages.related import RelatedIndex, related_posts
from journal.pages.series import all_series, series_box

SEOUL = ZoneInfo("Asia/Seoul")
PUBLISHED = sorted((p for p in source_posts() if not p.is_draft), key=lambda p: p.front_matter["date"])


def at(day: int, month: int = 4) -> dt.datetime:
    return dt.datetime(2025, month, day, tzinfo=SEOUL)


# --- reading time --------------------------------------------------------------


def test_korean_is_read_in_characters_not_words():
    text = " ".join(["공부했습니다"] * 250)  # 1,500 syllables but only 250 "words"
    reading = measure(text)
    assert (reading.characters, reading.words) == (1500, 0)
    assert reading.minutes == 3  # 1,500 / 500 per minute; a word count would say 2


def test_latin_is_read_in_words_and_mixed_text_adds_both():
    assert measure("word " * 460).minutes == 2
    mixed = measure("openstacksdk의 proxy 계층을 읽었다")
    assert (mixed.characters, mixed.words) == (7, 2)
    assert measure("").minutes == 1


def test_reading_time_of_a_doctree_skips_the_title_and_fields():
    section = nodes.section("", nodes.title("", "제목 " * 1000), nodes.paragraph("", "본문"))
    document = nodes.document(None, None)
    document += nodes.docinfo("", nodes.field("", nodes.field_name("", "tags"), nodes.field_body("", nodes.Text("x"))))
    document += section
    assert measure_doctree(document).characters == 2


# --- series and related posts ------------------------------------------------------


def posts_fixture() -> dict[str, PostMeta]:
    return {
        "c": PostMeta(title="C", date=at(20), series="S", tags=["a"]),
        "a": PostMeta(title="A", date=at(1), series="S", tags=["a", "b"]),
        "b": PostMeta(title="B", date=at(10), series="S", tags=["b", "c"]),
        "x": PostMeta(title="X", date=at(5), series="Other", tags=["A", "b"]),
        "y": PostMeta(title="Y", date=at(6), tags=["z"]),
    }


def test_series_are_in_date_order_with_the_current_post_and_neighbours():
    posts = posts_fixture()
    assert all_series(posts) == {"Other": ("x",), "S": ("a", "b", "c")}
    box = series_box(posts, "b")
    assert (box.name, box.position, box.previous, box.next) == ("S", 2, "a", "c")
    first = series_box(posts, "a")
    assert (first.previous, first.next) == (None, "b")
    assert series_box(posts, "y") is None


def test_related_posts_share_the_most_tags_first_then_newest():
    posts = posts_fixture()
    # x shares a and b (case-insensitive); c and b share one each, the newer (c) first
    assert related_posts(posts, "a") == ["x", "c", "b"]
    assert related_posts(posts, "a", limit=1) == ["x"]
    assert related_posts(posts, "y") == []


def ranked_by_counting(posts: dict[str, PostMeta], docname: str, limit: int) -> list[str]:
    """The definition of related posts, counted the slow way (every post against every post)."""
    tags = {tag.casefold() for tag in posts[docname].tags}
    shared = {
        other: len(tags & {tag.casefold() for tag in meta.tags}) for other, meta in posts.items() if other != docname
    }
    ranked = sorted((-count, -meta_date(posts[other]), other) for other, count in shared.items() if count)
    return [other for _, _, other in ranked[:limit]]


def meta_date(meta: PostMeta) -> float:
    return meta.date.timestamp() if meta.date else -1e12


@pytest.mark.parametrize("seed", range(5))
def test_related_posts_agree_with_counting_every_post(seed: int):
    rng = random.Random(seed)
    tags = ["a", "B", "b2", "c", "d", "e"]
    posts = {
        f"p{n:03d}": PostMeta(
            title=f"P{n}",
            date=at(1 + rng.randrange(28), 1 + rng.randrange(12)) if rng.random() > 0.05 else None,
            tags=rng.sample(tags, rng.randrange(4)),
        )
        for n in range(150)
    }
    index = RelatedIndex(posts)
    for docname in posts:
        for limit in (1, 3, 8):
            assert index.related(docname, limit) == ranked_by_counting(posts, docname, limit), (docname, limit)


# --- archives, cards, images --------------------------------------------------------


def test_archive_groups_by_month_newest_first():
    entries = [
        ArchiveEntry("a", "a.html", at(3)),
        ArchiveEntry("b", "b.html", at(20, 6)),
        ArchiveEntry("c", "c", at(9)),
    ]
    groups = group_by_month(entries)
    assert [g.label for g in groups] == ["2025년 6월", "2025년 4월"]
    assert [e.title for e in groups[1].entries] == ["c", "a"]


def test_shorten_cuts_at_a_word_boundary():
    assert shorten("짧은 글") == "짧은 글"
    assert shorten("하나 둘 셋 넷", 6) == "하나 둘…"


def test_feature_image_paths_are_relative_to_the_post(tmp_path: Path):
    (tmp_path / "posts" / "2025").mkdir(parents=True)
    (tmp_path / "posts" / "2025" / "pic.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"/>'
    )
    image = resolve("pic.svg", "그림", "posts/2025/01-01-x", tmp_path)
    assert (image.src, image.alt, image.width, image.height) == ("posts/2025/pic.svg", "그림", 30, 20)
    assert resolve("/posts/2025/pic.svg", None, "index", tmp_path).src == "posts/2025/pic.svg"
    assert resolve("https://example.org/a.png", None, "x", tmp_path).is_url
    with pytest.raises(FileNotFoundError, match=r"missing\.png"):
        resolve("missing.png", None, "posts/2025/01-01-x", tmp_path)
    assert image_line("---\ntitle: x\nimage: a.png\n---\n") == 3


def test_header_goes_right_after_the_title():
    assert insert_after_title("<section><h1>T</h1><p>b</p>", "<i/>") == "<section><h1>T</h1><i/><p>b</p>"
    assert insert_after_title("<p>b</p>", "<i/>") == "<i/><p>b</p>"


# --- the sample site -----------------------------------------------------------------


def korean(value: dt.date | dt.datetime) -> str:
    return f"{value.year}년 {value.month}월 {value.day}일"


def resolve_link(site: Build, page: str, href: str) -> Path:
    return (site.path(page + ".html").parent / unquote(href.split("#")[0])).resolve()


@pytest.mark.parametrize("post", PUBLISHED, ids=lambda p: p.docname)
def test_post_header_has_dates_reading_time_and_tag_chips(site: Build, post):
    header = site.html(post.docname).select_one("article h1 + .journal-post-header")
    assert header is not None, "the header follows the title"
    assert header.select_one("time").get_text(strip=True) == korean(post.front_matter["date"])
    assert re.fullmatch(r"읽는 데 약 \d+분", header.select_one(".journal-reading-time").get_text(strip=True))
    chips = header.select("a.journal-chip")
    assert [a.get_text(strip=True) for a in chips] == [f"#{tag}" for tag in post.labels("tags")]
    for chip in chips:
        archive = BeautifulSoup(
            resolve_link(site, post.docname, chip["href"]).read_text(encoding="utf-8"), "html.parser"
        )
        assert post.title in archive.get_text(), f"{chip['href']} does not list the post"
    updated = header.select_one(".journal-updated time")
    if "updated" in post.front_matter:
        assert updated.get_text(strip=True) == korean(post.front_matter["updated"])
    else:
        assert updated is None


def test_feature_images_have_alt_text_size_and_a_file(site: Build):
    with_images = [p for p in PUBLISHED if "image" in p.front_matter]
    assert with_images, "the sample keeps posts with a feature image"
    for post in with_images:
        image = site.html(post.docname).select_one(".journal-feature-image img")
        assert image["alt"] == post.front_matter["image_alt"]
        assert int(image["width"]) > 0 and int(image["height"]) > 0
        assert resolve_link(site, post.docname, image["src"]).is_file()


def test_series_box_lists_the_series_in_order_with_this_post_highlighted(site: Build):
    series: dict[str, list] = defaultdict(list)
    for post in PUBLISHED:
        if "series" in post.front_matter:
            series[post.front_matter["series"]].append(post)
    assert any(len(members) >= 3 for members in series.values()), "the sample keeps a series of three"
    for name, members in series.items():
        for index, post in enumerate(members):
            box = site.html(post.docname).select_one("nav.journal-series")
            assert box.select_one("strong").get_text(strip=True) == name
            assert [li.get_text(strip=True) for li in box.select("ol > li")] == [m.title for m in members]
            assert box.select_one("[aria-current=page]").get_text(strip=True) == post.title
            previous, following = box.select_one(".journal-series-prev"), box.select_one(".journal-series-next")
            assert (previous is not None) == (index > 0)
            assert (following is not None) == (index < len(members) - 1)
    index_page = site.html("blog/series")
    assert [h2.contents[0].strip() for h2 in index_page.select("h2")] == sorted(series)
    assert not site.html(next(p.docname for p in PUBLISHED if "series" not in p.front_matter)).select(".journal-series")


def test_related_posts_share_a_tag_and_prev_next_follows_the_dates(site: Build):
    by_title = {p.title: p for p in PUBLISHED}
    for index, post in enumerate(PUBLISHED):
        page = site.html(post.docname)
        related = [a.get_text(strip=True) for a in page.select(".journal-related li > a")]
        assert post.title not in related
        for title in related:
            assert set(by_title[title].labels("tags")) & set(post.labels("tags"))
        previous = page.select_one(".prev-next-area .left-prev .prev-next-title")
        following = page.select_one(".prev-next-area .right-next .prev-next-title")
        older = PUBLISHED[index - 1].title if index > 0 else None
        newer = PUBLISHED[index + 1].title if index + 1 < len(PUBLISHED) else None
        assert (previous.get_text(strip=True) if previous else None) == older
        assert (following.get_text(strip=True) if following else None) == newer


def test_home_cards_show_date_reading_time_excerpt_and_the_way_in(site: Build):
    home = site.html("index")
    cards = home.select("li.journal-card")
    newest = list(reversed(PUBLISHED))[: len(cards)]
    for card, post in zip(cards, newest, strict=True):
        assert card.select_one("time").get_text(strip=True) == korean(post.front_matter["date"])
        assert card.select_one(".journal-reading-time")
        assert card.select_one(".journal-card-excerpt").get_text(strip=True)
        assert bool(card.select_one("img.journal-card-image")) == ("image" in post.front_matter)
    links = {a.contents[0].strip(): a["href"] for a in home.select("nav.journal-explore a")}
    assert {"모든 글", "태그", "카테고리", "시리즈", "연도별 보관함", "피드 구독"} <= set(links)
    for href in links.values():
        assert resolve_link(site, "index", href).is_file(), href


def test_tag_index_counts_posts_per_tag_and_groups_them_by_month(site: Build):
    expected: dict[str, int] = defaultdict(int)
    for post in PUBLISHED:
        for tag in post.labels("tags"):
            expected[tag] += 1
    page = site.html("blog/tag")
    chips = {
        a.contents[0].strip(): int(a.select_one(".journal-count").get_text()) for a in page.select("a.journal-chip")
    }
    assert chips == expected
    section = page.select_one(".ablog__catalog_header")
    months = [h3.get_text(strip=True) for h3 in section.select("h3.journal-month")]
    assert months and all(re.fullmatch(r"\d{4}년 \d{1,2}월", m) for m in months)
    assert months == sorted(months, key=lambda m: tuple(int(n) for n in re.findall(r"\d+", m)), reverse=True)


def test_lists_hold_only_list_items_and_comments_are_off(site: Build):
    for page in site.pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for listing in soup.select(".bd-sidebar-primary ul, .bd-article ul"):
            children = [child.name for child in listing.find_all(recursive=False)]
            assert set(children) <= {"li"}, f"{page.relative_to(site.outdir)}: <{children}> in a list"
        assert "giscus" not in str(soup), page

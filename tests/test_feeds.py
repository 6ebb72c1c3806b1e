"""RSS 2.0 and Atom feeds on real builds: valid, complete, per tag and category, stable, escaped."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import feedparser
import pytest
from bs4 import BeautifulSoup

from buildsite import (
    BASE,
    PUBLISHED,
    SEOUL,
    Build,
    local_file,
    make_project,
    newest_first,
    post_date,
    post_source,
    source_posts,
    sphinx_build,
    titles_by_label,
    workspace,
)
from journal.publishing import feeds

NEWEST_FIRST = sorted(PUBLISHED, key=lambda p: (post_date(p), p.docname), reverse=True)


def feed_paths(site: Build) -> list[Path]:
    return sorted(p for p in site.outdir.rglob("*.xml") if p.name in ("rss.xml", "atom.xml"))


def parse(path: Path) -> feedparser.FeedParserDict:
    return feedparser.parse(path.read_bytes())


def test_site_wide_feeds_exist_in_both_formats(site: Build):
    rss, atom = parse(site.path("blog/rss.xml")), parse(site.path("blog/atom.xml"))
    assert rss.version == "rss20"
    assert atom.version == "atom10"


def test_every_feed_is_well_formed(site: Build):
    paths = feed_paths(site)
    assert len(paths) >= 2 * (1 + 6 + 2), "site-wide, per tag and per category, in two formats"
    for path in paths:
        parsed = parse(path)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_site_feed_lists_every_published_post_newest_first(site: Build, name: str):
    parsed = parse(site.path(f"blog/{name}"))
    assert [e.title for e in parsed.entries] == [p.title for p in NEWEST_FIRST]
    for entry, post in zip(parsed.entries, NEWEST_FIRST, strict=True):
        assert entry.link == f"{BASE}{post.docname}.html"
        assert local_file(site, entry.link).is_file()
        assert entry.id == entry.link, "the permalink is the stable id / guid"
        assert entry.summary
        tags = {t.term for t in entry.tags}
        assert tags == set(post.labels("tags")) | set(post.labels("category"))


def test_feed_level_fields(site: Build):
    rss, atom = parse(site.path("blog/rss.xml")), parse(site.path("blog/atom.xml"))
    for parsed, name in ((rss, "rss.xml"), (atom, "atom.xml")):
        assert parsed.feed.title == "배움 일지"
        assert parsed.feed.language == "ko"
        assert parsed.feed.subtitle
        links = {link.rel: link.href for link in parsed.feed.links}
        assert links["self"] == f"{BASE}blog/{name}"
        assert local_file(site, links["alternate"]).is_file()
    newest = post_date(NEWEST_FIRST[0])
    assert dt.datetime.fromisoformat(atom.feed.updated) == newest
    assert rss.feed.updated_parsed[:6] == newest.astimezone(dt.UTC).timetuple()[:6]


def test_dates_carry_the_site_time_zone(site: Build):
    rss = site.path("blog/rss.xml").read_text(encoding="utf-8")
    atom = site.path("blog/atom.xml").read_text(encoding="utf-8")
    assert "<pubDate>Sat, 12 Apr 2025 00:00:00 +0900</pubDate>" in rss
    assert "<published>2025-04-12T00:00:00+09:00</published>" in atom


def test_korean_is_stored_as_utf8_not_escaped(site: Build):
    raw = site.path("blog/atom.xml").read_bytes()
    assert raw.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "OSSCA 오픈스택 트랙 합격, 그리고 시작".encode() in raw
    assert b"\\u" not in raw
    assert b"&#" not in raw


def test_content_is_the_full_post_with_absolute_links(site: Build):
    entry = next(e for e in parse(site.path("blog/atom.xml")).entries if e.title.startswith("최종 회고"))
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert content.find("h2"), "full text, not only the excerpt"
    urls = [a["href"] for a in content.find_all("a", href=True)] + [i["src"] for i in content.find_all("img")]
    assert urls
    for url in urls:
        assert url.startswith(("https://", "http://")), url
        if url.startswith(BASE):
            assert local_file(site, url).is_file(), url


def label_feeds(site: Build, catalog: str) -> dict[str, Path]:
    """Label -> RSS file, found by following the catalog page to each archive page's autodiscovery link."""
    feeds = {}
    for link in site.html(catalog).select("div.ablog__catalog_header h2 a"):
        page_path = (site.path(catalog + ".html").parent / unquote(link["href"])).resolve()
        page = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
        alternates = [a["href"] for a in page.select('link[rel="alternate"][type="application/rss+xml"]')]
        assert len(alternates) == 2, f"{page_path}: the site feed and its own"
        feeds[link.get_text(strip=True)] = (page_path.parent / unquote(alternates[1])).resolve()
    return feeds


@pytest.mark.parametrize(("key", "catalog"), [("tags", "blog/tag"), ("category", "blog/category")])
def test_each_tag_and_category_has_feeds_with_exactly_its_posts(site: Build, key: str, catalog: str):
    expected = titles_by_label(NEWEST_FIRST, key)
    feeds = label_feeds(site, catalog)
    assert set(feeds) == set(expected)
    for label, rss in feeds.items():
        for path in (rss, rss.with_name("atom.xml")):
            parsed = parse(path)
            assert parsed.bozo == 0
            assert [e.title for e in parsed.entries] == expected[label], (label, path.name)
            assert label in parsed.feed.title
            own = next(link.href for link in parsed.feed.links if link.rel == "self")
            assert own.isascii(), "percent-encoded, also for Korean labels"
            assert local_file(site, own).resolve() == path


def test_drafts_and_future_posts_are_in_no_feed(site: Build):
    unpublished = [p for p in source_posts() if p not in PUBLISHED]
    assert unpublished
    for path in feed_paths(site):
        text = path.read_text(encoding="utf-8")
        for post in unpublished:
            assert post.docname not in text, path


def test_a_local_build_says_once_which_base_url_feeds_use(site: Build):
    assert site.output.count("feeds use html_baseurl") == 1


def sitemap_locations(build: Build) -> set[str]:
    root = ET.parse(build.path("sitemap.xml")).getroot()
    return {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}


def test_rebuilds_give_byte_identical_feeds_and_the_same_sitemap(site: Build, tmp_path: Path):
    """A fresh build later in time, and an incremental rebuild of it, write the same feeds and sitemap."""
    again = sphinx_build(site.srcdir, tmp_path / "html")
    assert again.returncode == 0, again.output[-3000:]
    first = {p.relative_to(site.outdir): p.read_bytes() for p in feed_paths(site)}
    second = {p.relative_to(again.outdir): p.read_bytes() for p in feed_paths(again)}
    assert second == first
    rebuilt = sphinx_build(site.srcdir, tmp_path / "html")
    assert rebuilt.returncode == 0, rebuilt.output[-3000:]
    assert {p.relative_to(rebuilt.outdir): p.read_bytes() for p in feed_paths(rebuilt)} == first
    changed = re.search(r"updating environment: 0 added, (\d+) changed, 0 removed", rebuilt.output)
    assert changed and int(changed.group(1)) < len(PUBLISHED), "the rebuild was incremental"
    assert sitemap_locations(rebuilt) == sitemap_locations(site), "unchanged pages stay in the sitemap"


# --- feed length: the newest N posts, a link to the archive ---------------------------------

SYNTHETIC = 26  # posts besides the samples: more than the default feed length
DEFAULT_LENGTH = 20


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The sample site plus 26 synthetic posts, built with the default feed length."""
    src = workspace(tmp_path_factory.mktemp("many") / "src", SYNTHETIC)
    build = sphinx_build(src, src.parent / "html")
    assert build.returncode == 0, build.output[-3000:]
    return build


def feed_titles(path: Path) -> list[str]:
    parsed = parse(path)
    assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    return [e.title for e in parsed.entries]


def alternate(path: Path) -> str:
    """The feed's link to its HTML page (Atom ``<link rel="alternate">``, RSS ``<channel><link>``)."""
    links = [link.href for link in parse(path).feed.links if link.rel == "alternate"]
    assert len(links) == 1, (path, links)
    return links[0]


def assert_label_feeds_hold_their_newest(build: Build, length: int) -> None:
    """Every tag and category feed: the label's newest *length* posts, newest first, and a link to its archive page."""
    newest = newest_first(source_posts(build.srcdir))
    for key, catalog in (("tags", "blog/tag"), ("category", "blog/category")):
        expected = titles_by_label(newest, key)
        for label, rss in label_feeds(build, catalog).items():
            for path in (rss, rss.with_name("atom.xml")):
                assert feed_titles(path) == expected[label][:length], (label, path.name)
                archive = local_file(build, alternate(path)).resolve()
                assert archive == path.parent.with_suffix(".html"), "its archive page"


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_feeds_carry_the_newest_20_posts_by_default(many: Build, name: str):
    newest = newest_first(source_posts(many.srcdir))
    assert len(newest) > DEFAULT_LENGTH
    assert feed_titles(many.path(f"blog/{name}")) == [p.title for p in newest[:DEFAULT_LENGTH]]
    archive = local_file(many, alternate(many.path(f"blog/{name}")))
    assert archive.resolve() == many.path("blog.html").resolve(), "the feed links the archive of every post"
    assert_label_feeds_hold_their_newest(many, DEFAULT_LENGTH)


def test_feed_length_from_the_command_line_equals_a_clean_build_with_it_in_conf(many: Build, tmp_path: Path):
    """-D journal_feed_length=5 on an incremental rebuild writes what a clean build with it in conf.py writes."""
    rebuilt = sphinx_build(many.srcdir, many.outdir, args=["-D", "journal_feed_length=5"])
    assert rebuilt.returncode == 0, rebuilt.output[-3000:]
    newest = newest_first(source_posts(many.srcdir))
    assert feed_titles(rebuilt.path("blog/atom.xml")) == [p.title for p in newest[:5]]
    assert_label_feeds_hold_their_newest(rebuilt, 5)
    src = workspace(tmp_path / "src", SYNTHETIC)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\njournal_feed_length = 5\n", encoding="utf-8")
    clean = sphinx_build(src, tmp_path / "html")
    assert clean.returncode == 0, clean.output[-3000:]
    incremental = {p.relative_to(rebuilt.outdir): p.read_bytes() for p in feed_paths(rebuilt)}
    assert {p.relative_to(clean.outdir): p.read_bytes() for p in feed_paths(clean)} == incremental


@pytest.mark.parametrize("length", ["0", "None"])
def test_a_feed_length_of_0_or_none_keeps_every_post(many: Build, tmp_path: Path, length: str):
    shutil.copytree(many.outdir.parent, tmp_path / "copy")
    conf = tmp_path / "copy" / "src" / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + f"\njournal_feed_length = {length}\n", encoding="utf-8")
    build = sphinx_build(conf.parent, tmp_path / "copy" / "html")
    assert build.returncode == 0, build.output[-3000:]
    newest = newest_first(source_posts(build.srcdir))
    assert feed_titles(build.path("blog/rss.xml")) == [p.title for p in newest]


HOSTILE = '<script>alert(1)</script> & "quotes"'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Build:
    src = make_project(
        tmp_path_factory.mktemp("hostile") / "src",
        {
            "posts/2025/04-12-hostile.md": post_source(
                HOSTILE, tags="[openstack, 'a&b<c>']", author="[bora, mina]", category="기여"
            ),
            # YAML's "\a" escape puts a BEL control character into the title
            "posts/2025/04-13-bell.md": '---\ntitle: "벨\\a소리"\ndate: 2025-04-13 10:00:00\n---\n\n본문입니다.\n',
        },
    )
    build = sphinx_build(src, src.parent / "html")
    assert build.returncode == 0, build.output[-5000:]
    return build


def test_hostile_title_round_trips_as_text_in_atom(hostile: Build):
    parsed = parse(hostile.path("blog/atom.xml"))
    assert parsed.bozo == 0
    entry = next(e for e in parsed.entries if "script" in e.title)
    assert entry.title == HOSTILE
    assert {t.term for t in entry.tags} == {"openstack", "a&b<c>", "기여"}
    assert [a.name for a in entry.authors] == ["김보라", "mina"]


def test_hostile_title_round_trips_as_text_in_rss(hostile: Build):
    assert parse(hostile.path("blog/rss.xml")).bozo == 0
    channel = ET.parse(hostile.path("blog/rss.xml")).getroot().find("channel")
    item = next(i for i in channel.iter("item") if "script" in i.findtext("title"))
    assert item.findtext("title") == HOSTILE
    assert {c.text for c in item.iter("category")} == {"openstack", "a&b<c>", "기여"}
    creators = [c.text for c in item.iter("{http://purl.org/dc/elements/1.1/}creator")]
    assert creators == ["김보라", "mina"]
    raw = hostile.path("blog/rss.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw


def test_control_characters_are_dropped_not_fatal(hostile: Build):
    for name in ("rss.xml", "atom.xml"):
        parsed = parse(hostile.path(f"blog/{name}"))
        assert parsed.bozo == 0
        assert "벨소리" in [e.title for e in parsed.entries]


# --- feeds assembled from items serialised once per post ---------------------------


def fake_app() -> SimpleNamespace:
    """What feeds.render reads of the Sphinx application."""
    config = SimpleNamespace(html_baseurl=BASE, blog_feed_subtitle="", language="ko")
    return SimpleNamespace(config=config, builder=SimpleNamespace(get_target_uri=lambda doc: f"{doc}.html"))


def sample_entries() -> list[feeds.Entry]:
    at = dt.datetime(2025, 4, 12, 9, 30, tzinfo=SEOUL)
    return [
        feeds.Entry(
            docname="posts/2025/04-12-a",
            url=BASE + "posts/2025/04-12-a.html",
            title=HOSTILE,
            published=at,
            updated=at + dt.timedelta(days=2),
            authors=[("김보라", "https://example.invalid/bora"), ("mina", None)],
            categories=["openstack", "a&b<c>", "기여"],
            summary="요약: <b>굵게</b> & ]]> 끝",
            content='<p>본문 <a href="https://example.invalid/x?a=1&amp;b=2">링크</a></p>\n<pre>  코드\n\ttab</pre>'
            # hostile HTML and a control character: sanitised on either way into a feed
            '<script>alert(1)</script><img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">js</a>\x01',
        ),
        feeds.Entry("posts/2025/04-11-b", BASE + "posts/2025/04-11-b.html", "본문 없는 글", at, at, [], [], "", None),
        feeds.Entry(
            "posts/2025/04-10-c", BASE + "posts/2025/04-10-c.html", "Title", at, at, [("x", None)], ["t"], "s", ""
        ),
    ]


def entry_html_fields(document: bytes) -> list[str]:
    """The HTML of every entry's summary and content (RSS description and content:encoded)."""
    names = ("description", "{http://purl.org/rss/1.0/modules/content/}encoded")
    names += tuple(f"{{http://www.w3.org/2005/Atom}}{name}" for name in ("summary", "content"))
    root = ET.fromstring(document)
    entries = [*root.iter("item"), *root.iter("{http://www.w3.org/2005/Atom}entry")]
    return [field.text or "" for entry in entries for name in names for field in entry.iter(name)]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_feeds_spliced_from_items_are_byte_identical_to_feedgens_own(count: int):
    app, feed = fake_app(), feeds.FeedLink("배움 일지 - 태그: 회고", "blog/tag/회고")
    entries = sample_entries()[:count]
    writer = feeds.ItemWriter()
    items = [writer.item(entry) for entry in entries]
    updated = max((entry.updated for entry in entries), default=feeds.EPOCH)
    expected = feeds.feed_documents(app, feed, "blog/tag/회고", updated, entries)
    assert feeds.render(app, feed, items, "blog/tag/회고") == expected
    for fmt, document in expected.items():
        assert document.count(b"<item>" if fmt == "rss" else b"<entry>") == count
        assert feedparser.parse(document).bozo == 0
        assert b"\x01" not in document
        for fragment in entry_html_fields(document):
            for unsafe in ("script", "onerror", "javascript"):
                assert unsafe not in fragment, unsafe
        if count:
            assert f'src="{BASE}posts/2025/x.png"'.encode() in document, "relative URLs made absolute"
            assert "&amp;lt;b&amp;gt;굵게".encode() in document, "the summary is text: its markup is shown"
            assert "&lt;b&gt;굵게".encode() not in document


def test_an_item_is_the_same_whichever_entries_were_serialised_before_it():
    first, second = feeds.ItemWriter(), feeds.ItemWriter()
    entries = sample_entries()
    for entry in entries[1:]:
        first.item(entry)
    assert first.item(entries[0]).xml == second.item(entries[0]).xml

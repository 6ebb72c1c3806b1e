"""Notes and the glossary: the note contract, and the sample site as a journal plus a knowledge base."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from buildsite import ARCHIVE_TITLE, ROOT, Build, make_project, post_source, source_posts, sphinx_build
from journal.content.notes import STATUSES, parse_note

SEOUL = ZoneInfo("Asia/Seoul")


# --- the note contract ----------------------------------------------------------


def problems(text: str) -> list[tuple[int, str | None, str]]:
    return [(p.line, p.key, p.message) for p in parse_note(text, SEOUL).problems]


def test_a_complete_note_is_read():
    parsed = parse_note("---\ntitle: 노트\ntags: [a, 나]\nupdated: 2025-08-17\nstatus: Evergreen\n---\n# x\n", SEOUL)
    assert parsed.problems == []
    assert parsed.meta.title == "노트"
    assert parsed.meta.tags == ["a", "나"]
    assert parsed.meta.updated == dt.datetime(2025, 8, 17, tzinfo=SEOUL)
    assert parsed.meta.status == "evergreen"


def test_front_matter_is_optional():
    parsed = parse_note("# 제목만 있는 노트\n", SEOUL)
    assert parsed.problems == []
    assert parsed.meta.tags == [] and parsed.meta.status is None and parsed.meta.updated is None


@pytest.mark.parametrize(
    ("front_matter", "line", "key", "says"),
    [
        ("status: done", 2, "status", "'done' is not one of seedling, growing or evergreen"),
        ("title: x\ndate: 2025-01-01", 3, "date", "write 'updated' instead"),
        ("blogpost: true", 2, "blogpost", "a note is not a blog post"),
        ("category: 기여", 2, "category", "is for posts; a note accepts title, tags, updated, status"),
        ("title: x\nstauts: growing", 3, "stauts", "did you mean 'status'?"),
        ("tag: [a]", 2, "tag", "did you mean 'tags'?"),
        ("updated: 2025-13-45", 2, "updated", "is not a real date"),
        ("tags: {a: 1}", 2, "tags", "expected a list or a comma-separated string"),
    ],
)
def test_mistakes_name_line_and_key(front_matter: str, line: int, key: str, says: str):
    found = problems(f"---\n{front_matter}\n---\n")
    assert len(found) == 1, found
    assert found[0][:2] == (line, key)
    assert says in found[0][2]


def test_invalid_yaml_is_one_problem():
    found = problems("---\ntitle: x\ntags: [a\n---\n")
    assert len(found) == 1
    assert found[0][0] == 3
    assert "invalid YAML" in found[0][2]


def test_status_and_note_keys_are_not_taken_for_post_typos():
    assert problems("---\nstatus: seedling\nupdated: 2025-01-01\ntags: a, b\n---\n") == []


# --- the sample site: sources ----------------------------------------------------


@dataclass
class SourceNote:
    docname: str
    front_matter: dict
    title: str


def source_notes(root: Path = ROOT) -> list[SourceNote]:
    notes = []
    for path in sorted((root / "notes").rglob("*.md")):
        if path.name == "index.md":
            continue
        text = path.read_text(encoding="utf-8")
        match = re.match(r"---\n(.*?)\n---\n", text, re.S)
        front_matter = yaml.safe_load(match.group(1)) if match else {}
        title = front_matter.get("title") or re.search(r"^# (.+)$", text, re.M).group(1)
        notes.append(SourceNote(path.relative_to(root).with_suffix("").as_posix(), front_matter, title))
    return notes


NOTES = source_notes()
POSTS = [post for post in source_posts() if not post.is_draft]
GLOSSARY_TERMS = re.findall(r"^(\S[^\n]*)\n  ", (ROOT / "glossary.md").read_text(encoding="utf-8"), re.M)


def test_sample_knowledge_base_is_big_enough():
    assert len(NOTES) >= 5
    assert len(GLOSSARY_TERMS) >= 10
    assert {"DevStack", "Gerrit", "Zuul", "Change-Id", "tox"} <= set(GLOSSARY_TERMS)
    assert all(note.front_matter.get("status") in STATUSES for note in NOTES)
    linking_posts = [p for p in POSTS if re.search(r"\{doc\}`/notes/|\]\((\.\./)+notes/", p.path.read_text("utf-8"))]
    assert len(linking_posts) >= 5, "sample posts link to notes"


# --- the sample site: built ------------------------------------------------------


def page_docname(site: Build, page: Path, href: str) -> str:
    """The docname an internal link on *page* points to."""
    target = (page.parent / unquote(urlparse(href).path)).resolve()
    return target.relative_to(site.outdir.resolve()).with_suffix("").as_posix()


def linked_docnames(site: Build, pagename: str, selector: str) -> list[str]:
    page = site.path(pagename + ".html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select(selector)]
    return [page_docname(site, page, href) for href in links if not urlparse(href).scheme and href[:1] != "#"]


@pytest.mark.parametrize("listing", ["blog", "posts/index", "blog/2025", "blog/archive"])
def test_notes_are_in_no_post_listing(site: Build, listing: str):
    listed = linked_docnames(site, listing, "article.bd-article a[href]")
    assert any(docname.startswith("posts/") for docname in listed), "the page lists posts"
    assert not [docname for docname in listed if docname.startswith("notes/")]


def test_notes_are_in_no_feed(site: Build):
    feeds = [p for p in site.outdir.rglob("*.xml") if p.name in ("atom.xml", "rss.xml")]
    assert feeds, "the build writes feeds"
    note_titles = {note.title for note in NOTES}
    for feed in feeds:
        entries = feedparser.parse(feed.read_bytes()).entries
        assert entries, feed
        for entry in entries:
            assert "/notes/" not in entry.link, f"{entry.link} in {feed.relative_to(site.outdir)}"
            assert entry.title not in note_titles


def test_notes_are_in_the_book_navigation(site: Build):
    nav = linked_docnames(site, "notes/index", "nav.bd-docs-nav a")
    for note in NOTES:
        assert note.docname in nav
    for topic in ("notes/dev-env/index", "notes/contribution/index", "notes/code/index", "glossary"):
        assert topic in nav
    assert "notes/index" in linked_docnames(site, "index", "nav.bd-docs-nav a")


def test_notes_and_glossary_are_in_the_search_index(site: Build):
    text = site.path("searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    titles = dict(zip(index["docnames"], index["titles"], strict=True))
    for note in NOTES:
        assert titles.get(note.docname) == note.title
    assert "glossary" in titles
    assert any(term.lower() in index["terms"] for term in GLOSSARY_TERMS if " " not in term)


def test_notes_are_in_the_sitemap(site: Build):
    sitemap = site.path("sitemap.xml").read_text(encoding="utf-8")
    for note in [*NOTES, SourceNote("glossary", {}, "")]:
        assert f"/{note.docname}.html</loc>" in sitemap


def test_each_tag_archive_lists_its_notes_apart_from_its_posts(site: Build):
    tags = {tag for note in NOTES for tag in note.front_matter.get("tags", [])}
    post_tags = {tag for post in POSTS for tag in post.labels("tags")}
    checked = 0
    for tag in sorted(tags & post_tags):
        page = next(p for p in site.outdir.glob("blog/tag/*.html") if _archive_label(p) == tag)
        pagename = page.relative_to(site.outdir).with_suffix("").as_posix()
        listed_notes = linked_docnames(site, pagename, ".journal-tag-notes a")
        listed_posts = linked_docnames(site, pagename, ARCHIVE_TITLE)
        assert sorted(listed_notes) == sorted(n.docname for n in NOTES if tag in n.front_matter.get("tags", []))
        assert sorted(listed_posts) == sorted(p.docname for p in POSTS if tag in p.labels("tags"))
        checked += 1
    assert checked >= 4


def _archive_label(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    heading = soup.select_one(".ablog__collection h1")
    return heading.get_text(" ", strip=True).split()[-1] if heading else ""


def test_a_tag_without_notes_has_no_notes_section(site: Build):
    note_tags = {tag for note in NOTES for tag in note.front_matter.get("tags", [])}
    lonely = sorted({tag for post in POSTS for tag in post.labels("tags")} - note_tags)
    assert lonely
    page = next(p for p in site.outdir.glob("blog/tag/*.html") if _archive_label(p) == lonely[0])
    assert "journal-tag-notes" not in page.read_text(encoding="utf-8")


def test_home_page_lists_the_recently_updated_notes(site: Build):
    by_title = sorted(NOTES, key=lambda n: n.title)
    newest = sorted(by_title, key=lambda n: n.front_matter["updated"], reverse=True)[:5]
    assert linked_docnames(site, "index", ".journal-notelist a") == [n.docname for n in newest]
    text = site.html("index").select_one(".journal-notelist").get_text(" ")
    assert f"{newest[0].front_matter['updated']:%Y-%m-%d} 갱신" in text


@pytest.mark.parametrize("note", NOTES, ids=lambda n: n.docname)
def test_note_page_shows_status_update_and_tags(site: Build, note: SourceNote):
    header = site.html(note.docname).select_one(".journal-note-meta")
    assert header is not None
    assert STATUSES[note.front_matter["status"]] in header.get_text()
    assert f"{note.front_matter['updated']:%Y-%m-%d} 갱신" in header.get_text()
    assert [a.get_text() for a in header.select(".journal-tag")] == note.front_matter["tags"]


def test_glossary_terms_show_where_they_are_used(site: Build):
    """Each term lists exactly the posts and notes whose source uses it with {term}."""
    sources = {p.docname: p.path for p in POSTS} | {n.docname: ROOT / f"{n.docname}.md" for n in NOTES}
    page = site.html("glossary")
    checked = 0
    for term in GLOSSARY_TERMS:
        pattern = re.compile(r"\{term\}`(?:[^`<]*<)?" + re.escape(term) + r">?`")
        expected = sorted(d for d, path in sources.items() if pattern.search(path.read_text(encoding="utf-8")))
        dt_node = next(
            node for node in page.select("dl.glossary > dt") if node.get_text(strip=True).rstrip("#") == term
        )
        uses = dt_node.find_next_sibling("dd").select(".journal-term-uses a")
        assert sorted(page_docname(site, site.path("glossary.html"), a["href"]) for a in uses) == expected, term
        checked += bool(expected)
    assert checked >= 10


# --- bad note front matter fails the strict build ---------------------------------


@pytest.mark.slow
def test_bad_note_front_matter_fails_the_build_naming_file_and_line(tmp_path):
    project = make_project(
        tmp_path / "p",
        {
            "posts/2025/04-12-a.md": post_source("글 A"),
            "notes/index.md": "# 노트\n\n```{toctree}\n:glob:\n\n*\n```\n",
            "notes/bad.md": "---\ntitle: 나쁜 노트\nstatus: done\ndate: 2025-01-01\n---\n\n본문.\n",
        },
        index="# 시험\n\n```{toctree}\n:glob:\n:hidden:\n\nposts/*/*\nnotes/index\n```\n",
    )
    build = sphinx_build(project, project / "_build" / "html")
    assert build.returncode != 0
    assert "notes/bad.md:3: WARNING: status: 'done' is not one of seedling, growing or evergreen" in build.output
    assert "notes/bad.md:4: WARNING: date: a note has no publication date" in build.output
    assert "[journal.frontmatter]" in build.output
    assert "Traceback" not in build.output


# --- backlinks on the sample site, against links read from the sources -------------------

DOC_ROLE = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`<>]+)>?`")
REF_ROLE = re.compile(r"\{ref\}`(?:[^`<]*<)?([^`<>]+)>?`")
MD_LINK = re.compile(r"\]\(([^)\s#]+)\.md(?:#[^)]*)?\)")
LABEL = re.compile(r"^\(([^)]+)\)=$", re.M)
WIKILINK = re.compile(r"(?<![!\\])\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def wikilink_targets(text: str, titles: dict[str, str]) -> set[str]:
    """Docnames of the ``[[target]]`` links outside code: by path, by file name, else by title."""
    by_stem = {docname.rsplit("/", 1)[-1]: docname for docname in titles}
    by_title = {title: docname for docname, title in titles.items()}
    prose = re.sub(r"`[^`]*`", "", FENCE.sub("", text))
    found = set()
    for target in (t.strip() for t in WIKILINK.findall(prose)):
        docname = target if target in titles else by_stem.get(target) or by_title.get(target)
        if docname:
            found.add(docname)
    return found


def source_links() -> dict[str, set[str]]:
    """docname -> docnames its source links to with {doc}, {ref}, a Markdown link or a wikilink (regexes)."""
    sources = {p.docname: p.path for p in POSTS} | {n.docname: ROOT / f"{n.docname}.md" for n in NOTES}
    texts = {docname: path.read_text(encoding="utf-8") for docname, path in sources.items()}
    labels = {label: docname for docname, text in texts.items() for label in LABEL.findall(text)}
    titles = {p.docname: p.title for p in POSTS} | {n.docname: n.title for n in NOTES}
    links: dict[str, set[str]] = {}
    for docname, text in texts.items():
        folder = posixpath.dirname(docname)
        targets = {
            t[1:] if t.startswith("/") else posixpath.normpath(posixpath.join(folder, t))
            for t in DOC_ROLE.findall(text)
        }
        targets |= {posixpath.normpath(posixpath.join(folder, t)) for t in MD_LINK.findall(text)}
        targets |= {labels[label] for label in REF_ROLE.findall(text) if label in labels}
        targets |= wikilink_targets(text, titles)
        links[docname] = targets - {docname}
    return links


LINKS = source_links()


@pytest.mark.parametrize("docname", sorted(LINKS), ids=str)
def test_every_post_and_note_shows_the_posts_and_notes_linking_to_it(site: Build, docname: str):
    expected = sorted(source for source, targets in LINKS.items() if docname in targets)
    page = site.html(docname)
    shown = [
        page_docname(site, site.path(docname + ".html"), item.select_one("a")["href"])
        for item in page.select("li.journal-backlink--post, li.journal-backlink--note")
    ]
    assert sorted(shown) == expected
    dated = page.select("li.journal-backlink--post")
    assert all(item.select_one("time[datetime]") for item in dated), "posts carry their date"


def test_the_sample_graph_links_both_ways():
    notes = {n.docname for n in NOTES}
    posts = {p.docname for p in POSTS}
    assert sum(bool(targets & notes) for doc, targets in LINKS.items() if doc in posts) >= 5, "posts -> notes"
    assert sum(bool(targets & posts) for doc, targets in LINKS.items() if doc in notes) >= 5, "notes -> posts"
    assert sum(bool(targets & notes) for doc, targets in LINKS.items() if doc in notes) >= 5, "notes -> notes"

"""Front-matter values are text on every page and in every feed: a structural oracle.

The same small journal is built twice: once with benign front matter, once with the same
front matter where every value carries markup (``<script>``, quotes that close attributes,
``onerror=``). Escaping is right when the two sites have the same pages and every page parses
to the same elements with the same attribute names: only text and attribute values differ.
A value that became markup anywhere adds an element or an attribute and fails the test.

The benign value of a label is the hostile one with its punctuation removed, which is what
ABlog's slugs remove too: both builds name their archive pages the same, so pages pair up.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from buildsite import Build, make_project, sphinx_build
from journal.contract.frontmatter import clean_text, to_labels

pytestmark = pytest.mark.slow

HOSTILE = {
    "title": "</title><script>alert(1)</script> \"제목\" & 'x' <img src=x onerror=alert(2)>",
    "tag": '"><svg onload=alert(3)>태그',
    "tag2": "<script>alert(4)</script>",
    "category": "</a><b onclick=alert(5)>분류</b>",
    "author": "<i>보라</i>\"'",
    "excerpt": '<img src=x onerror=alert(6)> 요약 "q" & <a href="javascript:alert(7)">x</a>',
    "image": 'https://example.com/a.png" onerror="alert(8)',
    "image_alt": '"><script>alert(9)</script>',
    "series": "<script>alert(10)</script>시리즈",
    "note_title": "<script>alert(11)</script>노트",
}


def benign(value: str) -> str:
    """*value* without the characters that could make markup (and that ABlog's slugs drop)."""
    return " ".join(re.sub(r"[^\w\s-]", "", value).split())


BENIGN = {key: benign(value) for key, value in HOSTILE.items()}
BENIGN["image"] = "https://example.com/a.png"

INDEX = """# 시험 일지

```{postcards} 6
```

```{toctree}
:hidden:

posts/index
notes/index
```
"""

POSTS_INDEX = """# 모든 글

```{postlist}
:format: "{date} · {title} · {tags}"
:excerpts:
```
"""

NOTES_INDEX = """# 노트

```{toctree}
:maxdepth: 1

topic/note
```
"""


def post(values: dict[str, str], number: int, day: int) -> str:
    front_matter = {
        "title": f"{values['title']} {number}",
        "date": f"2025-04-{day:02d} 10:00",
        "tags": [values["tag"], values["tag2"]],
        "category": values["category"],
        "author": values["author"],
        "series": values["series"],
    }
    if number == 1:
        front_matter["excerpt"] = values["excerpt"]
        front_matter["image"] = {"path": values["image"], "alt": values["image_alt"]}
    dumped = yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False)
    link = "\n\n[노트](../../notes/topic/note.md)를 보라." if number == 2 else ""
    return f"---\n{dumped}---\n\n첫 문단입니다. 두 번째 문장도 있습니다.{link}\n\n## 본문\n\n내용.\n"


def note(values: dict[str, str]) -> str:
    dumped = yaml.safe_dump(
        {"title": values["note_title"], "tags": [values["tag"]], "updated": "2025-04-20", "status": "growing"},
        allow_unicode=True,
    )
    return f"---\n{dumped}---\n\n노트 본문. [첫 글](../../posts/2025/04-01-one.md)\n"


def journal(path: Path, values: dict[str, str]) -> Path:
    files = {
        "posts/index.md": POSTS_INDEX,
        "notes/index.md": NOTES_INDEX,
        "notes/topic/note.md": note(values),
        "posts/2025/04-01-one.md": post(values, 1, 1),
        "posts/2025/04-02-two.md": post(values, 2, 2),
        "posts/2025/04-03-three.md": post(values, 3, 3),
    }
    return make_project(path, files, index=INDEX)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    root = tmp_path_factory.mktemp("hostile-frontmatter")
    built = []
    for name, values in (("benign", BENIGN), ("hostile", HOSTILE)):
        srcdir = journal(root / name, values)
        build = sphinx_build(srcdir, root / f"{name}-html")
        assert build.returncode == 0, build.output[-4000:]
        built.append(build)
    return built[0], built[1]


def output_files(build: Build, suffix: str) -> list[str]:
    return sorted(
        path.relative_to(build.outdir).as_posix()
        for path in build.outdir.rglob(f"*{suffix}")
        if "_static" not in path.parts and "_sources" not in path.parts
    )


def html_shape(markup: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every element in document order, with its attribute names: what escaping must keep equal."""
    soup = BeautifulSoup(markup, "html.parser")
    return [(tag.name, tuple(sorted(tag.attrs))) for tag in soup.find_all(True) if isinstance(tag, Tag)]


def first_difference(left: list, right: list) -> str:
    for index, (a, b) in enumerate(zip(left, right, strict=False)):
        if a != b:
            return f"element {index}: benign {a} / hostile {b}"
    return f"lengths {len(left)} / {len(right)}"


def test_both_sites_have_the_same_pages(builds: tuple[Build, Build]):
    benign_build, hostile_build = builds
    assert output_files(benign_build, ".html") == output_files(hostile_build, ".html")
    assert output_files(benign_build, ".xml") == output_files(hostile_build, ".xml")
    # Every page type is in the comparison (the oracle would pass vacuously otherwise).
    pages = output_files(hostile_build, ".html")
    for expected in ("index.html", "posts/index.html", "posts/2025/04-01-one.html", "notes/topic/note.html"):
        assert expected in pages
    for folder in ("blog/tag/", "blog/category/", "blog/author/", "blog/"):
        assert any(page.startswith(folder) for page in pages), folder
    assert "blog/series.html" in pages


def test_every_page_has_the_structure_of_the_benign_one(builds: tuple[Build, Build]):
    benign_build, hostile_build = builds
    different = []
    for page in output_files(hostile_build, ".html"):
        left = html_shape(benign_build.path(page).read_text(encoding="utf-8"))
        right = html_shape(hostile_build.path(page).read_text(encoding="utf-8"))
        if left != right:
            different.append(f"{page}: {first_difference(left, right)}")
    assert not different, "\n".join(different)


def test_hostile_values_are_shown_as_text(builds: tuple[Build, Build]):
    """The oracle above could pass if a value vanished: the text must be there, exactly."""
    hostile_build = builds[1]
    page = hostile_build.html("posts/2025/04-01-one")
    title = f"{clean_text(HOSTILE['title'])} 1"
    assert page.select_one("article h1").get_text(strip=True).removesuffix("#") == title
    assert page.select_one("#jb-print-docs-body h1").get_text() == title  # the theme's print header
    assert title in page.find("title").get_text()
    chips = [chip.get_text(strip=True) for chip in page.select(".journal-post-header .journal-chip")]
    assert chips == [f"#{tag}" for tag in to_labels([HOSTILE["tag"], HOSTILE["tag2"]])]
    image = page.select_one(".journal-feature-image img")
    assert image["src"] == HOSTILE["image"] and image["alt"] == HOSTILE["image_alt"]
    assert page.select_one(".journal-series strong").get_text() == HOSTILE["series"]
    home = hostile_build.html("index")
    excerpts = [p.get_text() for p in home.select(".journal-card-excerpt")]
    assert clean_text(HOSTILE["excerpt"]) in excerpts
    recent = hostile_build.html("posts/index").select(".ablog__recentposts a")
    assert any(HOSTILE["title"].split()[0] in link.get_text() for link in recent)
    tag_pages = [p.removesuffix(".html") for p in output_files(hostile_build, ".html") if p.startswith("blog/tag/")]
    tags_page = hostile_build.html(next(page for page in tag_pages if "svg" in page))  # the tag the note has
    assert HOSTILE["note_title"] in tags_page.get_text()


def xml_shape(path: Path) -> list[str]:
    return [element.tag for element in ET.parse(path).iter()]


def test_feeds_have_the_structure_of_the_benign_ones(builds: tuple[Build, Build]):
    benign_build, hostile_build = builds
    feeds = output_files(hostile_build, ".xml")
    assert any(feed.startswith("blog/tag/") for feed in feeds) and "blog/rss.xml" in feeds
    for feed in feeds:
        if feed == "sitemap.xml":
            continue
        assert xml_shape(benign_build.path(feed)) == xml_shape(hostile_build.path(feed)), feed
        parsed = feedparser.parse(hostile_build.path(feed).read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
        titles = {entry.title for entry in parsed.entries}
        assert f"{clean_text(HOSTILE['title'])} 1" in titles, feed


def test_search_index_holds_titles_as_text(builds: tuple[Build, Build]):
    """Sphinx's search shows titles with ``_escapeHTML``: the index must hold the text, not entities."""
    index = builds[1].path("searchindex.js").read_text(encoding="utf-8")
    assert "&lt;script" not in index
    assert "</title><script>alert(1)</script>" in index.replace("\\u003c", "<").replace("\\/", "/")

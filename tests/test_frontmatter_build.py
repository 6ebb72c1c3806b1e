"""The post contract on real builds: a table of unusual and malformed front matter, one tiny post per case.

All good cases share one temporary project and all bad cases another (two strict builds
in total); every assertion is still about one case's own file, page and messages.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest

from buildsite import Build, archive_titles, build_environment, make_project, post_source, sphinx_build

pytestmark = pytest.mark.slow

SEOUL = dt.timezone(dt.timedelta(hours=9))


def post(front_matter: str, body: str = "첫 문단입니다.\n\n## 소제목\n\n본문입니다.") -> str:
    return f"---\n{front_matter.strip()}\n---\n\n{body}\n"


@dataclass
class Good:
    """A post that must build; what the built site must say about it."""

    name: str
    front_matter: str
    title: str = "좋은 글"
    date: dt.datetime = dt.datetime(2025, 4, 12, tzinfo=SEOUL)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=lambda: ["김보라"])  # blog_default_author's name
    category: list[str] = field(default_factory=list)
    source: bytes | None = None  # raw bytes, when the text is not enough (BOM, line endings)

    @property
    def docname(self) -> str:
        return f"posts/2025/{self.name}"


GOOD = [
    Good("01-list-korean-tags", "title: 좋은 글\ndate: 2025-04-12\ntags: [오픈소스, 회고]", tags=["오픈소스", "회고"]),
    Good("02-comma-tags", "title: 좋은 글\ndate: 2025-04-12\ntags: python, 코드 리딩", tags=["python", "코드 리딩"]),
    Good("03-single-tag", "title: 좋은 글\ndate: 2025-04-12\ntags: 회고", tags=["회고"]),
    Good("04-number-tag", "title: 좋은 글\ndate: 2025-04-12\ntags: 2025", tags=["2025"]),
    Good(
        "05-quoted-list-items",
        "title: 좋은 글\ndate: 2025-04-12\ntags: ['오픈소스', \"회고\"]",
        tags=["오픈소스", "회고"],
    ),
    Good(
        "06-nfd-tag",
        "title: 좋은 글\ndate: 2025-04-12\ntags: [" + unicodedata.normalize("NFD", "회고") + "]",
        tags=["회고"],
    ),
    Good("07-author-list", "title: 좋은 글\ndate: 2025-04-12\nauthor: [bora, 민수]", authors=["김보라", "민수"]),
    Good("08-authors-comma", "title: 좋은 글\ndate: 2025-04-12\nauthors: 'bora, 민수'", authors=["김보라", "민수"]),
    Good("09-categories-list", "title: 좋은 글\ndate: 2025-04-12\ncategories: [기여, 회고]", category=["기여", "회고"]),
    Good(
        "10-date-minutes",
        "title: 좋은 글\ndate: 2025-04-12 21:30",
        date=dt.datetime(2025, 4, 12, 21, 30, tzinfo=SEOUL),
    ),
    Good(
        "11-date-seconds",
        "title: 좋은 글\ndate: 2025-04-12 21:30:15",
        date=dt.datetime(2025, 4, 12, 21, 30, 15, tzinfo=SEOUL),
    ),
    Good(
        "12-iso-seoul-offset",
        "title: 좋은 글\ndate: 2025-04-12T10:00:00+09:00",
        date=dt.datetime(2025, 4, 12, 10, tzinfo=SEOUL),
    ),
    Good(
        "13-utc-z-next-day-in-seoul",
        "title: 좋은 글\ndate: 2025-04-12T20:00:00Z",
        date=dt.datetime(2025, 4, 13, 5, tzinfo=SEOUL),
    ),
    Good(
        "14-jekyll-offset-no-colon",
        "title: 좋은 글\ndate: 2025-04-12 20:00:00 -0500",
        date=dt.datetime(2025, 4, 13, 10, tzinfo=SEOUL),
    ),
    Good("15-quoted-date", "title: 좋은 글\ndate: '2025-04-12'"),
    Good("16-image-path", "title: 좋은 글\ndate: 2025-04-12\nimage: cover.png"),
    Good("17-feature-image-url", "title: 좋은 글\ndate: 2025-04-12\nfeature_image: https://example.com/cover.png"),
    Good("18-image-mapping", "title: 좋은 글\ndate: 2025-04-12\nimage: {path: cover.png, alt: 표지}"),
    Good("19-nocomments", "title: 좋은 글\ndate: 2025-04-12\nnocomments: true"),
    Good("20-series-lang-updated", "title: 좋은 글\ndate: 2025-04-12\nseries: OSSCA\nlang: en\nupdated: 2025-05-01"),
    Good("21-foreign-keys", "title: 좋은 글\ndate: 2025-04-12\nlayout: post\npermalink: /x/\ncomments: true"),
    Good(
        "22-markup-in-title", 'title: "SDK: `code` *별* & [노트]"\ndate: 2025-04-12', title="SDK: `code` *별* & [노트]"
    ),
    Good("23-draft-false", "title: 좋은 글\ndate: 2025-04-12\ndraft: false"),
    Good("24-excerpt", "title: 좋은 글\ndate: 2025-04-12\ntags: [요약]\nexcerpt: 목록에만 보이는 요약", tags=["요약"]),
    Good(
        "25-bom-and-crlf",
        "",
        tags=["회고"],
        source="\ufeff---\r\ntitle: 좋은 글\r\ndate: 2025-04-12\r\ntags: [회고]\r\n---\r\n\r\n본문입니다.\r\n".encode(),
    ),
]


@dataclass
class Bad:
    """A post that must fail the build with exactly one message, at *line*, naming *key*, saying *says*."""

    name: str
    source: str | bytes
    line: int
    key: str | None
    says: str

    @property
    def path(self) -> str:
        return f"posts/2025/{self.name}.md"


BAD = [
    Bad("01-impossible-date", post("title: 글\ndate: 2025-13-45"), 3, "date", "'2025-13-45' is not a real date"),
    Bad("02-date-format", post("title: 글\ndate: 12/04/2025"), 3, "date", "use one of YYYY-MM-DD"),
    Bad("03-date-number", post("title: 글\ndate: 20250412"), 3, "date", "expected a date"),
    Bad("04-no-date", post("title: 글\ntags: [회고]"), 2, "date", "missing; add e.g. 'date:"),
    Bad("05-typo-tag", post("title: 글\ndate: 2025-04-12\ntag: [회고]"), 4, "tag", "did you mean 'tags'?"),
    Bad("06-typo-title-case", post("Title: 글\ndate: 2025-04-12"), 2, "Title", "did you mean 'title'?"),
    Bad(
        "07-typo-categroy", post("title: 글\ndate: 2025-04-12\ncatgory: 기여"), 4, "catgory", "did you mean 'category'?"
    ),
    Bad("08-tags-mapping", post("title: 글\ndate: 2025-04-12\ntags: {a: 1}"), 4, "tags", "got a mapping"),
    Bad("09-nested-list", post("title: 글\ndate: 2025-04-12\ntags: [[a, b]]"), 4, "tags", "got a list inside it"),
    Bad("10-draft-maybe", post("title: 글\ndate: 2025-04-12\ndraft: maybe"), 4, "draft", "expected true or false"),
    Bad("11-title-list", post("title: [가, 나]\ndate: 2025-04-12"), 2, "title", "expected text, got a list"),
    Bad("12-empty-title", post("title: ''\ndate: 2025-04-12"), 2, "title", "is empty"),
    Bad("13-excerpt-count", post("title: 글\ndate: 2025-04-12\nexcerpt: 2"), 4, "excerpt", "expected text"),
    Bad("14-image-number", post("title: 글\ndate: 2025-04-12\nimage: 1"), 4, "image", "expected a path or URL"),
    Bad("15-lang-name", post("title: 글\ndate: 2025-04-12\nlang: 한국어"), 4, "lang", "expected a language code"),
    Bad("16-unquoted-colon", post("title: SDK: 리뷰\ndate: 2025-04-12"), 2, "title", "invalid YAML"),
    Bad("17-unclosed-list", post("title: 글\ntags: [a, b\ndate: 2025-04-12"), 3, "tags", "invalid YAML"),
    Bad("18-tab-indent", post("title: 글\ndate: 2025-04-12\nimage:\n\tpath: a.png"), 4, "image", "not tabs"),
    Bad("19-unclosed-quote", post("title: '글\ndate: 2025-04-12"), 2, "title", "close the quote"),
    Bad("20-yaml-list", post("- title\n- date"), 2, None, "front matter must be a mapping"),
    Bad("21-no-front-matter", "# 제목\n\n본문입니다.\n", 1, None, "no front matter"),
    Bad("22-repeated-key", post("title: 글\ndate: 2025-04-12\ndate: 2025-04-13"), 4, "date", "appears twice"),
    Bad(
        "23-alias-twice", post("title: 글\ndate: 2025-04-12\ncategory: a\ncategories: b"), 5, "categories", "duplicates"
    ),
    Bad("24-bad-updated", post("title: 글\ndate: 2025-04-12\nupdated: 어제"), 4, "updated", "is not a date"),
    Bad("25-not-utf8", post("title: 글\ndate: 2025-04-12").encode("euc-kr"), 1, None, "not UTF-8 text"),
    # Checks across posts: 30-good-neighbour (below) comes first and owns the spelling / URL.
    Bad("31-tag-case-clash", post("title: 글\ndate: 2025-04-12\ntags: [Python]"), 4, "tags", "would share the page"),
    Bad("32-tag-without-letters", post("title: 글\ndate: 2025-04-12\ntags: ['!!!']"), 4, "tags", "no letter or digit"),
    Bad("33-author-name-clash", post("title: 글\ndate: 2025-04-12\nauthor: 김보라"), 4, "author", "'bora'"),
    Bad("34-url-case", post("title: 글\ndate: 2025-04-12"), 1, None, "only in letter case"),
    # ABlog's slug drops punctuation: 'nextjs' would be the neighbour's 'next.js' page, blog/tag/nextjs.html
    Bad("35-tag-punctuation-clash", post("title: 글\ndate: 2025-04-12\ntags: [nextjs]"), 4, "tags", "'next.js'"),
]
#: Posts of the bad project that are fine on their own.
NEIGHBOURS = {
    "posts/2025/30-good-neighbour.md": post("title: 이웃\ndate: 2025-04-12\ntags: [python, next.js]\nauthor: bora"),
    "posts/2025/34-URL-case.md": post("title: 대문자\ndate: 2025-04-12"),
}


def write_sources(project: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())


def build_project(root: Path, files: dict[str, str | bytes]) -> Build:
    project = make_project(root, {})
    write_sources(project, files)
    return sphinx_build(project, project / "_build" / "html", doctreedir=project / "_build" / "doctrees")


#: A 1x1 PNG: the feature image the image cases point at (a missing image is an error of its own).
COVER_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201a5b1b0e90000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> Build:
    files: dict[str, str | bytes] = {f"{case.docname}.md": case.source or post(case.front_matter) for case in GOOD}
    files["posts/2025/cover.png"] = COVER_PNG
    files["listing.md"] = EXCERPT_LISTING
    return build_project(tmp_path_factory.mktemp("good"), files)


#: A page listing the 요약 posts with their excerpts, as the journal index does (archives show none).
EXCERPT_LISTING = "---\norphan: true\n---\n# 요약\n\n```{postlist}\n:tags: 요약\n:excerpts:\n```\n"


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory) -> Build:
    files: dict[str, str | bytes] = {case.path: case.source for case in BAD}
    return build_project(tmp_path_factory.mktemp("bad"), files | NEIGHBOURS)


@pytest.fixture(scope="module")
def good_env(good_build: Build):
    with (good_build.srcdir / "_build" / "doctrees" / "environment.pickle").open("rb") as stream:
        return pickle.load(stream)  # our own build's environment


def test_tables_are_big_enough():
    assert len(GOOD) >= 20
    assert len(BAD) >= 20
    assert len({case.name for case in GOOD}) == len(GOOD)
    assert len({case.name for case in BAD}) == len(BAD)


# --- good cases ------------------------------------------------------------------


def test_good_posts_build_strictly(good_build: Build):
    assert good_build.returncode == 0, good_build.output[-3000:]
    assert good_build.warnings == []


def postcard(build: Build, docname: str, folder: str) -> list:
    """The post card's links to archive pages in ``blog/<folder>/`` (tag, author, category), in order."""
    links = build.html(docname).select(".ablog__postcard a[href]")
    return [a for a in links if f"blog/{folder}/" in unquote(a["href"])]


@pytest.mark.parametrize("case", GOOD, ids=lambda case: case.name)
def test_good_post_page(good_build: Build, case: Good):
    page = good_build.html(case.docname)
    assert page.find("h1").get_text(strip=True).rstrip("#") == case.title
    shown_date = page.select_one(".ablog__postcard h2").get_text(strip=True)  # "2025-04-12" or "2025년 4월 12일"
    assert [int(number) for number in re.findall(r"\d+", shown_date)] == [
        case.date.year,
        case.date.month,
        case.date.day,
    ]
    assert [a.get_text(strip=True) for a in postcard(good_build, case.docname, "tag")] == case.tags
    assert [a.get_text(strip=True) for a in postcard(good_build, case.docname, "author")] == case.authors
    assert [a.get_text(strip=True) for a in postcard(good_build, case.docname, "category")] == case.category


@pytest.mark.parametrize("case", GOOD, ids=lambda case: case.name)
def test_good_post_date_and_labels_as_abLog_stores_them(good_env, case: Good):
    meta = good_env.journal_posts[case.docname]
    assert meta.date == case.date
    assert meta.date.utcoffset() == dt.timedelta(hours=9)  # read or converted into the site's zone
    (postinfo,) = good_env.ablog_posts[case.docname]
    assert postinfo["date"] == case.date.replace(tzinfo=None)  # naive Seoul time: what ABlog can compare
    assert postinfo["tags"] == case.tags
    assert all(unicodedata.is_normalized("NFC", tag) and "\\u" not in tag for tag in postinfo["tags"])


@pytest.mark.parametrize("case", [c for c in GOOD if c.tags], ids=lambda case: case.name)
def test_tag_links_are_nfc_files_on_disk(good_build: Build, case: Good):
    page_dir = good_build.path(case.docname + ".html").parent
    for link in postcard(good_build, case.docname, "tag"):
        relative = unquote(link["href"])
        assert unicodedata.is_normalized("NFC", relative), relative
        assert (page_dir / relative).resolve().is_file(), relative


def test_korean_tag_url_can_be_typed(good_build: Build):
    """The URL a person types (NFC) is the file's name; there is one 회고 page, NFD input included."""
    tag_dir = good_build.path("blog/tag")
    names = {path.name for path in tag_dir.glob("*.html")}
    assert "회고.html" in names
    assert "코드-리딩.html" in names
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    titles = archive_titles(good_build.html("blog/tag/회고"))
    assert len(set(titles)) == 1  # every 회고 post shares the one title "좋은 글", NFD spelling included
    assert len(titles) == 5


def test_author_and_category_urls_are_nfc(good_build: Build):
    for folder in ("author", "category"):
        names = [path.name for path in good_build.path(f"blog/{folder}").glob("*.html")]
        assert names and all(unicodedata.is_normalized("NFC", name) for name in names)
    assert good_build.path("blog/author/민수.html").is_file()
    assert good_build.path("blog/category/기여.html").is_file()


def test_excerpt_replaces_the_first_paragraph_in_listings(good_build: Build):
    listing = good_build.html("listing").get_text(" ", strip=True)
    assert "목록에만 보이는 요약" in listing
    assert "첫 문단입니다" not in listing
    archive = good_build.html("blog/tag/요약")
    assert archive_titles(archive) == ["좋은 글"]
    assert "목록에만 보이는 요약" not in archive.get_text(" ", strip=True), "an archive's rows carry no excerpt"


def test_markup_in_a_title_stays_text(good_build: Build):
    h1 = good_build.html("posts/2025/22-markup-in-title").find("h1")
    assert h1.find("code") is None and h1.find("em") is None


# --- bad cases -------------------------------------------------------------------


def test_bad_posts_fail_the_strict_build(bad_build: Build):
    assert bad_build.returncode != 0


def test_no_traceback_and_no_second_opinion_from_myst(bad_build: Build):
    assert "Traceback" not in bad_build.output
    assert "Exception occurred" not in bad_build.output
    assert "Malformed YAML" not in bad_build.output  # MyST never reads a post we rejected
    assert "[myst." not in bad_build.output


@pytest.mark.parametrize("case", BAD, ids=lambda case: case.name)
def test_bad_post_has_one_message_naming_file_line_and_key(bad_build: Build, case: Bad):
    messages = [line for line in bad_build.warnings if f"{case.path}:" in line]
    assert len(messages) == 1, messages
    (message,) = messages
    prefix = f"{case.path}:{case.line}: WARNING: " + (f"{case.key}: " if case.key else "")
    assert prefix in message
    assert case.says in message.split(prefix, 1)[1]
    assert message.rstrip().endswith("[journal.frontmatter]") and message.count("[journal.") == 1


@pytest.mark.parametrize("case", BAD, ids=lambda case: case.name)
def test_bad_post_is_not_built(bad_build: Build, case: Bad):
    assert not bad_build.path(case.path.removesuffix(".md") + ".html").exists()


def test_the_neighbours_build_and_own_their_spelling(bad_build: Build):
    assert bad_build.path("posts/2025/30-good-neighbour.html").is_file()
    assert bad_build.path("posts/2025/34-URL-case.html").is_file()
    assert bad_build.path("blog/tag/python.html").is_file()
    assert not [line for line in bad_build.warnings if "neighbour" in line or "34-URL-case.md" in line]


def test_rebuilds_report_a_broken_post_every_time_and_see_it_fixed(tmp_path: Path):
    """Front matter parsed once is reused while the file is untouched: same warnings, and an edit is seen."""
    good = post_source("고친 글", date="2025-04-12 10:00:00")
    src = make_project(tmp_path / "src", {"posts/2025/04-12-a.md": good.replace("2025-04-12 10:00:00", "2025-13-45")})
    outdir, doctrees = tmp_path / "html", tmp_path / "doctrees"
    for _ in range(2):
        build = sphinx_build(src, outdir, doctreedir=doctrees)
        assert build.returncode != 0
        assert [line for line in build.warnings if "04-12-a.md:3: WARNING: date: '2025-13-45'" in line], build.warnings
    (src / "posts/2025/04-12-a.md").write_text(good, encoding="utf-8")
    fixed = sphinx_build(src, outdir, doctreedir=doctrees)
    assert fixed.returncode == 0, fixed.output[-3000:]
    assert fixed.html("posts/2025/04-12-a").select_one("h1").get_text(strip=True).startswith("고친 글")


COUNTING_BUILD = """
import atexit, sys
import journal.content.posts as posts
calls = []
parse_post = posts.parse_post
posts.parse_post = lambda *args, **kwargs: calls.append(args[0]) or parse_post(*args, **kwargs)
atexit.register(lambda: print(f"front matter parsed {len(calls)} times"))
from sphinx.cmd.build import main
sys.exit(main(sys.argv[1:]))
"""

RETITLING_EXTENSION = """
def retitle(app, docname, source):
    source[0] = source[0].replace("title: '둘째 글'", "title: '읽는 동안 바뀐 둘째 글'")

def setup(app):
    app.connect("source-read", retitle, priority=100)
"""


def test_front_matter_is_parsed_once_per_post_and_again_when_the_read_text_differs(tmp_path: Path) -> None:
    """The parse made at config-inited serves the page when Sphinx reads the same text; text
    changed before the contract sees it (here by another source-read handler) is parsed again."""
    posts = {
        f"posts/2025/0{n}-post.md": post_source(title, date=f"2025-04-0{n} 09:00:00")
        for n, title in enumerate(["첫 글", "둘째 글", "셋째 글"], start=1)
    }
    project = make_project(tmp_path / "site", {**posts, "retitling.py": RETITLING_EXTENSION})
    (tmp_path / "count.py").write_text(COUNTING_BUILD, encoding="utf-8")

    def build(*extensions: str) -> tuple[str, Build]:
        conf = (project / "conf.py").read_text(encoding="utf-8").split("\n# test extensions\n")[0]
        lines = [f"extensions.append({name!r})" for name in extensions]
        (project / "conf.py").write_text(
            conf + "\n# test extensions\nimport sys; sys.path.insert(0, '.')\n" + "\n".join(lines) + "\n",
            encoding="utf-8",
        )
        out = tmp_path / f"out-{len(extensions)}"
        command = [sys.executable, str(tmp_path / "count.py"), "-b", "html", "-W", "--keep-going", "-n", "-j", "1"]
        command += [str(project), str(out), "-d", str(tmp_path / f"doctrees-{len(extensions)}")]
        done = subprocess.run(command, capture_output=True, text=True, env=build_environment(), cwd=project)
        assert done.returncode == 0, done.stdout + done.stderr
        parsed = re.search(r"front matter parsed (\d+) times", done.stdout + done.stderr)
        assert parsed, done.stdout + done.stderr
        return parsed[1], Build(project, out, done.returncode, done.stdout)

    count, site = build()
    assert count == "3"
    assert site.html("posts/2025/02-post").find("h1").get_text(strip=True).rstrip("#") == "둘째 글"

    count, site = build("retitling")
    assert count == "4"
    assert site.html("posts/2025/02-post").find("h1").get_text(strip=True).rstrip("#") == "읽는 동안 바뀐 둘째 글"

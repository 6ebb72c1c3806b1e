"""Wikilinks (``journal.content.wikilinks``) on real builds: every form resolves to the right page,
heading and text; broken ones fail the strict build at their line with the candidates; inside code
they stay text; incremental builds (target retitled, target deleted) equal clean ones, ``-j 2``
equals serial, and backlinks count them."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from buildsite import Build, make_project, output_files, post_source, sphinx_build

pytestmark = pytest.mark.slow

INDEX = """# 시험 일지

```{toctree}
:glob:
:hidden:

posts/*/*
notes/index
```
"""
NOTES_INDEX = "# 노트\n\n```{toctree}\n:glob:\n\n*/index\n```\n"
TOPIC_INDEX = "# 개발 환경\n\n```{toctree}\n:glob:\n\n*\n```\n"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="12" height="8"><rect width="12" height="8"/></svg>'
DEVSTACK = "---\ntitle: DevStack 설치 정리\nstatus: evergreen\n---\n\n처음 문단.\n\n## 설치 순서\n\n차례대로.\n"
POST_A = "posts/2025/04-12-a.md"
#: Post A's body: every form, one a line (the line numbers count from the file's first line).
A_BODY = """제목으로 [[DevStack 설치 정리]].

이름으로 [[devstack]].

경로로 [[notes/dev-env/devstack]].

제목과 이름표 [[devstack#설치 순서|설치 순서]].

이름표만 [[devstack|데브스택 노트]].

제목만 [[devstack#설치 순서]].

같은 쪽의 [[#더 읽기]].

그림 ![[diagram.svg]], 옆의 그림 ![[local.svg|옆 그림]].

코드 `[[devstack]]` 그대로, 수식 $[[x]]$ 그대로, 풀어 쓴 \\[[devstack]] 그대로.

```text
[[devstack]]
```

## 더 읽기

끝.
"""


def files(devstack: str = DEVSTACK) -> dict[str, str]:
    return {
        "notes/index.md": NOTES_INDEX,
        "notes/dev-env/index.md": TOPIC_INDEX,
        "notes/dev-env/devstack.md": devstack,
        "notes/dev-env/tox.md": "# tox 노트\n\n[[DevStack 설치 정리]]와 함께 쓴다.\n",
        "notes/dev-env/images/diagram.svg": SVG,
        "posts/2025/local.svg": SVG,
        POST_A: post_source("글 A", "2025-04-12 10:00:00", A_BODY),
    }


def build(project: Path, out: Path, *args: str) -> Build:
    return sphinx_build(project, out / "html", doctreedir=out / "doctrees", args=list(args))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Build:
    base = tmp_path_factory.mktemp("wikilinks")
    built = build(make_project(base / "project", files(), index=INDEX), base / "out")
    assert built.returncode == 0, built.output[-3000:]
    assert built.warnings == []
    return built


def wikilinks(built: Build, pagename: str) -> list[tuple[str, str]]:
    """(text, href) of each wikilink on *pagename*, in order."""
    found = []
    for span in built.html(pagename).select("article span.journal-wikilink"):
        link = span.find_parent("a")
        found.append((span.get_text(), link["href"] if link else ""))
    return found


def line_of(text: str, needle: str) -> int:
    """The line of *needle* in a file written by ``post_source`` (front matter first)."""
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


# --- resolution ----------------------------------------------------------------------------


NOTE = "../../notes/dev-env/devstack.html"
RESOLUTION_TABLE = [
    ("DevStack 설치 정리", NOTE),  # by title
    ("DevStack 설치 정리", NOTE),  # by file name
    ("DevStack 설치 정리", NOTE),  # by path
    ("설치 순서", NOTE + "#id1"),  # heading and label
    ("데브스택 노트", NOTE),  # label
    ("DevStack 설치 정리 › 설치 순서", NOTE + "#id1"),  # heading: the page's title and the heading's
    ("더 읽기", "#id1"),  # a heading of the page itself
]


def test_every_form_resolves_to_its_page_and_text(site: Build):
    assert wikilinks(site, "posts/2025/04-12-a") == RESOLUTION_TABLE
    note = site.html("notes/dev-env/devstack")
    assert note.select_one("#id1 h2").get_text().startswith("설치 순서"), "the anchor is the heading's"
    assert wikilinks(site, "notes/dev-env/tox") == [("DevStack 설치 정리", "devstack.html")]


def test_links_are_ordinary_internal_references(site: Build):
    for span in site.html("posts/2025/04-12-a").select("article span.journal-wikilink"):
        assert "internal" in span.find_parent("a")["class"]
    assert not site.html("posts/2025/04-12-a").select("article .journal-wikilink-missing")


def test_images_beside_the_page_and_by_unique_file_name(site: Build):
    images = site.html("posts/2025/04-12-a").select("article img.journal-wikiimage")
    assert [(img["alt"], img["src"]) for img in images] == [
        ("diagram", "../../_images/diagram.svg"),
        ("옆 그림", "../../_images/local.svg"),
    ]
    assert site.path("_images/diagram.svg").read_text() == SVG


def test_inside_code_and_math_and_escaped_they_stay_text(site: Build):
    article = site.html("posts/2025/04-12-a").select_one("article")
    assert [code.get_text() for code in article.select("p code")] == ["[[devstack]]"]
    assert "[[devstack]]" in article.select_one("pre").get_text()
    assert article.select_one("math")["alttext"] == "[[x]]"
    assert "풀어 쓴 [[devstack]] 그대로" in article.get_text()
    assert not article.select("code .journal-wikilink, pre .journal-wikilink, math .journal-wikilink")


def test_backlinks_list_pages_linking_by_wikilink(site: Build):
    page = site.html("notes/dev-env/devstack")
    linking = [a.get_text(strip=True) for a in page.select("nav.journal-backlinks li.journal-backlink a")]
    assert linking == ["글 A", "tox 노트"]


# --- broken wikilinks ----------------------------------------------------------------------


BROKEN_BODY = """첫 줄.

모호한 [[devstack]] 링크.

없는 [[없는 노트]] 링크, 없는 제목 [[notes/dev-env/devstack#없는 절]].

없는 그림 ![[nowhere.svg]].
"""


def test_ambiguous_and_missing_targets_fail_the_strict_build_at_their_line(tmp_path: Path):
    broken = {
        **files(),
        "notes/ops/index.md": TOPIC_INDEX.replace("개발 환경", "운영"),
        "notes/ops/devstack.md": "# 운영 DevStack\n\n다른 DevStack 노트.\n",
        POST_A: post_source("글 A", "2025-04-12 10:00:00", BROKEN_BODY),
    }
    built = build(make_project(tmp_path / "project", broken, index=INDEX), tmp_path / "out")
    assert built.returncode != 0
    source = broken[POST_A]
    where = f"{tmp_path / 'project' / POST_A}"
    expected = [
        (
            line_of(source, "모호한"),
            '[[devstack]] is ambiguous: notes/dev-env/devstack ("DevStack 설치 정리"), '
            'notes/ops/devstack ("운영 DevStack"); write its path',
        ),
        (line_of(source, "없는 노트"), "[[없는 노트]] names no page"),
        (
            line_of(source, "없는 절"),
            "[[notes/dev-env/devstack#없는 절]]: notes/dev-env/devstack has no heading '없는 절' "
            '(its headings: "설치 순서")',
        ),
        (line_of(source, "nowhere"), "![[nowhere.svg]]: no such image beside the page or anywhere in the project"),
    ]
    warned = sorted(line for line in built.warnings if "journal.wikilink" in line)
    assert warned == sorted(f"{where}:{line}: WARNING: {message} [journal.wikilink]" for line, message in expected)
    assert len([w for w in built.warnings if "journal.wikilink" not in w]) == 0, built.warnings
    article = built.html("posts/2025/04-12-a").select_one("article")
    assert [s.get_text() for s in article.select(".journal-wikilink-missing")] == [
        "[[devstack]]",
        "[[없는 노트]]",
        "[[notes/dev-env/devstack#없는 절]]",
        "![[nowhere.svg]]",
    ]


def test_a_misspelt_target_names_the_near_ones(tmp_path: Path):
    body = "비슷한 [[DevStack 설치정리]] 링크.\n"
    project = make_project(tmp_path / "project", {**files(), POST_A: post_source("글 A", body=body)}, index=INDEX)
    built = build(project, tmp_path / "out")
    assert built.returncode != 0
    assert any(
        "[[DevStack 설치정리]] names no page; did you mean: DevStack 설치 정리" in line for line in built.warnings
    ), built.warnings


# --- incremental and parallel builds ------------------------------------------------------------


def warnings_in(built: Build) -> list[str]:
    return sorted(line.replace(f"{built.srcdir}/", "") for line in built.warnings)


def clean_build_of(project: Path, out: Path) -> tuple[Build, dict[str, bytes]]:
    copy = out.parent / (out.name + "-sources")
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("_build"))
    built = build(copy, out)
    return built, output_files(out / "html")


def test_incremental_builds_follow_a_retitled_and_a_deleted_target(tmp_path: Path):
    project = make_project(tmp_path / "project", files(), index=INDEX)
    first = build(project, tmp_path / "incremental")
    assert first.returncode == 0, first.output[-3000:]

    (project / "notes/dev-env/devstack.md").write_text(DEVSTACK.replace("DevStack 설치 정리", "DevStack 설치 노트"))
    retitled = build(project, tmp_path / "incremental")
    assert retitled.returncode == 1, "[[DevStack 설치 정리]] by title names no page now"
    assert re.search(r"04-12-a\.md:\d+: WARNING: \[\[DevStack 설치 정리\]\] names no page", retitled.output)
    assert "tox.md:3: WARNING: [[DevStack 설치 정리]] names no page" in retitled.output
    texts = [text for text, _ in wikilinks(Build(project, tmp_path / "incremental/html", 0, ""), "posts/2025/04-12-a")]
    assert texts[:2] == ["DevStack 설치 노트", "DevStack 설치 노트"], (
        "by file name and path: the new title (by title: missing)"
    )
    clean, clean_files = clean_build_of(project, tmp_path / "clean-retitled")
    assert warnings_in(clean) == warnings_in(retitled)
    incremental_files = output_files(tmp_path / "incremental/html")
    assert [name for name in clean_files if clean_files[name] != incremental_files.get(name)] == []
    assert sorted(incremental_files) == sorted(clean_files)

    (project / "notes/dev-env/devstack.md").unlink()
    deleted = build(project, tmp_path / "incremental")
    assert deleted.returncode == 1
    assert re.search(r"04-12-a\.md:\d+: WARNING: \[\[devstack\]\] names no page", deleted.output)
    clean, clean_files = clean_build_of(project, tmp_path / "clean-deleted")
    assert warnings_in(clean) == warnings_in(deleted)
    incremental_files = output_files(tmp_path / "incremental/html")
    assert [name for name in clean_files if clean_files[name] != incremental_files.get(name)] == []
    assert sorted(incremental_files) == sorted(clean_files)


def test_excerpts_on_listing_pages_follow_a_moved_heading(tmp_path: Path):
    """A wikilink in a post's first paragraph is shown on every listing page of the post: when the
    heading it names gets another anchor (a heading added above it), those pages change too. B is
    the older post: with one post a page it is on the journal index's page 2 (posts/page/2). The
    move comes after a build that changed nothing, whose kept excerpts and feed entries must not
    be taken for this build's (they were stamped with the wikilinks' targets before the move)."""
    sources = {
        **files(),
        "posts/2025/04-11-b.md": post_source("글 B", "2025-04-11 10:00:00", "[[devstack#설치 순서]]부터."),
        "posts/index.md": "---\norphan: true\n---\n# 모든 글\n\n```{postlist}\n:excerpts:\n```\n",
    }
    project = make_project(tmp_path / "project", sources, index=INDEX)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\njournal_listing_page_size = 1\n")
    # The heading comes first; then it is moved below the other: every title stays, its anchor changes.
    (project / "notes/dev-env/devstack.md").write_text(DEVSTACK + "\n## 준비할 것\n\n메모리.\n", encoding="utf-8")
    assert build(project, tmp_path / "incremental").returncode == 0
    # A build that changes nothing: what it keeps is stamped with this build's resolutions.
    assert build(project, tmp_path / "incremental").returncode == 0
    moved = DEVSTACK.replace("## 설치 순서", "## 준비할 것\n\n메모리.\n\n## 설치 순서")
    (project / "notes/dev-env/devstack.md").write_text(moved, encoding="utf-8")
    again = build(project, tmp_path / "incremental")
    assert again.returncode == 0, again.output[-3000:]
    clean, clean_files = clean_build_of(project, tmp_path / "clean")
    assert clean.returncode == 0
    incremental_files = output_files(tmp_path / "incremental/html")
    assert b"devstack.html#id2" in clean_files["posts/page/2.html"], "the listing shows the excerpt's link"
    assert b"devstack.html#id2" not in clean_files["blog.html"], "an archive's compact rows show no excerpt"
    assert [name for name in clean_files if clean_files[name] != incremental_files.get(name)] == []


def test_parallel_build_equals_serial(site: Build, tmp_path: Path):
    parallel = build(site.srcdir, tmp_path / "parallel", "-j", "2")
    assert parallel.returncode == 0, parallel.output[-3000:]
    serial, both = output_files(site.outdir), output_files(tmp_path / "parallel/html")
    assert sorted(both) == sorted(serial)
    assert [name for name in serial if serial[name] != both[name]] == []


# --- parsing and the other doors --------------------------------------------------------------


def test_the_markdown_rule_makes_roles_with_their_lines():
    from journal.content.wikilinks import wikilink_plugin

    md = MarkdownIt().use(wikilink_plugin)
    tokens = md.parse("첫 줄\n둘째 [[a#b|c]] 줄\n셋째 ![[x.svg]]\n\n`[[code]]` [[]] [[a\nb]]")
    roles = [(t.meta["name"], t.content, t.map) for b in tokens for t in b.children or [] if t.type == "myst_role"]
    assert roles == [("wikilink", "a#b|c", [1, 2]), ("wikiimage", "x.svg", [2, 3])]


def test_journal_new_writes_no_wikilink():
    from journal.commands.newpost import BODY

    assert "[[" not in BODY


def test_readme_shows_how_to_write_a_wikilink():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "[[DevStack 설치 정리]]" in readme and "![[" in readme


SAMPLE_WIKILINKS = {
    "notes/contribution/zuul-ci": [("정리해 둔 순서", "../dev-env/devstack.html#id1")],
    "posts/2025/04-26-devstack": [("DevStack 설치 정리", "../../notes/dev-env/devstack.html")],
}


def test_the_sample_site_shows_wikilinks(tmp_path: Path):
    from buildsite import ROOT

    built = sphinx_build(ROOT, tmp_path / "html")
    assert built.returncode == 0, built.output[-3000:]
    assert {page: wikilinks(built, page) for page in SAMPLE_WIKILINKS} == SAMPLE_WIKILINKS
    heading = built.html("notes/dev-env/devstack").select_one("section#id1 h2").get_text()
    assert heading.startswith("설치, 확인, 다시 설치")
    image = built.html("notes/contribution/zuul-ci").select_one("article img.journal-wikiimage")
    assert image["src"] == "../../_images/devstack-vm.svg" and image["alt"].startswith("한 VM 안에서")


def test_what_a_first_build_keeps_serves_the_next_build(tmp_path: Path):
    """Excerpts and feed entries kept by a project's first build are stamped with where its
    wikilinks land, as the next build stamps them: editing one post renders that post again,
    not every kept one (they were stamped before the wikilinks were resolved)."""
    sources = {**files(), "posts/2025/04-11-b.md": post_source("글 B", "2025-04-11 10:00:00", "[[devstack]]을 보자.")}
    project = make_project(tmp_path / "project", sources, index=INDEX)
    assert build(project, tmp_path / "out").returncode == 0
    kept = {name: pickle.loads((tmp_path / f"out/doctrees/journal-{name}.pickle").read_bytes()) for name in KEPT}
    assert all(state["fragments"] for state in kept.values())

    post_b = project / "posts/2025/04-11-b.md"
    post_b.write_text(post_b.read_text(encoding="utf-8") + "\n한 문단 더.\n", encoding="utf-8")
    assert build(project, tmp_path / "out").returncode == 0
    for name, before in kept.items():
        after = pickle.loads((tmp_path / f"out/doctrees/journal-{name}.pickle").read_bytes())
        assert after["stamp"] == before["stamp"], name
        unchanged = {key for key in before["fragments"] if key[0] != "posts/2025/04-11-b"}
        assert unchanged and unchanged <= after["fragments"].keys(), name


KEPT = ("fragments", "feed-items")

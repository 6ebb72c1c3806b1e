"""Backlinks on real builds: a small graph of posts and notes, incremental rebuilds against clean
builds, parallel reads, glossary term uses, and broken references failing the strict build."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from buildsite import Build, make_project, post_source, sphinx_build

pytestmark = pytest.mark.slow

INDEX = """# 시험 일지

```{notelist} 5
```

```{toctree}
:glob:
:hidden:

posts/*/*
notes/*
glossary
```
"""
GLOSSARY = """# 용어집

```{glossary}
DevStack
  한 대에 설치하는 OpenStack.

Gerrit
  리뷰 도구.
```
"""
A = "posts/2025/04-12-a.md"
B = "posts/2025/04-13-b.md"
N = "notes/n.md"
M = "notes/m.md"
C = "posts/2025/04-14-c.md"
A_LINKS_N = "노트 {doc}`/notes/n`를 보라. {term}`DevStack`도 썼다."
A_ALONE = "이제 아무 노트도 가리키지 않는다. {term}`DevStack`만 썼다."


def graph(a_body: str = A_LINKS_N) -> dict[str, str]:
    """Post A -> note N, note M -> note N, post B -> post A; A uses the term DevStack."""
    return {
        A: post_source("글 A", "2025-04-12 10:00:00", a_body),
        B: post_source("글 B", "2025-04-13 10:00:00", "앞의 [A 글](04-12-a.md)에서 이어진다."),
        N: "---\ntags: [openstack]\nupdated: 2025-05-01\nstatus: growing\n---\n# 노트 N\n\n링크가 없는 노트.\n",
        M: "# 노트 M\n\n{doc}`n`와 함께 읽는다.\n",
        "glossary.md": GLOSSARY,
    }


def backlinks(build: Build, pagename: str) -> list[tuple[str, str, str]]:
    """(linking docname, title, kind and date) of each backlink shown on *pagename*."""
    page = build.path(pagename + ".html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for item in soup.select("nav.journal-backlinks li.journal-backlink"):
        link = item.select_one("a")
        source = (page.parent / link["href"]).resolve().relative_to(build.outdir.resolve())
        time = item.select_one("time")
        meta = item.select_one(".journal-backlink__meta")
        kind = meta.get_text(strip=True).split()[0] if meta else ""
        described = f"{kind} {time['datetime'][:10]}" if time else kind
        found.append((source.with_suffix("").as_posix(), link.get_text(strip=True), described))
    return found


def term_uses(build: Build) -> dict[str, list[str]]:
    soup = build.html("glossary")
    uses = {}
    for term in soup.select("dl.glossary > dt"):
        links = term.find_next_sibling("dd").select(".journal-term-uses a")
        uses[term.get_text(strip=True).rstrip("#¶")] = [a.get_text(strip=True) for a in links]
    return uses


def docnames(build: Build) -> list[str]:
    return [p.relative_to(build.outdir).with_suffix("").as_posix() for p in build.pages()]


def backlink_sections(build: Build) -> dict[str, str]:
    """Every page's backlinks, term uses, note header and note list, as HTML: what incremental and clean builds
    must agree on."""
    sections = {}
    for page in build.pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        parts = soup.select("nav.journal-backlinks, .journal-term-uses, .journal-note-meta, .journal-notelist")
        sections[page.relative_to(build.outdir).as_posix()] = "\n".join(str(part) for part in parts)
    return sections


def edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time() + 2  # newer than the last read, whatever the file system's clock resolution
    os.utime(path, (later, later))


def strict_build(project: Path, name: str = "html", args: list[str] | None = None) -> Build:
    build = sphinx_build(project, project / "_build" / name, args=args)
    assert build.returncode == 0, build.output[-4000:]
    assert build.warnings == []
    return build


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("graph") / "src", graph(), index=INDEX)


@pytest.fixture(scope="module")
def first(project: Path) -> Build:
    return strict_build(project)


def test_each_page_shows_exactly_its_backlinks(first: Build):
    assert backlinks(first, "notes/n") == [
        ("posts/2025/04-12-a", "글 A", "글 2025-04-12"),
        ("notes/m", "노트 M", "노트"),
    ]
    assert backlinks(first, "posts/2025/04-12-a") == [("posts/2025/04-13-b", "글 B", "글 2025-04-13")]
    assert backlinks(first, "notes/m") == []
    assert backlinks(first, "posts/2025/04-13-b") == []
    assert not first.html("notes/m").select("nav.journal-backlinks"), "no empty section"


def test_backlinks_have_a_korean_heading_and_machine_readable_dates(first: Build):
    nav = first.html("notes/n").select_one("nav.journal-backlinks")
    assert nav.select_one("h2").get_text(strip=True) == "이 글을 언급한 글/노트"
    assert nav.select_one("time")["datetime"] == "2025-04-12T10:00:00+09:00"


def test_note_header_and_list(first: Build):
    header = first.html("notes/n").select_one(".journal-note-meta")
    assert header.get_text(" ", strip=True) == "🌿 자라는 중 · 2025-05-01 갱신 · 태그 openstack"
    assert not header.select("a"), "no post carries the tag yet: no archive to link"
    assert [a.get_text() for a in first.html("index").select(".journal-notelist a")] == ["노트 N", "노트 M"]
    assert not first.html("notes/m").select(".journal-note-meta"), "nothing to show without front matter"


def test_glossary_terms_show_their_uses(first: Build):
    assert term_uses(first) == {"DevStack": ["글 A"], "Gerrit": []}


def test_backlinks_stay_out_of_the_search_index(first: Build):
    text = first.path("searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text[text.index("(") + 1 : text.rindex(")")])["terms"]
    assert "devstack" in terms, "the glossary itself is indexed"
    assert "쓰인" not in terms, "a term's uses are not part of the glossary's text"
    assert "언급한" not in terms
    assert "갱신" not in terms, "nor are a note's header and the list of notes"


def test_incremental_rebuilds_match_clean_builds(project: Path, first: Build, tmp_path: Path):
    """Each edit is built incrementally on top of the previous build, then compared with a clean build."""
    steps = [
        ("A drops its link to N", lambda: edit(project / A, post_source("글 A", "2025-04-12 10:00:00", A_ALONE))),
        ("B is renamed", lambda: edit(project / B, post_source("글 B2", "2025-04-13 10:00:00", "[A](04-12-a.md)."))),
        ("M is deleted", lambda: (project / M).unlink()),
        (
            "C links N",
            lambda: edit(project / C, post_source("글 C", "2025-04-14", "{doc}`/notes/n`", tags="[openstack]")),
        ),
    ]
    expected_n = {
        "A drops its link to N": [("notes/m", "노트 M", "노트")],
        "B is renamed": [("notes/m", "노트 M", "노트")],
        "M is deleted": [],
        "C links N": [("posts/2025/04-14-c", "글 C", "글 2025-04-14")],
    }
    for number, (step, change) in enumerate(steps):
        change()
        incremental = strict_build(project)
        clean_copy = tmp_path / f"clean{number}"
        shutil.copytree(project, clean_copy, ignore=shutil.ignore_patterns("_build"))
        clean = strict_build(clean_copy)
        assert docnames(incremental) == docnames(clean), step
        assert backlink_sections(incremental) == backlink_sections(clean), step
        assert backlinks(incremental, "notes/n") == expected_n[step], step
    assert backlinks(incremental, "posts/2025/04-12-a") == [("posts/2025/04-13-b", "글 B2", "글 2025-04-13")]
    assert incremental.html("notes/n").select_one(".journal-note-meta a.journal-tag").get_text() == "openstack"
    assert [a.get_text() for a in incremental.html("index").select(".journal-notelist a")] == ["노트 N"]
    assert term_uses(incremental) == {"DevStack": ["글 A"], "Gerrit": []}


def test_parallel_reads_give_the_same_backlinks(tmp_path: Path):
    """The whole journal (ABlog made parallel-read-safe by journal.upstream.ablog): -j 2 must match a serial build."""
    pages = {
        f"page{i}.md": f"# 페이지 {i}\n\n" + " ".join(f"{{doc}}`page{j}`" for j in range(i)) + "\n" for i in range(12)
    }
    pages["posts/2025/04-12-a.md"] = post_source("글 A", "2025-04-12 10:00:00", "{doc}`/page3` 참고.")
    index = "# 처음\n\n```{toctree}\n:glob:\n\npage*\nposts/*/*\n```\n"
    project = make_project(tmp_path / "parallel", pages, index=index)
    serial = strict_build(project, "serial")
    parallel = strict_build(project, "parallel", args=["-j", "2"])
    assert re.search(r"reading sources\.\.\. \[\s*\d+%\] \S+ \.\. \S+", parallel.output), "read in parallel chunks"
    assert backlink_sections(parallel) == backlink_sections(serial)
    assert [title for _, title, _ in backlinks(parallel, "page3")] == [
        "글 A",
        *sorted(f"페이지 {i}" for i in range(4, 12)),
    ]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("없는 {doc}`/notes/missing` 노트.", "unknown document: '/notes/missing'"),
        ("없는 [노트](../../notes/missing.md).", "notes/missing.md"),
        ("없는 {term}`Nova`.", "term not in glossary: 'Nova'"),
    ],
)
def test_a_broken_reference_fails_the_strict_build_naming_the_file(tmp_path: Path, body: str, says: str):
    files = graph()
    files[A] = post_source("글 A", "2025-04-12 10:00:00", body)
    project = make_project(tmp_path / "broken", files, index=INDEX)
    build = sphinx_build(project, project / "_build" / "html")
    assert build.returncode != 0
    failing = [line for line in build.warnings if A in line]
    assert failing, build.output[-3000:]
    assert says in failing[0]

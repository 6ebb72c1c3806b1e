"""Link previews' data (journal/content/previews.py, journal/pages/previews.py) on built sites.

Each document's ``_previews/<docname>.json`` holds its title, kind, date or note status, first
paragraph, and its headings' and glossary terms' text; links to documents carry the class the
browser script looks for. Incremental and ``-j 2`` builds write the same files as clean ones.
"""

from __future__ import annotations

import json
import posixpath
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from buildsite import ROOT, Build, make_project, output_files, post_source, sphinx_build


def preview(build: Build, docname: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(build.path(f"_previews/{docname}.json").read_text(encoding="utf-8"))
    return data


def anchor(data: dict[str, Any], anchor_id: str) -> dict[str, str]:
    found: dict[str, str] = data["anchors"][data["ids"][anchor_id]]
    return found


def test_a_note_preview_has_its_title_status_date_and_first_paragraph(site: Build):
    data = preview(site, "notes/contribution/gerrit-review")
    assert data["title"] == "Gerrit 리뷰 흐름"
    assert data["kind"] == "note"
    assert data["meta"] == "🌳 상록 · 2025-09-21"
    assert data["text"].startswith("OpenStack은 GitHub 풀 리퀘스트가 아니라 Gerrit으로 리뷰한다.")


def test_a_post_preview_has_its_date_and_first_paragraph(site: Build):
    data = preview(site, "posts/2025/04-26-devstack")
    assert (data["title"], data["kind"], data["meta"]) == ("DevStack으로 개발 환경 만들기", "post", "2025년 4월 26일")
    assert data["text"] == (
        "SDK와 CLI를 고치려면 요청을 보낼 진짜 클라우드가 필요해서, 노트북 위 VM에 DevStack을 설치했다. "
        "세 번 실패하고 네 번째에 성공한 기록이다."
    )


def test_a_glossary_term_preview_is_its_definition(site: Build):
    term = anchor(preview(site, "glossary"), "term-Change-Id")
    assert (term["kind"], term["title"]) == ("term", "Change-Id")
    assert term["text"].startswith("commit-msg 훅이 커밋 메시지 끝에 붙이는 식별자.")


def test_a_heading_preview_is_its_sections_first_paragraph(site: Build):
    data = preview(site, "notes/contribution/gerrit-review")
    section = anchor(data, "gerrit-amend")
    assert (section["kind"], section["title"]) == ("section", "리뷰 반영은 amend로")
    assert section["text"].startswith("리뷰를 반영할 때 새 커밋을 만들면")
    assert anchor(data, "gerrit-amend") == section  # the label and MyST's slug name one section
    long_text = max((a["text"] for a in data["anchors"]), key=len)
    assert len(long_text) <= 180


def test_links_to_documents_are_marked_and_their_data_exists(site: Build):
    page = site.html("posts/2025/06-07-gerrit-first-review")
    hrefs = {a["href"] for a in page.select("article a.journal-preview")}
    assert {"../../glossary.html#term-Change-Id", "../../notes/contribution/gerrit-review.html#gerrit-amend"} <= hrefs
    checked = 0
    for path in site.pages():
        pagename = path.relative_to(site.outdir).with_suffix("").as_posix()
        for link in site.html(pagename).select("a.journal-preview"):
            target, _, fragment = unquote(link["href"]).partition("#")
            docname = posixpath.normpath(posixpath.join(posixpath.dirname(pagename), target))[: -len(".html")]
            data = preview(site, docname if target else pagename)
            assert data["title"]
            assert not fragment or fragment in data["ids"] or fragment in link["href"], (pagename, link["href"])
            checked += 1
    assert checked > 50


def test_external_and_archive_links_are_not_marked(site: Build):
    for link in site.html("posts/2025/04-26-devstack").select("a.journal-preview"):
        assert "://" not in link["href"] and "/blog/" not in link["href"]


# --- incremental and parallel builds -----------------------------------------------------------

NOTE = """---
title: {title}
status: growing
updated: 2025-05-01
---

{paragraph}

## 설치 순서

먼저 저장소를 받고 스크립트를 돌린다.
"""
LINKING_POST = post_source(
    "노트를 잇는 글", body="자세한 내용은 {doc}`/notes/tool` 노트와 {ref}`install-order`를 본다."
)
INDEX = """# 시험 일지

```{toctree}
:glob:
:hidden:

posts/*/*
notes/*
```
"""


def _project(path: Path, title: str, paragraph: str) -> Path:
    note = NOTE.format(title=title, paragraph=paragraph).replace("## 설치 순서", "(install-order)=\n## 설치 순서")
    return make_project(path, {"posts/2025/linking.md": LINKING_POST, "notes/tool.md": note}, index=INDEX)


@pytest.fixture(scope="module")
def evolved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    """A site built, then its note retitled and rewritten and another added, built again
    incrementally; and the same final sources built clean."""
    base = tmp_path_factory.mktemp("previews")
    src = _project(base / "src", "처음 제목", "처음 문단이다.")
    first = sphinx_build(src, base / "html")
    assert first.returncode == 0, first.output[-3000:]
    assert preview(first, "notes/tool")["title"] == "처음 제목"
    _project(src, "바뀐 제목", "바뀐 첫 문단이다.")
    (src / "notes/other.md").write_text(NOTE.format(title="다른 노트", paragraph="다른 문단."), encoding="utf-8")
    again = sphinx_build(src, base / "html")
    assert again.returncode == 0, again.output[-3000:]
    clean_src = base / "clean"
    shutil.copytree(src, clean_src)
    clean = sphinx_build(clean_src, base / "clean-html")
    assert clean.returncode == 0, clean.output[-3000:]
    return again, clean


def test_a_retitled_note_changes_the_preview_data_of_links_to_it(evolved: tuple[Build, Build]):
    again, _ = evolved
    data = preview(again, "notes/tool")
    assert (data["title"], data["text"], data["meta"]) == (
        "바뀐 제목",
        "바뀐 첫 문단이다.",
        "🌿 자라는 중 · 2025-05-01",
    )
    assert anchor(data, "install-order")["title"] == "설치 순서"
    links = again.html("posts/2025/linking").select("article a.journal-preview")
    assert {a["href"] for a in links} == {"../../notes/tool.html", "../../notes/tool.html#install-order"}


def test_incremental_previews_equal_clean_ones(evolved: tuple[Build, Build]):
    again, clean = evolved
    theirs, ours = _previews_and_marks(clean), _previews_and_marks(again)
    assert "_previews/notes/other.json" in theirs
    assert sorted(ours) == sorted(theirs)
    assert [name for name in theirs if theirs[name] != ours[name]] == []


def test_a_deleted_document_loses_its_preview_file(tmp_path: Path):
    src = _project(tmp_path / "src", "노트", "문단.")
    (src / "notes/gone.md").write_text(NOTE.format(title="사라질 노트", paragraph="곧 지운다."), encoding="utf-8")
    first = sphinx_build(src, tmp_path / "html")
    assert first.returncode == 0, first.output[-3000:]
    assert first.path("_previews/notes/gone.json").is_file()
    (src / "notes/gone.md").unlink()
    again = sphinx_build(src, tmp_path / "html")
    assert again.returncode == 0, again.output[-3000:]
    assert not again.path("_previews/notes/gone.json").exists()
    assert again.path("_previews/notes/tool.json").is_file()


def test_a_preview_file_lost_from_the_output_is_written_again(tmp_path: Path):
    """A finished build's preview files are not read again (a digest of each is kept), but one
    that is no longer on disk is written again, the same."""
    src = _project(tmp_path / "src", "노트", "문단.")
    first = sphinx_build(src, tmp_path / "html")
    assert first.returncode == 0, first.output[-3000:]
    written = first.path("_previews/notes/tool.json").read_bytes()
    first.path("_previews/notes/tool.json").unlink()
    again = sphinx_build(src, tmp_path / "html")
    assert again.returncode == 0, again.output[-3000:]
    assert again.path("_previews/notes/tool.json").read_bytes() == written


def test_parallel_previews_equal_serial_ones(site: Build, tmp_path: Path):
    parallel = sphinx_build(ROOT, tmp_path / "html", args=["-j", "2"])
    assert parallel.returncode == 0, parallel.output[-3000:]
    assert "reading sources... [" in parallel.output and " .. " in parallel.output, "read in parallel chunks"
    ours, theirs = _previews_and_marks(parallel), _previews_and_marks(site)
    assert sorted(ours) == sorted(theirs) and len(theirs) > 20
    assert [name for name in theirs if theirs[name] != ours[name]] == []


def _previews_and_marks(build: Build) -> dict[str, object]:
    found: dict[str, object] = {
        name: data
        for name, data in output_files(build.outdir, frozenset({".json"})).items()
        if name.startswith("_previews/")
    }
    for path in build.pages():
        name = path.relative_to(build.outdir).as_posix()
        found[name] = [a["href"] for a in build.html(name[: -len(".html")]).select("a.journal-preview")]
    return found

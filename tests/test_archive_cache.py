"""The rendering cache and the skipped archive writes: fast, and never stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from buildsite import internal_targets, make_project, post_source, sphinx_build
from journal.speed.incremental import FINGERPRINTS_FILE

pytestmark = pytest.mark.slow

LINKED = "[둘째 글](02-10-b.md)을 먼저 읽어 보세요. 링크가 있는 첫 문단입니다."


def sources(first_paragraph: str = LINKED) -> dict[str, str]:
    return {
        "posts/2025/01-10-a.md": post_source("첫째 글", "2025-01-10 10:00:00", first_paragraph, tags="[가]"),
        "posts/2025/02-10-b.md": post_source("둘째 글", "2025-02-10 10:00:00", "둘째 글의 첫 문단.", tags="[나]"),
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("cache"), sources())
    build = sphinx_build(project, project / "_build/html", doctreedir=project / "_build/doctrees")
    assert build.returncode == 0, build.output[-3000:]
    return project


def mtimes(outdir: Path) -> dict[str, int]:
    """Modification times of ABlog's archive pages (the pages whose writes are skipped)."""
    return {p.relative_to(outdir).as_posix(): p.stat().st_mtime_ns for p in (outdir / "blog").rglob("*.html")}


def archive_pages(project: Path) -> set[str]:
    store = json.loads((project / "_build/doctrees" / FINGERPRINTS_FILE).read_text(encoding="utf-8"))
    return {name + ".html" for name in store}


def test_cached_excerpt_links_are_right_in_every_folder(project: Path):
    """The same post's excerpt sits on pages in three folders; each copy links correctly."""
    outdir = project / "_build/html"
    pages = [outdir / "blog.html", outdir / "blog/2025.html", outdir / "blog/tag/가.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "링크가 있는 첫 문단" in html, page
        targets = [target for value, target in internal_targets(page, html) if "02-10-b" in value]
        assert targets, page
        assert all(target.is_file() for target in targets), page


def test_no_change_rebuild_writes_no_archive_page(project: Path):
    outdir = project / "_build/html"
    before = mtimes(outdir)
    build = sphinx_build(project, outdir, doctreedir=project / "_build/doctrees")
    assert build.returncode == 0
    after = mtimes(outdir)
    pages = archive_pages(project) - {"blog.html"}
    assert len(pages) >= 6
    assert {page: after[page] for page in pages} == {page: before[page] for page in pages}


def test_excerpt_edit_rewrites_exactly_the_archives_that_show_the_post(project: Path):
    outdir = project / "_build/html"
    before = mtimes(outdir)
    changed = sources("고친 첫 문단입니다.")["posts/2025/01-10-a.md"]
    (project / "posts/2025/01-10-a.md").write_text(changed, encoding="utf-8")
    build = sphinx_build(project, outdir, doctreedir=project / "_build/doctrees")
    assert build.returncode == 0
    after = mtimes(outdir)
    rewritten = {page for page in after if after[page] != before.get(page)}
    assert {"blog/2025.html", "blog/tag/가.html", "blog/author/김보라.html"} <= rewritten
    assert "blog/tag/나.html" not in rewritten
    assert "고친 첫 문단" in (outdir / "blog/tag/가.html").read_text(encoding="utf-8")
    assert "고친 첫 문단" in (outdir / "blog/2025.html").read_text(encoding="utf-8")


#: Posts are in no toctree, as in the journal (Sphinx rewrites the toctree parents of a changed page).
CARDS_INDEX = "# 일지\n\n```{postcards} 6\n```\n\n```{toctree}\n:hidden:\n\nlisting\n```\n"
LISTING = "# 모든 글\n\n```{postlist}\n:excerpts:\n```\n"


def test_listings_are_rewritten_only_when_what_they_show_of_a_post_changed(tmp_path: Path):
    project = make_project(tmp_path / "src", {**sources(), "listing.md": LISTING}, index=CARDS_INDEX)
    outdir, doctrees = project / "_build/html", project / "_build/doctrees"
    assert sphinx_build(project, outdir, doctreedir=doctrees).returncode == 0
    listings = [outdir / "index.html", outdir / "listing.html"]

    def rebuild_after(first_paragraph: str, rest: str) -> set[Path]:
        before = {page: page.stat().st_mtime_ns for page in [*listings, outdir / "posts/2025/01-10-a.html"]}
        text = post_source("첫째 글", "2025-01-10 10:00:00", f"{first_paragraph}\n\n## 더\n\n{rest}", tags="[가]")
        (project / "posts/2025/01-10-a.md").write_text(text, encoding="utf-8")
        build = sphinx_build(project, outdir, doctreedir=doctrees)
        assert build.returncode == 0, build.output[-3000:]
        return {page for page, mtime in before.items() if page.stat().st_mtime_ns != mtime}

    post_page = outdir / "posts/2025/01-10-a.html"
    assert rebuild_after(LINKED, "본문 끝에 한 문장을 더했습니다.") == {post_page}, "same excerpt, same minutes"
    assert rebuild_after(LINKED, "긴 본문 " * 1500) == {post_page, *listings}, "the card's reading time changed"
    assert "읽는 데 약 " in listings[0].read_text(encoding="utf-8")
    assert rebuild_after("새 첫 문단.", "긴 본문 " * 1500) == {post_page, *listings}, "the excerpt changed"
    assert "새 첫 문단" in listings[1].read_text(encoding="utf-8")

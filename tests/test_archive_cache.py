"""The rendering cache and the skipped archive writes: fast, and never stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from buildsite import ARCHIVE_TITLE, ROOT, internal_targets, make_project, post_source, sphinx_build
from journal.speed.incremental import FINGERPRINTS_FILE

pytestmark = pytest.mark.slow

LINKED = "[둘째 글](02-10-b.md)을 먼저 읽어 보세요. 링크가 있는 첫 문단입니다."


def sources(first_paragraph: str = LINKED) -> dict[str, str]:
    return {
        "posts/2025/01-10-a.md": post_source("첫째 글", "2025-01-10 10:00:00", first_paragraph, tags="[가]"),
        "posts/2025/02-10-b.md": post_source("둘째 글", "2025-02-10 10:00:00", "둘째 글의 첫 문단.", tags="[나]"),
    }


#: The journal index (posts/index), one post a page: its page 2 (posts/page/2) is an ABlog
#: collection page with the older post's excerpt, rendered through the cache.
JOURNAL_INDEX = "# 시험 일지\n\n```{toctree}\n:glob:\n:hidden:\n\nposts/index\nposts/*/*\n```\n"
ONE_A_PAGE = ["-D", "journal_listing_page_size=1"]


def build(project: Path) -> None:
    done = sphinx_build(project, project / "_build/html", doctreedir=project / "_build/doctrees", args=ONE_A_PAGE)
    assert done.returncode == 0, done.output[-3000:]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    index = {"posts/index.md": (ROOT / "posts/index.md").read_text(encoding="utf-8")}
    project = make_project(tmp_path_factory.mktemp("cache"), {**sources(), **index}, index=JOURNAL_INDEX)
    build(project)
    return project


def mtimes(outdir: Path) -> dict[str, int]:
    """Modification times of ABlog's archive pages and the journal index's pages 2, 3, … (the
    pages whose writes are skipped)."""
    pages = [outdir / "blog.html", *(outdir / "blog").rglob("*.html"), *(outdir / "posts/page").rglob("*.html")]
    return {p.relative_to(outdir).as_posix(): p.stat().st_mtime_ns for p in pages}


def archive_pages(project: Path) -> set[str]:
    store = json.loads((project / "_build/doctrees" / FINGERPRINTS_FILE).read_text(encoding="utf-8"))
    return {name + ".html" for name in store}


def test_cached_excerpt_links_are_right_and_archives_link_the_post(project: Path):
    """The post's excerpt sits on the journal index's page 2, its link right there; the archives
    in three folders list the post as a compact row (no excerpt), linked right from each."""
    outdir = project / "_build/html"
    listing = outdir / "posts/page/2.html"
    html = listing.read_text(encoding="utf-8")
    assert "링크가 있는 첫 문단" in html
    targets = [target for value, target in internal_targets(listing, html) if "02-10-b" in value]
    assert targets and all(target.is_file() for target in targets)
    for page in [outdir / "blog.html", outdir / "blog/2025.html", outdir / "blog/tag/가.html"]:
        html = page.read_text(encoding="utf-8")
        assert "링크가 있는 첫 문단" not in html, page
        soup = BeautifulSoup(html, "html.parser")
        rows = [(page.parent / a["href"]).resolve() for a in soup.select(ARCHIVE_TITLE)]
        assert (outdir / "posts/2025/01-10-a.html").resolve() in rows, page


def test_no_change_rebuild_writes_no_archive_page(project: Path):
    outdir = project / "_build/html"
    before = mtimes(outdir)
    build(project)
    after = mtimes(outdir)
    pages = archive_pages(project) - {"blog.html"}
    assert len(pages) >= 6
    assert {page: after[page] for page in pages} == {page: before[page] for page in pages}


def test_excerpt_edit_rewrites_the_listing_that_shows_it_and_no_compact_archive(project: Path):
    outdir = project / "_build/html"
    before = mtimes(outdir)
    changed = sources("고친 첫 문단입니다.")["posts/2025/01-10-a.md"]
    (project / "posts/2025/01-10-a.md").write_text(changed, encoding="utf-8")
    build(project)
    after = mtimes(outdir)
    rewritten = {page for page in after if after[page] != before.get(page)}
    assert "posts/page/2.html" in rewritten
    compact = {"blog.html", "blog/2025.html", "blog/tag/가.html", "blog/tag/나.html", "blog/author/김보라.html"}
    assert compact <= set(after) and not compact & rewritten, "archive rows show no excerpt: none is written again"
    assert "고친 첫 문단" in (outdir / "posts/page/2.html").read_text(encoding="utf-8")


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

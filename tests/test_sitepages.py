"""The site's one-off generated pages (the 404 page, the series page, the map) are written only
when what they show changed (journal.speed.incremental.site_page_unchanged): a rebuild that
changes nothing leaves their files alone and still lists them in the sitemap; a change they
show writes them again, as a clean build writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildsite import make_project, output_files, post_source, sphinx_build

pytestmark = pytest.mark.slow

PAGES = ("404.html", "blog/series.html", "map.html")
POSTS = {
    "posts/2025/04-12-a.md": post_source("첫 글", "2025-04-12 10:00:00", tags="[리뷰]"),
    "posts/2025/04-13-b.md": post_source("둘째 글", "2025-04-13 10:00:00", tags="[리뷰, 회고]"),
}


def stamps(out: Path) -> dict[str, int]:
    return {page: (out / page).stat().st_mtime_ns for page in PAGES}


def test_one_off_pages_are_written_when_what_they_show_changed(tmp_path: Path):
    project = make_project(tmp_path / "project", POSTS)
    out = tmp_path / "html"
    first = sphinx_build(project, out)
    assert first.returncode == 0, first.output[-3000:]
    written, sitemap = stamps(out), (out / "sitemap.xml").read_bytes()
    assert b"/map.html<" in sitemap and b"/blog/series.html<" in sitemap

    again = sphinx_build(project, out)
    assert again.returncode == 0, again.output[-3000:]
    assert stamps(out) == written, "nothing changed: the pages are left as they were"
    assert (out / "sitemap.xml").read_bytes() == sitemap, "and the sitemap still lists them"

    post = project / "posts/2025/04-13-b.md"
    post.write_text(post.read_text(encoding="utf-8").replace("둘째 글", "고친 둘째 글"), encoding="utf-8")
    retitled = sphinx_build(project, out)
    assert retitled.returncode == 0, retitled.output[-3000:]
    assert all(stamps(out)[page] != written[page] for page in PAGES), "the sidebars show the new title"
    clean = sphinx_build(project, tmp_path / "clean")
    assert clean.returncode == 0, clean.output[-3000:]
    incremental, fresh = output_files(out), output_files(tmp_path / "clean")
    assert [name for name in fresh if fresh[name] != incremental.get(name)] == []
    assert b"\xea\xb3\xa0\xec\xb9\x9c" in (out / "map.html").read_bytes(), "the map shows the new title (고친)"

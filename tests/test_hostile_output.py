"""Every file a build writes stays inside the output folder, whatever a page asks ABlog for."""

from __future__ import annotations

import json
from pathlib import Path

from buildsite import make_project, post_source, sphinx_build

INDEX = "# 시험\n\n```{toctree}\n:glob:\n:hidden:\n\nposts/*/*\nabout\n```\n"


def listing(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def test_ablog_redirect_option_cannot_write_outside(tmp_path: Path):
    """``{post}``'s ``:redirect:`` on a page outside the post contract: ABlog would write the page as named."""
    about = "# 소개\n\n```{post} 2025-04-03\n:redirect: ../../../escaped\n```\n\n본문\n"
    files = {"posts/2025/04-01-a.md": post_source("글", tags="[회고]"), "about.md": about}
    project = make_project(tmp_path / "project", files, index=INDEX)
    before = listing(tmp_path)
    build = sphinx_build(project, project / "_build" / "html")
    assert build.returncode != 0
    assert any(
        "about.md: WARNING: ABlog's page '../../../escaped' would be written outside the output folder" in line
        for line in build.warnings
    ), build.warnings
    created = {path for path in listing(tmp_path) - before if not path.startswith("project/_build")}
    assert created == set()
    assert not (tmp_path / "escaped.html").exists()


def test_stale_archive_pages_are_deleted_only_inside(tmp_path: Path):
    """The fingerprint store names the archive pages to delete when they go; one naming a file
    outside (a store from an older build, or edited) never deletes it."""
    project = make_project(tmp_path / "project", {"posts/2025/04-01-a.md": post_source("글", tags="[회고]")})
    first = sphinx_build(project, project / "_build" / "html", doctreedir=project / "_build" / "doctrees")
    assert first.returncode == 0, first.output[-3000:]
    victim = tmp_path / "victim.html"
    victim.write_text("keep me", encoding="utf-8")
    (store,) = (project / "_build" / "doctrees").glob("journal-pages*.json")
    pages = json.loads(store.read_text(encoding="utf-8"))
    pages["../../../victim"] = "x"
    store.write_text(json.dumps(pages), encoding="utf-8")
    second = sphinx_build(project, project / "_build" / "html", doctreedir=project / "_build" / "doctrees")
    assert second.returncode == 0, second.output[-3000:]
    assert victim.read_text(encoding="utf-8") == "keep me"

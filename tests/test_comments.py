"""giscus comments: off by default (tested on the sample site in test_pages), on with all four values."""

from __future__ import annotations

import pytest

from buildsite import make_project, post_source, sphinx_build

GISCUS = {
    "journal_giscus_repo": "bora/journal",
    "journal_giscus_repo_id": "R_kgDOTEST",
    "journal_giscus_category": "Comments",
    "journal_giscus_category_id": "DIC_kwDOTEST",
}


def defines(values: dict[str, str]) -> list[str]:
    return [arg for name, value in values.items() for arg in ("-D", f"{name}={value}")]


@pytest.mark.slow
def test_comments_appear_under_posts_once_configured_and_a_partial_setup_is_an_error(tmp_path):
    src = make_project(tmp_path / "src", {"posts/2025/04-12-a.md": post_source("첫 글", tags="[a]")})
    build = sphinx_build(src, tmp_path / "on", args=defines(GISCUS))
    assert build.returncode == 0, build.output[-3000:]
    script = build.html("posts/2025/04-12-a").select_one(".journal-comments script")
    assert script["src"] == "https://giscus.app/client.js"
    assert (script["data-repo"], script["data-category-id"], script["data-lang"]) == (
        "bora/journal",
        "DIC_kwDOTEST",
        "ko",
    )
    assert "giscus" not in build.path("index.html").read_text(encoding="utf-8"), "only posts get comments"

    partial = sphinx_build(src, tmp_path / "partial", args=defines({"journal_giscus_repo": "bora/journal"}))
    assert partial.returncode != 0
    assert "journal_giscus_repo_id" in partial.output and "[journal.config]" in partial.output

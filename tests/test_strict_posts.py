"""Bad front matter fails the strict build with a message naming the file and line, never a traceback."""

from __future__ import annotations

import pytest

from buildsite import make_project, post_source, sphinx_build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    project = make_project(
        tmp_path_factory.mktemp("broken"),
        {
            "posts/2025/04-12-good.md": post_source("좋은 글", tags="[회고]"),
            "posts/2025/04-13-bad-date.md": post_source("날짜가 틀린 글", date="2025-13-45"),
            "posts/2025/04-14-no-date.md": post_source("날짜 없는 글", date=None),
        },
    )
    return sphinx_build(project, project / "_build" / "html")


def test_build_fails(broken_build):
    assert broken_build.returncode != 0


def test_message_names_file_line_and_key(broken_build):
    assert "posts/2025/04-13-bad-date.md:3: WARNING: date: '2025-13-45' is not a real date" in broken_build.output
    assert "posts/2025/04-14-no-date.md:2: WARNING: date: missing" in broken_build.output
    assert "[journal.frontmatter]" in broken_build.output


def test_no_traceback(broken_build):
    assert "Traceback" not in broken_build.output
    assert "Exception occurred" not in broken_build.output


def test_the_good_post_still_builds(broken_build):
    assert (broken_build.outdir / "posts/2025/04-12-good.html").is_file()

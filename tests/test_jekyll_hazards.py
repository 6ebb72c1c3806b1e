"""Hazard classes of real Jekyll blogs, each a small fixture site, measured against the real ``jekyll``.

Each site under ``fixtures/jekyll/hazards/`` is built by Jekyll 4.3 (bare layouts, ``--safe``)
and imported into an init'ed copy of this project, built strictly
(``journal.commands.fidelity``). Every one must build with 0 warnings, show the text Jekyll
showed (similarity >= 0.98) and the images it showed, without Markdown, kramdown or Liquid
syntax Jekyll did not show,
keep every old URL, and report what it could not carry over at its line.

Without ``jekyll`` the tests skip, saying so, unless ``JOURNAL_REQUIRE_JEKYLL=1``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journal.commands import fidelity, jekyllbuild

HAZARDS = Path(__file__).parent / "fixtures" / "jekyll" / "hazards"
SITES = sorted(p.name for p in HAZARDS.iterdir() if (p / "_posts").is_dir())
#: Each site's ``expected-report.txt`` holds fragments its import report must contain, a line each.
REPORT_FILE = "expected-report.txt"

pytestmark = pytest.mark.slow


def need_jekyll() -> str:
    jekyll = jekyllbuild.find_jekyll()
    if jekyll is None:
        if os.environ.get("JOURNAL_REQUIRE_JEKYLL") == "1":
            pytest.fail(f"JOURNAL_REQUIRE_JEKYLL=1 but {jekyllbuild.JEKYLL_MISSING}")
        pytest.skip(f"{jekyllbuild.JEKYLL_MISSING}; JOURNAL_REQUIRE_JEKYLL=1 makes this a failure")
    return jekyll


@pytest.mark.parametrize("name", SITES)
def test_hazard_site_renders_as_jekyll_did(name: str, tmp_path: Path) -> None:
    result = fidelity.measure(HAZARDS / name, tmp_path, need_jekyll())
    assert result.problems == []
    assert result.warnings == []
    assert result.imported == result.posts == len(result.results) > 0
    for post in result.results:
        assert post.ratio >= 0.98, (post.source.name, post.ratio)
        assert post.leftovers == [], post.source.name
        assert post.missing_images == [], post.source.name
    assert result.redirects_matched == result.redirects_expected
    for expected in expected_report(HAZARDS / name):
        assert any(expected in line for line in result.report), (expected, result.report)


def expected_report(site: Path) -> list[str]:
    path = site / REPORT_FILE
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def test_every_hazard_has_a_site() -> None:
    known = {"html-block", "math-blank", "ial-size", "anchors", "strike", "footnote-unused"}
    known |= {"anchor-other-post", "link-spaces", "escaped-emphasis"}
    assert set(SITES) >= known | {"details-markdown", "image-paths", "bold-paren"}


def test_images_jekyll_showed_and_we_do_not_are_missing() -> None:
    theirs = '<p><img alt="흐름" src="/a.png"><img alt="구조도 [v2]" src="/b.png"><img src="/c.png"></p>'
    ours = '<article class="bd-article"><p><img alt="흐름" src="_images/a.png"></p><footer><img src="/c.png"></footer>'
    assert fidelity.missing_images(theirs, ours + "</article>") == ["구조도 [v2]", "/c.png"]

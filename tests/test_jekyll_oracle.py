"""Old URLs checked against the real ``jekyll build``: every post file Jekyll wrote has a redirect.

Each site (the fixtures under ``fixtures/jekyll/oracle/``, then every site of
``../shared/jekyll-corpus`` when present) is built by Jekyll 4.3 (Debian's ``jekyll``) as
GitHub Pages builds it: ``JEKYLL_ENV=production``, ``--safe`` (no plugins), in UTC (``TZ``
unset) unless ``_config.yml`` sets ``timezone``. Only what decides URLs is built: a copy of
``_config.yml``, ``_posts`` and ``_data`` with bare layouts (``{{ content }}``), empty stubs
for the includes the posts name, and no theme. Each post's copy ends with a marker line, so
every output file names the post it came from.

The same site is imported into a temporary project, and then every post file Jekyll wrote
must be a key of ``redirects.json`` pointing at that post's new page (or be the new page
itself), and no post's own old URL may be one Jekyll never wrote.

Without ``jekyll`` the tests skip, saying so, unless ``JOURNAL_REQUIRE_JEKYLL=1`` (CI sets it,
and ``.ci/run`` installs ``jekyll`` and ``ruby-kramdown-parser-gfm``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from buildsite import ROOT, make_project
from journal.commands import jekyllbuild
from journal.jekyll import permalinks
from journal.jekyll.importer import ImportRun, Options
from journal.jekyll.report import Kind
from journal.jekyll.site import load_site

FIXTURES = Path(__file__).parent / "fixtures" / "jekyll" / "oracle"
CORPUS = ROOT.parent / "shared" / "jekyll-corpus"
FIXTURE_SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "_posts").is_dir())
CORPUS_SITES = sorted(p.name for p in CORPUS.iterdir() if (p / "_posts").is_dir()) if CORPUS.is_dir() else []
JEKYLL = jekyllbuild.find_jekyll()
REQUIRED = os.environ.get("JOURNAL_REQUIRE_JEKYLL") == "1"
pytestmark = pytest.mark.slow


def need_jekyll() -> str:
    if JEKYLL is None:
        message = jekyllbuild.JEKYLL_MISSING
        if REQUIRED:
            pytest.fail(f"JOURNAL_REQUIRE_JEKYLL=1 but {message}")
        pytest.skip(f"{message}; JOURNAL_REQUIRE_JEKYLL=1 makes this a failure")
    return JEKYLL


@dataclass
class Comparison:
    site: str
    #: Post files Jekyll wrote (relative to its output folder) -> the post they came from
    produced: dict[str, Path] = field(default_factory=dict)
    matched: int = 0
    mismatches: list[str] = field(default_factory=list)

    def row(self) -> str:
        wrong = len(self.mismatches)
        return f"{self.site}: {len(self.produced)} posts by Jekyll, {self.matched} matched, {wrong} wrong"


def jekyll_posts(source: Path, work: Path) -> dict[str, Path]:
    """The post files ``jekyll build`` writes for *source* (output path -> source post)."""
    try:
        return jekyllbuild.jekyll_posts(source, work, need_jekyll())[1]
    except jekyllbuild.JekyllFailed as error:
        pytest.fail(str(error))


def compare(source: Path, work: Path) -> Comparison:
    """Jekyll's post files against the importer's ``redirects.json`` for the same site."""
    result = Comparison(source.name, jekyll_posts(source, work))
    project = make_project(work / "project", {})
    run = ImportRun(load_site(source), Options(project))
    run.run()
    redirects_file = project / "redirects.json"
    redirects = json.loads(redirects_file.read_text(encoding="utf-8")) if redirects_file.is_file() else {}
    pages = {p.source.path: "/" + p.target.with_suffix(".html").as_posix() for p in run.planned if p.target}
    for output, post in result.produced.items():
        page = pages.get(post)
        if page is None:
            result.mismatches.append(f"{output}: {post.name} was not imported")
        elif redirects.get(output) == page or "/" + output == page:
            result.matched += 1
        else:
            result.mismatches.append(f"{output}: redirects.json has {redirects.get(output)!r}, expected {page!r}")
    for planned in run.planned:
        if planned.old_url and planned.target:
            key = permalinks.destination(planned.old_url)
            if key in redirects and key not in result.produced:
                result.mismatches.append(f"{key}: an old URL Jekyll never wrote ({planned.source.path.name})")
    return result


@pytest.mark.parametrize("name", FIXTURE_SITES)
def test_fixture_old_urls_are_jekylls(name: str, tmp_path: Path) -> None:
    result = compare(FIXTURES / name, tmp_path)
    assert result.produced, f"jekyll wrote no post for {name}"
    assert result.mismatches == [], result.row()
    assert result.matched == len(list((FIXTURES / name / "_posts").rglob("*.md")))


def test_fixtures_cover_the_hazards() -> None:
    """Times before 09:00 +0900 on a site built in UTC land on the day before, as Jekyll put them."""
    posts = FIXTURES / "utc-date" / "_posts"
    assert "07:30:00 +0900" in (posts / "2024-03-05-early-bird.md").read_text(encoding="utf-8")
    assert not re.search(r"^timezone:", (FIXTURES / "utc-date" / "_config.yml").read_text(encoding="utf-8"), re.M)


@pytest.mark.skipif(not CORPUS_SITES, reason="../shared/jekyll-corpus is not on this machine")
@pytest.mark.parametrize("name", CORPUS_SITES)
def test_corpus_old_urls_are_jekylls(name: str, tmp_path: Path) -> None:
    result = compare(CORPUS / name, tmp_path)
    print(result.row())
    assert result.produced, f"jekyll wrote no post for {name}"
    assert result.mismatches == [], result.row() + "\n" + "\n".join(result.mismatches[:20])


def test_jekyll_slugify_modes() -> None:
    """``Jekyll::Utils.slugify``: pretty keeps ``._~!$&'()+,;=@`` and case; default only letters and digits."""
    assert permalinks.jekyll_slugify("C++ & Rust, again!", "pretty", cased=True) == "C++-&-Rust,-again!"
    assert permalinks.jekyll_slugify("My Own_Slug", "pretty", cased=True) == "My-Own_Slug"
    assert permalinks.jekyll_slugify("Independence Day!") == "independence-day"
    assert permalinks.jekyll_slugify("  새해 계획 ") == "새해-계획"


def imported(name: str, tmp_path: Path, **options: object) -> ImportRun:
    run = ImportRun(load_site(FIXTURES / name), Options(make_project(tmp_path / "project", {}), **options))  # type: ignore[arg-type]
    run.run()
    return run


def test_links_to_old_urls_follow_jekylls_day(tmp_path: Path) -> None:
    """A link to the previous-day URL Jekyll gave a 07:30 +0900 post reaches the imported post."""
    run = imported("utc-date", tmp_path)
    posts = {p.source.path.name: p for p in run.planned}
    early, afternoon = posts["2024-03-05-early-bird.md"], posts["2024-03-05-afternoon.md"]
    assert early.old_url == "/study/notes/2024/03/04/early-bird.html"
    assert early.target is not None and early.target.as_posix() == "posts/2024/03-05-early-bird.md"  # the Korean day
    assert f"]({early.docpath})" in afternoon.text and f"]({afternoon.docpath})" in early.text
    assert not [i for f in run.report.files for i in f.issues if i.kind == Kind.LINK], "none reported as not imported"


def test_the_old_build_zone_can_be_given(tmp_path: Path) -> None:
    """``--jekyll-timezone``: a site built on a machine in Seoul kept the Korean day."""
    run = imported("utc-date", tmp_path, jekyll_timezone=ZoneInfo("Asia/Seoul"))
    urls = {p.source.path.name: p.old_url for p in run.planned}
    assert urls["2024-03-05-early-bird.md"] == "/study/notes/2024/03/05/early-bird.html"
    assert urls["2024-03-07-no-offset.md"] == "/rust/2024/03/07/no-offset.html"  # no offset: read in that zone


def test_timezone_in_config_wins(tmp_path: Path) -> None:
    run = imported("seoul-pretty", tmp_path, jekyll_timezone=ZoneInfo("UTC"))
    urls = {p.source.path.name: p.old_url for p in run.planned}
    assert urls["2024-01-02-새해-계획.md"] == "/회고/year review/2024/01/02/새해-계획/"
    assert urls["2024-01-01-late-night.md"] == "/2024/01/01/late-night/"  # 23:30 -0500 is 13:30 in Seoul

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
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from buildsite import ROOT, make_project
from journal.jekyll import permalinks
from journal.jekyll.importer import ImportRun, Options
from journal.jekyll.report import Kind
from journal.jekyll.site import load_site

FIXTURES = Path(__file__).parent / "fixtures" / "jekyll" / "oracle"
CORPUS = ROOT.parent / "shared" / "jekyll-corpus"
FIXTURE_SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "_posts").is_dir())
CORPUS_SITES = sorted(p.name for p in CORPUS.iterdir() if (p / "_posts").is_dir()) if CORPUS.is_dir() else []
JEKYLL = shutil.which("jekyll")
REQUIRED = os.environ.get("JOURNAL_REQUIRE_JEKYLL") == "1"
MARKER = re.compile(r"oracle-post-(\d+)-end")
INCLUDE = re.compile(r"{%-?\s*include\s+([^\s%{}]+)")
LINK = re.compile(r"{%-?\s*link\s+([^\s%{}]+)")
#: Top-level settings removed from the copy of ``_config.yml`` (a later file cannot unset them):
#: theme and plugin gems, which Debian mostly lacks and which decide no post URL.
GEM_SETTINGS = re.compile(r"^(theme|remote_theme|plugins|gems|whitelist)\s*:")
#: Settings laid over the site's own: a Markdown converter Debian has.
OVERRIDES: dict[str, object] = {"markdown": "kramdown"}

pytestmark = pytest.mark.slow


def need_jekyll() -> str:
    if JEKYLL is None:
        message = "jekyll is not installed (Debian: apt-get install jekyll ruby-kramdown-parser-gfm)"
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
    jekyll = need_jekyll()
    site = work / "site"
    posts = sorted(p for p in (source / "_posts").rglob("*") if p.is_file())
    site.mkdir(parents=True)
    if (source / "_config.yml").is_file():
        (site / "_config.yml").write_text(without_gems(source / "_config.yml"), encoding="utf-8")
    for folder in ("_posts", "_data"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, site / folder, symlinks=True)
    (site / "_layouts").mkdir(parents=True, exist_ok=True)
    for layout in ("default.html", "post.html"):
        (site / "_layouts" / layout).write_text("{{ content }}\n", encoding="utf-8")
    collections: dict[str, object] = {}
    for index, post in enumerate(posts):
        copy = site / post.relative_to(source)
        text = copy.read_text(encoding="utf-8", errors="replace")
        for include in INCLUDE.findall(text):
            stub(site / "_includes", include, "")
        for linked in LINK.findall(text):  # pages of the old site we do not copy: empty stand-ins
            if not linked.startswith("_posts/") and stub(site, linked, "---\n---\n") and linked.startswith("_"):
                collections[linked.split("/", 1)[0][1:]] = {"output": True}
        copy.write_text(text.rstrip("\n") + f"\n\noracle-post-{index}-end\n", encoding="utf-8")
    overrides = work / "oracle.yml"
    settings = {**OVERRIDES, **({"collections": collections} if collections else {})}
    overrides.write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
    configs = ",".join(str(p) for p in (site / "_config.yml", overrides) if p.is_file())
    out = work / "jekyll-out"
    env = {k: v for k, v in os.environ.items() if k not in ("TZ", "JEKYLL_ENV", "BUNDLE_GEMFILE")}
    env["JEKYLL_ENV"] = "production"
    command = [jekyll, "build", "--safe", "--disable-disk-cache", "-s", str(site), "-d", str(out)]
    done = subprocess.run(
        [*command, "--config", configs], cwd=work, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        log = done.stdout + done.stderr
        first = [line for line in log.splitlines() if re.search(r"Exception|Error", line)][:3]
        pytest.fail(f"jekyll could not build {source.name}:\n" + "\n".join(first) + "\n" + log[-2000:])
    produced: dict[str, Path] = {}
    for page in sorted(out.rglob("*.html")):
        found = MARKER.findall(page.read_text(encoding="utf-8", errors="replace"))
        if found:
            produced[page.relative_to(out).as_posix()] = posts[int(found[-1])]
    return produced


def without_gems(config: Path) -> str:
    """*config*'s text without its top-level theme and plugin settings (and the lines under them)."""
    kept: list[str] = []
    skipping = False
    for line in config.read_text(encoding="utf-8").splitlines():
        if GEM_SETTINGS.match(line):
            skipping = True
            continue
        if skipping and (not line.strip() or line[:1] in (" ", "\t", "-")):
            continue
        skipping = False
        kept.append(line)
    return "\n".join(kept) + "\n"


def stub(folder: Path, name: str, text: str) -> bool:
    """Write an empty stand-in for the file *name* under *folder*, unless it exists or would leave it."""
    path = (folder / name.strip("'\"")).resolve()
    if not path.is_relative_to(folder.resolve()) or path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


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

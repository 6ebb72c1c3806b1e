"""`python -m journal new` and `make post`: a post that builds, never an overwrite, Korean titles kept readable."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from buildsite import ROOT, Build, build_environment, make_project, post_source, sphinx_build
from journal.contract.frontmatter import parse_post

SEOUL = ZoneInfo("Asia/Seoul")
KOREAN_TITLE = "오픈스택 SDK 첫 리뷰"
KOREAN_FILE = "posts/2025/04-12-오픈스택-sdk-첫-리뷰.md"


def journal_new(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "journal", "new", *args]
    return subprocess.run(command, cwd=project, env=build_environment(), capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("newpost"), {})
    first = journal_new(
        project, KOREAN_TITLE, "--tags", "openstack, 리뷰", "--category", "기여", "--date", "2025-04-12"
    )
    assert first.returncode == 0, first.stderr
    today = journal_new(project, "오늘 배운 것", "--tags", "til")
    assert today.returncode == 0, today.stderr
    symbols = journal_new(project, "!!!", "--date", "2025-04-13 09:30")
    assert symbols.returncode == 0, symbols.stderr
    # A tab typed into a tag was written as `tags: [탭<TAB>태그]`: MyST's YAML refused it ("Malformed YAML").
    tab = journal_new(project, "탭이 든 태그", "--tags", "탭\t태그,\n줄바꿈", "--date", "2025-04-14")
    assert tab.returncode == 0, tab.stderr
    return project


@pytest.fixture(scope="module")
def built(project: Path) -> Build:
    return sphinx_build(project, project.parent / "newpost-html")


def test_korean_title_gives_a_readable_korean_file_name(project: Path):
    assert (project / KOREAN_FILE).is_file()


def test_front_matter_is_filled_in(project: Path):
    parsed = parse_post((project / KOREAN_FILE).read_text(encoding="utf-8"), SEOUL)
    assert parsed.problems == []
    assert parsed.meta.title == KOREAN_TITLE
    assert parsed.meta.date == dt.datetime(2025, 4, 12, tzinfo=SEOUL)
    assert parsed.meta.tags == ["openstack", "리뷰"]
    assert parsed.meta.category == ["기여"]
    assert not parsed.meta.draft


def test_default_date_is_now_in_the_site_zone(project: Path):
    now = dt.datetime.now(SEOUL)
    (path,) = project.glob("posts/*/*-오늘-배운-것.md")
    parsed = parse_post(path.read_text(encoding="utf-8"), SEOUL)
    assert abs(parsed.meta.date - now) < dt.timedelta(minutes=5)
    assert path.relative_to(project).as_posix() == f"posts/{parsed.meta.date:%Y/%m-%d}-오늘-배운-것.md"


def test_title_without_letters_gives_a_date_name(project: Path):
    path = project / "posts/2025/04-13.md"
    assert parse_post(path.read_text(encoding="utf-8"), SEOUL).meta.title == "!!!"


def test_new_posts_build_cleanly(built: Build):
    assert built.returncode == 0, built.output[-3000:]
    assert built.warnings == []
    page = built.html(KOREAN_FILE.removesuffix(".md"))
    assert page.select_one("article h1").get_text(strip=True).rstrip("#") == KOREAN_TITLE
    assert built.path("blog/tag/리뷰.html").is_file()
    assert built.path("posts/2025/04-13.html").is_file()
    assert built.path("blog/tag/탭-태그.html").is_file() and built.path("blog/tag/줄바꿈.html").is_file()


def test_white_space_in_labels_is_one_space(project: Path):
    meta = parse_post((project / "posts/2025/04-14-탭이-든-태그.md").read_text(encoding="utf-8"), SEOUL).meta
    assert meta.tags == ["탭 태그", "줄바꿈"]


def test_refuses_to_overwrite(project: Path):
    path = project / KOREAN_FILE
    before = path.read_bytes()
    again = journal_new(project, KOREAN_TITLE, "--date", "2025-04-12 18:00", "--tags", "다른태그")
    assert again.returncode == 1
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["  "], "the title is empty"),
        (["글", "--date", "2025-02-30"], "--date: '2025-02-30' is not a real date"),
        (["글", "--timezone", "Mars/Base"], "--timezone: 'Mars/Base' is not an IANA time zone"),
    ],
)
def test_bad_input_is_refused_without_traceback(tmp_path: Path, args: list[str], says: str):
    done = journal_new(tmp_path, *args)
    assert done.returncode == 2
    assert says in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "posts").exists()


#: Posts `journal new` must refuse, as (file the command would write, its arguments); the
#: project already holds EXISTING. Each is also built, to compare the two messages.
EXISTING = {"posts/2025/04-01-base.md": post_source("기준 글", tags="[a b, Python]", author="김보라")}
REFUSED = {
    "posts/2025/04-02-bang.md": ["bang", "--tags", "!!!"],
    "posts/2025/04-03-case.md": ["case", "--tags", "A B"],
    "posts/2025/04-04-python.md": ["python", "--tags", "python"],
    "posts/2025/04-05-long.md": ["long", "--tags", "가" * 90],
    "posts/2025/04-06-author.md": ["author", "--author", "bora"],
    "posts/2025/04-07-dots.md": ["dots", "--category", "..."],
}


@pytest.fixture(scope="module")
def refused_by_the_build(tmp_path_factory) -> dict[str, str]:
    """File -> the build's message (without location and warning type), with every REFUSED post written by hand."""
    files = dict(EXISTING)
    for relative, args in REFUSED.items():
        title, *options = args
        files[relative] = post_source(title, date=date_of(relative), **_front_matter_of(options))
    project = make_project(tmp_path_factory.mktemp("refused"), files)
    built = sphinx_build(project, project.parent / "html")
    messages = {}
    for line in built.warnings:
        location, _, message = line.partition(": WARNING: ")
        source = Path(location.rsplit(":", 1)[0])
        if message.endswith(" [journal.frontmatter]") and source.is_relative_to(project):
            messages[source.relative_to(project).as_posix()] = message.removesuffix(" [journal.frontmatter]")
    return messages


def date_of(relative: str) -> str:
    """``posts/2025/04-02-bang.md`` -> ``2025-04-02``."""
    return relative.split("/")[1] + "-" + relative.split("/")[2][:5]


def _front_matter_of(options: list[str]) -> dict[str, str]:
    fields = {}
    for option, value in zip(options[::2], options[1::2], strict=True):
        fields[option.removeprefix("--")] = json.dumps([value], ensure_ascii=False)
    return fields


@pytest.mark.parametrize("relative", list(REFUSED))
def test_refuses_what_the_build_refuses_with_its_words(tmp_path: Path, relative: str, refused_by_the_build):
    project = make_project(tmp_path / "site", EXISTING)
    date = date_of(relative)
    done = journal_new(project, *REFUSED[relative], "--date", date)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == f"journal new: {refused_by_the_build[relative]}\n"
    assert not (project / relative).exists()
    assert sorted(p.relative_to(project).as_posix() for p in project.glob("posts/*/*")) == list(EXISTING)


def test_every_refused_post_fails_the_build(refused_by_the_build):
    assert set(refused_by_the_build) == set(REFUSED)


def test_refusal_can_name_the_post_already_there(tmp_path: Path):
    """The build blames the later file; when that is the existing post, so does the command."""
    project = make_project(tmp_path / "site", EXISTING)
    done = journal_new(project, "earlier", "--tags", "python", "--date", "2025-03-01")
    expected = (
        "journal new: posts/2025/04-01-base.md:4: tags: 'Python' and 'python' would share the page "
        "blog/tag/python.html; write 'python' everywhere\n"
    )
    assert (done.returncode, done.stderr) == (2, expected)
    assert not (project / "posts/2025/03-01-earlier.md").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_post(tmp_path: Path):
    project = make_project(tmp_path / "site", {})
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    venv = ROOT / ".venv"
    if not (venv / "bin" / "python").exists():
        pytest.skip("make post runs .venv/bin/python; no .venv in this checkout")
    # -o: never reinstall the shared environment from the test.
    make = ["make", "-s", "-o", f"{venv}/.site-installed", f"VENV={venv}", "post"]
    args = ["TITLE=make으로 쓴 글", "TAGS=openstack,review", "CATEGORY=기여"]
    done = subprocess.run(make + args, cwd=project, env=build_environment(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = project.glob("posts/*/*-make으로-쓴-글.md")
    meta = parse_post(path.read_text(encoding="utf-8"), SEOUL).meta
    assert (meta.tags, meta.category) == (["openstack", "review"], ["기여"])
    usage = subprocess.run(make, cwd=project, env=build_environment(), capture_output=True, text=True)
    assert usage.returncode != 0 and "usage: make post" in usage.stdout

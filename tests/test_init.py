"""``python -m journal init`` / ``make init``: the repository becomes the user's own journal.

Every test runs init on a copy of the repository's tracked files (never on the repository).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from buildsite import ROOT, SAMPLE_AUTHOR, Build, copy_project, init, listing, sphinx_build
from journal.commands import samples
from journal.site import JournalSettings, SettingsError, load_settings

#: The user's settings; a zone 14 hours ahead of UTC puts the welcome post on "tomorrow" for
#: a build machine in UTC (ABlog's own publication cutoff would hide it: journal.upstream.ablog).
USER = [
    "--title=민수의 공부 기록",
    "--description=매일 조금씩 배운 것을 적습니다",
    "--author-name=이민수",
    "--author-id=minsu",
    "--language=ko",
    "--timezone=Pacific/Kiritimati",
    "--rtd-project=minsu-journal",
    "--repository=https://github.com/minsu/journal",
]
# -- the manifest --------------------------------------------------------------------------------


def test_manifest_hashes_are_the_repository_samples() -> None:
    for path, digest in {**samples.REMOVED, **samples.REPLACED}.items():
        assert hashlib.sha256((ROOT / path).read_bytes()).hexdigest() == digest, f"update {path}'s hash in samples.py"


def test_every_sample_file_is_in_the_manifest() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "posts", "notes", "index.md", "about.md", "glossary.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    listed = set(samples.REMOVED) | set(samples.REPLACED) | {"posts/index.md"}
    assert sorted(set(tracked) - listed) == []
    assert set(samples.REPLACED) == {"index.md", "about.md", "glossary.md", "notes/index.md"}


# -- settings (journal.json) ------------------------------------------------------------------------


def test_no_settings_file_is_the_sample_journal(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "journal.json")
    assert settings == JournalSettings()
    assert settings.base_url == "https://baeum-ilji.readthedocs.io/ko/latest/"
    assert settings.blog_authors == {"bora": ("김보라", None)}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone: 'Mars/Olympus' is not a time zone"),
        ({"since": "2025"}, "since: '2025' is not a year"),
        ({"tittle": "x"}, "tittle: unknown key"),
        ({"default_author": "nobody"}, "default_author: 'nobody' is not one of authors"),
        ({"authors": {"Min Su": "민수"}}, "author id: 'Min Su' is not an author id"),
        ([1], "expected a JSON object"),
    ],
)
def test_a_bad_settings_file_names_the_key(tmp_path: Path, data: object, message: str) -> None:
    path = tmp_path / "journal.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings(path)


# -- init on a copy of the repository ---------------------------------------------------------------


@pytest.fixture(scope="module")
def journal(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Build, subprocess.CompletedProcess[str], dict[str, str]]:
    """A copy made the user's journal, built strictly; with init's second run and the listing before it."""
    root = copy_project(tmp_path_factory.mktemp("journal"))
    done = init(root, *USER)
    assert done.returncode == 0, done.stderr
    before = listing(root)
    again = init(root, *USER)
    assert listing(root) == before
    build = sphinx_build(root, tmp_path_factory.mktemp("out") / "html")
    return root, build, again, before


def test_init_leaves_only_the_users_journal(journal: tuple[Path, Build, object, dict[str, str]]) -> None:
    root, build, _, files = journal
    assert build.returncode == 0, build.output[-3000:]
    assert build.warnings == []
    posts = [name for name in files if name.startswith("posts/") and name != "posts/index.md"]
    assert len(posts) == 1, posts
    assert not any(name.startswith("notes/") and name != "notes/index.md" for name in files)
    settings = json.loads((root / "journal.json").read_text(encoding="utf-8"))
    assert settings["authors"] == {"minsu": "이민수"}
    assert settings["title"] == "민수의 공부 기록"


def test_no_trace_of_the_sample_author(journal: tuple[Path, Build, object, object]) -> None:
    _, build, _, _ = journal
    for path in build.outdir.rglob("*"):
        if path.suffix in (".html", ".xml", ".js", ".txt", ".inv") and "_static" not in path.parts:
            text = path.read_bytes().decode("utf-8", "replace")
            assert not SAMPLE_AUTHOR.search(text), path.relative_to(build.outdir)


def test_pages_feeds_sidebars_and_search_show_the_welcome_post(journal: tuple[Path, Build, object, object]) -> None:
    _, build, _, _ = journal
    welcome = "일지를 시작합니다"
    rss = build.path("blog/rss.xml").read_text(encoding="utf-8")
    assert rss.count("<item>") == 1 and welcome in rss
    assert "<dc:creator>이민수</dc:creator>" in rss
    assert "<name>이민수</name>" in build.path("blog/atom.xml").read_text(encoding="utf-8")
    home = build.html("index")
    assert home.h1.get_text(strip=True).startswith("민수의 공부 기록")
    assert "매일 조금씩 배운 것을 적습니다" in home.get_text()
    assert welcome in home.select_one(".bd-sidebar-primary").get_text()  # recent posts
    assert build.path("blog/author/이민수.html").is_file()
    assert "이민수" in build.html("about").get_text()
    index = json.loads(build.path("searchindex.js").read_text(encoding="utf-8")[len("Search.setIndex(") : -1])
    assert welcome in index["titles"]
    assert "minsu-journal.readthedocs.io/ko/latest/" in rss
    post_pages = [p for p in build.pages() if "posts" in p.relative_to(build.outdir).parts and p.name != "index.html"]
    assert len(post_pages) == 1


def test_second_run_changes_nothing(journal: tuple[Path, Build, subprocess.CompletedProcess[str], object]) -> None:
    _, _, again, _ = journal
    assert again.returncode == 0
    assert "nothing changed" in again.stdout


def test_edited_samples_and_other_files_are_never_deleted(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    edited = root / "posts/2025/04-26-devstack.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n내가 덧붙인 문단.\n", encoding="utf-8")
    mine = root / "notes/code/my-note.md"
    mine.write_text("# 내 노트\n", encoding="utf-8")
    about = root / "about.md"
    about.write_text("# 소개\n\n내가 쓴 소개.\n", encoding="utf-8")
    done = init(root, *USER)
    assert done.returncode == 0, done.stderr
    assert edited.is_file() and mine.is_file()
    assert about.read_text(encoding="utf-8") == "# 소개\n\n내가 쓴 소개.\n"
    assert "kept posts/2025/04-26-devstack.md" in done.stdout
    assert "kept notes/code/my-note.md" in done.stdout
    assert "kept about.md" in done.stdout
    assert not (root / "posts/2025/04-12-ossca-start.md").exists()
    assert not (root / "notes/dev-env").exists()  # emptied folders go too


def test_keep_samples_keeps_them(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    before = listing(root)
    done = init(root, *USER, "--keep-samples")
    assert done.returncode == 0, done.stderr
    after = listing(root)
    assert {name: after.get(name) for name in before} == before  # nothing removed or changed
    added = sorted(set(after) - set(before))
    assert added[0] == "journal.json" and len(added) == 2 and added[1].startswith("posts/")
    assert load_settings(root / "journal.json").authors == {"minsu": "이민수", "bora": "김보라"}
    assert init(root, *USER, "--keep-samples").stdout.strip() == "nothing changed: this is already your journal"


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("--language=한국어", "--language: '한국어' is not a language code"),
        ("--timezone=Mars/Olympus", "--timezone: "),
        ("--rtd-project=My Journal", "--rtd-project: 'My Journal' is not a Read the Docs project name"),
        ("--author-id=민수", "--author-id: '민수' is not an author id"),
        ("--repository=ftp://example.com/x", "--repository: 'ftp://example.com/x' is not a web address"),
        ("--title=", "--title: is empty"),
        ("--author-name=a\tb", "--author-name: "),
    ],
)
def test_bad_flags_are_one_line_errors(tmp_path: Path, flag: str, message: str) -> None:
    root = copy_project(tmp_path)
    before = listing(root)
    done = init(root, *USER, flag)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"journal init: {message}"), done.stderr
    assert "Traceback" not in done.stderr
    assert listing(root) == before


def test_a_missing_value_without_a_terminal_is_an_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    done = init(root, "--title=제목", "--author-name=이민수", "--author-id=minsu")
    assert done.returncode == 2
    assert done.stderr == "journal init: --rtd-project: missing (no terminal to ask on; give it as a flag)\n"


HOSTILE = "`touch pwned` $HOME \"큰\" '작은' $(shell touch pwned2) {{ x }} *별*"


def test_make_init_keeps_hostile_values_as_text(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    venv = ROOT / ".venv"
    command = [
        "make",
        "-s",
        "-C",
        str(root),
        f"VENV={venv}",
        "-o",
        f"{venv}/.site-installed",
        "init",
        f"TITLE={HOSTILE}",
        f"DESCRIPTION={HOSTILE}",
        "AUTHOR_NAME=$HOME의 `id`",
        "AUTHOR_ID=minsu",
        "RTD_PROJECT=minsu-journal",
        "YES=1",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_", "READTHEDOCS"))}
    done = subprocess.run(command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    settings = load_settings(root / "journal.json")
    assert settings.title == HOSTILE
    assert settings.description == HOSTILE
    assert settings.authors == {"minsu": "$HOME의 `id`"}
    assert not list(root.glob("pwned*")) and not list(Path.cwd().glob("pwned*"))
    build = sphinx_build(root, tmp_path / "out" / "html")
    assert build.returncode == 0, build.output[-3000:]
    home = build.html("index")
    assert (
        home.h1.get_text(strip=True)
        .replace("“", '"')
        .replace("”", '"')
        .replace("‘", "'")
        .replace("’", "'")
        .startswith(HOSTILE)
    )


def test_a_journal_with_no_posts_builds(tmp_path: Path) -> None:
    """Deleting the welcome post leaves a journal with no post at all, which must still build strictly."""
    root = copy_project(tmp_path / "journal")
    assert init(root, *USER).returncode == 0
    for post in (root / "posts").rglob("*.md"):
        if post.name != "index.md":
            post.unlink()
    build = sphinx_build(root, tmp_path / "out" / "html")
    assert build.returncode == 0, build.output[-3000:]
    assert build.warnings == []
    assert "<item>" not in build.path("blog/rss.xml").read_text(encoding="utf-8")

"""Issue #13, hostile input to the commands: `make post`, `make import-jekyll`, `python -m journal new`.

What a user types reaches Python as typed (no shell, no make expansion); `journal new`
refuses, in one line and with the build's own words, what the build would refuse; no
input gives a traceback or writes outside the project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from myst_parser.config.main import read_topmatter

from buildsite import ROOT, build_environment, make_project, sphinx_build
from journal.commands.cli import main
from journal.contract.frontmatter import parse_post

SEOUL = ZoneInfo("Asia/Seoul")
VENV = ROOT / ".venv"


def listing(folder: Path) -> dict[str, int]:
    """Every file and folder under *folder* -> its size (folders: -1); symbolic links not followed."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): (-1 if path.is_dir() else path.lstat().st_size)
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module", autouse=True)
def repository_posts_untouched():
    """No test here may write into the repository's own posts/ (or create a file next to the Makefile)."""
    before = listing(ROOT / "posts"), sorted(p.name for p in ROOT.iterdir())
    yield
    assert (listing(ROOT / "posts"), sorted(p.name for p in ROOT.iterdir())) == before


def journal_new(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "journal", "new", *args]
    return subprocess.run(command, cwd=cwd, env=build_environment(), capture_output=True, text=True, check=False)


def refused(done: subprocess.CompletedProcess[str], status: int = 2) -> str:
    """The one-line message of a refusal (asserting the status, no traceback, no output)."""
    assert done.returncode == status, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("journal new: ")
    return lines[0].removeprefix("journal new: ")


def only_post(project: Path) -> Path:
    (path,) = project.glob("posts/*/*.md")
    return path


# --- make: nothing the user types is run or expanded --------------------------------

needs_make = pytest.mark.skipif(
    shutil.which("make") is None or not (VENV / "bin" / "python").exists(),
    reason="needs GNU make and the repository's .venv",
)


def make(project: Path, target: str, *assignments: str) -> subprocess.CompletedProcess[str]:
    """`make TARGET NAME=value...` in *project* (a temporary copy), as an argument list: no shell.

    ``-o`` keeps make from reinstalling the shared environment; VENV points at the repository's.
    """
    assert not project.resolve().is_relative_to(ROOT)
    command = ["make", "-s", "-o", f"{VENV}/.site-installed", f"VENV={VENV}", target, *assignments]
    return subprocess.run(command, cwd=project, env=build_environment(), capture_output=True, text=True, check=False)


def make_project_with_makefile(path: Path) -> Path:
    project = make_project(path, {})
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    return project


#: Titles that a shell or make would have run or changed; each must become the post's title as typed.
HOSTILE_TITLES = [
    "`date` 명령 배우기",
    'x"; id > f; echo "',
    "$HOME 변수",
    "${HOME}와 $$ 그리고 $(HOME)",
    "$(shell touch f) 함수",
    "'; touch f; echo '",
    "$(TITLE) 재귀",
    "-rf 로 시작하는 제목",
    "끝에 역슬래시 \\",
    "#주석이 아닌 제목 % 100",
]


@needs_make
@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_make_post_keeps_the_title_as_typed_and_runs_nothing(tmp_path: Path, title: str):
    project = make_project_with_makefile(tmp_path / "site")
    outside = listing(tmp_path)
    tags = "`id`,$HOME,$(shell touch f),a;b"
    category = 'x"; touch f; echo'
    done = make(project, "post", f"TITLE={title}", f"TAGS={tags}", f"CATEGORY={category}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "f").exists() and not (tmp_path / "f").exists()
    path = only_post(project)
    # Nothing else appeared, in the project or beside it.
    new = set(listing(tmp_path)) - set(outside)
    assert new == {f"site/{part}" for part in _parents(path.relative_to(project))}
    parsed = parse_post(path.read_text(encoding="utf-8"), SEOUL)
    assert parsed.problems == []
    assert parsed.meta.title == title
    assert parsed.meta.tags == ["`id`", "$HOME", "$(shell touch f)", "a;b"]
    assert parsed.meta.category == ['x"; touch f; echo']
    assert read_topmatter(path.read_text(encoding="utf-8"))["title"] == title  # and MyST reads the same


def _parents(relative: Path) -> list[str]:
    return [parent.as_posix() for parent in reversed(relative.parents) if parent.as_posix() != "."] + [
        relative.as_posix()
    ]


@needs_make
def test_make_post_titles_build_and_show_as_typed(tmp_path: Path):
    project = make_project_with_makefile(tmp_path / "site")
    for title in HOSTILE_TITLES:
        done = make(project, "post", f"TITLE={title}")
        assert done.returncode == 0, (title, done.stdout + done.stderr)
    assert not (project / "f").exists()
    built = sphinx_build(project, tmp_path / "html")
    assert built.returncode == 0, built.output[-3000:]
    assert built.warnings == []
    shown = set()
    for path in project.glob("posts/*/*.md"):
        page = built.html(path.relative_to(project).with_suffix("").as_posix())
        shown.add(page.select_one("article h1").get_text(strip=True).rstrip("#"))
    assert shown == {title.strip() for title in HOSTILE_TITLES}


@needs_make
def test_make_post_white_space_in_the_title(tmp_path: Path):
    """A newline or tab typed into TITLE is a space, as in the command itself."""
    project = make_project_with_makefile(tmp_path / "site")
    done = make(project, "post", "TITLE=줄\n바꿈\t탭", "TAGS=탭\t태그")
    assert done.returncode == 0, done.stdout + done.stderr
    meta = parse_post(only_post(project).read_text(encoding="utf-8"), SEOUL).meta
    assert (meta.title, meta.tags) == ("줄 바꿈 탭", ["탭 태그"])


@needs_make
@pytest.mark.parametrize("title", ["", "   ", "$(EMPTY)"])
def test_make_post_without_a_title_prints_the_usage(tmp_path: Path, title: str):
    project = make_project_with_makefile(tmp_path / "site")
    done = make(project, "post", f"TITLE={title}")
    if title == "$(EMPTY)":  # not empty as typed: the title is the text "$(EMPTY)"
        assert done.returncode == 0, done.stderr
        assert parse_post(only_post(project).read_text(encoding="utf-8"), SEOUL).meta.title == "$(EMPTY)"
        return
    assert done.returncode != 0
    assert done.stdout.startswith("usage: make post TITLE=")
    assert not (project / "posts").exists()


@needs_make
def test_make_post_refusal_is_the_commands(tmp_path: Path):
    project = make_project_with_makefile(tmp_path / "site")
    done = make(project, "post", "TITLE=느낌표", "TAGS=!!!")
    assert done.returncode == 2
    assert "journal new: tags: '!!!' has no letter or digit to name its page in blog/tag/; use a word" in done.stderr
    assert not (project / "posts").exists()


def jekyll_site(folder: Path) -> Path:
    (folder / "_posts").mkdir(parents=True)
    (folder / "_posts" / "2020-01-01-hello.md").write_text("---\ntitle: 안녕\n---\n\n본문\n", encoding="utf-8")
    return folder


@needs_make
def test_make_import_jekyll_takes_src_as_typed(tmp_path: Path):
    project = make_project_with_makefile(tmp_path / "site")
    source = jekyll_site(tmp_path / 'jekyll $(shell touch f) `touch f` "q"; touch f $HOME')
    done = make(project, "import-jekyll", f"SRC={source}", "ARGS=--dry-run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "would import" in done.stdout and "dry run: nothing was written" in done.stdout
    assert not list(tmp_path.rglob("f"))
    assert not (project / "posts").exists()
    done = make(project, "import-jekyll", f"SRC={source}", "ARGS=--dest 'imported posts'")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p.relative_to(project).as_posix() for p in project.glob("imported posts/*/*.md")] == [
        "imported posts/2020/01-01-hello.md"
    ]


@needs_make
@pytest.mark.parametrize(
    ("args", "says"),
    [
        ("--dry-run; touch f", "unrecognized arguments: --dry-run; touch f"),
        ("--dry-run $(shell touch f)", "unrecognized arguments: $(shell touch f)"),
        ("--dry-run `touch f`", "unrecognized arguments: `touch f`"),
        ('--dry-run "unclosed', "ARGS: No closing quotation in '--dry-run \"unclosed'"),
    ],
)
def test_make_import_jekyll_args_are_words_not_commands(tmp_path: Path, args: str, says: str):
    project = make_project_with_makefile(tmp_path / "site")
    source = jekyll_site(tmp_path / "jekyll")
    done = make(project, "import-jekyll", f"SRC={source}", f"ARGS={args}")
    assert done.returncode == 2, done.stdout + done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.rglob("f")) and not (project / "posts").exists()


@needs_make
def test_make_import_jekyll_without_src_prints_the_usage(tmp_path: Path):
    project = make_project_with_makefile(tmp_path / "site")
    done = make(project, "import-jekyll", "ARGS=--dry-run")
    assert done.returncode != 0 and done.stdout.startswith("usage: make import-jekyll SRC=")


# --- --from-env: the Makefile's way in ----------------------------------------------


def test_from_env_builds_the_arguments_without_a_shell(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    environ = {"JOURNAL_TITLE": "--tags=x 로 시작", "JOURNAL_TAGS": "-a,b", "JOURNAL_CATEGORY": "--draft"}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert main(["--from-env", "new"], environ) == 0, capsys.readouterr().err
    meta = parse_post(only_post(tmp_path).read_text(encoding="utf-8"), SEOUL).meta
    assert (meta.title, meta.tags, meta.category, meta.draft) == ("--tags=x 로 시작", ["-a", "b"], ["--draft"], False)


@pytest.mark.parametrize("argv", [["--from-env"], ["--from-env", "bench"], ["--from-env", "new", "extra"]])
def test_from_env_takes_one_known_command(argv: list[str], capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exited:
        main(argv, {})
    assert exited.value.code == 2
    assert "--from-env takes one command, one of: new, import-jekyll" in capsys.readouterr().err


# --- journal new: odd input is one clear line, never a traceback ----------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["", "--date", "2025-01-01"], "the title is empty; e.g. python -m journal new '오픈스택 SDK 첫 리뷰'"),
        (["\t\n "], "the title is empty; e.g. python -m journal new '오픈스택 SDK 첫 리뷰'"),
        (["글", "--timezone", ""], "--timezone: '' is not an IANA time zone such as 'Asia/Seoul'"),
        (["글", "--timezone", "A" * 1000], f"--timezone: '{'A' * 40}…' is not an IANA time zone such as 'Asia/Seoul'"),
        (["글", "--timezone", "../../etc/passwd"], "--timezone: '../../etc/passwd' is not an IANA time zone"),
        (["글", "--date", "2025-02-30"], "--date: '2025-02-30' is not a real date"),
        (["글", "--date", ""], "--date: '' is not a date; use one of YYYY-MM-DD"),
        (["글", "--date", "0001-01-01"], "--date: '0001-01-01"),
        (["글", "--date", "0001-01-01 00:00+09:00"], "--date: '0001-01-01 00:00+09:00"),
        (["글", "--date", "9999-12-31 23:59-12:00"], "--date: '9999-12-31 23:59-12:00'"),
        (["글", "--tags", "!!!"], "tags: '!!!' has no letter or digit to name its page in blog/tag/; use a word"),
        (["글", "--tags", "Python, python"], "tags: 'python' and 'Python' would share the page blog/tag/python.html"),
        (["글", "--category", "·"], "category: '·' has no letter or digit to name its page in blog/category/"),
        (
            ["글", "--tags", "가" * 90],
            "tags: '가가가가가가가가가가가가가가가가가가가가…' is too long to name its page in blog/tag/",
        ),
        (["글", "--root", "missing"], "--root: 'missing' is not a folder"),
        (["글", "--posts-dir", "../../x"], "--posts-dir: '../../x' would put the post outside the site's folder"),
        (["글", "--posts-dir", "{outside}"], "--posts-dir: '{outside}' would put the post outside"),
        (["글", "--posts-dir", "posts/../.."], "--posts-dir: 'posts/../..' would put the post outside"),
    ],
)
def test_odd_input_is_refused_in_one_line(tmp_path: Path, args: list[str], says: str):
    project = tmp_path / "outer" / "site"
    project.mkdir(parents=True)
    outside = str(tmp_path / "elsewhere")  # an absolute folder beside the project
    args, says = [arg.format(outside=outside) for arg in args], says.format(outside=outside)
    before = listing(tmp_path)
    message = refused(journal_new(project, *args))
    assert message.startswith(says), message
    assert listing(tmp_path) == before


def test_root_that_is_a_file(tmp_path: Path):
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    message = refused(journal_new(tmp_path, "글", "--root", "conf.py"))
    assert message == "--root: 'conf.py' is not a folder; give the site's folder, which holds conf.py"


def test_posts_folder_link_leading_outside_is_refused(tmp_path: Path):
    project, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "posts").symlink_to(elsewhere, target_is_directory=True)
    message = refused(journal_new(project, "글"))
    assert message == "--posts-dir: 'posts' would put the post outside the site's folder '.'"
    assert listing(elsewhere) == {}


def test_folder_that_cannot_be_created(tmp_path: Path):
    (tmp_path / "posts").write_text("a file where the posts folder goes", encoding="utf-8")
    done = journal_new(tmp_path, "글", "--date", "2025-04-12")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("journal new: cannot create the folder posts/2025: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posts"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write into any folder")
def test_unwritable_folder(tmp_path: Path):
    (tmp_path / "posts" / "2025").mkdir(parents=True)
    (tmp_path / "posts" / "2025").chmod(0o500)
    try:
        done = journal_new(tmp_path, "글", "--date", "2025-04-12")
    finally:
        (tmp_path / "posts" / "2025").chmod(0o700)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == "journal new: cannot write posts/2025/04-12-글.md: Permission denied\n"


def test_bytes_that_are_not_utf8(tmp_path: Path):
    command = [os.fsencode(sys.executable), b"-m", b"journal", b"new", b"caf\xe9 \xff"]
    done = subprocess.run(command, cwd=tmp_path, env=build_environment(), capture_output=True, check=False)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert done.stderr.decode() == "journal new: title: not UTF-8 text (byte 0xe9); type it again in a UTF-8 terminal\n"
    assert listing(tmp_path) == {}


@pytest.mark.parametrize("option", ["title", "--tags", "--posts-dir", "--root"])
def test_nul_characters(tmp_path: Path, option: str, capsys: pytest.CaptureFixture[str]):
    """No command line can carry NUL; a caller of main() can."""
    args = ["new", "글", "--root", str(tmp_path)]
    if option == "title":
        args[1] = "a\0b"
    else:
        args += [option, "a\0b"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == f"journal new: {option}: contains a NUL character; remove it\n"
    assert listing(tmp_path) == {}


def test_a_very_long_title(tmp_path: Path):
    """Either refused by the contract in one line, or written whole under a short file name."""
    title = "아주 긴 제목 " * 2000
    done = journal_new(tmp_path, title, "--date", "2025-04-12")
    assert "Traceback" not in done.stderr
    if done.returncode == 2:
        assert refused(done).startswith("title: ")
        assert listing(tmp_path) == {}
        return
    assert done.returncode == 0, done.stderr
    path = only_post(tmp_path)
    assert len(path.name.encode()) < 200
    assert parse_post(path.read_text(encoding="utf-8"), SEOUL).meta.title == " ".join(title.split())


@pytest.mark.parametrize("tag", ["왜?", "- 목록", "a: b", "?물음"])
def test_labels_yaml_would_misread_are_written_quoted(tmp_path: Path, tag: str):
    """``tags: [왜?]`` is malformed to PyYAML (and so to MyST): the command quotes such names."""
    done = journal_new(tmp_path, "글", "--date", "2025-04-12", "--tags", tag)
    assert done.returncode == 0, done.stderr
    text = only_post(tmp_path).read_text(encoding="utf-8")
    assert parse_post(text, SEOUL).meta.tags == [tag.strip()]
    assert read_topmatter(text)["tags"] == [tag.strip()]


def test_broken_conf_py_is_one_line(tmp_path: Path):
    (tmp_path / "conf.py").write_text("blog_path = \n", encoding="utf-8")
    message = refused(journal_new(tmp_path, "글"))
    assert message.startswith("cannot read conf.py: SyntaxError: ")
    (tmp_path / "conf.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    assert refused(journal_new(tmp_path, "글")) == "cannot read conf.py: RuntimeError: boom"
    (tmp_path / "conf.py").write_text("journal_posts_dir = 5\n", encoding="utf-8")
    assert refused(journal_new(tmp_path, "글")) == "conf.py: journal_posts_dir should be text, not int"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conf.py"]


def test_settings_come_from_conf_py(tmp_path: Path):
    """blog_path, blog_authors, journal_posts_dir and journal_timezone are the site's, as in the build."""
    conf = (
        "blog_path = 'journal'\nblog_post_pattern = 'writing/*/*'\njournal_posts_dir = 'writing'\n"
        "journal_timezone = 'UTC'\nblog_authors = {'bora': ('김보라', None)}\n"
    )
    (tmp_path / "conf.py").write_text(conf, encoding="utf-8")
    assert refused(journal_new(tmp_path, "글", "--tags", "!!!")).endswith("in journal/tag/; use a word")
    done = journal_new(tmp_path, "글", "--author", "김보라", "--date", "2025-04-12 01:00")
    assert done.returncode == 0, done.stderr
    path = tmp_path / "writing/2025/04-12-글.md"
    assert parse_post(path.read_text(encoding="utf-8"), SEOUL).meta.date.isoformat() == "2025-04-12T10:00:00+09:00"
    message = refused(journal_new(tmp_path, "다른 글", "--author", "bora", "--date", "2025-04-13"))
    assert (
        message
        == "author: 'bora' and '김보라' would share the page journal/author/김보라.html; write '김보라' everywhere"
    )


# --- fuzzing: whatever the text, a clean refusal or a post both readers agree on ------

_TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\0"), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT, tags=_TEXT, category=_TEXT)
def test_any_text_is_refused_cleanly_or_written_readably(title: str, tags: str, category: str, capsys):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        root.mkdir()
        args = ["new", "--root", str(root), "--date", "2025-04-12", f"--tags={tags}", f"--category={category}"]
        status = main([*args, "--", title])
        err = capsys.readouterr().err
        if status != 0:
            assert status == 2 and err.startswith("journal new: ") and listing(root) == {}, err
            return
        (path,) = root.glob("posts/2025/*.md")
        assert path.resolve().is_relative_to(root.resolve())
        text = path.read_text(encoding="utf-8")
        parsed = parse_post(text, SEOUL)
        assert parsed.problems == []
        assert read_topmatter(text)["title"] == parsed.meta.title

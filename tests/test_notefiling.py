"""Notes file themselves (journal.content.notefiling): every note is in its topic's toctree and the
sidebar without a toctree edit, ordered by ``order:`` then title; folders without ``index.md`` get a
generated index page; explicit toctrees win; incremental and ``-j 2`` builds equal clean serial ones."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from buildsite import ROOT, Build, copy_project, init, make_project, output_files, post_source, sphinx_build
from journal.content.notefiling import (
    Entry,
    children,
    default_title,
    generated_source,
    sort_key,
    topic_indexes_above,
    wanted_topics,
)
from journal.content.notes import parse_note

SEOUL = ZoneInfo("Asia/Seoul")

# --- which pages go where (pure) ------------------------------------------------------

DOCS = {"notes/index", "notes/a/x", "notes/a/index", "notes/a/b/y", "notes/c/z", "posts/p", "notes/top"}


def test_a_topic_files_its_notes_and_its_sub_topics():
    assert children("notes", DOCS) == ["notes/a/index", "notes/top"]  # c/index once it exists
    assert children("notes", DOCS | {"notes/c/index"}) == ["notes/a/index", "notes/c/index", "notes/top"]
    assert children("notes/a", DOCS | {"notes/a/b/index"}) == ["notes/a/b/index", "notes/a/x"]


def test_folders_without_an_index_get_one_the_notes_folder_too():
    assert wanted_topics("notes", DOCS) == {"notes/a/b/index", "notes/c/index"}
    assert wanted_topics("notes", {"notes/q/r/s"}) == {"notes/q/r/index", "notes/q/index", "notes/index"}
    assert wanted_topics("notes", {"posts/2025/p", "index"}) == set()


def test_the_topics_above_a_page():
    assert topic_indexes_above("notes", "notes/a/b/y") == ["notes/a/b/index", "notes/a/index", "notes/index"]
    assert topic_indexes_above("notes", "notes/a/index") == ["notes/index"]
    assert topic_indexes_above("notes", "notes/index") == []
    assert topic_indexes_above("notes", "posts/2025/p") == []


def test_order_first_then_title():
    entries = [Entry("d", "다", None), Entry("b", "Beta", 2), Entry("a", "alpha", None), Entry("c", "가", 1.5)]
    assert [e.docname for e in sorted(entries, key=sort_key)] == ["c", "b", "a", "d"]


def test_generated_titles_and_source():
    assert default_title("notes", "notes/linux-tips_2") == "linux tips 2"
    assert default_title("notes", "notes") == "노트"
    assert (
        generated_source("C++ [기초]", 2)
        == "---\norder: 2\n---\n# C\\+\\+ \\[기초\\]\n\nC\\+\\+ \\[기초\\] 주제의 노트를 모은 페이지입니다.\n"
    )


@pytest.mark.parametrize(("value", "number"), [("1", 1.0), ("-2.5", -2.5), ("0", 0.0)])
def test_order_is_a_number(value: str, number: float):
    parsed = parse_note(f"---\norder: {value}\n---\n", SEOUL)
    assert parsed.problems == [] and parsed.meta.order == number


@pytest.mark.parametrize("value", ['"1"', "첫째", "true", "[1, 2]", ".nan"])
def test_an_order_that_is_no_number_is_a_problem_at_its_line(value: str):
    parsed = parse_note(f"---\ntitle: x\norder: {value}\n---\n", SEOUL)
    assert [(p.line, p.key) for p in parsed.problems] == [(3, "order")]
    assert "is not a number" in parsed.problems[0].message


# --- built -----------------------------------------------------------------------------


def note(title: str, order: float | None = None, extra: str = "") -> str:
    front = f"title: {title}\n" + (f"order: {order}\n" if order is not None else "") + extra
    return f"---\n{front}---\n\n{title}에 대한 노트입니다.\n"


INDEX = "# 시험\n\n```{toctree}\n:glob:\n:hidden:\n\nposts/*/*\nnotes/index\n```\n"
NOTES = {
    "posts/2025/04-12-a.md": post_source("글 A", body="[SSH](../../notes/linux/ssh.md) 노트를 보세요."),
    "notes/index.md": "# 노트\n\n모든 노트.\n\n```{toctree}\n:maxdepth: 2\n```\n",
    "notes/linux/index.md": "---\norder: 1\n---\n# 리눅스\n\n리눅스 노트.\n",
    "notes/linux/ssh.md": note("SSH 정리", order=2),
    "notes/linux/grep.md": note("grep", order=1),
    "notes/linux/awk.md": "# awk 한 줄\n\n제목이 머리글에만 있는 노트.\n",
    "notes/python/asyncio.md": note("asyncio 기초"),
    "notes/python/deep/gil.md": note("GIL"),
    "notes/python/_topic.yml": "title: 파이썬 공부\n",
    "notes/git/index.md": "# 깃\n\n손으로 쓴 목차가 이깁니다.\n\n```{toctree}\n:caption: 깃 노트\n\nrebase\nbisect\n```\n",  # noqa: E501
    "notes/git/bisect.md": note("bisect로 범인 찾기"),
    "notes/git/rebase.md": note("rebase 정리"),
    "notes/git/stash.md": note("stash", order=1),
    "notes/git/lost.md": note("목차에 없는 노트", extra="orphan: true\n"),
}


def links(build: Build, page: str, selector: str) -> list[str]:
    """Targets (docnames) of the links *selector* finds on *page*, in order."""
    soup = BeautifulSoup(build.path(page + ".html").read_text(encoding="utf-8"), "html.parser")
    base = (build.outdir / page).parent
    found = []
    for a in soup.select(selector):
        href = urlparse(a["href"]).path
        if href and not urlparse(a["href"]).scheme:
            found.append((base / href).resolve().relative_to(build.outdir.resolve()).with_suffix("").as_posix())
    return found


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("filed")
    project = make_project(base / "src", NOTES, index=INDEX)
    build = sphinx_build(project, base / "html", doctreedir=base / "doctrees")
    assert build.returncode == 0, build.output[-3000:]
    return build


@pytest.mark.slow
def test_every_note_is_filed_and_the_strict_build_passes(filed: Build):
    assert filed.warnings == []
    assert links(filed, "notes/linux/index", "article .toctree-wrapper a") == [
        "notes/linux/grep",  # order 1
        "notes/linux/ssh",  # order 2
        "notes/linux/awk",  # no order: by title, from its heading
    ]
    nav = links(filed, "posts/2025/04-12-a", "nav.bd-docs-nav a")
    for docname in ("notes/linux/awk", "notes/python/asyncio", "notes/python/deep/gil", "notes/git/stash"):
        assert docname in nav, docname
    assert "notes/git/lost" not in nav, "an orphan is filed nowhere"


@pytest.mark.slow
def test_folders_without_an_index_get_a_generated_one(filed: Build):
    python = filed.html("notes/python/index")
    assert python.select_one("article h1").get_text().rstrip("#") == "파이썬 공부"  # from _topic.yml
    assert "파이썬 공부 주제의 노트를 모은 페이지입니다." in python.select_one("article").get_text()
    assert links(filed, "notes/python/index", "article .toctree-wrapper a")[:2] == [
        "notes/python/asyncio",
        "notes/python/deep/index",
    ]
    assert filed.html("notes/python/deep/index").select_one("article h1").get_text().rstrip("#") == "deep"
    # the notes folder's own toctree: topics by order (리눅스 has order 1), then by title
    topics = [d for d in links(filed, "notes/index", "article .toctree-wrapper a") if d.endswith("/index")]
    assert topics == ["notes/linux/index", "notes/git/index", "notes/python/index", "notes/python/deep/index"]


@pytest.mark.slow
def test_an_explicit_toctree_wins_and_the_rest_follow_it(filed: Build):
    git = links(filed, "notes/git/index", "article .toctree-wrapper a")
    assert git == ["notes/git/rebase", "notes/git/bisect", "notes/git/stash"]
    caption = filed.html("notes/git/index").select_one("article .toctree-wrapper .caption-text")
    assert caption is not None and caption.get_text() == "깃 노트", "appended to the page's toctree, its options kept"


@pytest.mark.slow
def test_strict_for_everything_else_and_bad_order_at_file_and_line(tmp_path: Path):
    project = make_project(
        tmp_path / "src",
        {
            "posts/2025/04-12-a.md": post_source("글 A"),
            "stray.md": "# 목차에 없는 페이지\n",
            "notes/index.md": "# 노트\n",
            "notes/t/a.md": note("A", extra="order: 첫째\n"),
            "notes/u/_topic.yml": "title: 유\norder: [1]\n",
            "notes/u/b.md": note("B"),
        },
        index=INDEX.replace("posts/*/*\n", ""),
    )
    build = sphinx_build(project, tmp_path / "html", doctreedir=tmp_path / "doctrees")
    assert build.returncode != 0
    assert "notes/t/a.md:3: WARNING: order: '첫째' is not a number [journal.frontmatter]" in build.output
    assert "notes/u/_topic.yml:2: WARNING: order: [1] is not a number [journal.frontmatter]" in build.output
    assert "stray.md: WARNING: document isn't included in any toctree" in build.output
    assert "notes/" not in " ".join(w for w in build.warnings if "toctree" in w)
    assert len(build.warnings) == 3, build.warnings


@pytest.mark.slow
def test_the_sample_topics_list_their_notes_without_a_toctree(site: Build):
    for topic in ("dev-env", "contribution", "code"):
        assert "{toctree}" not in (ROOT / "notes" / topic / "index.md").read_text(encoding="utf-8")
    assert links(site, "notes/dev-env/index", "article .toctree-wrapper a") == [
        "notes/dev-env/devstack",
        "notes/dev-env/tox",
        "notes/dev-env/functional-tests",
    ]
    assert links(site, "notes/code/index", "article .toctree-wrapper a") == [
        "notes/code/openstacksdk",
        "notes/code/openstackclient",
    ]


# --- incremental and parallel builds equal clean serial ones ---------------------------------


def write(relative: str, text: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text, encoding="utf-8")

    return change


def delete(relative: str) -> Callable[[Path], None]:
    return lambda project: (project / relative).unlink()


def move(old: str, new: str) -> Callable[[Path], None]:
    return lambda project: (project / old).rename(project / new)


STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("nothing", lambda project: None),
    ("add a note", write("notes/linux/cut.md", note("cut으로 열 자르기"))),
    ("add a note in a new folder", write("notes/vim/macros.md", note("vim 매크로"))),
    ("retitle a note", write("notes/python/asyncio.md", note("비동기 입문"))),
    ("re-order a note", write("notes/linux/awk.md", "---\norder: 0\n---\n# awk 한 줄\n\n앞으로.\n")),
    ("move a note to another topic", move("notes/linux/cut.md", "notes/python/cut.md")),
    ("name a generated topic", write("notes/vim/_topic.yml", "title: 빔\norder: 0\n")),
    ("write a topic's index", write("notes/vim/index.md", "# Vim 편집기\n\n손으로 쓴 소개.\n")),
    ("delete a topic's index", delete("notes/linux/index.md")),
    ("orphan a note", write("notes/git/stash.md", note("stash", extra="orphan: true\n"))),
    ("delete a note", delete("notes/python/deep/gil.md")),
    ("delete the last note of a folder", delete("notes/vim/macros.md")),
]


@pytest.fixture(scope="module")
def evolving(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("notes-incremental")
    return base, make_project(base / "project", NOTES, index=INDEX)


def built(project: Path, out: Path, *args: str) -> dict[str, bytes]:
    build = sphinx_build(project, out / "html", doctreedir=out / "doctrees", args=list(args))
    assert build.returncode == 0, build.output[-3000:]
    assert build.warnings == []
    return output_files(out / "html")


@pytest.mark.slow
@pytest.mark.parametrize(("step", "change"), STEPS, ids=[name for name, _ in STEPS])
def test_incremental_equals_clean(evolving: tuple[Path, Path], step: str, change: Callable[[Path], None]):
    base, project = evolving
    if step == "nothing":
        built(project, base / "incremental")
    change(project)
    incremental = built(project, base / "incremental")
    name = step.replace(" ", "-").replace("'", "")
    clean_sources = base / f"clean-{name}"
    shutil.copytree(project, clean_sources, ignore=shutil.ignore_patterns("_build"))
    clean = built(clean_sources, base / f"out-{name}")
    assert sorted(incremental) == sorted(clean)
    assert [page for page in clean if incremental[page] != clean[page]] == []


@pytest.mark.slow
def test_parallel_equals_serial(tmp_path: Path):
    project = make_project(tmp_path / "src", NOTES, index=INDEX)
    parallel = built(project, tmp_path / "parallel", "-j", "2")
    serial = built(project, tmp_path / "serial")
    assert "notes/python/index.html" in serial
    assert sorted(parallel) == sorted(serial)
    assert [page for page in serial if parallel[page] != serial[page]] == []


@pytest.mark.slow
def test_after_init_a_kept_note_files_itself_under_a_generated_topic(tmp_path: Path):
    """``journal init`` removes the sample topic's index.md but keeps the user's note beside it:
    the notes book is still valid, the folder gets a generated page and the note is in it."""
    root = copy_project(tmp_path / "journal")
    (root / "notes/code/my-note.md").write_text("# 내 노트\n\n내가 쓴 노트.\n", encoding="utf-8")
    done = init(
        root,
        *("--title=시험 일지", "--description=노트 시험", "--author-name=이민수", "--author-id=minsu"),
        *("--language=ko", "--timezone=Asia/Seoul", "--rtd-project=minsu", "--repository=https://github.com/minsu/j"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (root / "notes/code/index.md").exists() and not (root / "notes/dev-env").exists()
    build = sphinx_build(root, tmp_path / "out" / "html")
    assert build.returncode == 0, build.output[-3000:]
    assert build.warnings == []
    assert links(build, "notes/index", "article .toctree-wrapper a") == ["notes/code/index", "notes/code/my-note"]
    assert links(build, "notes/code/index", "article .toctree-wrapper a") == ["notes/code/my-note"]

"""Incremental builds give exactly the output of a clean build of the same sources.

One small project is built, then changed step by step (edit, add, rename, delete
posts, change their tags and dates); after each step the incremental output is
compared, file by file, with a clean build of the same sources (``searchindex.js``
too, with index entries from a glossary and from every post).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from buildsite import make_project, output_files, post_source, sphinx_build, workspace

pytestmark = pytest.mark.slow


def post(n: int, title: str | None = None, tags: str = "[공통]", date: str | None = None, extra: str = "") -> str:
    index = f"```{{index}} 색인{n}; 글{n}\n```"  # index entries in searchindex.js (journal.upstream.sphinx_search)
    body = f"{n}번 글의 첫 문단입니다.\n\n## 자세히\n\n{index}\n\n{n}번 글의 본문입니다.{extra}"
    return post_source(title or f"글 {n}", date=date or f"2025-0{n}-10 10:00:00", tags=tags, body=body)


def path(n: int) -> str:
    return f"posts/2025/0{n}-10-post-{n}.md"


INITIAL = {
    **{path(n): post(n, tags=f"[공통, 태그{n % 2}]") for n in range(1, 6)},
    "listing.md": "# 모든 글\n\n```{postlist}\n:excerpts:\n```\n",
    "glossary.md": "# 용어집\n\n```{glossary}\nGerrit\n  코드 리뷰 도구.\n\n패치셋\n  한 변경의 각 판.\n```\n",
}
#: The home page shows post cards (excerpt, reading time); listing.md, ABlog's excerpts.
INDEX = """# 시험 일지

```{postcards} 6
```

```{toctree}
:glob:
:hidden:

posts/*/*
listing
glossary
```
"""


def write(project: Path, relative: str, text: str) -> None:
    (project / relative).write_text(text, encoding="utf-8")


def rename_file(project: Path) -> None:
    (project / path(6)).rename(project / "posts/2025/06-10-renamed.md")


def delete_post(project: Path) -> None:
    (project / path(5)).unlink()


EXCERPT_EDIT = post(3, tags="[공통, 태그1]").replace("첫 문단", "고친 첫 문단")
STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("nothing", lambda p: None),
    ("edit a body", lambda p: write(p, path(3), post(3, tags="[공통, 태그1]", extra="\n\n한 문단 더."))),
    ("lengthen a body", lambda p: write(p, path(3), post(3, tags="[공통, 태그1]", extra="\n\n" + "긴 글 " * 1500))),
    ("edit an excerpt", lambda p: write(p, path(3), EXCERPT_EDIT)),
    ("rename a title", lambda p: write(p, path(2), post(2, title="새 제목", tags="[공통, 태그0]"))),
    ("change tags", lambda p: write(p, path(4), post(4, tags="[새태그]"))),
    ("change a date", lambda p: write(p, path(1), post(1, tags="[공통, 태그1]", date="2025-05-20 09:00:00"))),
    ("add a post", lambda p: write(p, path(6), post(6, tags="[공통, 태그0]"))),
    ("rename a file", rename_file),
    ("delete a post", delete_post),
]


@pytest.fixture(scope="module")
def evolving(tmp_path_factory):
    base = tmp_path_factory.mktemp("incremental")
    project = make_project(base / "project", INITIAL, index=INDEX)
    return base, project


def build_into(project: Path, out: Path, jobs: int = 1):
    build = sphinx_build(project, out / "html", doctreedir=out / "doctrees", args=["-j", str(jobs)])
    assert build.returncode == 0, build.output[-3000:]
    return output_files(out / "html")


@pytest.mark.parametrize(("step", "change"), STEPS, ids=[name for name, _ in STEPS])
def test_incremental_equals_clean(evolving, step, change):
    base, project = evolving
    if step == "nothing":
        build_into(project, base / "incremental")
    change(project)
    incremental = build_into(project, base / "incremental")
    clean_sources = base / f"clean-{step.replace(' ', '-')}"
    shutil.copytree(project, clean_sources, ignore=shutil.ignore_patterns("_build"))
    clean = build_into(clean_sources, base / f"out-{step.replace(' ', '-')}")
    assert sorted(incremental) == sorted(clean)
    differing = [name for name in clean if incremental[name] != clean[name]]
    assert differing == []
    assert b'"indexentries":{}' not in clean["searchindex.js"], "the glossary's and the posts' index entries"


# --- sites whose posts are not in the toctree: new widgets spliced into unchanged pages ------------
#
# journal.pages.dependents writes through the theme only the pages that show what changed of
# the posts; the other post pages get their folder's new widgets spliced in
# (journal.speed.splice). Each step below changes a site built before, builds it again with
# ``-j 2`` and compares every file with a clean serial build of the same sources.


def posts_of_site(project: Path) -> list[Path]:
    """The published posts of *project* (no draft)."""
    posts = sorted((project / "posts").glob("*/*.md"))
    return [post for post in posts if not re.search(r"^draft: true", post.read_text("utf-8"), re.M)]


def middle_post(project: Path) -> Path:
    posts = posts_of_site(project)
    return posts[len(posts) // 2]


def newest_post(project: Path) -> Path:
    return max(posts_of_site(project), key=lambda p: re.search(r"^date: (.*)$", p.read_text("utf-8"), re.M)[1])


def set_field(post: Path, key: str, value: str) -> None:
    text = post.read_text(encoding="utf-8")
    new = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    assert new != text, f"{post} has no {key}"
    post.write_text(new, encoding="utf-8")


def add_post(project: Path) -> None:
    source = middle_post(project)
    added = source.with_name("12-30-added-post.md")
    added.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    set_field(added, "title", '"새로 더한 글"')


SITE_STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("add a post", add_post),
    ("retitle a post", lambda p: set_field(middle_post(p), "title", '"고쳐 쓴 제목"')),
    ("retitle the newest post", lambda p: set_field(newest_post(p), "title", '"가장 새 글의 새 제목"')),
    ("re-date a post", lambda p: set_field(middle_post(p), "date", "2019-01-02 08:00:00")),
    ("re-tag a post", lambda p: set_field(middle_post(p), "tags", "[새태그, python]")),
    ("delete a post", lambda p: p.joinpath("posts").glob("*/12-30-added-post.md").__next__().unlink()),
]
SITES = {"sample site": 0, "45-post workspace": 45}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    built = {}
    for name, posts in SITES.items():
        base = tmp_path_factory.mktemp(name.replace(" ", "-"))
        project = workspace(base / "project", posts)
        build_into(project, base / "incremental", jobs=2)
        built[name] = project
    return built


@pytest.mark.parametrize("site", list(SITES))
@pytest.mark.parametrize(("step", "change"), SITE_STEPS, ids=[name for name, _ in SITE_STEPS])
def test_incremental_site_equals_clean(sites, site, step, change):
    project = sites[site]
    change(project)
    incremental = build_into(project, project.parent / "incremental", jobs=2)
    clean_sources = project.parent / f"clean-{step.replace(' ', '-')}"
    shutil.copytree(project, clean_sources, ignore=shutil.ignore_patterns("_build"))
    clean = build_into(clean_sources, project.parent / f"out-{step.replace(' ', '-')}")
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []


# --- withheld posts: a draft or a broken post is one document less, not a new configuration ------
#
# journal.upstream.sphinx_project withholds broken, draft and future posts from discovery. They
# used to go into ``exclude_patterns``, whose change made Sphinx read every document again: one
# save of a draft, or of a post with a YAML typo, was a full build. Each step below must read
# only what it changed and still give a clean build's output.

OUTDATED = re.compile(r"updating environment: (\[[^\]]*\] )?(\d+) added, (\d+) changed, (\d+) removed")


def break_front_matter(project: Path) -> None:
    set_field(middle_post(project), "title", "콜론: 따옴표 없는 제목")  # ': ' unquoted is not YAML


def fix_front_matter(project: Path) -> None:
    broken = next(p for p in (project / "posts").glob("*/*.md") if "콜론: 따옴표 없는" in p.read_text("utf-8"))
    set_field(broken, "title", '"콜론: 따옴표 안의 제목"')


def draft_of(project: Path) -> Path:
    return next((project / "posts").glob("*/12-29-draft-post.md"))


def add_draft(project: Path) -> None:
    source = middle_post(project)
    draft = source.with_name("12-29-draft-post.md")
    draft.write_text(source.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    set_field(draft, "title", '"쓰는 중인 초안"')


#: step, its change, whether the build warns, (added, removed) documents it must report
WITHHELD_STEPS: list[tuple[str, Callable[[Path], None], bool, tuple[int, int]]] = [
    ("add a draft", add_draft, False, (0, 0)),
    ("retitle the draft", lambda p: set_field(draft_of(p), "title", '"초안 2"'), False, (0, 0)),
    ("break a post's front matter", break_front_matter, True, (0, 1)),
    ("fix it again", fix_front_matter, False, (1, 0)),
    ("publish the draft", lambda p: set_field(draft_of(p), "draft", "false"), False, (1, 0)),
]


@pytest.fixture(scope="module")
def withheld_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("withheld")
    project = workspace(base / "project", 12)
    build_into(project, base / "incremental", jobs=2)
    return project


@pytest.mark.parametrize(("step", "change", "warns", "counts"), WITHHELD_STEPS, ids=[s[0] for s in WITHHELD_STEPS])
def test_withheld_posts_are_documents_not_configuration(withheld_site, step, change, warns, counts):
    project = withheld_site
    change(project)
    out = project.parent / "incremental"
    build = sphinx_build(project, out / "html", doctreedir=out / "doctrees", args=["-j", "2"])
    assert (build.returncode != 0) == warns, build.output[-3000:]
    assert ("journal.frontmatter" in build.output) == warns
    reported = OUTDATED.search(build.output)
    assert reported, build.output[-3000:]
    assert reported[1] is None, f"Sphinx saw a changed configuration: {reported[0]}"
    added, changed, removed = map(int, reported.group(2, 3, 4))
    assert (added, removed) == counts
    assert changed <= 3, f"{changed} documents read again"  # the post and the pages globbing the posts
    clean_sources = project.parent / f"clean-{step.replace(' ', '-').replace(chr(39), '')}"
    shutil.copytree(project, clean_sources, ignore=shutil.ignore_patterns("_build"))
    clean_out = clean_sources.parent / f"out-{clean_sources.name}"
    clean_build = sphinx_build(clean_sources, clean_out / "html", doctreedir=clean_out / "doctrees")
    assert (clean_build.returncode != 0) == warns
    incremental, clean = output_files(out / "html"), output_files(clean_out / "html")
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []

"""Local files stay local (issue #13): nothing from outside the project folder reaches the output.

Each hostile vector is a post of its own in one project, reading its own secret file, created
next to the project (outside it), with its own marker; the build must fail with a
``journal.localfile`` warning at the post's file and line, and the marker must be nowhere in
the output (pages, ``_images``, ``_downloads``, ``_sources``, ``searchindex.js``, feeds).
The benign project uses the same directives on files inside the project (some through
symlinks that stay inside) and must build, with the content there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from buildsite import STRICT, build_environment, make_project, post_source, sphinx_build
from journal.content.localfiles import NOTICE, Guard

pytestmark = pytest.mark.slow

#: Deep enough to climb from any temporary folder to ``/`` (extra ``..`` stop at the root).
TO_ROOT = "../" * 40


def marker(name: str) -> str:
    """A word that survives highlighting, HTML escaping and the search index (lower case, one token)."""
    return f"secret{name.replace('-', '')}{uuid.uuid4().hex[:12]}"


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


@dataclass
class Vector:
    name: str
    #: the post (under posts/2025/) whose line names the file
    post: str
    #: the text of the line that references the outside file (its line number is expected)
    needle: str
    marker: str


def outside_file(outside: Path, name: str, suffix: str, text: str) -> Path:
    path = outside / f"{name}{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


#: An extension of the project's own that reads a file the way many do (``note_dependency``, a
#: ``literal_block`` with the file as ``source``), unknown to journal.content.localfiles.
LOCAL_READER = """
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class ReadFile(SphinxDirective):
    required_arguments = 1

    def run(self):
        _, path = self.env.relfn2path(self.arguments[0])
        self.env.note_dependency(path)
        text = Path(path).read_text(encoding="utf-8")
        node = nodes.literal_block(text, text, source=path)
        self.set_source_info(node)
        return [node]


def setup(app):
    app.add_directive("readfile", ReadFile)
    return {"parallel_read_safe": True}
"""


def hostile_project(root: Path) -> tuple[Path, list[Vector]]:
    project, outside = root / "proj", root / "outside"
    outside.mkdir(parents=True)
    files: dict[str, str] = {}
    vectors: list[Vector] = []
    day = iter(range(1, 29))

    def post(name: str, body: str, needle: str, mark: str, **fields: str) -> str:
        filename = f"04-{next(day):02d}-{name}.md"
        files[f"posts/2025/{filename}"] = post_source(name, body=f"첫 문단입니다.\n\n{body}", **fields)
        vectors.append(Vector(name, filename, needle, mark))
        return filename

    def secret(name: str, suffix: str = ".txt", template: str = "{}\n") -> tuple[Path, str]:
        mark = marker(name)
        return outside_file(outside, name, suffix, template.format(mark)), mark

    _, mark = secret("climb")
    post("climb", "```{literalinclude} ../../../outside/climb.txt\n```\n", "{literalinclude}", mark)

    path, mark = secret("absolute")
    post("absolute", f"```{{literalinclude}} /{TO_ROOT}{str(path).lstrip('/')}\n```\n", "{literalinclude}", mark)

    _, mark = secret("diff")
    files["posts/2025/new.txt"] = "new\n"
    post("diff", "```{literalinclude} new.txt\n:diff: ../../../outside/diff.txt\n```\n", "{literalinclude}", mark)

    _, mark = secret("myst-include", ".md", "포함된 문단 {}\n")
    post("myst-include", "```{include} ../../../outside/myst-include.md\n```\n", "{include}", mark)

    _, mark = secret("myst-include-literal")
    post(
        "myst-include-literal",
        "```{include} ../../../outside/myst-include-literal.txt\n:literal:\n```\n",
        "{include}",
        mark,
    )

    _, mark = secret("rst-include", ".rst", "포함된 문단 {}\n")
    post("rst-include", "```{eval-rst}\n.. include:: ../../../outside/rst-include.rst\n```\n", ".. include::", mark)

    _, mark = secret("image", ".png", "PNG {}\n")
    post("image", "그림 ![그림](../../../outside/image.png) 끝.\n", "![그림]", mark)

    _, mark = secret("figure", ".png", "PNG {}\n")
    post("figure", "```{figure} ../../../outside/figure.png\n캡션\n```\n", "{figure}", mark)

    path, mark = secret("linked-image", ".png", "PNG {}\n")
    post("linked-image", "![링크 그림](linked.png)\n", "![링크 그림]", mark)
    symlinks = {"posts/2025/linked.png": path}

    path, mark = secret("feature", ".png", "PNG {}\n")
    post("feature", "본문입니다.\n", "image:", mark, image="cover.png")
    symlinks["posts/2025/cover.png"] = path

    _, mark = secret("download")
    post("download", "{download}`받기 <../../../outside/download.txt>` 입니다.\n", "{download}", mark)

    _, mark = secret("raw", ".html", "<p>{}</p>\n")
    post("raw", "```{raw} html\n:file: ../../../outside/raw.html\n```\n", "{raw}", mark)

    path, mark = secret("raw-absolute", ".html", "<p>{}</p>\n")
    post("raw-absolute", f"```{{raw}} html\n:file: {path}\n```\n", "{raw}", mark)

    path, mark = secret("csv", ".csv", "a,{}\n")
    post("csv", f"```{{csv-table}}\n:file: {path}\n```\n", "{csv-table}", mark)

    _, mark = secret("csv-relative", ".csv", "a,{}\n")
    post("csv-relative", "```{csv-table}\n:file: ../../../outside/csv-relative.csv\n```\n", "{csv-table}", mark)

    # an included file of the project that reads an outside file: its own line is named
    _, mark = secret("nested")
    files["posts/2025/nested-part.md.txt"] = "앞 문단.\n\n```{literalinclude} ../../../outside/nested.txt\n```\n"
    post("nested", "```{include} nested-part.md.txt\n```\n", "{include}", mark)

    # a directive of another extension, which reads a file without asking us: the fallback catches it
    _, mark = secret("other-extension")
    post("other-extension", "```{readfile} ../../../outside/other-extension.txt\n```\n", "{readfile}", mark)

    make_project(project, files)
    (project / "local_reader.py").write_text(LOCAL_READER, encoding="utf-8")
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nextensions.append("local_reader")\n')
    for link, target in symlinks.items():
        (project / link).symlink_to(target)

    # a post that is a symlink out of the project, and a folder of posts that is one
    mark = marker("linked-post")
    target = outside_file(outside, "linked-post", ".md", post_source("밖의 글", body=f"{mark}\n"))
    (project / "posts/2025/04-28-linked-post.md").symlink_to(target)
    vectors.append(Vector("linked-post", "04-28-linked-post.md", "", mark))
    mark = marker("linked-folder")
    (outside / "folder").mkdir()
    outside_file(outside / "folder", "01-01-in-folder", ".md", post_source("폴더 속 글", body=f"{mark}\n"))
    (project / "posts/2024").symlink_to(outside / "folder", target_is_directory=True)
    vectors.append(Vector("linked-folder", "../2024/01-01-in-folder.md", "", mark))
    mark = marker("linked-page")  # not a post: Sphinx finds it, and must not read it
    target = outside_file(outside, "linked-page", ".md", f"---\norphan: true\n---\n\n# 밖의 페이지\n\n{mark}\n")
    (project / "notes").mkdir()
    (project / "notes/linked-page.md").symlink_to(target)
    vectors.append(Vector("linked-page", "../../notes/linked-page.md", "", mark))
    return project, vectors


def expected_location(project: Path, vector: Vector) -> str:
    if vector.name == "nested":
        path = project / "posts/2025/nested-part.md.txt"
        return f"posts/2025/nested-part.md.txt:{line_of(path.read_text(encoding='utf-8'), '{literalinclude}')}:"
    path = project / "posts/2025" / vector.post
    relative = os.path.normpath(f"posts/2025/{vector.post}")
    line = line_of(path.read_text(encoding="utf-8"), vector.needle) if vector.needle else 1
    return f"{relative}:{line}:"


def files_containing(folder: Path, text: str) -> list[str]:
    needle = text.lower().encode()
    return sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and needle in path.read_bytes().lower()
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    project, vectors = hostile_project(tmp_path_factory.mktemp("hostile"))
    first = sphinx_build(project, project / "_build" / "html")
    again = sphinx_build(project, project / "_build" / "html")  # nothing changed: still refused
    parallel = sphinx_build(project, project / "_build" / "parallel", args=["-j", "2"])
    return project, vectors, {"first": first, "again": again, "parallel": parallel}


VECTOR_NAMES = [
    "climb",
    "absolute",
    "diff",
    "myst-include",
    "myst-include-literal",
    "rst-include",
    "image",
    "figure",
    "linked-image",
    "feature",
    "download",
    "raw",
    "raw-absolute",
    "csv",
    "csv-relative",
    "nested",
    "other-extension",
    "linked-post",
    "linked-folder",
    "linked-page",
]


def vector(hostile, name: str) -> Vector:
    return next(v for v in hostile[1] if v.name == name)


def test_every_vector_is_listed(hostile):
    assert [v.name for v in hostile[1]] == VECTOR_NAMES


@pytest.mark.parametrize("run", ["first", "again", "parallel"])
def test_build_fails(hostile, run):
    build = hostile[2][run]
    assert build.returncode != 0, build.output
    assert "Traceback" not in build.output
    assert "Exception occurred" not in build.output


@pytest.mark.parametrize("run", ["first", "again", "parallel"])
@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_warning_names_file_and_line(hostile, name, run):
    project, _, builds = hostile
    location = expected_location(project, vector(hostile, name))
    found = [w for w in builds[run].warnings if location in w and "[journal.localfile]" in w]
    assert len(found) == 1, f"no single journal.localfile warning at {location}:\n" + "\n".join(builds[run].warnings)
    assert "outside the project folder" in found[0]


@pytest.mark.parametrize("run", ["first", "parallel"])
@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_content_reaches_no_output_file(hostile, name, run):
    build = hostile[2][run]
    assert build.path("blog/atom.xml").is_file() and build.path("searchindex.js").is_file()
    assert files_containing(build.outdir, vector(hostile, name).marker) == []


def test_nothing_copied_from_outside(hostile):
    build = hostile[2]["first"]
    assert not build.path("_images").exists()
    assert not build.path("_downloads").exists()
    assert not build.path("posts/2025/cover.png").exists()
    assert not build.path("posts/2025/04-28-linked-post.html").exists()
    assert not build.path("posts/2024").exists()
    assert not build.path("notes/linked-page.html").exists()
    assert not build.path("_sources/posts/2025/04-28-linked-post.md.txt").exists()


@pytest.mark.parametrize(
    "name", ["climb", "myst-include", "image", "download", "raw", "csv", "nested", "other-extension"]
)
def test_reference_becomes_a_notice(hostile, name):
    build = hostile[2]["first"]
    page = build.html("posts/2025/" + vector(hostile, name).post.removesuffix(".md"))
    notices = page.select(".journal-localfile")
    assert notices and all(n.get_text() == NOTICE for n in notices)
    assert "첫 문단입니다." in page.get_text()  # the rest of the post is still there


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        ("posts/2025/04-12-post.md", post_source("원래 글", body="{}")),
        ("page.md", "---\norphan: true\n---\n\n# 원래 페이지\n\n{}\n"),
    ],
    ids=["post", "page"],
)
def test_a_document_built_before_it_became_a_symlink_out_is_removed(tmp_path, relative, text):
    other = "posts/2025/04-01-other.md"  # a project without any post does not build (not ours)
    project = make_project(tmp_path / "proj", {relative: text.format("원래 본문"), other: post_source("다른 글")})
    page = Path(relative).with_suffix(".html").as_posix()
    first = sphinx_build(project, project / "_build" / "html")
    assert first.returncode == 0, first.output
    assert first.path(page).is_file()
    mark = marker("later")
    target = outside_file(tmp_path, "later", ".md", text.format(mark))
    os.utime(target, (0, 0))  # older than the last build: Sphinx alone would not even re-read it
    (project / relative).unlink()
    (project / relative).symlink_to(target)
    second = sphinx_build(project, project / "_build" / "html")
    assert second.returncode != 0
    assert f"{relative}:1: WARNING: document {relative!r} is a symlink to {target}" in second.output
    assert not second.path(page).exists()
    assert files_containing(second.outdir, mark) == []


def test_an_asset_that_became_a_symlink_out_is_not_copied_again(tmp_path):
    """Sphinx follows the symlink for the modification time: an old target is no change to it."""
    body = "첫 문단입니다.\n\n![그림](pic.png)\n\n{download}`받기 <data.txt>`\n"
    project = make_project(
        tmp_path / "proj",
        {
            "posts/2025/04-12-post.md": post_source("그림 글", body=body, image="cover.png"),
            "posts/2025/pic.png": "PNG inside\n",
            "posts/2025/data.txt": "inside\n",
            "posts/2025/cover.png": "PNG inside\n",
        },
    )
    first = sphinx_build(project, project / "_build" / "html")
    assert first.returncode == 0, first.output
    marks = {}
    for name in ("pic.png", "data.txt", "cover.png"):
        marks[name] = marker(name.replace(".", ""))
        target = outside_file(tmp_path, name.replace(".", "-"), ".bin", f"{marks[name]}\n")
        os.utime(target, (0, 0))
        (project / "posts/2025" / name).unlink()
        (project / "posts/2025" / name).symlink_to(target)
    # the theme's files are rewritten: every page is written again, and copies its images
    (project / "_static" / "journal.css").write_text("/* changed */\n", encoding="utf-8")
    second = sphinx_build(project, project / "_build" / "html")
    assert second.returncode != 0
    post = project / "posts/2025/04-12-post.md"
    text = post.read_text(encoding="utf-8")
    for needle in ("![그림]", "{download}", "image:"):
        assert f"posts/2025/04-12-post.md:{line_of(text, needle)}: WARNING" in second.output, needle
    for mark in marks.values():
        assert files_containing(second.outdir, mark) == []


# --- the same directives on files inside the project ----------------------------------


@pytest.fixture(scope="module")
def benign(tmp_path_factory):
    root = tmp_path_factory.mktemp("benign")
    marks = {name: marker(name) for name in ("lit", "diff", "myst", "rst", "img", "dl", "raw", "csv", "post")}
    body = """첫 문단입니다.

```{literalinclude} snippet.txt
```

```{literalinclude} /posts/2025/snippet-link.txt
:diff: old.txt
```

```{include} part.md.txt
```

```{include} part-link.md.txt
```

```{eval-rst}
.. include:: part.rst.txt
```

![그림](pic.png) ![링크 그림](pic-link.png)

```{figure} /posts/2025/pic.png
캡션
```

{download}`받기 <data.txt>`

```{raw} html
:file: raw.html
```

```{csv-table}
:file: table.csv
```
"""
    project = make_project(
        root / "proj",
        {
            "posts/2025/04-12-inside.md": post_source("안쪽 파일", body=body, image="cover-link.png"),
            "posts/2025/snippet.txt": f"{marks['lit']} = 1\n",
            "posts/2025/old.txt": f"{marks['diff']} = 0\n",
            "posts/2025/part.md.txt": f"포함된 {marks['myst']} 문단.\n",
            "posts/2025/part.rst.txt": f"포함된 {marks['rst']} 문단.\n",
            "posts/2025/pic.png": f"PNG {marks['img']}\n",
            "posts/2025/data.txt": f"{marks['dl']}\n",
            "posts/2025/raw.html": f"<p class='raw'>{marks['raw']}</p>\n",
            "posts/2025/table.csv": f"a,{marks['csv']}\n",
            "standard.rst": ":orphan:\n\n표준 포함\n=========\n\n.. include:: <isonum.txt>\n\n|copy| 2025\n",
            "sources/linked-post.txt": post_source("링크된 글", body=f"{marks['post']} 본문.\n"),
        },
    )
    links = {
        "posts/2025/snippet-link.txt": "snippet.txt",
        "posts/2025/part-link.md.txt": "part.md.txt",
        "posts/2025/pic-link.png": "pic.png",
        "posts/2025/cover-link.png": "pic.png",
        "posts/2025/04-13-linked.md": "../../sources/linked-post.txt",
    }
    for link, target in links.items():
        (project / link).symlink_to(target)
    return sphinx_build(project, project / "_build" / "html"), marks


def test_benign_builds(benign):
    build, _ = benign
    assert build.returncode == 0, build.output
    assert "journal.localfile" not in build.output


def test_benign_content_is_there(benign):
    build, marks = benign
    page = build.path("posts/2025/04-12-inside.html").read_text(encoding="utf-8").lower()
    for name in ("lit", "diff", "myst", "rst", "raw", "csv"):
        assert marks[name] in page, name
    assert "journal-localfile" not in page
    assert "© 2025" in build.path("standard.html").read_text(encoding="utf-8")  # docutils' <isonum.txt>
    assert files_containing(build.path("_images"), marks["img"]) == ["pic.png"]
    assert len(files_containing(build.path("_downloads"), marks["dl"])) == 1
    assert build.path("posts/2025/cover-link.png").is_file()  # the feature image, copied
    assert marks["post"] in build.path("posts/2025/04-13-linked.html").read_text(encoding="utf-8")
    assert marks["post"] in build.path("blog/atom.xml").read_text(encoding="utf-8")


# --- the guard itself ---------------------------------------------------------------


def test_guard(tmp_path):
    project, sibling, outside = tmp_path / "proj", tmp_path / "proj2", tmp_path / "out"
    for folder in (project / "a", sibling, outside):
        folder.mkdir(parents=True)
    (project / "a/file.txt").write_text("x")
    (sibling / "file.txt").write_text("x")
    (outside / "file.txt").write_text("x")
    (project / "in-link.txt").symlink_to(project / "a/file.txt")
    (project / "out-link.txt").symlink_to(outside / "file.txt")
    (project / "dir-link").symlink_to(outside, target_is_directory=True)
    guard = Guard([project])
    assert guard.outside(project / "a/file.txt") is None
    assert guard.outside(project / "in-link.txt") is None
    assert guard.outside(project / "a/../a/file.txt") is None
    assert guard.outside(project / "out-link.txt") == str(outside / "file.txt")
    assert guard.outside(project / "dir-link/file.txt") == str(outside / "file.txt")
    assert guard.outside(project / "../proj2/file.txt") == str(sibling / "file.txt")  # a prefix is not a folder
    documents = ["a/file", "a/missing", "in-link", "out-link", "dir-link/file"]
    found = guard.outside_documents(project, documents, lambda docname: project / f"{docname}.txt")
    assert [(docname, real) for docname, _, real in found] == [
        ("dir-link/file", str(outside / "file.txt")),
        ("out-link", str(outside / "file.txt")),
    ]
    assert guard.outside_file(project, "a/file.txt") is None
    assert guard.outside_file(project, "in-link.txt") is None
    assert guard.outside_file(project, "out-link.txt") == str(outside / "file.txt")
    assert guard.outside_file(project, "dir-link/file.txt") == str(outside / "file.txt")
    assert guard.outside_file(project, "../out/file.txt") == str(outside / "file.txt")


# --- MyST's {include} of what can never be read to its end -------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "nested"])
def test_myst_include_of_a_pipe_or_device_is_refused_before_it_is_read(tmp_path: Path, kind: str):
    """MyST reads an ``{include}`` before any hook sees it: a pipe would hang the build and
    ``/dev/zero`` fill the memory, so the path is refused in the Markdown text first."""
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "pipe"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target = Path("/dev/zero")
    target = os.path.relpath(target, tmp_path / "proj" / "posts" / "2025")  # ../../../outside/pipe
    files = {"posts/2025/04-01-a.md": post_source("글", body=f"첫 문단.\n\n```{{include}} {target}\n```\n")}
    if kind == "nested":  # an included file inside the project that includes the device
        files["posts/2025/04-01-a.md"] = post_source("글", body="첫 문단.\n\n```{include} part.md\n```\n")
        files["posts/2025/part.md"] = f"부분입니다.\n\n:::{{include}} {target}\n:::\n"
    project = make_project(tmp_path / "proj", files)
    (project / "conf.py").open("a", encoding="utf-8").write("\nexclude_patterns.append('posts/2025/part.md')\n")
    command = [sys.executable, "-m", "sphinx", "-b", "html", *STRICT, str(project), str(project / "_build/html")]
    done = subprocess.run(
        command, capture_output=True, text=True, env=build_environment(), cwd=project, timeout=120, check=False
    )
    assert done.returncode != 0
    where = "posts/2025/part.md" if kind == "nested" else "posts/2025/04-01-a.md"
    line = 1 + files[where].splitlines().index(next(row for row in files[where].splitlines() if str(target) in row))
    assert re.search(rf"{where}:{line}: WARNING: include: '{re.escape(str(target))}' is outside", done.stderr), (
        done.stderr[-2000:]
    )
    page = (project / "_build/html/posts/2025/04-01-a.html").read_text(encoding="utf-8")
    assert NOTICE in page

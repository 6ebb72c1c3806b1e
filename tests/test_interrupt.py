"""A build interrupted at any point is followed by one that writes what a clean build writes.

Real builds (``-j 2``, strict, as ``make html`` on this project's two cores) of a small project
are interrupted by ``tests/interrupter.py``, a test-only extension that sends ``SIGINT`` to the
build's process group (as Ctrl-C does) when a chosen event is reached: deterministic, not timed.
The next build must succeed and its whole output folder must equal, file by file and byte
for byte, a clean build's of the same sources (``searchindex.js``, ``.buildinfo`` and
``_static`` included: nothing is expected to differ).

Also here: a no-change rebuild leaves ``searchindex.js`` (and every other file) as it was;
the upstream Sphinx bug ``journal/upstream/sphinx_search.py`` works around is still there; our state
files are written atomically.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2.bccache import Bucket
from sphinx.builders.html import StandaloneHTMLBuilder

from buildsite import STRICT, build_environment, make_project, post_source
from journal.speed import incremental, templatecache
from journal.upstream import sphinx_search as searchindex_fix

TESTS = Path(__file__).resolve().parent
INDEX = """# 시험 일지

```{toctree}
:glob:
:hidden:

posts/*/*
glossary
```
"""
GLOSSARY = """# 용어집

```{glossary}
:sorted:

Gerrit
  코드 리뷰 도구.

패치셋
  한 변경의 각 판.

tox
  테스트 도구.
```
"""


def post(n: int, tags: str, extra: str = "") -> str:
    body = (
        f"{n}번 글의 첫 문단입니다.\n\n## 자세히\n\n```{{index}} 색인{n}; 글{n}\n```\n\n{n}번 글의 본문입니다.{extra}"
    )
    return post_source(f"글 {n}", date=f"2025-0{n}-10 10:00:00", tags=tags, category="기록", body=body)


def path(n: int) -> str:
    return f"posts/2025/0{n}-10-post-{n}.md"


INITIAL = {
    **{path(n): post(n, tags=f"[공통, 태그{n % 3}]") for n in range(1, 6)},
    "glossary.md": GLOSSARY,
}
#: The sources after the edit that the interrupted build starts from: a post's body (with a
#: new index entry) and tags changed ("새태그" appears, "태그0" disappears with its archive
#: page and feeds), a post added.
FINAL = {
    **INITIAL,
    path(3): post(3, tags="[공통, 새태그]", extra="\n\n```{index} 고친 색인\n```\n\n한 문단 더."),
    path(6): post(6, tags="[공통, 태그2]"),
}


def project(where: Path, files: dict[str, str]) -> Path:
    """A small project with the repository's configuration and the interrupting extension."""
    src = make_project(where, files, index=INDEX)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\nsys.path.insert(0, {str(TESTS)!r})\nextensions.append('interrupter')\n")
    return src


def set_sources(src: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = src / relative
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def build(src: Path, interrupt: str | None = None, *, jobs: int = 2) -> subprocess.CompletedProcess[str]:
    """``sphinx-build`` into ``src/_build``, in a session (process group) of its own: the
    interrupter signals that group, never the test runner."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", *STRICT, "-j", str(jobs)]
    command += [str(src), str(src / "_build/html"), "-d", str(src / "_build/doctrees")]
    env = build_environment({"JOURNAL_TEST_INTERRUPT": interrupt} if interrupt else None)
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=src, check=False, start_new_session=True, timeout=300
    )


def built(src: Path, interrupt: str | None = None) -> dict[str, bytes]:
    done = build(src, interrupt)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return output_tree(src / "_build/html")


def output_tree(outdir: Path) -> dict[str, bytes]:
    """Every file of the output folder (static files, ``.buildinfo`` and the search index too)."""
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()}


def search_index(tree: dict[str, bytes]) -> dict:
    text = tree["searchindex.js"].decode("utf-8")
    assert text.startswith("Search.setIndex(") and text.endswith(")")
    return json.loads(text[len("Search.setIndex(") : -1])


def assert_same_tree(tree: dict[str, bytes], clean: dict[str, bytes]) -> None:
    assert sorted(set(tree) - set(clean)) == [], "files a clean build does not write"
    assert sorted(set(clean) - set(tree)) == [], "files a clean build writes"
    assert [name for name in clean if tree[name] != clean[name]] == [], "files that differ from a clean build's"


@pytest.fixture(scope="module")
def clean_final(tmp_path_factory) -> dict[str, bytes]:
    tree = built(project(tmp_path_factory.mktemp("clean") / "src", FINAL))
    index = search_index(tree)
    # What the comparisons rely on: index entries from the glossary and from posts, the new ones.
    assert {"gerrit", "패치셋", "색인3", "고친 색인"} <= set(index["indexentries"])
    assert "blog/tag/새태그.html" in tree and "blog/tag/태그0.html" not in tree
    assert any(name.startswith("blog/tag/새태그/") for name in tree), "the new tag's feeds"
    return tree


# --- interrupted builds ------------------------------------------------------------------

#: (what is interrupted, the interrupter's point, whether the project was built before the edit)
INTERRUPTS = [
    ("first build, writing", "html-page-context:posts/2025/03-10-post-3", False),
    ("reading", "doctree-read:posts/2025/06-10-post-6", True),
    ("writing", "html-page-context:posts/2025/03-10-post-3", True),
    ("archive page", "html-page-context:blog/tag/새태그", True),
    ("feeds written", "html-collect-pages", True),
    ("build-finished", "build-finished", True),
]


@pytest.mark.slow
@pytest.mark.parametrize(("phase", "point", "built_before"), INTERRUPTS, ids=[i[0] for i in INTERRUPTS])
def test_the_build_after_an_interrupted_one_writes_a_clean_build(tmp_path, clean_final, phase, point, built_before):
    src = project(tmp_path / "src", INITIAL if built_before else FINAL)
    doctrees = src / "_build/doctrees"
    if built_before:
        built(src)
        assert (doctrees / incremental.FINISHED_FILE).is_file()
        set_sources(src, FINAL)

    interrupted = build(src, point)
    assert interrupted.returncode != 0, interrupted.stdout[-2000:]
    assert f"SIGINT at {point}" in interrupted.stderr, "interrupted at the chosen point, not failed otherwise"
    assert not (doctrees / incremental.FINISHED_FILE).exists(), "an interrupted build is not recorded as finished"

    after = build(src)
    assert after.returncode == 0, after.stdout[-3000:] + after.stderr[-3000:]
    assert (doctrees / incremental.FINISHED_FILE).is_file()
    assert_same_tree(output_tree(src / "_build/html"), clean_final)
    assert not list(doctrees.glob(".*.tmp")), "no temporary files left"


# --- no-change rebuilds and the upstream bug -------------------------------------------


@pytest.mark.slow
def test_a_no_change_rebuild_leaves_the_output_as_it_was(tmp_path, clean_final):
    src = project(tmp_path / "src", FINAL)
    first = built(src)
    assert_same_tree(first, clean_final)
    again = built(src)
    assert search_index(again)["indexentries"], "index entries survive a rebuild"
    assert again["searchindex.js"] == first["searchindex.js"]
    assert_same_tree(again, first)


PLAIN_CONF = "project = 'plain'\nhtml_theme = 'basic'\n"
PLAIN_PAGES = {
    "index.rst": "Plain\n=====\n\n.. toctree::\n\n   terms\n   other\n\n.. index:: single: 첫째; 색인\n\nText.\n",
    "terms.rst": "Terms\n=====\n\n.. glossary::\n\n   Alpha\n      The first.\n\n   beta\n      The second.\n",
    "other.rst": "Other\n=====\n\n.. index:: Zeta, alpha\n\nMore text.\n",
}


def plain_build(src: Path, extensions: str | None = None) -> dict:
    """A plain Sphinx project (no journal), built by ``sphinx-build`` with its own environment."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(src / "_build")]
    if extensions:
        command += ["-D", f"extensions={extensions}"]
    done = subprocess.run(command, capture_output=True, text=True, env=build_environment(), check=False)
    assert done.returncode == 0, done.stderr
    return search_index(output_tree(src / "_build"))


def plain_project(where: Path) -> Path:
    where.mkdir(parents=True)
    (where / "conf.py").write_text(PLAIN_CONF, encoding="utf-8")
    for name, text in PLAIN_PAGES.items():
        (where / name).write_text(text, encoding="utf-8")
    return where


def edit_plain_project(src: Path) -> None:
    """Zeta becomes Omega (in a page that is rewritten), the glossary page goes."""
    (src / "other.rst").write_text(PLAIN_PAGES["other.rst"].replace("Zeta", "Omega"), encoding="utf-8")
    (src / "terms.rst").unlink()
    (src / "index.rst").write_text(PLAIN_PAGES["index.rst"].replace("   terms\n", ""), encoding="utf-8")


def test_upstream_sphinx_still_loses_index_entries_and_keeps_dead_words(tmp_path):
    """If this fails, Sphinx fixed what journal/upstream/sphinx_search.py works around: drop the workaround."""
    src = plain_project(tmp_path / "plain")
    first = plain_build(src)
    assert first["indexentries"], "the plain project has index entries"
    second = plain_build(src)
    assert second["indexentries"] == {}, (
        "upstream fixed: drop journal/upstream/sphinx_search.py (and its FEATURES line)"
    )
    edit_plain_project(src)
    edited = plain_build(src)
    dead = [word for word, pages in edited["terms"].items() if pages == []]
    assert dead, "upstream fixed: drop the dead words from journal/upstream/sphinx_search.py"


def test_the_workaround_keeps_index_entries_of_pages_not_rewritten(tmp_path):
    """journal.upstream.sphinx_search alone, on the plain project: rebuilds give a clean build's index."""
    src = plain_project(tmp_path / "plain")
    first = plain_build(src, "journal.upstream.sphinx_search")
    assert first == plain_build(src, "journal.upstream.sphinx_search"), "no change"
    edit_plain_project(src)
    edited = plain_build(src, "journal.upstream.sphinx_search")
    clean = plain_build(shutil.copytree(src, tmp_path / "clean", ignore=shutil.ignore_patterns("_build")))
    assert edited == clean
    assert "omega" in edited["indexentries"] and "zeta" not in edited["indexentries"]
    assert "beta" not in edited["indexentries"], "a removed page takes its entries with it"
    assert [] not in edited["terms"].values(), "no dead words"


#: sha256 of ``inspect.getsource`` of the upstream code journal/upstream/sphinx_search.py relies on, for
#: Sphinx 9.0.4. When one changes, re-read it: is the bug still there, does the workaround still
#: fit (``load``'s format argument, what ``freeze`` writes)? Then update the hash.
PINNED = {
    "sphinx.search.IndexBuilder.load": "f6bda8631cdd8c130a6b65f4d2fad628e015abe99c8e6d8e9a2b82defb59ab59",
    "sphinx.search.IndexBuilder.prune": "cd9133b0a71ae08953ca84cfd5cde516a52570b8c9471969fa5f95536d730b37",
    "sphinx.search.IndexBuilder.freeze": "e03ca24370523151d691014da355c165b3e6a56bab7160a4e1c4f0b786aa2a6d",
    "sphinx.builders.html.StandaloneHTMLBuilder.load_indexer": (
        "b78f84fcc285866abe68eca7fb63e35bf7f0b4fbcd71676037d98ca7dd05eec5"
    ),
}
UPSTREAM_CODE = {
    **{f"sphinx.search.IndexBuilder.{name}": function for name, function in searchindex_fix.UPSTREAM.items()},
    "sphinx.builders.html.StandaloneHTMLBuilder.load_indexer": StandaloneHTMLBuilder.load_indexer,
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_the_upstream_code_the_workaround_wraps_is_unchanged(name):
    digest = hashlib.sha256(inspect.getsource(UPSTREAM_CODE[name]).encode()).hexdigest()
    assert digest == PINNED[name], f"upstream changed {name}: re-check journal/upstream/sphinx_search.py"


# --- atomic state files ------------------------------------------------------------------


class Interrupted(BaseException):
    """Stands in for KeyboardInterrupt (which pytest would act on)."""


class _Breaking(io.BufferedWriter):
    def write(self, data):  # half the data, then the "Ctrl-C"
        super().write(bytes(data)[: len(data) // 2])
        raise Interrupted


def test_a_state_file_is_old_or_new_never_half_written(tmp_path, monkeypatch):
    class App:
        doctreedir = str(tmp_path)

    incremental.save_state(App, "demo", {"version": 1})
    assert incremental.load_state(App, "demo") == {"version": 1}
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, mode="r", *a, **k: _Breaking(real_open(self, mode, *a, **k)))
    with pytest.raises(Interrupted):
        incremental.save_state(App, "demo", {"version": 2, "big": "x" * 100_000})
    monkeypatch.undo()
    assert incremental.load_state(App, "demo") == {"version": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal-demo.pickle"], "no temporary file left"
    incremental.save_state(App, "demo", {"version": 2})
    assert pickle.loads((tmp_path / "journal-demo.pickle").read_bytes()) == {"version": 2}


def test_compiled_templates_are_written_atomically(tmp_path, monkeypatch):
    cache = templatecache.AtomicBytecodeCache(str(tmp_path))
    bucket = Bucket(None, "page.html", "checksum")  # type: ignore[arg-type]
    bucket.code = compile("x = 1", "page.html", "exec")
    cache.dump_bytecode(bucket)
    (name,) = [p.name for p in tmp_path.iterdir()]
    before = (tmp_path / name).read_bytes()

    def breaking_write(stream):
        stream.write(before[:10])
        raise Interrupted

    monkeypatch.setattr(bucket, "write_bytecode", breaking_write)
    with pytest.raises(Interrupted):
        cache.dump_bytecode(bucket)
    assert [p.name for p in tmp_path.iterdir()] == [name], "no partial or temporary file"
    assert (tmp_path / name).read_bytes() == before


WRITING = re.compile(r"writing output\.\.\. \[\s*100%\]")


@pytest.mark.slow
def test_after_an_unfinished_build_every_page_is_rewritten_and_caches_start_afresh(tmp_path):
    src = project(tmp_path / "src", INITIAL)
    built(src)
    doctrees = src / "_build/doctrees"
    fragments = doctrees / "journal-fragments.pickle"
    stamp = fragments.stat().st_mtime_ns

    done = build(src)  # nothing changed: nothing written, no fragment rendered
    assert done.returncode == 0, done.stderr[-3000:]
    assert not WRITING.search(done.stdout)
    assert fragments.stat().st_mtime_ns == stamp

    (doctrees / incremental.FINISHED_FILE).unlink()  # as if that build had been interrupted
    done = build(src)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "targets for 0 source files" in done.stdout and "updating environment: 0 added, 0 changed" in done.stdout
    assert WRITING.search(done.stdout), "every page is written again (none read again)"
    assert fragments.stat().st_mtime_ns != stamp, "fragments rendered again (the old ones were not trusted)"
    assert (doctrees / incremental.FINISHED_FILE).is_file()

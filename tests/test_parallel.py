"""Parallel reading and writing (``-j 2``) give the serial build's output, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildsite import ROOT, Build, sphinx_build

pytestmark = pytest.mark.slow
COMPARED = {".html", ".xml", ".js", ".txt"}


def outputs(outdir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in outdir.rglob("*")
        if p.is_file() and p.suffix in COMPARED and "_static" not in p.parts
    }


def test_parallel_build_equals_serial_build(site: Build, tmp_path: Path):
    parallel = sphinx_build(ROOT, tmp_path / "html", args=["-j", "2"])
    assert parallel.returncode == 0, parallel.output[-3000:]
    assert parallel.warnings == []
    assert "reading sources... [" in parallel.output and " .. " in parallel.output, "read in parallel chunks"
    serial, both = outputs(site.outdir), outputs(parallel.outdir)
    assert sorted(both) == sorted(serial)
    assert [name for name in serial if serial[name] != both[name]] == []


MERGE_LOG_EXTENSION = """
import json, os

MAIN = os.getpid()


def record(app, env, docnames, other):
    if os.getpid() == MAIN:  # the main process merging a reading process's result
        with open(os.environ["MERGE_LOG"], "a", encoding="utf-8") as log:
            sent = [sorted(docnames), sorted(other.all_docs), sorted(getattr(other, "ablog_posts", {}))]
            log.write(json.dumps(sent) + "\\n")


def setup(app):
    app.connect("env-merge-info", record)
    return {"parallel_read_safe": True}
"""


def test_each_reading_process_sends_back_only_what_it_read(tmp_path: Path):
    """On a rebuild every reading process inherits the whole environment; what it sends back
    to the main process holds only the documents it read (journal/upstream/sphinx_parallel.py),
    ABlog's post data included, and the rebuild equals a clean serial build."""
    import json

    from buildsite import make_project, post_source

    names = [f"posts/2025/{n:02d}-01-p{n}" for n in range(1, 13)]

    def write_posts(project: Path, version: str) -> None:
        for n, name in enumerate(names, start=1):
            text = post_source(f"글 {n}", date=f"2025-{n:02d}-01 10:00:00", body=f"{version} {n}")
            (project / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
            (project / f"{name}.md").write_text(text, encoding="utf-8")

    project = make_project(tmp_path / "src", {})
    write_posts(project, "처음")
    (project / "mergelog.py").write_text(MERGE_LOG_EXTENSION, encoding="utf-8")
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nextensions.append("mergelog")\n')
    log = tmp_path / "merges.jsonl"
    args, env = ["-j", "2"], {"MERGE_LOG": str(log)}
    first = sphinx_build(project, tmp_path / "html", doctreedir=tmp_path / "doctrees", args=args, env=env)
    assert first.returncode == 0, first.output[-3000:]
    log.unlink()
    write_posts(project, "고침")  # every post edited: read again, in chunks
    again = sphinx_build(project, tmp_path / "html", doctreedir=tmp_path / "doctrees", args=args, env=env)
    assert again.returncode == 0, again.output[-3000:]

    merges = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(merges) >= 2 and sorted(name for docnames, _, _ in merges for name in docnames) == names
    for docnames, sent, post_data in merges:
        assert sent == docnames, "the environment sent back holds the chunk's documents only"
        assert post_data == docnames, "and ABlog's data of those posts"
    serial = sphinx_build(project, tmp_path / "serial", doctreedir=tmp_path / "serial-doctrees")
    assert outputs(again.outdir) == outputs(serial.outdir)


def test_split_by_cost_balances_and_keeps_order():
    from journal.speed.pagewriters import split_by_cost

    pages = [(name, {"n": n}, "t.html") for name, n in [("a", 10), ("b", 1), ("c", 6), ("d", 5), ("e", 1)]]
    mine, theirs = split_by_cost(pages, lambda page: page[1]["n"])
    assert sorted(mine + theirs) == sorted(pages)
    assert [p[0] for p in mine] == sorted(p[0] for p in mine) and [p[0] for p in theirs] == sorted(p[0] for p in theirs)
    assert abs(sum(p[1]["n"] for p in mine) - sum(p[1]["n"] for p in theirs)) <= 1


def test_archive_pages_written_by_a_second_process_send_their_fragments_back(tmp_path: Path):
    """Under -j 2 about half of the listing pages are written by another process (journal.speed.pagewriters);
    the excerpts it renders (the journal index's pages 2, 3, …: archives are compact rows) reach the
    fragment cache the next build starts from."""
    import pickle

    from buildsite import make_project, post_source

    posts = {
        f"posts/2025/{n:02d}-01-p{n}.md": post_source(
            f"글 {n}",
            date=f"2025-{n:02d}-01 10:00:00",
            body=f"[소개](../../about.md)를 보세요. {n}번 첫 문단.",
            tags=f"[꼬리표{n}]",
        )
        for n in range(1, 11)
    }
    posts["posts/index.md"] = (ROOT / "posts/index.md").read_text(encoding="utf-8")
    index = "# 시험 일지\n\n```{toctree}\n:glob:\n:hidden:\n\nposts/index\nposts/*/*\n```\n"
    project = make_project(
        tmp_path / "src", {**posts, "about.md": "---\norphan: true\n---\n# 소개\n\n소개 글.\n"}, index=index
    )
    one_a_page = ["-D", "journal_listing_page_size=1"]
    parallel = sphinx_build(project, tmp_path / "html", doctreedir=tmp_path / "doctrees", args=["-j", "2", *one_a_page])
    assert parallel.returncode == 0, parallel.output[-3000:]
    serial = sphinx_build(project, tmp_path / "serial", doctreedir=tmp_path / "serial-doctrees", args=one_a_page)
    assert outputs(parallel.outdir) == outputs(serial.outdir)

    state = pickle.loads((tmp_path / "doctrees" / "journal-fragments.pickle").read_bytes())
    on_listing_pages = {key[0] for key in state["fragments"] if key[2] == "posts/page" and not key[4]}
    later = {f"posts/2025/{n:02d}-01-p{n}" for n in range(1, 10)}  # page 1 (post 10) is the source page
    assert on_listing_pages == later, "every excerpt of the index's pages 2, 3, … was kept"

"""Drafts and future posts: nowhere in a published build, clearly marked in a drafts preview."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from buildsite import ROOT, Build, archive_titles, make_project, sphinx_build

pytestmark = pytest.mark.slow

INDEX = """# 시험 일지

```{postlist}
:format: "{title}"
```

```{toctree}
:glob:
:hidden:

posts/*/*
```
"""

PUBLISHED = ("posts/2025/04-01-published", "공개된글제목")
#: docname -> (a title word found nowhere else, a tag only this post has)
HIDDEN = {
    "posts/2025/04-02-draft": ("비밀초안제목", "초안전용태그"),
    "posts/2099/01-01-future": ("미래글제목", "미래전용태그"),
    "posts/2025/04-03-undated-draft": ("날짜없는초안제목", "무일자태그"),
}
SOURCES = {
    "posts/2025/04-01-published.md": "---\ntitle: 공개된글제목\ndate: 2025-04-01\ntags: [회고]\n---\n\n공개 본문.\n",
    "posts/2025/04-02-draft.md": "---\ntitle: 비밀초안제목\ndate: 2025-04-02\ntags: [회고, 초안전용태그]\n"
    "category: 초안분류\ndraft: true\n---\n\n초안 본문.\n",
    "posts/2099/01-01-future.md": "---\ntitle: 미래글제목\ndate: 2099-01-01 09:00\ntags: [미래전용태그]\n---\n\n"
    "미래 본문.\n",
    "posts/2025/04-03-undated-draft.md": "---\ntitle: 날짜없는초안제목\ntags: [무일자태그]\ndraft: true\n---\n\n"
    "본문.\n",
}


def build(tmp_path_factory, name: str, args: list[str] | None = None) -> Build:
    project = make_project(tmp_path_factory.mktemp(name), SOURCES, index=INDEX)
    result = sphinx_build(project, project / "_build" / "html", args=args)
    assert result.returncode == 0, result.output[-3000:]
    assert result.warnings == []
    return result


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Build:
    return build(tmp_path_factory, "published")


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Build:
    return build(tmp_path_factory, "preview", ["-D", "journal_show_drafts=1"])


def spellings(text: str) -> set[str]:
    """*text* as it may appear in a built file: plain, JSON-escaped (searchindex.js), URL-encoded."""
    return {text, json.dumps(text)[1:-1], quote(text)}


def output_texts(build: Build) -> dict[Path, str]:
    kinds = {".html", ".xml", ".js", ".txt", ".json"}
    files = [p for p in build.outdir.rglob("*") if p.is_file() and p.suffix in kinds and "_static" not in p.parts]
    return {path: path.read_text(encoding="utf-8", errors="replace") for path in files}


def test_the_leak_check_looks_where_posts_are_listed(published: Build):
    """The scan below is only meaningful if listings, feeds, sitemap and search index name published posts."""
    texts = output_texts(published)
    docname, title = PUBLISHED
    for name in ("index.html", "blog/tag/회고.html", "searchindex.js"):
        assert any(form in texts[published.path(name)] for form in spellings(title)), name
    assert docname + ".html" in texts[published.path("sitemap.xml")]
    feeds = [path for path in texts if path.suffix == ".xml" and path.name != "sitemap.xml"]
    assert feeds and any(title in texts[path] for path in feeds)


@pytest.mark.parametrize("docname", HIDDEN, ids=lambda docname: docname.rsplit("/", 1)[1])
def test_unpublished_posts_leak_nowhere(published: Build, docname: str):
    assert not published.path(docname + ".html").exists()
    markers = {docname.rsplit("/", 1)[1], *HIDDEN[docname]}
    leaks = [
        f"{path.relative_to(published.outdir)}: {marker}"
        for path, text in output_texts(published).items()
        for marker in markers
        if any(form in text for form in spellings(marker))
    ]
    assert leaks == []


def test_search_index_has_only_the_published_post(published: Build):
    text = published.path("searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    posts = [name for name in index["docnames"] if name.startswith("posts/")]
    assert posts == [PUBLISHED[0]]


def test_a_draft_only_category_has_no_page(published: Build):
    assert not published.path("blog/category/초안분류.html").exists()
    assert not published.path("blog/2099.html").exists()


@pytest.mark.parametrize("docname", HIDDEN, ids=lambda docname: docname.rsplit("/", 1)[1])
def test_preview_shows_each_unpublished_post_with_a_banner(preview: Build, docname: str):
    page = preview.html(docname)
    assert page.find("h1").get_text(strip=True).rstrip("#") == HIDDEN[docname][0]
    banner = page.select_one("article .journal-draft")
    assert banner is not None
    assert banner.select_one(".admonition-title").get_text(strip=True) == "초안"
    assert "공개 빌드에는 들어가지 않습니다" in banner.get_text()
    # The banner sits right under the title, before the post's own text.
    assert banner.find_previous("h1") is page.select_one("article h1")


def test_preview_lists_unpublished_posts_as_drafts(preview: Build):
    drafts = set(archive_titles(preview.html("blog/drafts")))
    assert drafts == {title for title, _ in HIDDEN.values()}


def test_preview_does_not_mark_published_posts(preview: Build):
    assert preview.html(PUBLISHED[0]).select_one(".journal-draft") is None


def test_make_passes_the_drafts_switch():
    """`make html DRAFTS=1` hands Sphinx `-D journal_show_drafts=1` (converted to True: see the preview)."""
    command = ["make", "-n", "-C", str(ROOT), "html", "DRAFTS=1", "SPHINXBUILD=sphinx-build"]
    dry_run = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert "-D journal_show_drafts=1" in dry_run
    plain = subprocess.run([*command[:-2], command[-1]], capture_output=True, text=True, check=True).stdout
    assert "journal_show_drafts" not in plain

"""The importer on real Jekyll sites (``../shared/jekyll-corpus``, MIT-licensed), when present.

Each site is imported into its own temporary project and built strictly: every post
imports, dates/tags/categories/authors match the source front matter (read here with
plain YAML and dateutil, independently of the importer), the build has zero warnings,
and every old URL redirects to the right page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from dateutil import parser as dateparser

from buildsite import ROOT, assert_redirects_resolve, import_and_build
from journal.jekyll.authors import site_author
from journal.jekyll.importer import ImportRun, Options
from journal.jekyll.report import Status
from journal.jekyll.site import load_site

CORPUS = ROOT.parent / "shared" / "jekyll-corpus"
SITES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SITES, reason="../shared/jekyll-corpus is not on this machine"),
]


def source_front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.load(text.split("---", 2)[1], Loader=yaml.BaseLoader) or {}


def expected_date(front: dict, path: Path, tz: ZoneInfo) -> dt.datetime:
    raw = front.get("date") or path.name[:10]
    raw = re.sub(r"(\d{2}:\d{2}:\d{2}) \d{4} ", r"\1 ", raw)  # Ruby ignores a repeated year
    moment = dateparser.parse(raw)
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def labels(value: object, *, split: bool) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if not value:
        return []
    return str(value).split() if split and "," not in str(value) else [v.strip() for v in str(value).split(",")]


def folded(values: list[str]) -> list[str]:
    """Labels differing only in case share one archive page, so the importer unifies their spelling."""
    return [v.casefold() for v in values]


def written_front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


@pytest.mark.parametrize("name", SITES)
def test_corpus_site_imports_and_builds(name: str, tmp_path: Path) -> None:
    source = CORPUS / name
    config = (
        yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
        if (source / "_config.yml").is_file()
        else None
    )
    tz = ZoneInfo((config or {}).get("timezone") or "Asia/Seoul")
    authors_file = source / "_data" / "authors.yml"
    authors = yaml.safe_load(authors_file.read_text(encoding="utf-8")) if authors_file.is_file() else {}

    build = import_and_build(tmp_path / "project", source)
    assert build.returncode == 0, build.output[-5000:]
    assert build.warnings == []
    assert_redirects_resolve(build)

    report = ImportRun(load_site(source), Options(build.srcdir, timezone=ZoneInfo("Asia/Seoul"))).run()
    journal_json = build.srcdir / "journal.json"
    journal_authors = json.loads(journal_json.read_text(encoding="utf-8"))["authors"] if journal_json.exists() else {}
    site_label = site_author(config or {}, authors or {})  # a post without an author is the site's author's
    site_ids = [site_label] if site_label else []
    sources = sorted((source / "_posts").iterdir())
    assert [r.status for r in report.files] == [Status.UNCHANGED] * len(sources)  # all imported, re-run identical
    for result in report.files:
        front = source_front_matter(result.source)
        written = written_front_matter(build.srcdir / result.target)
        assert written["date"] == expected_date(front, result.source, tz), result.source
        assert folded(labels(written.get("tags"), split=False)) == folded(labels(front.get("tags"), split=True))
        categories = labels(front.get("categories"), split=True) + labels(front.get("category"), split=False)
        assert folded(labels(written.get("category"), split=False)) == folded(list(dict.fromkeys(categories)))
        ids = labels(front.get("author") or front.get("authors"), split=False) or site_ids
        names = [authors.get(i, {}).get("name", i) if isinstance(authors.get(i), dict) else i for i in ids]
        shown = [journal_authors.get(i, i) for i in labels(written.get("author"), split=False)]  # ids -> names
        assert folded(shown) == folded(names), result.source
        page = build.path(result.target.with_suffix(".html").as_posix())
        assert page.is_file(), result.target

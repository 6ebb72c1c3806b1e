"""journal.contract.frontmatter without Sphinx: lines and keys of problems, normalisation, writing it back."""

from __future__ import annotations

import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

import pytest

from journal.contract.frontmatter import PostMeta, parse_post, render_front_matter

SEOUL = ZoneInfo("Asia/Seoul")


def problems(front_matter: str) -> list[tuple[int, str | None]]:
    return [(p.line, p.key) for p in parse_post(f"---\n{front_matter}\n---\n\n본문\n", SEOUL).problems]


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        # A YAML error is reported at the key whose value is broken, not where the parser gave up.
        ("title: x\ntags: [a, b\ndate: 2025-04-12", [(3, "tags")]),
        ("title: 'x\ndate: 2025-04-12\ntags: [a]", [(2, "title")]),
        ("title: x\n  continued: y\ndate: 2025-04-12", [(2, "title")]),
        ("title: x\ndate: 2025-04-12\ndate: 2025-04-13", [(4, "date")]),
        ("title: x\ndate: 2025-04-12\nauthors: a\nauthor: b", [(5, "author")]),
        # A key that is not a typo of ours is another tool's business.
        ("title: x\ndate: 2025-04-12\nlayout: post\nsummary: y", []),
    ],
)
def test_problem_lines_and_keys(front_matter: str, expected: list[tuple[int, str | None]]):
    assert problems(front_matter) == expected


def test_draft_needs_no_date_and_is_not_published():
    parsed = parse_post("---\ntitle: x\ndraft: yes\n---\n", SEOUL)
    assert parsed.problems == []
    assert not parsed.meta.is_published(dt.datetime.now(SEOUL))


def test_future_post_is_not_published_until_its_time():
    meta = parse_post("---\ntitle: x\ndate: 2030-01-01 09:00\n---\n", SEOUL).meta
    assert not meta.is_published(dt.datetime(2030, 1, 1, 8, 59, tzinfo=SEOUL))
    assert meta.is_published(dt.datetime(2030, 1, 1, 0, 0, tzinfo=dt.UTC))  # 09:00 in Seoul


def test_labels_are_nfc_and_unique():
    nfd = unicodedata.normalize("NFD", "회고")
    meta = parse_post(f"---\ntitle: x\ndate: 2025-04-12\ntags: [회고, {nfd}, ' 회고 ']\n---\n", SEOUL).meta
    assert meta.tags == ["회고"]


def test_line_of_finds_aliases():
    parsed = parse_post("---\ntitle: x\ndate: 2025-04-12\nauthors: [a]\n---\n", SEOUL)
    assert parsed.line_of("author") == 4
    assert parsed.line_of("tags") == parsed.first_line


@pytest.mark.parametrize(
    "meta",
    [
        PostMeta(
            title="오픈스택 SDK: 첫 리뷰", date=dt.datetime(2025, 4, 12, 21, 30, tzinfo=SEOUL), tags=["a: b", "회고"]
        ),
        PostMeta(
            title="'따옴표' \"둘\"", date=dt.datetime(2025, 4, 12, tzinfo=SEOUL), author=["bora", "민수"], draft=True
        ),
        PostMeta(title="2025", date=dt.datetime(2025, 4, 12, tzinfo=SEOUL), category=["true"], lang="en"),
    ],
)
def test_render_reads_back_equal(meta: PostMeta):
    parsed = parse_post(render_front_matter(meta) + "\n본문\n", SEOUL)
    assert parsed.problems == []
    assert parsed.meta == meta

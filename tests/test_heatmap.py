"""잔디 (journal.pages.heatmap) and 다시 볼 노트 (journal.pages.revisit) on built sites, with the
build's "today" pinned by SOURCE_DATE_EPOCH; the counts are computed here from the front matter."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from buildsite import (
    ROOT,
    SEOUL,
    heatmap_days,
    make_project,
    output_files,
    pinned_today,
    post_date,
    post_source,
    source_posts,
    sphinx_build,
)
from journal.pages.heatmap import current_streak, last_twelve_months, longest_streak

#: After every sample post, so the whole sample site is published.
SAMPLE_NOW = "2025-10-15T12:00:00+09:00"


def note_dates(root: Path) -> list[dt.date]:
    """Each sample note's ``updated`` date, read with plain YAML."""
    dates = []
    for path in sorted((root / "notes").rglob("*.md")):
        match = re.match(r"---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.S)
        updated = yaml.safe_load(match.group(1)).get("updated") if match else None
        if updated:
            dates.append(updated if isinstance(updated, dt.date) else dt.date.fromisoformat(str(updated)))
    return dates


def expected_days(now: dt.datetime) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for post in source_posts():
        if not post.is_draft and post_date(post) <= now:
            counts.setdefault(post_date(post).astimezone(SEOUL).date().isoformat(), [0, 0])[0] += 1
    for day in note_dates(ROOT):
        counts.setdefault(day.isoformat(), [0, 0])[1] += 1
    return {day: (posts, notes) for day, (posts, notes) in counts.items()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    build = sphinx_build(ROOT, tmp_path_factory.mktemp("heat") / "html", env=pinned_today(SAMPLE_NOW))
    assert build.returncode == 0, build.output[-3000:]
    return build


def test_every_square_counts_what_the_front_matter_says(sample) -> None:
    now = dt.datetime.fromisoformat(SAMPLE_NOW)
    expected = expected_days(now)
    for page, start, end in [
        ("index", dt.date(2024, 10, 16), dt.date(2025, 10, 15)),
        ("blog/2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ]:
        shown = heatmap_days(sample.html(page))
        days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        assert sorted(shown) == [day.isoformat() for day in days], page
        for day, (posts, notes, _) in shown.items():
            assert (posts, notes) == expected.get(day, (0, 0)), (page, day)
        assert sum(posts for posts, _, _ in shown.values()) > 5, "the sample has posts in the window"


def test_a_square_links_to_its_days_post(sample) -> None:
    posts = {post_date(p).astimezone(SEOUL).date().isoformat(): p.docname for p in source_posts() if not p.is_draft}
    for page in ("index", "blog/2025"):
        shown = heatmap_days(sample.html(page))
        linked = {day: link for day, (count, _, link) in shown.items() if link}
        assert set(linked) == {day for day, (count, _, _) in shown.items() if count}
        base = sample.path(page + ".html").parent
        for day, link in linked.items():
            target = (base / link).resolve()
            assert target.is_file(), link
            assert target == sample.path(posts[day] + ".html").resolve(), day  # one post a sample day


def test_the_home_page_says_its_streaks_and_lists_notes_to_revisit(sample) -> None:
    soup = sample.html("index")
    streaks = soup.select_one(".journal-heatmap-streaks").get_text()
    assert re.fullmatch(r"연속 \d+일 · 가장 긴 연속 기록 \d+일", streaks), streaks
    revisit = soup.select("ul.journal-revisit li")
    titles = [item.a.get_text() for item in revisit]
    # growing/seedling notes updated more than 30 days before 2025-10-15, oldest first
    assert titles == ["python-openstackclient 명령 구조", "Zuul CI 결과 읽기", "functional 테스트 재현하기"]
    assert "🌿 자라는 중 · 2025-07-27 갱신" in revisit[1].get_text()
    year = sample.html("blog/2025").select_one(".journal-heatmap-streaks").get_text()
    assert re.fullmatch(r"가장 긴 연속 기록 \d+일", year), year


# --- streaks -----------------------------------------------------------------------------


def days(*texts: str) -> list[dt.date]:
    return [dt.date.fromisoformat(text) for text in texts]


def test_streaks() -> None:
    active = days("2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04", "2025-03-10", "2025-03-11")
    assert current_streak(active, dt.date(2025, 3, 11)) == 2
    assert current_streak(active, dt.date(2025, 3, 12)) == 2, "today not studied yet keeps yesterday's streak"
    assert current_streak(active, dt.date(2025, 3, 13)) == 0
    assert longest_streak(active, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 4
    assert longest_streak(active, dt.date(2025, 3, 3), dt.date(2025, 3, 31)) == 2
    assert last_twelve_months(dt.date(2024, 2, 29)) == (dt.date(2023, 3, 1), dt.date(2024, 2, 29))


# --- a crafted project -------------------------------------------------------------------

INDEX = """# 시험 일지

```{studyheatmap}
```

```{revisitnotes} 2
```

```{toctree}
:glob:
:hidden:

posts/*/*
notes/index
```
"""

NOTES_INDEX = """# 노트

```{toctree}
:glob:

*
```
"""


def note(title: str, updated: str, status: str) -> str:
    return f"---\ntitle: {title}\nupdated: {updated}\nstatus: {status}\n---\n\n본문입니다.\n"


CRAFTED = {
    "notes/index.md": NOTES_INDEX,
    "posts/2025/03-01-a.md": post_source("하나", "2025-03-01 09:00:00"),
    "posts/2025/03-02-b.md": post_source("둘", "2025-03-02 23:30:00"),
    "posts/2025/03-03-c.md": post_source("셋 아침", "2025-03-03 08:00:00"),
    "posts/2025/03-03-d.md": post_source("셋 저녁", "2025-03-03 21:00:00"),
    "notes/old.md": note("오래된 새싹", "2025-01-10", "seedling"),
    "notes/older.md": note("더 오래된 노트", "2024-12-01", "growing"),
    "notes/fresh.md": note("새 노트", "2025-03-04", "growing"),
    "notes/done.md": note("다 자란 노트", "2024-11-01", "evergreen"),
    "notes/third.md": note("세 번째", "2025-01-20", "growing"),
}
CRAFTED_NOW = "2025-03-04T20:00:00+09:00"


def crafted(path: Path) -> Path:
    return make_project(path, CRAFTED, index=INDEX)


def test_streaks_links_and_revisit_list_on_a_crafted_project(tmp_path: Path) -> None:
    args = ["-D", "journal_archive_page_size=1"]  # a year's archive: an ABlog archive, compact rows
    build = sphinx_build(crafted(tmp_path / "src"), tmp_path / "html", env=pinned_today(CRAFTED_NOW), args=args)
    assert build.returncode == 0, build.output[-3000:]
    soup = build.html("index")
    # 3/1, 3/2, 3/3 posts, 3/4 a note: four days in a row ending today
    assert soup.select_one(".journal-heatmap-streaks").get_text() == "연속 4일 · 가장 긴 연속 기록 4일"
    shown = heatmap_days(soup)
    assert shown["2025-03-03"][:2] == (2, 0) and shown["2025-03-04"] == (0, 1, None)
    assert shown["2025-03-01"][2] == "posts/2025/03-01-a.html"
    # two posts on 3/3, one a page: the year archive's page listing the day's newest (page 1)
    assert shown["2025-03-03"][2] == "blog/2025.html"
    assert [a.get_text() for a in soup.select("ul.journal-revisit li a")] == ["더 오래된 노트", "오래된 새싹"]
    year = build.html("blog/2025")
    assert heatmap_days(year)["2025-03-03"][2] == "#", "the day's posts are listed on this page"
    assert year.select_one(".journal-heatmap-streaks").get_text() == "가장 긴 연속 기록 4일"
    assert build.path("blog/2025/page/2.html").is_file()
    assert not build.html("blog/2025/page/2").select("figure.journal-heatmap"), "page 1 only"


def test_revisit_days_are_configurable(tmp_path: Path) -> None:
    args = ["-D", "journal_revisit_after_days=60"]
    build = sphinx_build(crafted(tmp_path / "src"), tmp_path / "html", env=pinned_today(CRAFTED_NOW), args=args)
    assert build.returncode == 0, build.output[-3000:]
    assert [a.get_text() for a in build.html("index").select("ul.journal-revisit li a")] == ["더 오래된 노트"]


# --- incremental and parallel builds -------------------------------------------------------


def test_incremental_builds_equal_clean_ones(tmp_path: Path) -> None:
    source = crafted(tmp_path / "src")
    out, doctrees = tmp_path / "html", tmp_path / "doctrees"

    def incremental(now: str) -> dict[str, bytes]:
        build = sphinx_build(source, out, doctreedir=doctrees, env=pinned_today(now))
        assert build.returncode == 0, build.output[-3000:]
        return output_files(out)

    def clean(now: str, name: str) -> dict[str, bytes]:
        build = sphinx_build(source, tmp_path / name, env=pinned_today(now))
        assert build.returncode == 0, build.output[-3000:]
        return output_files(tmp_path / name)

    first = incremental(CRAFTED_NOW)
    (source / "posts/2025/03-04-e.md").write_text(post_source("넷", "2025-03-04 10:00:00"), encoding="utf-8")
    added = incremental(CRAFTED_NOW)
    assert added["index.html"] != first["index.html"] and added["blog/2025.html"] != first["blog/2025.html"]
    assert added == clean(CRAFTED_NOW, "clean1")
    (source / "notes/third.md").write_text(note("세 번째", "2025-03-05", "growing"), encoding="utf-8")
    next_day = incremental("2025-03-05T09:00:00+09:00")
    assert "연속 5일" in next_day["index.html"].decode()
    assert next_day == clean("2025-03-05T09:00:00+09:00", "clean2")
    two_months_later = incremental("2025-05-05T09:00:00+09:00")  # nothing changed but the day
    assert two_months_later["index.html"] != next_day["index.html"]
    assert two_months_later == clean("2025-05-05T09:00:00+09:00", "clean3")


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    source = crafted(tmp_path / "src")
    env = pinned_today(CRAFTED_NOW)
    serial = sphinx_build(source, tmp_path / "serial", env=env)
    parallel = sphinx_build(source, tmp_path / "parallel", env=env, args=["-j", "2"])
    assert serial.returncode == 0 and parallel.returncode == 0, parallel.output[-3000:]
    assert output_files(tmp_path / "parallel") == output_files(tmp_path / "serial")
    shutil.rmtree(tmp_path / "src")

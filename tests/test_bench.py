"""The benchmark's inputs and report (its timings are not tested: see `make bench`)."""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

from journal.commands.bench import Figures, retitled, synthetic_post, table, warning_kind, warning_lines
from journal.contract.frontmatter import parse_post


def posts(seed: int, count: int = 50) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [synthetic_post(index, rng) for index in range(count)]


def test_synthetic_posts_are_deterministic_and_distinct():
    assert posts(2025) == posts(2025)
    assert posts(2025) != posts(7)
    assert len({path for path, _ in posts(2025, 500)}) == 500


def test_synthetic_posts_satisfy_the_post_contract():
    for path, text in posts(2025):
        parsed = parse_post(text, ZoneInfo("Asia/Seoul"))
        assert parsed.problems == [], (path, parsed.problems)
        assert 1 <= len(parsed.meta.tags) <= 3
        assert path.startswith(f"posts/{parsed.meta.date:%Y}/")


def test_the_add_and_retitle_steps_write_valid_posts():
    """The steps must change a post, not break it: a broken post is withheld, and the step
    would then measure a removed document (an earlier version of the benchmark did)."""
    for _, text in posts(2025, 10):
        for prefix in ("추가된", "새 제목 2"):
            parsed = parse_post(retitled(text, prefix), ZoneInfo("Asia/Seoul"))
            assert parsed.problems == []
            assert parsed.meta.title.startswith(f"{prefix} 합성 글")


def test_a_step_that_makes_the_build_warn_is_caught():
    log = "reading sources...\n/x/posts/a.md:2: WARNING: title: invalid YAML [journal.frontmatter]\nbuild succeeded"
    assert warning_lines(log) == ["/x/posts/a.md:2: WARNING: title: invalid YAML [journal.frontmatter]"]
    assert warning_kind(warning_lines(log)[0]) == "[journal.frontmatter]"
    assert warning_kind("/x/b.md: WARNING: document isn't included in any toctree [toc.not_included]") == (
        "[toc.not_included]"
    )


def test_table_prints_medians_and_ratios_against_the_floor():
    plain, journal = Figures(), Figures()
    for seconds in (2.0, 4.0, 3.0):
        plain.record("full", (seconds, 100, seconds))
        journal.record("full", (seconds * 2, 200, seconds))
    for figures in (plain, journal):
        for name in ("nochange", "edit", "add", "retitle", "delete"):
            figures.record(name, (1.0, 0, 1.0))
        figures.rss.append(100 if figures is plain else 250)
    report = table({"plain": plain, "journal": journal})
    full = next(line for line in report.splitlines() if line.startswith("| full build"))
    assert "3.0" in full and "6.0 (2.00x)" in full
    assert "250.0 (2.50x)" in report
    assert [line.split("|")[1].strip() for line in report.splitlines()[2:]] == [
        "full build (s)",
        "no-change rebuild (s)",
        "edit one post (s)",
        "add one post (s)",
        "retitle one post (s)",
        "delete one post (s)",
        "peak RSS (MB)",
    ]
    assert "3.0 (1.00x)" in table({"plain": plain, "journal": journal}, cpu=True)


def test_the_configurations_take_turns_within_each_round(monkeypatch, tmp_path):
    """A drifting machine slows every configuration alike: round 1 of each, then round 2 of each."""
    from journal.commands import bench

    order = []

    def one_round(runner, figures, number, *rest):
        order.append((runner.config, number))

    monkeypatch.setattr(bench, "measure_round", one_round)
    runners = [bench.Runner(tmp_path, name, "2") for name in ("plain", "journal")]
    results = bench.measure(runners, 2, tmp_path / "post.md", print, live=False)
    assert order == [("plain", 0), ("journal", 0), ("plain", 1), ("journal", 1)]
    assert list(results) == ["plain", "journal"]

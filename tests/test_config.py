"""journal.config: a value of the wrong type stops the build with a ``journal.config`` error naming it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.errors import ConfigError

from buildsite import make_project, post_source, sphinx_build
from journal.config import CONFIG, check, type_problem

DEFAULTS = {value.name: value.default for value in CONFIG}


def config(**changed: object) -> SimpleNamespace:
    return SimpleNamespace(**{**DEFAULTS, **changed})


def test_every_default_has_its_own_type() -> None:
    check(config())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("journal_related_posts", "3", "journal_related_posts = '3': expected int, got str"),
        ("journal_related_posts", True, "journal_related_posts = True: expected int, got bool"),
        ("journal_feed_length", 2.5, "journal_feed_length = 2.5: expected int or None, got float"),
        ("journal_show_drafts", "yes", "journal_show_drafts = 'yes': expected bool, got str"),
        ("journal_feed_archives", "tags", "journal_feed_archives = 'tags': expected list or tuple, got str"),
        ("journal_feed_archives", ["tags", 1], "journal_feed_archives = ['tags', 1]: expected a list of text"),
        ("journal_timezone", None, "journal_timezone = None: expected str, got NoneType"),
    ],
)
def test_a_wrong_type_is_a_journal_config_error(name: str, value: object, expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        check(config(**{name: value}))  # type: ignore[arg-type]
    assert str(raised.value) == f"journal.config: {expected}"


def test_right_types_pass() -> None:
    assert type_problem(None, (int, type(None))) is None
    assert type_problem(("tags",), (list, tuple)) is None
    assert type_problem(False, (bool,)) is None


def test_the_build_stops_on_a_wrong_type(tmp_path: Path) -> None:
    src = make_project(tmp_path / "src", {"posts/2025/04-12-a.md": post_source("첫 글")})
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\njournal_related_posts = "3"\n', encoding="utf-8")
    build = sphinx_build(src, tmp_path / "out")
    assert build.returncode != 0
    assert "journal.config: journal_related_posts = '3': expected int, got str" in build.output


@pytest.mark.parametrize("value", [None, 0, 20])
def test_a_feed_length_may_be_none_zero_or_a_number(value: int | None) -> None:
    check(config(journal_feed_length=value))  # type: ignore[arg-type]


def test_a_negative_feed_length_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"journal_feed_length = -1: at least 0"):
        check(config(journal_feed_length=-1))  # type: ignore[arg-type]

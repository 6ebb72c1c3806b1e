"""Front matter built to exhaust the build: each case is a clear error at its file and line.

One strict build holds every case beside a good post; it must end quickly with an error per
case (``path:line: WARNING: key: what is wrong [journal.frontmatter]``), no traceback, and the
good post built.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from buildsite import make_project, sphinx_build

pytestmark = pytest.mark.slow


def alias_bomb(levels: int = 10, width: int = 10) -> str:
    """The billion laughs: each anchor lists the previous one *width* times (10**10 values)."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(lines)


GOOD = "title: 좋은 글\ndate: 2025-05-01\n"
#: file -> (front matter, the line and message the build must report)
CASES = {
    "bomb": (f"{GOOD}{alias_bomb()}", 7, "a3: YAML aliases expand to more than 10,000 values"),
    "recursive": (f"{GOOD}loop: &r [1, *r]", 4, "loop: a YAML alias refers to the value that contains it"),
    "huge": (f"{GOOD}note: '{'가' * 30_000}'", 2, "front matter is 90,"),
    "year1": ("title: x\ndate: 0001-01-01T00:00:00+14:00", 3, "'0001-01-01T00:00:00+14:00': the year must be 1000"),
    "year1-naive": ("title: x\ndate: 0001-01-01", 3, "date: '0001-01-01': the year must be 1000 or later"),
    "overflow": ("title: x\ndate: 9999-12-31 23:59:59-12:00", 3, "is outside the dates we can store"),
    "offset": ("title: x\ndate: 2025-01-01 10:00+24:00", 3, "+24:00 is not a UTC offset"),
    "long-title": (f"title: {'제' * 301}\ndate: 2025-05-01", 2, "title: is 301 characters long; the limit is 300"),
    "many-tags": (f"{GOOD}tags: [{', '.join(f't{i}' for i in range(60))}]", 4, "tags: has 60 names; the limit is 50"),
    "long-tag": (f"{GOOD}tags: [{'t' * 150}]", 4, "characters long; the limit is 100"),
    "deep": (f"{GOOD}deep: {'[' * 5000}{']' * 5000}", 2, "values nested too deep"),
    "myst-refuses": (f"{GOOD}tags: [왜?]", 4, "tags: invalid YAML"),
}


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory):
    files = {f"posts/2025/05-02-{name}.md": f"---\n{yaml}\n---\n\n본문.\n" for name, (yaml, _, _) in CASES.items()}
    files["posts/2025/05-01-good.md"] = f"---\n{GOOD}---\n\n본문.\n"
    root = tmp_path_factory.mktemp("limits")
    project = make_project(root / "project", files)
    before = listing(root)
    started = time.monotonic()
    result = sphinx_build(project, project / "_build" / "html")
    seconds = time.monotonic() - started
    after = listing(root)
    outside = {path for path in after.keys() ^ before.keys() if not path.startswith("project/_build/")}
    outside |= {path for path in before if after.get(path) != before[path]}
    return result, seconds, outside


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


def test_the_build_fails_quickly_without_a_traceback(build):
    result, seconds, outside = build
    assert outside == set(), "files written or changed outside _build"
    assert result.returncode != 0
    assert "Traceback" not in result.output and "Exception occurred" not in result.output
    assert seconds < 60, f"the build took {seconds:.0f} s"  # the alias bomb took 67 s and 6.5 GB before
    assert result.path("posts/2025/05-01-good.html").is_file()


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_is_reported_at_its_line(build, name: str):
    result, _, _ = build
    _, line, message = CASES[name]
    pattern = re.compile(rf"posts/2025/05-02-{re.escape(name)}\.md:{line}: WARNING: (.*)\[journal\.frontmatter\]")
    reported = [match.group(1) for text in result.warnings if (match := pattern.search(text))]
    assert any(message in text for text in reported), (reported, result.warnings)
    assert not result.path(f"posts/2025/05-02-{name}.html").exists()

"""Property-based fuzzing of the post contract (hypothesis, seeded and bounded).

* The contract never raises: any front matter gives a meta or problems at lines of the file.
* Whatever it accepts, it writes back (``render_front_matter``) to front matter that reads
  back equal, and every accepted text is one line of printable text.
* A real strict build over a journal of fuzzed posts ends without a traceback, every
  rejection names its file and line, and nothing is written outside the build folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from buildsite import make_project, sphinx_build
from journal.contract.frontmatter import ALIASES, KNOWN_KEYS, parse_post, render_front_matter

SEOUL = ZoneInfo("Asia/Seoul")
#: Bidi embeddings, overrides and isolates, written out here rather than taken from the code under test.
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

#: Characters that have broken templates, XML, YAML or shells elsewhere.
NASTY = "<>\"'&`$;|\\{}[]#:%*!@\t\n\r\x00\x07\x1b\x7f\u0085\u2028\u202e\u2066\ufeff\ud7a3가"
texts = st.text(alphabet=st.sampled_from(NASTY) | st.characters(codec="utf-8"), max_size=60)
scalars = st.one_of(
    texts,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1)).map(str),
    st.sampled_from(["2025-04-12", "2025-04-12 21:30", "0001-01-01T00:00:00+14:00", "9999-12-31 23:59:59-12:00"]),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=3), max_leaves=8
)
labels = st.lists(texts, max_size=5) | texts
dates = st.sampled_from(["2025-04-12", "2025-04-12 21:30", "2025-04-12T10:00:00+09:00"]) | scalars
#: Mostly posts the contract should take (a title and a date, then any of the other keys), so
#: the write-back property below is tested on accepted posts, not only on rejections.
front_matters = st.fixed_dictionaries(
    {"title": texts, "date": st.sampled_from(["2025-04-12", "2025-04-12 21:30:05+09:00"])},
    optional={
        "tags": labels,
        "category": labels,
        "author": labels,
        "excerpt": texts,
        "series": texts,
        "image": texts | st.fixed_dictionaries({"path": texts, "alt": texts}),
        "updated": dates,
        "draft": st.booleans() | scalars,
        "lang": st.sampled_from(["ko", "en-US", "한국어"]),
        "layout": values,
        "permalink": texts,
    },
).flatmap(lambda required: st.dictionaries(texts, values, max_size=3).map(lambda extra: {**extra, **required}))
#: Anything at all under any key, valid or not.
wild_front_matters = st.dictionaries(
    st.sampled_from([*KNOWN_KEYS, *ALIASES, "layout", "permalink", "titel", "tag"]) | texts, values, max_size=8
)
#: Raw YAML-ish text, including what safe_dump would never write (tabs, anchors, unclosed brackets).
raw_yaml = st.lists(
    st.sampled_from(["title: ", "date: ", "tags: [", "]", "&a ", "*a", "- ", "  ", "\t", ": ", "'", '"', "\n", "---"])
    | texts,
    max_size=30,
).map("".join)


def source_of(data: dict) -> str:
    try:
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        dumped = repr(data)
    return f"---\n{dumped}---\n\n본문입니다.\n"


def check_contract(source: str) -> None:
    parsed = parse_post(source, SEOUL)
    last_line = source.count("\n") + 1
    for problem in parsed.problems:
        assert 1 <= problem.line <= last_line, (problem, source)
        assert str(problem)
    if parsed.problems:
        return
    meta = parsed.meta
    for text in (meta.title, meta.excerpt, meta.series, meta.image_alt, *meta.tags, *meta.category, *meta.author):
        if text is not None:
            assert text == " ".join(text.split()), repr(text)  # one line, single spaces
            assert not any(unicodedata.category(char) in ("Cc", "Cs") or char in BIDI for char in text), repr(text)
            assert unicodedata.is_normalized("NFC", text)
    again = parse_post(render_front_matter(meta) + "\n본문\n", SEOUL)
    assert again.problems == [], (meta, again.problems)
    assert again.meta == meta


@seed(20261201)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matters)
def test_contract_on_fuzzed_values(data: dict):
    check_contract(source_of(data))


@seed(20261204)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wild_front_matters)
def test_contract_on_wild_values(data: dict):
    check_contract(source_of(data))


@seed(20261202)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_yaml)
def test_contract_on_fuzzed_yaml(text: str):
    check_contract(f"---\n{text}\n---\n\n본문\n")


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


_LOCATION = re.compile(r"^(?P<file>\S+\.md):(?P<line>\d+): (WARNING|ERROR)")


@pytest.mark.slow
@seed(20261203)
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.lists(front_matters, min_size=8, max_size=8))
def test_strict_build_of_fuzzed_posts(tmp_path_factory: pytest.TempPathFactory, posts: list[dict]):
    """One build per example, eight fuzzed posts in it (plus one good post so the site has a journal)."""
    root = tmp_path_factory.mktemp("fuzz")
    files = {f"posts/2025/04-{day:02d}-p.md": source_of(data) for day, data in enumerate(posts, start=1)}
    files["posts/2025/05-01-good.md"] = "---\ntitle: 좋은 글\ndate: 2025-05-01\ntags: [a]\n---\n\n본문.\n"
    project = make_project(root / "project", files)
    outside = root / "outside"
    outside.mkdir()
    (outside / "marker").write_text("x", encoding="utf-8")
    before = listing(root)
    build = sphinx_build(project, root / "project" / "_build" / "html")
    assert "Traceback" not in build.output, build.output[-3000:]
    assert "Exception occurred" not in build.output, build.output[-3000:]
    for line in build.warnings:
        if "[journal.frontmatter]" in line:
            match = _LOCATION.match(line.split(os.sep + "project" + os.sep, 1)[-1])
            assert match, line
    after = listing(root)
    new_outside = {path for path in after.keys() - before.keys() if not path.startswith("project/_build/")}
    changed = {path for path in before if after.get(path) != before[path]}
    assert not new_outside and not changed, (new_outside, changed)

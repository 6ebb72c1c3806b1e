"""Compiled templates are kept between builds (journal.speed.templatecache) and follow template edits."""

from __future__ import annotations

from pathlib import Path

from buildsite import make_project, post_source, sphinx_build
from journal.speed.templatecache import FOLDER


def test_templates_are_kept_compiled_and_recompiled_when_edited(tmp_path: Path):
    src = make_project(tmp_path / "src", {"posts/2025/04-12-a.md": post_source("글", tags="[회고]")})
    doctrees = tmp_path / "doctrees"
    first = sphinx_build(src, tmp_path / "html", doctreedir=doctrees)
    assert first.returncode == 0, first.output[-3000:]
    compiled = {p.name: p.stat().st_mtime_ns for p in (doctrees / FOLDER).iterdir()}
    assert len(compiled) > 20, "the theme's, ABlog's and our templates"

    widget = src / "_templates" / "journal" / "subscribe.html"
    widget.write_text(widget.read_text(encoding="utf-8").replace("<h3>구독</h3>", "<h3>새 구독</h3>"), encoding="utf-8")
    second = sphinx_build(src, tmp_path / "html", doctreedir=doctrees)
    assert second.returncode == 0, second.output[-3000:]
    for page in ["posts/2025/04-12-a", "index", "blog/tag/회고"]:
        assert second.html(page).select_one(".journal-subscribe h3").get_text() == "새 구독"
    after = {p.name: p.stat().st_mtime_ns for p in (doctrees / FOLDER).iterdir()}
    rewritten = [name for name in compiled if after[name] != compiled[name]]
    assert len(rewritten) == 1, "only the edited template was compiled again"


def test_compiled_code_is_kept_per_autoescape_policy(tmp_path: Path):
    """Code compiled without autoescape (an older journal's cache) is never reused with it."""
    from jinja2 import DictLoader, Environment

    from journal.speed.templatecache import AtomicBytecodeCache

    templates = {"ablog/x.html": "{{ value }}", "other.html": "{{ value }}"}
    rendered = {}
    for escaping in (False, True):
        environment = Environment(loader=DictLoader(templates), autoescape=lambda name, on=escaping: on)
        environment.bytecode_cache = AtomicBytecodeCache(str(tmp_path))
        rendered[escaping] = environment.get_template("ablog/x.html").render(value="<b>")
    assert rendered == {False: "<b>", True: "&lt;b&gt;"}
    assert len(list(tmp_path.iterdir())) == 2, "one compiled file per policy"

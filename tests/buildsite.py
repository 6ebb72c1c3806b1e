"""Helpers shared by the tests: run real Sphinx builds in a subprocess and read what they wrote.

Builds run in a subprocess (like `make html` and Read the Docs do) because ABlog keeps
its blog state in a class attribute shared by every Sphinx application in one process.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
STRICT = ["-W", "--keep-going", "-n"]
#: What a temporary project copies from the repository besides its own sources.
PROJECT_FILES = ["conf.py", "_templates", "_static"]


@dataclass
class Build:
    srcdir: Path
    outdir: Path
    returncode: int
    output: str

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.output.splitlines() if "WARNING" in line or "ERROR" in line]

    def html(self, pagename: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(pagename + ".html").read_text(encoding="utf-8"), "html.parser")

    def path(self, relative: str) -> Path:
        return self.outdir / relative

    def pages(self) -> list[Path]:
        return sorted(p for p in self.outdir.rglob("*.html") if "_static" not in p.parts)


def sphinx_build(
    srcdir: Path,
    outdir: Path,
    *,
    doctreedir: Path | None = None,
    args: list[str] | None = None,
    env: dict[str, str] | None = None,
    builder: str = "html",
) -> Build:
    """Run ``python -m sphinx`` strictly; never raises on a failed build."""
    doctreedir = doctreedir or outdir.parent / (outdir.name + "-doctrees")
    command = [sys.executable, "-m", "sphinx", "-b", builder, *STRICT, *(args or []), str(srcdir), str(outdir)]
    command += ["-d", str(doctreedir)]
    full_env = build_environment(env)
    done = subprocess.run(command, capture_output=True, text=True, env=full_env, cwd=srcdir, check=False)
    return Build(srcdir, outdir, done.returncode, done.stdout + done.stderr)


def build_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """A clean environment: no Read the Docs variables leak in from the caller.

    Colour is switched off: CI runners often set ``FORCE_COLOR``, and Sphinx would then wrap
    every log line in escape codes that the tests' patterns do not expect.
    """
    leaking = ("READTHEDOCS", "JOURNAL_", "FORCE_COLOR", "PY_COLORS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(leaking)}
    env["NO_COLOR"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def make_project(path: Path, files: dict[str, str], *, index: str | None = None) -> Path:
    """A small project with the repository's configuration and the given source files."""
    path.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, path / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source, path / name)
    (path / "index.md").write_text(index or DEFAULT_INDEX, encoding="utf-8")
    for relative, text in files.items():
        target = path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return path


DEFAULT_INDEX = """# 시험 일지

```{toctree}
:glob:
:hidden:

posts/*/*
```
"""


def post_source(title: str, date: str | None = "2025-04-12 00:00:00", body: str = "본문입니다.", **fields: str) -> str:
    """A post's Markdown source; *fields* are extra front matter lines written as given."""
    lines = ["---", f"title: {title!r}" if "'" not in title else f'title: "{title}"']
    if date is not None:
        lines.append(f"date: {date}")
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += ["---", "", body, ""]
    return "\n".join(lines)


@dataclass
class SourcePost:
    """A post as its source file says it is, read with plain YAML (independently of our code)."""

    path: Path
    docname: str
    front_matter: dict

    @property
    def title(self) -> str:
        return str(self.front_matter["title"])

    @property
    def is_draft(self) -> bool:
        return bool(self.front_matter.get("draft"))

    def labels(self, key: str) -> list[str]:
        value = self.front_matter.get(key) or []
        return [str(v) for v in value] if isinstance(value, list) else [v.strip() for v in str(value).split(",")]


def titles_by_label(posts: list[SourcePost], key: str) -> dict[str, list[str]]:
    """Label (tag or category) -> titles of the *posts* carrying it, in the order of *posts*."""
    titles: dict[str, list[str]] = {}
    for post in posts:
        for label in post.labels(key):
            titles.setdefault(label, []).append(post.title)
    return titles


def source_posts(root: Path = ROOT) -> list[SourcePost]:
    posts = []
    for path in sorted((root / "posts").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        match = re.match(r"---\n(.*?)\n---\n", text, re.S)
        assert match, f"{path} has no front matter"
        docname = path.relative_to(root).with_suffix("").as_posix()
        posts.append(SourcePost(path, docname, yaml.safe_load(match.group(1))))
    return posts

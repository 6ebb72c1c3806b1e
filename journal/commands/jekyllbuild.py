"""Build a Jekyll site with the real ``jekyll`` as GitHub Pages would, reduced to its posts.

Only what decides URLs and post bodies is built: a copy of ``_config.yml`` (theme and plugin
settings removed), ``_posts`` and ``_data``, bare layouts (``{{ content }}``), empty stubs for
the includes the posts name, and no theme; ``JEKYLL_ENV=production``, ``--safe``, in UTC unless
``_config.yml`` sets ``timezone``. Each post's copy ends with a marker line, so every output
file names the post it came from. Used by ``python -m journal.commands.fidelity`` and by
``tests/test_jekyll_oracle.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

MARKER = re.compile(r"oracle-post-(\d+)-end")
INCLUDE = re.compile(r"{%-?\s*include\s+([^\s%{}]+)")
LINK = re.compile(r"{%-?\s*link\s+([^\s%{}]+)")
#: Top-level settings removed from the copy of ``_config.yml`` (a later file cannot unset them):
#: theme and plugin gems, which Debian mostly lacks and which decide no post URL.
GEM_SETTINGS = re.compile(r"^(theme|remote_theme|plugins|gems|whitelist)\s*:")
#: Settings laid over the site's own: a Markdown converter Debian has.
OVERRIDES: dict[str, object] = {"markdown": "kramdown"}
JEKYLL_MISSING = "jekyll is not installed (Debian: apt-get install jekyll ruby-kramdown-parser-gfm)"


class JekyllFailed(Exception):
    """``jekyll build`` exited with an error (the message has the first error lines and the log's end)."""


def find_jekyll() -> str | None:
    return shutil.which("jekyll")


def jekyll_posts(source: Path, work: Path, jekyll: str) -> tuple[Path, dict[str, Path]]:
    """Build *source* under *work*: (output folder, post files written -> the source post)."""
    site = work / "site"
    posts = sorted(p for p in (source / "_posts").rglob("*") if p.is_file())
    site.mkdir(parents=True)
    if (source / "_config.yml").is_file():
        (site / "_config.yml").write_text(without_gems(source / "_config.yml"), encoding="utf-8")
    for folder in ("_posts", "_data"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, site / folder, symlinks=True)
    (site / "_layouts").mkdir(parents=True, exist_ok=True)
    for layout in ("default.html", "post.html"):
        (site / "_layouts" / layout).write_text("{{ content }}\n", encoding="utf-8")
    collections: dict[str, object] = {}
    for index, post in enumerate(posts):
        copy = site / post.relative_to(source)
        text = copy.read_text(encoding="utf-8", errors="replace")
        for include in INCLUDE.findall(text):
            stub(site / "_includes", include, "")
        for linked in LINK.findall(text):  # pages of the old site we do not copy: empty stand-ins
            if not linked.startswith("_posts/") and stub(site, linked, "---\n---\n") and linked.startswith("_"):
                collections[linked.split("/", 1)[0][1:]] = {"output": True}
        copy.write_text(text.rstrip("\n") + f"\n\noracle-post-{index}-end\n", encoding="utf-8")
    overrides = work / "oracle.yml"
    settings = {**OVERRIDES, **({"collections": collections} if collections else {})}
    overrides.write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
    configs = ",".join(str(p) for p in (site / "_config.yml", overrides) if p.is_file())
    out = work / "jekyll-out"
    env = {k: v for k, v in os.environ.items() if k not in ("TZ", "JEKYLL_ENV", "BUNDLE_GEMFILE")}
    env["JEKYLL_ENV"] = "production"
    command = [jekyll, "build", "--safe", "--disable-disk-cache", "-s", str(site), "-d", str(out)]
    done = subprocess.run(
        [*command, "--config", configs], cwd=work, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        log = done.stdout + done.stderr
        first = [line for line in log.splitlines() if re.search(r"Exception|Error", line)][:3]
        raise JekyllFailed(f"jekyll could not build {source.name}:\n" + "\n".join(first) + "\n" + log[-2000:])
    produced: dict[str, Path] = {}
    for page in sorted(out.rglob("*.html")):
        found = MARKER.findall(page.read_text(encoding="utf-8", errors="replace"))
        if found:
            produced[page.relative_to(out).as_posix()] = posts[int(found[-1])]
    return out, produced


def without_gems(config: Path) -> str:
    """*config*'s text without its top-level theme and plugin settings (and the lines under them)."""
    kept: list[str] = []
    skipping = False
    for line in config.read_text(encoding="utf-8").splitlines():
        if GEM_SETTINGS.match(line):
            skipping = True
            continue
        if skipping and (not line.strip() or line[:1] in (" ", "\t", "-")):
            continue
        skipping = False
        kept.append(line)
    return "\n".join(kept) + "\n"


def stub(folder: Path, name: str, text: str) -> bool:
    """Write an empty stand-in for the file *name* under *folder*, unless it exists or would leave it."""
    path = (folder / name.strip("'\"")).resolve()
    if not path.is_relative_to(folder.resolve()) or path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True

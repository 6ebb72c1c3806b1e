"""Helpers shared by the tests: run real Sphinx builds in a subprocess and read what they wrote.

Builds run in a subprocess (like `make html` and Read the Docs do) because ABlog keeps
its blog state in a class attribute shared by every Sphinx application in one process.
Every helper more than one test module uses lives here; test modules never import each other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.server
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlparse

import pytest
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


def workspace(path: Path, posts: int) -> Path:
    """The project (sample posts and notes included) plus *posts* synthetic posts, in *path*:
    the build benchmark's workspace (``journal/commands/bench.py``)."""
    from journal.commands.bench import make_workspace  # the package loads only when needed

    return make_workspace(path, posts)


def newest_first(posts: list[SourcePost]) -> list[SourcePost]:
    """The published ones of *posts* (no drafts, nothing dated after now), newest first, as feeds list them."""
    published = [p for p in posts if not p.is_draft and post_date(p) <= NOW]
    return sorted(published, key=lambda p: (post_date(p), p.docname), reverse=True)


def png(width: int, height: int) -> bytes:
    """A real grey PNG of *width* x *height*."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# --- Links in built pages -------------------------------------------------------------


def internal_targets(page_path: Path, html: str, root: Path | None = None) -> Iterator[tuple[str, Path]]:
    """(link, file it points to); *root* is the output folder, for root-relative links like the 404 page's."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["a", "link", "img", "script", "source", "iframe"]):
        values = [tag.get("href"), tag.get("src")]
        values += [part.strip().split(" ")[0] for part in (tag.get("srcset") or "").split(",") if part.strip()]
        for value in filter(None, values):
            parsed = urlparse(value)
            if parsed.scheme or value.startswith(("//", "#", "mailto:", "data:")):
                continue
            path = unquote(urldefrag(parsed.path).url or page_path.name)
            if root is not None and path.startswith("/"):  # a local build is served from its root
                yield value, (root / path.lstrip("/")).resolve()
                continue
            yield value, (page_path.parent / path).resolve()


# --- The published site's URLs and dates (feeds, sitemap, OpenGraph) ----------------------

#: The sample site's public address (``html_baseurl`` on Read the Docs).
BASE = "https://baeum-ilji.readthedocs.io/ko/latest/"
SEOUL = dt.timezone(dt.timedelta(hours=9))
NOW = dt.datetime.now(SEOUL)


def post_date(post: SourcePost) -> dt.datetime:
    """The post's date as an aware datetime (Seoul time when the front matter gives none)."""
    value = post.front_matter["date"]
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=SEOUL)


#: The sample posts that are out by now: not drafts, not dated in the future.
PUBLISHED = [p for p in source_posts() if not p.is_draft and post_date(p) <= NOW]


def local_file(site: Build, url: str, base: str = BASE) -> Path:
    """The file in *site*'s output that the public *url* serves."""
    assert url.startswith(base), url
    return site.outdir / unquote(url[len(base) :].split("#")[0])


# --- Imported Jekyll sites ------------------------------------------------------------------


def import_and_build(project: Path, *sources: Path) -> Build:
    """A fresh project with each Jekyll site in *sources* imported (``journal import-jekyll``), built strictly."""
    from journal.commands.cli import main  # imported here: the other helpers do not need the package

    make_project(project, {})
    for source in sources:
        code = main(["import-jekyll", str(source), "--root", str(project)])
        assert code == 0, f"import of {source} failed"
    return sphinx_build(project, project.parent / (project.name + "-html"))


def redirect_target(build: Build, old: str) -> Path:
    """Follow the redirect page written for an old URL to the file it points at."""
    page = build.path(old)
    assert page.is_file(), f"no redirect page at {old}"
    html = page.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html
    target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html)
    assert target, html
    return (page.parent / unquote(target.group(1))).resolve()


def assert_redirects_resolve(build: Build) -> dict[str, str]:
    """Every old URL in redirects.json opens the page of the post it was."""
    redirects = json.loads((build.srcdir / "redirects.json").read_text(encoding="utf-8"))
    assert redirects
    for old, new in redirects.items():
        landed = redirect_target(build, old)
        assert landed == build.path(new.lstrip("/")).resolve(), old
        source = (build.srcdir / new.lstrip("/")).with_suffix(".md").read_text(encoding="utf-8")
        title = yaml.safe_load(source.split("---\n", 2)[1])["title"]
        heading = BeautifulSoup(landed.read_text(encoding="utf-8"), "html.parser").find("h1")
        assert heading and title in heading.get_text(), old
    return redirects


# --- Tools outside Python: Node and Chromium ------------------------------------------------

PROBE = Path(__file__).parent / "browser_probe.py"


def require(tool: str, path: str | None) -> str:
    """*path* when *tool* was found; otherwise skip, or fail under ``JOURNAL_REQUIRE_BROWSER=1``."""
    if path:
        return path
    if os.environ.get("JOURNAL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{tool} is required (JOURNAL_REQUIRE_BROWSER=1) but was not found")
    pytest.skip(f"{tool} not found; install it (apt-get install {tool}) or set JOURNAL_REQUIRE_BROWSER=1 to fail")


def run_in_browser(url: str, wait_for: str, expression: str, scheme: str = "light") -> object:
    """*expression*'s value on *url* in headless Chromium (a subprocess: see tests/browser_probe.py)."""
    chromium = require("chromium", shutil.which("chromium") or shutil.which("chromium-browser"))
    pytest.importorskip("playwright.sync_api")
    command = [sys.executable, str(PROBE), chromium, url, scheme, wait_for, expression]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


#: Debian's Chromium, as the browser tests drive it.
CHROMIUM = Path(os.environ.get("JOURNAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHROMIUM_ARGS += ["--disable-component-update", "--disable-sync", "--no-first-run"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """*directory* over http://127.0.0.1 on a free port (the URL ends with a slash) while in the block."""
    from journal.commands.benchweb import serve as serve_folder  # the package loads only when needed

    with serve_folder(directory, _QuietHandler) as url:
        yield url


#: The one Playwright and Chromium of this test process (see :func:`browser_session`).
_SHARED_BROWSER: dict[str, Any] = {}


@contextlib.contextmanager
def browser_session() -> Iterator[Any]:
    """The headless Chromium of this test process, driven by Playwright; skips (or fails, see
    :func:`require`) without them.

    One per process, started on first use and stopped when the session ends
    (:func:`stop_browser`, from conftest.py): Playwright's sync API refuses to start a second
    time in a process while the first runs, and pytest-xdist runs several test modules with
    browsers in one worker.
    """
    require("chromium", str(CHROMIUM) if CHROMIUM.is_file() else None)
    playwright_api = pytest.importorskip("playwright.sync_api")
    if "browser" not in _SHARED_BROWSER:
        playwright = playwright_api.sync_playwright().start()
        _SHARED_BROWSER["playwright"] = playwright
        _SHARED_BROWSER["browser"] = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield _SHARED_BROWSER["browser"]


#: How many pixels of two same-sized PNG screenshots differ by more than *tolerance* in a channel.
_DIFFERING_PIXELS_JS = """async ([a, b, tolerance]) => {
  const load = async data => { const image = new Image(); image.src = "data:image/png;base64," + data;
    await image.decode(); return image; };
  const [first, second] = [await load(a), await load(b)];
  if (first.width !== second.width || first.height !== second.height) return -1;
  const pixels = image => { const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext("2d"); context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data; };
  const [x, y] = [pixels(first), pixels(second)];
  let differing = 0;
  for (let i = 0; i < x.length; i += 4)
    if (Math.abs(x[i] - y[i]) > tolerance || Math.abs(x[i + 1] - y[i + 1]) > tolerance
        || Math.abs(x[i + 2] - y[i + 2]) > tolerance) differing++;
  return differing;
}"""


def differing_pixels(first: bytes, second: bytes, tolerance: int = 2) -> int:
    """Pixels of two screenshots that differ by more than *tolerance* (of 255) in a colour
    channel; -1 when their sizes differ. Chromium's anti-aliasing of rounded corners differs by
    one step between two tabs showing the same page, so screenshots are not compared byte for byte."""
    import base64

    with browser_session() as browser:
        page = browser.new_page()
        try:
            arguments = [base64.b64encode(first).decode(), base64.b64encode(second).decode(), tolerance]
            return int(page.evaluate(_DIFFERING_PIXELS_JS, arguments))
        finally:
            page.close()


def stop_browser() -> None:
    """Close the process's Chromium and Playwright, if :func:`browser_session` started them."""
    browser, playwright = _SHARED_BROWSER.pop("browser", None), _SHARED_BROWSER.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


# -- a copy of the repository made one's own journal (make init) --------------------------------


#: A copy of the repository for init's tests: the same copy the fidelity measure makes.

#: The sample author, as no page of a journal made the user's (``make init``) may show it.
SAMPLE_AUTHOR = re.compile(r"김보라|\bbora\b")


def copy_project(destination: Path) -> Path:
    """The repository in *destination* for init's tests: the copy the fidelity measure makes."""
    from journal.commands.fidelity import copy_project as copy_repository  # the package loads only when needed

    return copy_repository(destination)


def init(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m journal init`` in *root* (a copy made by :func:`copy_project`), without a terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_", "READTHEDOCS"))}
    env["PYTHONPATH"] = str(root)
    command = [sys.executable, "-m", "journal", "init", "--root", str(root), *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def listing(root: Path) -> dict[str, str]:
    """Every file under *root* with the hash of its content."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def output_files(
    outdir: Path, suffixes: frozenset[str] = frozenset({".html", ".xml", ".js", ".txt", ".json"})
) -> dict[str, bytes]:
    """Every built file of *outdir* with one of *suffixes* (``_static`` left out), by path: what an
    incremental or parallel build must write exactly as a clean serial one does."""
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in outdir.rglob("*")
        if p.is_file() and p.suffix in suffixes and "_static" not in p.parts
    }


# --- Paginated listings ------------------------------------------------------------------


#: One post on an ABlog archive page (all posts, a year, tag, category, author): a compact row.
ARCHIVE_ROW = "ol.journal-archive__list > li.journal-archive__row"
ARCHIVE_TITLE = f"{ARCHIVE_ROW} > a.journal-archive__title"


def archive_titles(page: BeautifulSoup) -> list[str]:
    """The titles an archive page's compact rows link, in order."""
    return [a.get_text(strip=True) for a in page.select(ARCHIVE_TITLE)]


@dataclass(frozen=True)
class ListingPage:
    path: Path  # the page's file
    posts: list[Path]  # the post pages it lists, in order
    prev: Path | None  # its <link rel="prev"> / <link rel="next">
    next: Path | None
    current: str | None  # the text of its page link with aria-current="page"


def listing_page(path: Path) -> ListingPage:
    """What a page of a paginated listing (the journal index, an archive page) shows and links."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    # A post list's line is "date · title · tags", as an archive's compact row: its first link is the post's.
    lines = f"li.ablog-post p.ablog-post-title, div.ablog-post h2.ablog-post-title, {ARCHIVE_ROW}"
    titles = [line.a for line in soup.select(lines)]
    rels = {rel: soup.find("link", rel=rel) for rel in ("prev", "next")}
    current = soup.select_one('nav.journal-pagination a[aria-current="page"]')
    return ListingPage(
        path,
        [_resolve(path, a["href"]) for a in titles],
        *(_resolve(path, link["href"]) if link else None for link in rels.values()),
        current.get_text(strip=True) if current else None,
    )


def walk_listing(first: Path) -> list[ListingPage]:
    """The pages of a listing from its page 1, following ``<link rel="next">``; each page's
    ``rel="prev"`` must lead back to the page before it."""
    pages = [listing_page(first)]
    while pages[-1].next is not None:
        assert len(pages) < 1000, "the next links go round in circles"
        page = listing_page(pages[-1].next)
        assert page.prev == pages[-1].path, f"{page.path}: rel=prev is {page.prev}, not {pages[-1].path}"
        pages.append(page)
    return pages


def _resolve(page: Path, href: str) -> Path:
    return (page.parent / unquote(urldefrag(href).url)).resolve()


# --- The build's "today", pinned -----------------------------------------------------------


def pinned_today(moment: str) -> dict[str, str]:
    """Build environment variables making the build's "now" *moment* (ISO, with its offset):
    ``SOURCE_DATE_EPOCH``, which the publication cutoff and the study heatmap read."""
    return {"SOURCE_DATE_EPOCH": str(int(dt.datetime.fromisoformat(moment).timestamp()))}


def heatmap_days(soup: BeautifulSoup) -> dict[str, tuple[int, int, str | None]]:
    """The study heatmap of a built page: date -> (posts, notes, link) as its squares' titles say."""
    days: dict[str, tuple[int, int, str | None]] = {}
    figure = soup.select_one("figure.journal-heatmap")
    assert figure is not None, "no study heatmap on the page"
    for title in figure.select("svg title"):
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}) · 글 (\d+)편, 노트 (\d+)개", title.get_text())
        assert match, title.get_text()
        link = title.parent.get("href") if title.parent.name == "a" else None
        days[match.group(1)] = (int(match.group(2)), int(match.group(3)), link)
    return days

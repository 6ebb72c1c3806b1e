"""Reader benchmark: ``make bench-web`` / ``python -m journal.commands.benchweb --posts 1000``.

What a reader pays, not how fast we build. Builds the sample site and an N-post workspace
(:func:`journal.commands.bench.make_workspace`), serves each from localhost with gzip (as Read
the Docs serves it) and runs Lighthouse 12 (``node_modules/.bin/lighthouse``, pinned in
``package.json``; Debian's chromium through ``CHROME_PATH``), mobile preset, on five pages:
home, a post, the journal index, a tag page and a note (and the map of the garden, when built).
Prints, per site and page, the median of the four Lighthouse scores over ``--repeat`` runs,
the bytes transferred on first view, the request count and requests to other hosts; then, for
the N-post workspace, the five largest pages, the feed sizes and the whole output against the
plain-Sphinx floor built from the same posts in the same run.

Lighthouse simulates a mid-range phone on a slow 4G link, so its scores hardly depend on this
machine's load; the byte and request counts do not depend on it at all.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from journal.commands.bench import ROOT, Runner, make_workspace

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Served compressed, as Read the Docs does (fonts and images are compressed already).
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map", ".inv"}


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that gzips text, as a production host does."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]  # the base class's signature is untyped
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and wants_gzip and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)
        return None


@contextmanager
def serve(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _GzipHandler) -> Iterator[str]:
    """Serve *folder* on a free localhost port with *handler* (gzip, as a host does); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageFigures:
    scores: dict[str, list[int]] = field(default_factory=lambda: {name: [] for name in CATEGORIES})
    transfer_kib: float = 0.0
    requests: int = 0
    foreign: list[str] = field(default_factory=list)

    def median(self, category: str) -> str:
        values = self.scores[category]
        return str(round(statistics.median(values))) if values else "-"


def lighthouse(url: str, figures: PageFigures) -> None:
    """Run Lighthouse (mobile preset) on *url* once and add what it measured to *figures*."""
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", CHROMIUM))
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as profile:
        command = [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--chrome-flags=--headless=new --no-sandbox --user-data-dir={profile}",
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    for name in CATEGORIES:
        score = report["categories"][name]["score"]
        figures.scores[name].append(round(100 * (score or 0)))
    # data: URLs (the icons' masks) are listed as requests but never leave the page.
    items = [item for item in report["audits"]["network-requests"]["details"]["items"] if _fetched(item["url"])]
    figures.transfer_kib = sum(item.get("transferSize", 0) for item in items) / 1024
    figures.requests = len(items)
    host = urlsplit(url).netloc
    figures.foreign = sorted({item["url"] for item in items if urlsplit(item["url"]).netloc not in ("", host)})


def _fetched(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def pages_of(html: Path) -> dict[str, str]:
    """The pages measured (five kinds, and the map), as paths under the site's root."""
    posts = sorted(p for p in (html / "posts").glob("*/*.html") if p.parent.name != "page")  # not listing pages
    tags = sorted((html / "blog" / "tag").glob("*.html"))
    notes = sorted(p for p in (html / "notes").rglob("*.html") if p.name != "index.html")
    chosen = {"home": html / "index.html", "journal index": html / "posts" / "index.html"}
    chosen["post"] = max(posts, key=lambda p: p.stat().st_size)  # the heaviest post: the worst case
    chosen["tag page"] = max(tags, key=lambda p: p.stat().st_size)
    chosen["note"] = notes[0]
    if (html / "map.html").is_file():  # 지식 지도 (journal.pages.gardenmap): the graph of the whole site
        chosen["map"] = html / "map.html"
    order = ("home", "post", "journal index", "tag page", "note", "map")
    return {name: chosen[name].relative_to(html).as_posix() for name in order if name in chosen}


def measure_site(html: Path, repeat: int) -> dict[str, PageFigures]:
    results: dict[str, PageFigures] = {}
    with serve(html) as base:
        for name, path in pages_of(html).items():
            figures = results.setdefault(name, PageFigures())
            for _ in range(repeat):
                lighthouse(base + path, figures)
            print(f"  {name} ({path}): {figures.median('performance')}", file=sys.stderr, flush=True)
    return results


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def page_table(results: dict[str, dict[str, PageFigures]]) -> str:
    lines = [
        "| site | page | performance | accessibility | best practices | SEO | transfer (KiB) | requests"
        " | other hosts |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for site, pages in results.items():
        for page, figures in pages.items():
            scores = [figures.median(name) for name in CATEGORIES]
            cells = [site, page, *scores, f"{figures.transfer_kib:.0f}", str(figures.requests)]
            lines.append("| " + " | ".join([*cells, str(len(figures.foreign))]) + " |")
    return "\n".join(lines)


def weight_table(html: Path, floor: Path) -> str:
    pages = sorted(html.rglob("*.html"), key=lambda p: p.stat().st_size, reverse=True)
    lines = ["| what | size |", "|---|---|"]
    for page in pages[:5]:
        lines.append(f"| `{page.relative_to(html).as_posix()}` | {page.stat().st_size / 1000:.0f} KB |")
    over = sum(1 for page in pages if page.stat().st_size > 250_000)
    lines.append(f"| HTML pages over 250 KB | {over} |")
    for feed in ("blog/rss.xml", "blog/atom.xml"):
        if (html / feed).is_file():
            lines.append(f"| `{feed}` | {(html / feed).stat().st_size / 1000:.0f} KB |")
    feeds = [p for p in html.rglob("*.xml") if p.name in ("rss.xml", "atom.xml")]
    largest = max((p.stat().st_size for p in feeds), default=0)
    lines.append(f"| largest of {len(feeds)} feeds | {largest / 1000:.0f} KB |")
    ours, plain = folder_bytes(html), folder_bytes(floor)
    lines.append(f"| whole output | {ours / 1e6:.1f} MB ({ours / plain:.2f}x the floor's {plain / 1e6:.1f} MB) |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, default=1000, help="synthetic posts in the workspace (0: sample only)")
    parser.add_argument("--repeat", type=int, default=3, help="Lighthouse runs per page (medians are printed)")
    parser.add_argument("--jobs", default="2", help="sphinx-build -j")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci` (package.json pins lighthouse)", file=sys.stderr)
        return 2
    if not Path(os.environ.get("CHROME_PATH", CHROMIUM)).exists():
        print(f"no browser at {CHROMIUM}: install chromium or set CHROME_PATH", file=sys.stderr)
        return 2
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        sites = {"sample": make_workspace(folder / "sample", 0)}
        if args.posts:
            sites[f"{args.posts} posts"] = make_workspace(folder / "workspace", args.posts)
        results: dict[str, dict[str, PageFigures]] = {}
        for name, workspace in sites.items():
            print(f"building {name}", file=sys.stderr, flush=True)
            runner = Runner(workspace, "journal", args.jobs)
            runner.build()
            results[name] = measure_site(runner.out / "html", args.repeat)
        print(page_table(results))
        if args.posts:
            print(f"building the plain-Sphinx floor of {args.posts} posts", file=sys.stderr, flush=True)
            floor = Runner(sites[f"{args.posts} posts"], "plain", args.jobs)
            floor.build()
            ours = Runner(sites[f"{args.posts} posts"], "journal", args.jobs).out / "html"
            print()
            print(weight_table(ours, floor.out / "html"))
        foreign = [url for pages in results.values() for page in pages.values() for url in page.foreign]
        for url in sorted(set(foreign)):
            print(f"request to another host: {url}", file=sys.stderr)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

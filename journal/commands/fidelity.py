"""How faithfully a Jekyll site comes over: ``python -m journal.commands.fidelity SRC [SRC...]``.

For each site: build it with the real ``jekyll`` (bare layouts, stub includes, ``--safe``:
:mod:`journal.commands.jekyllbuild`), import it into a temporary copy of this project with
the samples removed (``journal init --yes``, then ``import-jekyll``), build that strictly, and
compare post by post the visible text of Jekyll's page with the visible text of the imported
post's article body (our title, post header and footer excluded; whitespace left out) with
difflib's ratio. One table row per site: posts, imported, strict-build warnings, min/median
similarity, literal leftovers (Markdown, kramdown or Liquid syntax visible in our page and not
in Jekyll's), and the old URLs Jekyll wrote that redirect to the right new page. The text
does not show images: each ``<img>`` of Jekyll's page needs one with the same alt text in ours
(``missing_images``). ``--details`` lists the worst posts, every leftover and missing image.

Includes: Jekyll renders the posts' includes as empty stubs (a theme's ``_includes`` is not
part of the build), so the oracle cannot know what an include showed. The importer marks what
stands for an include's output with the class ``jekyll-include`` (the image and caption of a
known image include, the visible text of an unknown one), and the similarity leaves it out:
include output counts on neither side. Leftovers are still looked for in the whole page,
include output too.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from journal.commands import jekyllbuild
from journal.contract.frontmatter import time_zone
from journal.jekyll.cli import site_timezone
from journal.jekyll.importer import ImportRun, Options
from journal.jekyll.liquid import INCLUDE_CLASS
from journal.jekyll.site import load_site

ROOT = Path(__file__).resolve().parents[2]
#: Syntax that should never be visible unless Jekyll showed it too.
LITERALS = ("**", "{:", "{%", "{{", "~~", "$$", "](")
#: Parts of our post page that are not the post's body.
CHROME = (
    "header",
    "footer",
    ".journal-post-header",
    ".post-header",
    ".series-box",
    ".related-posts",
    ".backlinks",
    ".comments",
    ".prev-next-area",
    ".headerlink",
    ".tag-chips",
    ".ablog__blog_comments",
    # Footnotes: Jekyll numbers its list with <ol> (no text) and ends each note with "↩";
    # docutils writes the number as a label, in brackets. Neither is the author's text.
    ".footnote .label",
    ".fn-bracket",
    "script",
    "style",
)
INIT = [
    "--yes",
    "--title=Fidelity",
    "--author-name=Fidelity",
    "--author-id=fidelity",
    "--language=ko",
    "--timezone=Asia/Seoul",
    "--rtd-project=fidelity",
]


@dataclass
class PostResult:
    source: Path
    ratio: float
    leftovers: list[str]
    #: Alt texts (or sources) of the images Jekyll's page shows and ours does not
    missing_images: list[str] = field(default_factory=list)


@dataclass
class SiteResult:
    name: str
    posts: int = 0
    imported: int = 0
    warnings: list[str] = field(default_factory=list)
    results: list[PostResult] = field(default_factory=list)
    redirects_expected: int = 0
    redirects_matched: int = 0
    problems: list[str] = field(default_factory=list)
    #: The import report's lines (``file:line: kind: message`` and the summary)
    report: list[str] = field(default_factory=list)

    @property
    def leftovers(self) -> int:
        return sum(len(r.leftovers) for r in self.results)

    def row(self) -> str:
        ratios = [r.ratio for r in self.results]
        low = f"{min(ratios):.3f}" if ratios else "-"
        median = f"{statistics.median(ratios):.3f}" if ratios else "-"
        redirects = f"{self.redirects_matched}/{self.redirects_expected}"
        cells = [self.name, str(self.posts), str(self.imported), str(len(self.warnings)), low, median]
        return "| " + " | ".join([*cells, str(self.leftovers), redirects]) + " |"


HEADER = (
    "| site | posts | imported | warnings | min similarity | median | literal leftovers | redirects matched |\n"
    "|---|---|---|---|---|---|---|---|"
)


def visible(node: Tag | BeautifulSoup) -> str:
    for hidden in node.select("script, style, .MathJax_Preview"):
        hidden.decompose()
    return " ".join(node.get_text(" ").split())


def jekyll_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for backlink in soup.select(".reversefootnote"):
        backlink.decompose()
    text = visible(soup)
    return jekyllbuild.MARKER.sub("", text).strip()


def our_text(html: str, *, includes: bool = False) -> str:
    """The visible text of our post's body; without what stands for Jekyll includes unless *includes*."""
    article = _our_article(html)
    for part in [] if includes else article.select("." + INCLUDE_CLASS):
        part.decompose()
    _math_as_tex(article)
    return visible(article)


def _math_as_tex(article: Tag | BeautifulSoup) -> None:
    """Each MathML formula (journal.pages.mathml) as the TeX Jekyll's page holds for MathJax:
    ``\\(…\\)`` inline, ``\\[…\\]`` displayed; the drawn symbols are no text to compare."""
    for formula in article.find_all("math"):
        opening, closing = ("\\[", "\\]") if formula.get("display") == "block" else ("\\(", "\\)")
        formula.replace_with(f"{opening}{formula.get('alttext', '')}{closing}")


def _our_article(html: str) -> Tag | BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.bd-article") or soup
    for selector in CHROME:
        for part in article.select(selector):
            part.decompose()
    title = article.find("h1")
    if title:
        title.decompose()
    return article


def images(node: Tag | BeautifulSoup) -> list[str]:
    """Each ``<img>`` of *node* by its alt text, or its source when it has none."""
    return [str(img.get("alt") or img.get("src") or "") for img in node.find_all("img")]


def missing_images(theirs_html: str, ours_html: str) -> list[str]:
    """The images of Jekyll's page (by alt text, or source) that our article body lacks."""
    ours = images(_our_article(ours_html))
    missing = []
    for image in images(BeautifulSoup(theirs_html, "html.parser")):
        if image in ours:
            ours.remove(image)
        else:
            missing.append(image)
    return missing


def _compact(text: str) -> str:
    """*text* without whitespace: a highlighter splits ``\\$$`` into two spans, and the text into ``\\$ $``."""
    return "".join(text.split())


def similarity(theirs: str, ours: str) -> float:
    """difflib's ratio with whitespace left out: where a highlighter's spans or a table cell put a
    space is markup, not text (kramdown's line numbers are a table column, ours inline)."""
    return difflib.SequenceMatcher(None, _compact(theirs), _compact(ours), autojunk=False).ratio()


def leftovers(ours: str, theirs: str) -> list[str]:
    found = []
    for literal in LITERALS:
        extra = _compact(ours).count(literal) - _compact(theirs).count(literal)
        for match in list(re.finditer(re.escape(literal), ours))[: max(extra, 0)]:
            found.append(f"{literal!r}: …{ours[max(0, match.start() - 30) : match.end() + 30]}…")
    return found


def copy_project(destination: Path) -> Path:
    """This repository's tracked files (less the tests) in *destination*, with the package's new files."""
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split("\n"))
    # Files of the package not committed yet count too: the code measured is the working tree's.
    command = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    listed = subprocess.run(command, cwd=ROOT, capture_output=True, check=True).stdout
    for name in listed.decode("utf-8").split("\0"):
        if not name.startswith("journal/") and name not in tracked:
            continue
        if not name or name.startswith("tests/") or not (ROOT / name).is_file():
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return destination


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_", "READTHEDOCS", "FORCE_COLOR"))}
    env["PYTHONPATH"] = str(cwd)
    env["NO_COLOR"] = "1"
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def measure(source: Path, work: Path, jekyll: str) -> SiteResult:
    result = SiteResult(source.name)
    out, produced = jekyllbuild.jekyll_posts(source, work / "jekyll", jekyll)
    result.posts = len({p for p in (source / "_posts").rglob("*") if p.is_file() and p.suffix in (".md", ".markdown")})
    project = copy_project(work / "project")
    python = sys.executable
    done = _run([python, "-m", "journal", "init", "--root", str(project), *INIT], project)
    if done.returncode != 0:
        result.problems.append("init failed: " + done.stderr[-500:])
        return result
    options = Options(project, "posts", time_zone(site_timezone(project)), time_zone("UTC"))
    run = ImportRun(load_site(source), options)
    report = run.run()
    result.report = list(report.lines(source))
    if not report.ok:
        result.problems.append("import-jekyll would exit 1")
        result.problems += [line for line in report.lines(source) if ": " in line][:20]
    html = work / "html"
    built = _run([python, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", str(project), str(html)], project)
    result.warnings = [
        line for line in (built.stdout + built.stderr).splitlines() if "WARNING" in line or "ERROR" in line
    ]
    targets = {p.source.path.name: p.target for p in run.planned if p.target}
    result.imported = len(targets)
    redirects_file = project / "redirects.json"
    redirects = json.loads(redirects_file.read_text(encoding="utf-8")) if redirects_file.is_file() else {}
    for output, post in produced.items():
        result.redirects_expected += 1
        target = targets.get(post.name)
        page = "/" + target.with_suffix(".html").as_posix() if target else None
        if page and (redirects.get(output) == page or "/" + output == page):
            result.redirects_matched += 1
        ours_file = html / target.with_suffix(".html") if target else None
        if ours_file is None or not ours_file.is_file():
            result.results.append(PostResult(post, 0.0, []))
            continue
        theirs_html = (out / output).read_text(encoding="utf-8", errors="replace")
        ours_html = ours_file.read_text(encoding="utf-8")
        theirs, ours = jekyll_text(theirs_html), our_text(ours_html)
        ratio = similarity(theirs, ours)
        lost = missing_images(theirs_html, ours_html)
        found = leftovers(our_text(ours_html, includes=True), theirs)
        result.results.append(PostResult(post, ratio, found, lost))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m journal.commands.fidelity", description=__doc__)
    parser.add_argument("sources", metavar="SRC", type=Path, nargs="+", help="Jekyll site roots")
    parser.add_argument("--details", action="store_true", help="list the least similar posts and every leftover")
    args = parser.parse_args(argv)
    jekyll = jekyllbuild.find_jekyll()
    if jekyll is None:
        print(jekyllbuild.JEKYLL_MISSING, file=sys.stderr)
        return 2
    rows = []
    for source in args.sources:
        with tempfile.TemporaryDirectory(prefix="fidelity-") as work:
            try:
                result = measure(source.resolve(), Path(work), jekyll)
            except jekyllbuild.JekyllFailed as error:
                print(error, file=sys.stderr)
                continue
        rows.append(result.row())
        for problem in result.problems:
            print(f"{result.name}: {problem}", file=sys.stderr)
        if args.details:
            print(f"## {result.name}", *result.warnings, sep="\n")
            for post in sorted(result.results, key=lambda r: r.ratio)[:5]:
                print(f"  {post.ratio:.3f} {post.source.name}")
            for post in result.results:
                for leftover in post.leftovers:
                    print(f"  {post.source.name}: {leftover}")
                for image in post.missing_images:
                    print(f"  {post.source.name}: image missing: {image!r}")
        print(rows[-1], flush=True)
    print(HEADER, *rows, sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

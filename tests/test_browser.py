"""The built site in a real browser (Debian's Chromium driven by Playwright), light and dark, phone and desktop.

Each page is loaded from a local HTTP server at 375x812 and 1280x800 in both colour schemes:
no console errors, no request leaving 127.0.0.1, no horizontal scroll on the phone, the tag chips
and the series box visible, the background really dark in dark mode, no layout shift, and zero
`serious`/`critical` axe-core violations. Screenshots and an axe summary go to test-artifacts/.

Without Chromium (or axe-core from `npm ci`) the tests skip with the reason, unless
JOURNAL_REQUIRE_BROWSER=1 (set by .ci/run), where they fail instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from buildsite import ROOT, Build, browser_session, post_date, serve, source_posts, sphinx_build

MAX_LAYOUT_SHIFT = 0.05  # half of what Web Vitals call good
PAGED_SIZE = 3  # posts a page of the journal index in the pagination test

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("JOURNAL_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
REQUIRED = os.environ.get("JOURNAL_REQUIRE_BROWSER") == "1"

SERIES_POST = "posts/2025/07-05-midterm-retro.html"
PAGES = {
    "home": "index.html",
    "post": SERIES_POST,
    "tag": "blog/tag/ossca.html",
    "search": "search.html?q=devstack",
}
VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 800)}
SCHEMES = ("light", "dark")
AXE_SUMMARY: dict[str, dict[str, object]] = {}

LAYOUT_SHIFT_JS = """() => new Promise(resolve => {
  const shift = {total: 0, widgets: 0};
  const widgets = [...document.querySelectorAll(".bd-sidebar-primary .ablog-sidebar-item")];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      shift.total += entry.value;
      if (entry.sources.some(s => s.node && widgets.some(w => w.contains(s.node)))) shift.widgets += entry.value;
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(shift), 250);
})"""
AXE_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (JOURNAL_REQUIRE_BROWSER=1: browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def base_url(site: Build) -> Iterator[str]:
    """The built site over http://127.0.0.1 on a free port."""
    with serve(site.outdir) as url:
        yield url


@pytest.fixture(scope="session")
def paged_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site built with three posts a page, served like :func:`base_url`."""
    outdir = tmp_path_factory.mktemp("paged") / "html"
    build = sphinx_build(ROOT, outdir, args=["-D", f"journal_listing_page_size={PAGED_SIZE}"])
    assert build.returncode == 0, build.output[-3000:]
    with serve(outdir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """The test process's one Chromium (:func:`buildsite.browser_session`)."""
    if not CHROMIUM.is_file():
        unavailable(f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("playwright is not installed (pip install -r requirements-test.txt)")
    with browser_session() as chromium:
        yield chromium
    write_axe_summary()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        unavailable(f"axe-core is missing ({AXE.relative_to(ROOT)}): run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


def write_axe_summary() -> None:
    if AXE_SUMMARY:
        ARTIFACTS.mkdir(exist_ok=True)
        text = json.dumps(dict(sorted(AXE_SUMMARY.items())), indent=2, ensure_ascii=False)
        (ARTIFACTS / "axe-summary.json").write_text(text + "\n", encoding="utf-8")


class LoadedPage:
    """A page opened in a fresh browser context, with everything it logged and requested."""

    def __init__(self, browser, base_url: str, path: str, viewport: str, scheme: str) -> None:
        width, height = VIEWPORTS[viewport]
        self.context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", self._note_console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("request", self._note_request)
        self.page.on("response", lambda r: self.errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
        self.page.goto(base_url + path, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _note_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url')})")

    def _note_request(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https") and url.hostname != "127.0.0.1":
            self.foreign.append(request.url)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser, base_url) -> Iterator:
    opened: list[LoadedPage] = []

    def load(path: str, viewport: str, scheme: str) -> LoadedPage:
        loaded = LoadedPage(browser, base_url, path, viewport, scheme)
        opened.append(loaded)
        return loaded

    yield load
    for loaded in opened:
        loaded.close()


def luminance(css_colour: str) -> float:
    """Relative luminance (0 black .. 1 white) of an ``rgb(...)``/``rgba(...)`` colour."""
    parts = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].replace("/", " ").replace(",", " ")
    red, green, blue = (float(v) / 255 for v in parts.split()[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_looks_right_and_passes_axe(open_page, axe_source, name: str, viewport: str, scheme: str):
    loaded = open_page(PAGES[name], viewport, scheme)
    page = loaded.page
    if name == "search":
        page.wait_for_selector("#search-results ul.search li", timeout=10_000)
    shift = page.evaluate(LAYOUT_SHIFT_JS)  # before the full-page screenshot, which resizes the viewport
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{viewport}-{scheme}.png"), full_page=True)

    assert loaded.errors == [], "console errors"
    assert loaded.foreign == [], "requests left the site"
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    if scheme == "dark":
        assert luminance(background) < 0.1, background
    else:
        assert luminance(background) > 0.8, background
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow}px of horizontal scroll"
    assert shift["widgets"] == 0, f"the sidebar widgets moved: {shift}"
    if name != "search":  # search results arrive after the page loads, by design
        # Web Vitals call a CLS under 0.1 good; the theme's own scripts shift a little more when the
        # machine is busy (0.003 idle, 0.02 seen under a parallel test run). Our widgets: 0, above.
        assert shift["total"] < MAX_LAYOUT_SHIFT, f"layout shift: {shift}"
    if name in ("home", "post"):
        assert page.locator(".bd-article a.journal-chip").first.is_visible(), "tag chips"
    if name == "tag":  # an archive: compact rows (date, title), no excerpts
        row = page.locator("ol.journal-archive__list > li.journal-archive__row").first
        assert row.locator("time").is_visible() and row.locator("a.journal-archive__title").is_visible()
        assert page.locator(".ablog-post-expand").count() == 0
    if name == "post":
        assert page.locator("nav.journal-series").is_visible(), "series box"
        assert page.locator(".journal-series-current [aria-current=page]").is_visible()

    page.add_script_tag(content=axe_source)
    violations = page.evaluate(AXE_JS)
    counts = {
        impact: sum(v["impact"] == impact for v in violations)
        for impact in ("minor", "moderate", "serious", "critical")
    }
    AXE_SUMMARY[f"{name} {viewport} {scheme}"] = {
        **counts,
        "rules": sorted(f"{v['id']} ({v['impact']})" for v in violations),
    }
    grave = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert grave == [], json.dumps(grave, ensure_ascii=False, indent=1)


def test_print_drops_the_navigation(open_page):
    loaded = open_page(SERIES_POST, "desktop", "light")
    loaded.page.emulate_media(media="print")
    hidden = ".bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-area, .journal-series-nav"
    for selector in hidden.split(", "):
        locator = loaded.page.locator(selector).first
        assert locator.count() == 0 or not locator.is_visible(), selector
    assert loaded.page.locator("#jb-print-docs-body h1").is_visible(), "the book theme prints the title once"
    assert loaded.page.locator(".journal-post-meta").is_visible(), "date and reading time stay in print"
    assert loaded.page.locator("nav.journal-series ol").is_visible(), "the series list stays in print"


def test_clicking_through_the_journal_index_shows_every_post_once(browser, paged_url, axe_source):
    """From the journal index, click "다음" until it is gone: every post once, newest first, the
    current page marked, "이전" leads back, and the page links pass axe."""
    loaded = LoadedPage(browser, paged_url, "posts/index.html", "phone", "light")
    page, seen, number = loaded.page, [], 1
    try:
        while True:
            nav = page.locator('nav.journal-pagination[aria-label="페이지 이동"]')
            assert nav.locator('[aria-current="page"]').text_content() == f"{number}쪽"
            seen += page.eval_on_selector_all(
                "li.ablog-post p.ablog-post-title, div.ablog-post h2.ablog-post-title",
                "lines => lines.map(line => new URL(line.querySelector('a').href).pathname)",
            )
            following = nav.locator("a[rel=next]")
            if following.count() == 0:
                break
            following.click()
            page.wait_for_load_state("load")
            number += 1
        page.locator("nav.journal-pagination a[rel=prev]").click()
        page.wait_for_load_state("load")
        assert page.locator('nav.journal-pagination [aria-current="page"]').text_content() == f"{number - 1}쪽"
        assert loaded.errors == [], "console errors"
        page.add_script_tag(content=axe_source)
        grave = [v for v in page.evaluate(AXE_JS) if v["impact"] in ("serious", "critical")]
        assert grave == [], json.dumps(grave, ensure_ascii=False, indent=1)
    finally:
        loaded.close()
    posts = sorted(source_posts(), key=post_date, reverse=True)
    published = [f"/{post.docname}.html" for post in posts if not post.front_matter.get("draft")]
    assert seen == published
    assert number == -(-len(published) // PAGED_SIZE)

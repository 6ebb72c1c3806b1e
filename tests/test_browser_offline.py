"""No page asks another host for anything, and math is drawn by the browser (Debian's Chromium via Playwright).

The sample site plus one post with math is built and served on 127.0.0.1; every page is opened
(and scrolled to its end, so lazy images load too) while every request is recorded. Any request
to another host fails the test, naming the page and the URL. On the math post the formulas must
be MathML laid out by the browser: a fraction taller than a line, every formula with a size.

Without Chromium or Playwright the tests skip, unless JOURNAL_REQUIRE_BROWSER=1 (then they fail).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urlparse

import pytest

from buildsite import Build, browser_session, png, post_source, serve, sphinx_build, workspace

pytestmark = pytest.mark.browser

MATH_POST = "posts/2025/12-01-math"
MATH_BODY = r"""오일러 항등식 $e^{i\pi} + 1 = 0$ 은 한 줄 안에 있다.

$$
\sum_{i=1}^{n} i = \frac{n(n+1)}{2}
$$

![넓은 그림](wide.png)
"""
MATH_JS = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {width: r.width, height: r.height}; };
  const maths = [...document.querySelectorAll("article math")];
  const line = document.querySelector("article p span.math").closest("p");
  return {
    namespaces: maths.map(m => m.namespaceURI),
    boxes: maths.map(box),
    fraction: box(document.querySelector("article math mfrac")),
    fontSize: parseFloat(getComputedStyle(line).fontSize),
  };
}"""


@pytest.fixture(scope="module")
def site_with_math(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The sample site (the working tree as it is) plus a post with inline and display math."""
    src = workspace(tmp_path_factory.mktemp("offline") / "src", 0)
    post = src / f"{MATH_POST}.md"
    post.write_text(post_source("수식 글", date="2025-12-01 00:00:00", body=MATH_BODY), encoding="utf-8")
    (post.parent / "wide.png").write_bytes(png(1200, 400))
    build = sphinx_build(src, src.parent / "html")
    assert build.returncode == 0, build.output[-3000:]
    return build


@pytest.fixture(scope="module")
def served(site_with_math: Build) -> Iterator[str]:
    with serve(site_with_math.outdir) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with browser_session() as browser:
        yield browser


def page_paths(build: Build) -> list[str]:
    """Every HTML page of the build as a URL path (redirect pages included: they load the page they name)."""
    return [quote(p.relative_to(build.outdir).as_posix()) for p in build.pages()]


def test_no_page_requests_anything_from_another_host_or_missing(chromium, served: str, site_with_math: Build):
    paths = page_paths(site_with_math)
    assert len(paths) > 40 and f"{MATH_POST}.html" in paths
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    foreign: list[str] = []
    local = 0
    current = {"path": ""}

    def note(request) -> None:
        nonlocal local
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname != "127.0.0.1":
            foreign.append(f"{current['path']}: {request.url}")
        else:
            local += 1

    def answered(response) -> None:
        if response.status >= 400:  # a file the page asks for and the site does not ship
            unanswered.append(f"{current['path']}: {response.status} {response.url}")

    unanswered: list[str] = []
    context.on("request", note)
    context.on("response", answered)
    page = context.new_page()
    try:
        for path in paths:
            current["path"] = path
            page.goto(served + path, wait_until="load")
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert local > len(paths), "the requests were recorded"
    assert foreign == []
    assert unanswered == []


def test_math_is_mathml_drawn_by_the_browser(chromium, served: str):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{served}{MATH_POST}.html", wait_until="load")
        found = page.evaluate(MATH_JS)
    finally:
        context.close()
    assert found["namespaces"] == ["http://www.w3.org/1998/Math/MathML"] * 2, "inline and display math"
    assert all(b["width"] > 20 and b["height"] > 8 for b in found["boxes"]), found["boxes"]
    assert found["fraction"]["height"] > 1.6 * found["fontSize"], "a fraction is stacked, not a line of text"
    assert found["fraction"]["width"] > 10


def test_a_sized_body_image_keeps_its_ratio_on_a_phone(chromium, served: str):
    context = chromium.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{served}{MATH_POST}.html", wait_until="load")
        image = page.locator("article img[alt='넓은 그림']")
        assert (image.get_attribute("width"), image.get_attribute("height")) == ("1200", "400")
        assert image.get_attribute("loading") == "lazy"
        before = image.bounding_box()  # its place is kept before it loads
        image.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector(\"article img[alt='넓은 그림']\").complete")
        after = image.bounding_box()
    finally:
        context.close()
    assert before is not None and after is not None
    assert after["width"] < 375, "scaled down to the column"
    assert abs(after["width"] / after["height"] - 3) < 0.05, after
    assert abs(before["height"] - after["height"]) < 1, "nothing shifts when it arrives"

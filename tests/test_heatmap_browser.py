"""The study heatmap in Chromium: its shades stand out from the page in light and dark mode, it
fits a phone, and axe-core finds nothing serious or critical on the pages showing it."""

from __future__ import annotations

import json
import re

import pytest

from buildsite import ROOT, browser_session, pinned_today, require, serve, sphinx_build

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NOW = "2025-10-15T12:00:00+09:00"
#: (page, viewport): the home page on a desktop and a phone, a year archive.
VIEWS = [("index.html", (1280, 800)), ("index.html", (375, 812)), ("blog/2025.html", (1280, 800))]

#: Each shade's colour and the page's, as sRGB bytes (a canvas normalises color-mix() and friends).
COLOURS_JS = """() => {
  const canvas = document.createElement("canvas"); canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d");
  const rgb = css => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = "#000"; ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1); return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)]; };
  const svg = document.querySelector("figure.journal-heatmap svg");
  const shade = level => {
    const probe = document.createElementNS("http://www.w3.org/2000/svg", "use");
    if (level) probe.setAttribute("class", "h" + level);
    svg.appendChild(probe); const fill = getComputedStyle(probe).fill; probe.remove(); return rgb(fill);
  };
  const box = svg.getBoundingClientRect();
  return {page: rgb(getComputedStyle(document.body).backgroundColor),
          shades: [0, 1, 2, 3, 4].map(shade), width: box.width,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""
AXE_JS = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""


def luminance(rgb: list[int]) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: list[int], b: list[int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory):
    build = sphinx_build(ROOT, tmp_path_factory.mktemp("heatweb") / "html", env=pinned_today(NOW))
    assert build.returncode == 0, build.output[-3000:]
    with serve(build.outdir) as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_shades_stand_out_and_axe_finds_nothing_grave(site_url: str, scheme: str) -> None:
    axe = require("axe-core (npm ci)", str(AXE) if AXE.is_file() else None)
    with browser_session() as browser:
        results = {}
        for page_path, size in VIEWS:
            context = browser.new_context(viewport={"width": size[0], "height": size[1]}, color_scheme=scheme)
            page = context.new_page()
            page.goto(site_url + page_path, wait_until="networkidle")
            assert page.evaluate("document.documentElement.dataset.theme") == scheme
            colours = page.evaluate(COLOURS_JS)
            squares = page.locator("figure.journal-heatmap svg a")
            named = page.get_by_role("link", name=re.compile(r"^\d{4}-\d{2}-\d{2} · 글 [1-9]\d*편, 노트 \d+개$"))
            assert squares.count() > 5 and named.count() == squares.count(), "each linked day is named by its title"
            page.add_script_tag(path=axe)
            grave = page.evaluate(AXE_JS)
            assert grave == [], json.dumps(grave, ensure_ascii=False, indent=1)
            assert colours["overflow"] <= 0, f"{page_path} at {size}: horizontal scroll"
            assert colours["width"] <= size[0], colours
            results[(page_path, size)] = colours
            context.close()
    colours = results[("index.html", (1280, 800))]
    page_colour, shades = colours["page"], colours["shades"]
    # the busiest days meet WCAG's 3:1 for graphics against the page; shades grow apart from it
    assert contrast(shades[4], page_colour) >= 3, (scheme, shades[4], page_colour)
    steps = [contrast(shade, page_colour) for shade in shades]
    assert steps == sorted(steps) and len(set(map(tuple, shades))) == 5, (scheme, steps)
    if scheme == "dark":
        assert luminance(page_colour) < 0.1, page_colour

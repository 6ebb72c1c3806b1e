"""The slimmer assets in a real browser: icons drawn, dark mode and the sidebars working, search.

journal.assets replaced the theme's Font Awesome script by CSS-mask icons, ten stylesheets by
one bundle, and made every script deferred; these tests click what those changes could break.
Fixtures (Chromium through Playwright, the served sample site) come from test_browser.
"""

from __future__ import annotations

import pytest
import test_browser
from test_browser import LoadedPage, luminance

# test_browser's fixtures (one Chromium, the served sample site), shared with this module.
browser = test_browser.browser
base_url = test_browser.base_url
open_page = test_browser.open_page

pytestmark = pytest.mark.browser

ICON_STATE_JS = """selector => {
  const icon = document.querySelector(selector);
  const style = getComputedStyle(icon);
  const box = icon.getBoundingClientRect();
  return {width: box.width, height: box.height, mask: style.webkitMaskImage || style.maskImage,
          background: style.backgroundColor, colour: style.color, before: getComputedStyle(icon, "::before").content};
}"""


def icon_pixels(loaded: LoadedPage, selector: str, css: str | None = None) -> bytes:
    """A screenshot of the icon, with *css* applied to it first (then removed)."""
    element = loaded.page.locator(selector).first
    box = element.bounding_box()
    assert box is not None, selector
    if css:
        element.evaluate("(icon, css) => icon.setAttribute('style', css)", css)
    shot = loaded.page.screenshot(clip=box, animations="disabled")
    element.evaluate("icon => icon.removeAttribute('style')")
    return shot


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_header_icons_are_drawn_without_the_icon_script(open_page, scheme: str) -> None:
    loaded = open_page("index.html", "desktop", scheme)
    requested = loaded.page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert not [url for url in requested if "fontawesome" in url or url.endswith(".woff2")], requested
    selector = ".search-button__button i.fa-magnifying-glass"
    state = loaded.page.evaluate(ICON_STATE_JS, selector)
    assert state["width"] > 8 and state["height"] > 8, state
    assert "data:image/svg+xml" in state["mask"], state
    assert state["background"] == state["colour"], "the icon is painted in the text colour"
    assert state["before"] in ("none", "normal"), "no webfont glyph behind the mask"
    drawn = icon_pixels(loaded, selector)
    assert drawn != icon_pixels(loaded, selector, "visibility: hidden"), "the icon paints something"
    assert drawn != icon_pixels(loaded, selector, "mask: none; -webkit-mask: none"), "the icon is a shape, not a box"
    assert loaded.errors == []


def test_theme_switch_menu_changes_the_mode_and_shows_its_icon(open_page) -> None:
    loaded = open_page("index.html", "desktop", "light")
    page = loaded.page
    for mode in ("dark", "light", "auto"):
        page.locator(".theme-switch-button:visible").first.click()
        page.locator(f".dropdown-menu.show .theme-change-button[data-mode='{mode}']").click()
        assert page.evaluate("() => document.documentElement.dataset.mode") == mode
        shown = page.evaluate(
            """() => [...document.querySelectorAll('.theme-switch-button .theme-switch')]
                 .filter(e => getComputedStyle(e).display !== 'none')
                 .map(e => { const r = e.getBoundingClientRect(); return [e.dataset.mode, r.width * r.height]; })"""
        )
        assert len(shown) == 1 and shown[0][0] == mode and shown[0][1] > 100, (mode, shown)
    page.locator(".theme-switch-button:visible").first.click()
    page.locator(".dropdown-menu.show .theme-change-button[data-mode='dark']").click()
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert luminance(background) < 0.1, background
    assert loaded.errors == []


def test_every_visible_icon_has_a_box(open_page) -> None:
    """Icons are empty <i> or <span> elements: each one shown must be sized like the <svg> it replaced."""
    loaded = open_page("posts/2025/07-05-midterm-retro.html", "desktop", "light")
    boxes = loaded.page.evaluate(
        """() => [...document.querySelectorAll('[class*="fa-"]')].filter(e => e.offsetParent !== null)
             .map(e => { const r = e.getBoundingClientRect(); return [e.className, r.width, r.height]; })"""
    )
    assert len(boxes) > 5
    assert [box for box in boxes if box[1] < 8 or box[2] < 8] == []


def test_phone_sidebars_open_with_their_buttons(open_page) -> None:
    """The book theme's visible buttons open the navigation and the page's contents as dialogs."""
    loaded = open_page("posts/2025/07-05-midterm-retro.html", "phone", "light")
    page = loaded.page
    for toggle, dialog in (
        (".primary-toggle", "#pst-primary-sidebar-modal"),
        (".secondary-toggle", "#pst-secondary-sidebar-modal"),
    ):
        page.locator(f"{toggle}:visible").first.click()
        page.wait_for_function(f"() => document.querySelector('{dialog}').open === true", timeout=5000)
        links = page.locator(f"{dialog} a:visible").count()
        assert links > 3, (dialog, links)
        page.keyboard.press("Escape")
        page.wait_for_function(f"() => !document.querySelector('{dialog}').open", timeout=5000)
    assert loaded.errors == []


def test_search_from_the_header_finds_korean_posts(open_page) -> None:
    """The search index is no longer loaded by every page; the search dialog still leads to results."""
    loaded = open_page("index.html", "desktop", "light")
    page = loaded.page
    assert page.evaluate("() => typeof Search") == "undefined", "no search tools on a page that does not search"
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[name='q']")
    field.wait_for(state="visible")
    field.fill("클라우드")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector("#search-results li", timeout=15000)
    links = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(href.startswith("posts/") for href in links), links
    assert loaded.errors == []

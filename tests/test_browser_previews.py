"""Link previews in Chromium: hover and keyboard focus show the card, Esc and moving away hide
it, a touch screen just follows the link, nothing is asked of another host, the data arrives
only on the first hover, axe finds nothing serious with a card open, and dark mode is readable.
Fixtures (one Chromium, the served sample site) come from test_browser.
"""

from __future__ import annotations

import json

import pytest
import test_browser
from test_browser import AXE_JS, LoadedPage, luminance

browser = test_browser.browser
base_url = test_browser.base_url
open_page = test_browser.open_page
axe_source = test_browser.axe_source

pytestmark = pytest.mark.browser

POST = "posts/2025/06-07-gerrit-first-review.html"
HEADING_LINK = 'article a.journal-preview[href$="gerrit-review.html#gerrit-amend"]'
TERM_LINK = 'article a.journal-preview[href$="glossary.html#term-Change-Id"]'
NOTE_LINK = 'article a.journal-preview[href$="notes/contribution/gerrit-review.html"]'
CARD = "#journal-preview-card"
CARD_JS = """() => {
  const card = document.querySelector("#journal-preview-card");
  if (!card) return null;
  const text = selector => { const node = card.querySelector(selector); return node ? node.textContent : null; };
  return {hidden: card.hidden, visible: card.checkVisibility(), label: text(".journal-preview-card__label"),
          title: text(".journal-preview-card__title"), text: text(".journal-preview-card__text"),
          role: card.getAttribute("role"), focusable: card.querySelectorAll("a, button, input, [tabindex]").length};
}"""
FOCUS_JS = """() => ({href: document.activeElement.getAttribute("href"),
  describedby: document.activeElement.getAttribute("aria-describedby"),
  preview: document.activeElement.matches("a.journal-preview")})"""


def card(loaded: LoadedPage) -> dict[str, object] | None:
    found: dict[str, object] | None = loaded.page.evaluate(CARD_JS)
    return found


def preview_requests(loaded: LoadedPage) -> list[str]:
    return [
        url
        for url in loaded.page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
        if "/_previews/" in url
    ]


def hover_and_wait(loaded: LoadedPage, selector: str) -> dict[str, object]:
    loaded.page.hover(selector)
    loaded.page.wait_for_selector(CARD, state="visible")
    shown = card(loaded)
    assert shown is not None
    return shown


def test_hovering_a_heading_link_shows_its_section(open_page) -> None:
    loaded = open_page(POST, "desktop", "light")
    assert preview_requests(loaded) == [], "no preview data on the first view"
    shown = hover_and_wait(loaded, HEADING_LINK)
    assert shown["title"] == "리뷰 반영은 amend로" and shown["label"] == "Gerrit 리뷰 흐름"
    assert str(shown["text"]).startswith("리뷰를 반영할 때 새 커밋을 만들면")
    assert shown["role"] == "tooltip" and shown["focusable"] == 0
    assert loaded.page.get_attribute(HEADING_LINK, "aria-describedby") == "journal-preview-card"
    assert [url.rsplit("/_previews/", 1)[1] for url in preview_requests(loaded)] == [
        "notes/contribution/gerrit-review.json"
    ]
    loaded.page.mouse.move(5, 5)
    loaded.page.wait_for_selector(CARD, state="hidden")
    assert loaded.page.get_attribute(HEADING_LINK, "aria-describedby") is None
    assert loaded.foreign == [] and loaded.errors == []


def test_hovering_a_term_and_a_note_shows_the_definition_and_the_note(open_page) -> None:
    loaded = open_page(POST, "desktop", "light")
    term = hover_and_wait(loaded, TERM_LINK)
    assert (term["label"], term["title"]) == ("용어", "Change-Id")
    assert str(term["text"]).startswith("commit-msg 훅이 커밋 메시지 끝에 붙이는 식별자.")
    loaded.page.mouse.move(5, 5)
    loaded.page.wait_for_selector(CARD, state="hidden")
    note = hover_and_wait(loaded, NOTE_LINK)
    assert (note["label"], note["title"]) == ("노트 · 🌳 상록 · 2025-09-21", "Gerrit 리뷰 흐름")
    assert str(note["text"]).startswith("OpenStack은 GitHub 풀 리퀘스트가 아니라 Gerrit으로 리뷰한다.")
    assert loaded.foreign == [] and loaded.errors == []


def test_esc_closes_a_hovered_card_until_the_pointer_leaves_the_link(open_page) -> None:
    loaded = open_page(POST, "desktop", "light")
    page = loaded.page
    hover_and_wait(loaded, NOTE_LINK)
    page.keyboard.press("Escape")
    page.wait_for_selector(CARD, state="hidden")
    page.locator(NOTE_LINK).first.dispatch_event("mouseover")  # the pointer moves onto the link's text
    page.wait_for_timeout(600)
    assert card(loaded)["hidden"] is True
    page.mouse.move(5, 5)
    hover_and_wait(loaded, NOTE_LINK)  # back on it: the card again


def test_tab_focus_shows_the_card_and_esc_hides_it_keeping_focus(open_page) -> None:
    loaded = open_page(POST, "desktop", "light")
    page = loaded.page
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS_JS)["preview"] and page.evaluate("() => !!document.activeElement.closest('article')"):
            break
    else:
        pytest.fail("Tab never reached a link with a preview")
    page.wait_for_selector(CARD, state="visible")
    focused = page.evaluate(FOCUS_JS)
    assert focused["describedby"] == "journal-preview-card"
    assert card(loaded)["title"]
    page.keyboard.press("Escape")
    page.wait_for_selector(CARD, state="hidden")
    after = page.evaluate(FOCUS_JS)
    assert after["href"] == focused["href"] and after["describedby"] is None, "focus stays on the link"
    page.keyboard.press("Tab")  # the card never holds focus: Tab goes on to the next element
    assert page.evaluate("() => !document.activeElement.closest('#journal-preview-card')")
    assert loaded.foreign == [] and loaded.errors == []


def test_a_tap_on_a_touch_screen_follows_the_link_without_a_card(browser, base_url) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base_url + POST, wait_until="load")
        assert page.evaluate("() => matchMedia('(hover: none)').matches")
        page.locator(NOTE_LINK).first.scroll_into_view_if_needed()
        with page.expect_navigation():
            page.tap(NOTE_LINK)
        assert page.url.endswith("notes/contribution/gerrit-review.html")
        assert page.query_selector(CARD) is None
        assert [url for url in requests if "/_previews/" in url] == []
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_open_card_passes_axe_and_is_readable(open_page, axe_source, scheme: str) -> None:
    loaded = open_page(POST, "desktop", scheme)
    page = loaded.page
    if scheme == "dark":
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    hover_and_wait(loaded, NOTE_LINK)
    page.add_script_tag(content=axe_source)
    grave = [v for v in page.evaluate(AXE_JS) if v["impact"] in ("serious", "critical")]
    assert grave == [], json.dumps(grave, ensure_ascii=False, indent=1)
    colours = page.evaluate("""() => {
      const card = document.querySelector("#journal-preview-card");
      const colour = selector => getComputedStyle(card.querySelector(selector)).color;
      return {background: getComputedStyle(card).backgroundColor, title: colour(".journal-preview-card__title"),
              label: colour(".journal-preview-card__label"), text: colour(".journal-preview-card__text")};
    }""")
    background = luminance(colours["background"])
    assert (background < 0.1) if scheme == "dark" else (background > 0.8), colours
    for part in ("title", "label", "text"):
        lighter, darker = sorted((luminance(colours[part]), background), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (part, colours)
    assert loaded.foreign == [] and loaded.errors == []

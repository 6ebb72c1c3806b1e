"""Korean typography, measured in a real Chromium on a built post page, light and dark."""

from __future__ import annotations

import shutil

import pytest
from test_korean_search import require

from buildsite import Build, source_posts

POST = next(post for post in source_posts() if not post.is_draft)


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_hangul_breaks_between_words_with_room_between_lines(site: Build, mode: str):
    chromium = require("chromium", shutil.which("chromium") or shutil.which("chromium-browser"))
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        try:
            page = browser.new_page(color_scheme=mode)
            page.goto(site.path(POST.docname + ".html").as_uri())
            page.wait_for_function(f"document.documentElement.dataset.theme === '{mode}'", timeout=10_000)
            style = page.evaluate(
                """() => {
                  const p = document.querySelector('article.bd-article p');
                  const s = getComputedStyle(p);
                  const sidebar = getComputedStyle(document.querySelector('.bd-sidebar-primary'));
                  return {wordBreak: s.wordBreak, lineHeight: parseFloat(s.lineHeight),
                          fontSize: parseFloat(s.fontSize), font: s.fontFamily, sidebar: sidebar.wordBreak};
                }"""
            )
        finally:
            browser.close()
    assert style["wordBreak"] == "keep-all" and style["sidebar"] == "keep-all"
    assert style["lineHeight"] / style["fontSize"] >= 1.75
    assert "Apple SD Gothic Neo" in style["font"] and "Noto Sans CJK KR" in style["font"]
    assert "http" not in style["font"]

"""Korean typography, measured in a real Chromium on a built post page, light and dark."""

from __future__ import annotations

import pytest

from buildsite import Build, run_in_browser, source_posts

POST = next(post for post in source_posts() if not post.is_draft)
STYLE = """() => {
  const p = getComputedStyle(document.querySelector('article.bd-article p'));
  const sidebar = getComputedStyle(document.querySelector('.bd-sidebar-primary'));
  return {wordBreak: p.wordBreak, lineHeight: parseFloat(p.lineHeight), fontSize: parseFloat(p.fontSize),
          font: p.fontFamily, sidebar: sidebar.wordBreak};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_hangul_breaks_between_words_with_room_between_lines(site: Build, mode: str):
    url = site.path(POST.docname + ".html").as_uri()
    style = run_in_browser(url, f"document.documentElement.dataset.theme === '{mode}'", STYLE, scheme=mode)
    assert style["wordBreak"] == "keep-all" and style["sidebar"] == "keep-all"
    assert style["lineHeight"] / style["fontSize"] >= 1.75
    assert "Apple SD Gothic Neo" in style["font"] and "Noto Sans CJK KR" in style["font"]
    assert "http" not in style["font"]

"""Body conversion where kramdown reads Markdown differently from MyST (``journal.jekyll.kramdown``).

The hazard sites (``tests/test_jekyll_hazards.py``) check these against the real Jekyll; these
tests pin the conversion itself, and the lines the warnings name.
"""

from __future__ import annotations

from journal.jekyll.kramdown import Anchor, BodyContext, HtmlHref, convert, page_anchors
from journal.jekyll.report import Kind


def context(images: dict[str, str | None] | None = None) -> tuple[BodyContext, list[tuple[str, int]]]:
    """A context that keeps image sources as they are (or as *images* says) and records (src, line)."""
    seen: list[tuple[str, int]] = []

    def image(src: str, line: int, raw: bool) -> str | None:
        seen.append((src, line))
        return (images or {}).get(src, src)

    def warn(kind: Kind, line: int, message: str) -> None:
        seen.append((message, line))

    return BodyContext("Title", link=lambda href, line: href, image=image, warn=warn), seen


def test_markdown_inside_an_element_with_markdown_1_is_read_as_markdown() -> None:
    ctx, _ = context()
    text = '<details><summary>풀이</summary><div markdown="1">\n- 첫 항목\n- 둘째\n</div></details>'
    assert convert(text, ctx) == "<details><summary>풀이</summary><div>\n\n- 첫 항목\n- 둘째\n\n</div></details>"


def test_markdown_block_span_and_inline_elements_lose_the_attribute() -> None:
    ctx, _ = context()
    block = '<div markdown="block">\n**굵게**\n</div>\n\n<span markdown="1">**인라인**</span> 끝'
    assert convert(block, ctx) == "<div>\n\n**굵게**\n\n</div>\n\n<span>**인라인**</span> 끝"
    raw = '<div markdown="0">\n**raw**\n</div>'
    assert convert(raw, ctx) == "<div>\n**raw**\n</div>"
    code = '```html\n<div markdown="1">\n- x\n</div>\n```'
    assert convert(code, ctx) == code


def test_lines_added_for_markdown_elements_keep_the_source_lines_in_warnings() -> None:
    ctx, seen = context()
    convert('<div markdown="1">\n- a\n</div>\n\n![그림](/assets/a.png)', ctx)
    assert seen == [("/assets/a.png", 5)]


def test_image_paths_with_spaces_and_alt_text_with_brackets() -> None:
    ctx, seen = context()
    text = '![흐름](/assets/my shot.png)\n\n![구조도 [v2]](/assets/a.png "제목")\n\n[문서 [v2]](https://x.org/)'
    assert convert(text, ctx) == (
        '![흐름](</assets/my shot.png>)\n\n![구조도 [v2]](/assets/a.png "제목")\n\n[문서 [v2]](https://x.org/)'
    )
    assert seen == [("/assets/my shot.png", 1), ("/assets/a.png", 3)]


def test_emphasis_kramdown_closes_where_commonmark_does_not_becomes_html() -> None:
    ctx, _ = context()
    assert convert("**Keystone 토큰 (**Fernet)", ctx) == "<strong>Keystone 토큰 (</strong>Fernet)"
    assert convert("word**(bold)**와 *em.*word", ctx) == "word<strong>(bold)</strong>와 <em>em.</em>word"


def test_emphasis_myst_already_reads_is_left_as_markdown() -> None:
    ctx, _ = context()
    for text in (
        "**'리뷰'**를",
        "**nova-compute(서비스)**가",
        "**굵게**한글",
        "a ** b ** c",
        "`**kwargs(**x`",
        "*주의(*중요)",
    ):
        assert convert(text, ctx) == text
    assert convert("식 $$a**(**b$$ 끝", ctx) == "식 {math}`a**(**b` 끝"


def test_emphasis_after_an_escaped_star_is_read_as_kramdown_reads_it() -> None:
    ctx, _ = context()
    assert convert(r"인자 \**not bold** 끝", ctx) == r"인자 \*\*not bold** 끝"
    assert convert(r"\__init__.py 파일", ctx) == r"\_\_init__.py 파일"
    both = r"\**kwargs와 *args 그리고 \**kwargs가"  # kramdown: one <em> from the first to the last
    assert convert(both, ctx) == r"\*<em>kwargs와 \*args 그리고 \*</em>kwargs가"
    assert convert(r"\***x***와 `\**y**`", ctx) == r"\***x***와 `\**y**`"


def test_backslashes_kramdown_shows_stay_visible() -> None:
    ctx, _ = context()
    assert convert(r"메일 \@ 과 \% 그리고 \* \_ \\ $$50\%$$", ctx) == r"메일 \\@ 과 \\% 그리고 \* \_ \\ {math}`50\%`"


def test_link_targets_with_spaces_are_links() -> None:
    ctx, _ = context()
    seen: list[str] = []
    ctx.link = lambda href, line: seen.append(href) or href
    text = '[문서](/assets/docs/my notes.pdf) [압축](</some path/a.zip> "제목") [x](/a b.html "t")'
    assert (
        convert(text, ctx)
        == '[문서](</assets/docs/my notes.pdf>) [압축](</some path/a.zip> "제목") [x](</a b.html> "t")'
    )
    assert seen == ["/assets/docs/my notes.pdf", "/some path/a.zip", "/a b.html"]


def test_links_the_importer_marks_as_html_are_html_links() -> None:
    ctx, _ = context()
    ctx.link = lambda href, line: HtmlHref("05-01-other.html#raw-note")
    assert convert("[raw 단락](/2024/05/01/other.html#raw-note)", ctx) == (
        '<a href="05-01-other.html#raw-note">raw 단락</a>'
    )


def test_anchors_are_kramdown_ids_and_reach_mysts_slugs() -> None:
    text = '## Nova -- Neutron 비교\n\n### Custom\n{: #my-id}\n\n#### 깊은 절\n\n<p id="note">x</p>'
    anchors = page_anchors(text)
    assert anchors["nova--neutron-비교"] == Anchor("myst", "nova----neutron-비교")
    assert anchors["my-id"] == Anchor("myst", "my-id")
    assert anchors["깊은-절"] == Anchor("myst", "깊은-절")
    assert anchors["note"] == Anchor("html", "note")
    ctx, _ = context()
    same_page = convert("## Nova -- Neutron\n\n[위로](#nova--neutron)", ctx)
    assert same_page.endswith("[위로](#nova----neutron)")


def test_double_brackets_stay_text_not_wikilinks() -> None:
    ctx, _ = context()
    text = "배열 [[0]]과 ![[x.png]], 링크 [[1] 문서](https://x.org/), 코드 `[[a]]`\n\n```\n[[b]]\n```"
    assert convert(text, ctx) == (
        "배열 \\[[0]]과 !\\[[x.png]], 링크 [[1] 문서](https://x.org/), 코드 `[[a]]`\n\n```\n[[b]]\n```"
    )

"""Body conversion where kramdown reads Markdown differently from MyST (``journal.jekyll.kramdown``).

The hazard sites (``tests/test_jekyll_hazards.py``) check these against the real Jekyll; these
tests pin the conversion itself, and the lines the warnings name.
"""

from __future__ import annotations

from journal.jekyll.kramdown import BodyContext, convert
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

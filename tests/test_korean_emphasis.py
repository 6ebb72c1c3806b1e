"""CJK-friendly emphasis: the amendment's cases, English unchanged, and bold on the built site."""

from __future__ import annotations

import hashlib
import inspect
import random
import re

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_inline import emphasis
from markdown_it.rules_inline.state_inline import StateInline
from myst_parser.parsers.sphinx_ import MystParser

from buildsite import Build, source_posts
from journal.korean.emphasis import CjkFriendlyMystParser, cjk_friendly_emphasis, is_cjk

stock = MarkdownIt("commonmark")
friendly = MarkdownIt("commonmark").use(cjk_friendly_emphasis)

CASES = [
    # bold before a particle, after punctuation (the reason for the amendment)
    ("**'깊이 있는 엔지니어'**가", "<strong>'깊이 있는 엔지니어'</strong>가"),
    ("**'리뷰'**를 받는", "<strong>'리뷰'</strong>를 받는"),
    ("**'DevStack'**으로", "<strong>'DevStack'</strong>으로"),
    ("**리뷰:**를", "<strong>리뷰:</strong>를"),
    ("**「중요」**는", "<strong>「중요」</strong>는"),
    # opening after Hangul, before punctuation
    ('이것은**"인용"**입니다', "이것은<strong>&quot;인용&quot;</strong>입니다"),
    # italic
    ("*'읽는'*시간", "<em>'읽는'</em>시간"),
    ("*'개념'*을 잡다", "<em>'개념'</em>을 잡다"),
    # nested and combined
    ("**'깊이 *있는* 엔지니어'**가", "<strong>'깊이 <em>있는</em> 엔지니어'</strong>가"),
    ("***'중요'***를", "<em><strong>'중요'</strong></em>를"),
    ("**'내 패치'**보다 **'남의 패치'**를", "<strong>'내 패치'</strong>보다 <strong>'남의 패치'</strong>를"),
    # inside a link, and a link inside bold
    ("[**'리뷰'**를](https://example.com) 보자", "<a href=\"https://example.com\"><strong>'리뷰'</strong>를</a> 보자"),
    ("**[문서](https://example.com)**에서", '<strong><a href="https://example.com">문서</a></strong>에서'),
    # code spans: untouched inside, bold around them works
    ("`**'코드'**를`", "<code>**'코드'**를</code>"),
    ("**`npm publish`**를 실행", "<strong><code>npm publish</code></strong>를 실행"),
    # Japanese and Chinese examples of the amendment
    (
        "**このアスタリスクは強調記号として認識されず、そのまま表示されます。**この文のせいで。",
        "<strong>このアスタリスクは強調記号として認識されず、そのまま表示されます。</strong>この文のせいで。",
    ),
    ("**该星号不会被识别，而是直接显示。**这是因为", "<strong>该星号不会被识别，而是直接显示。</strong>这是因为"),
    # what the amendment keeps as CommonMark has it
    ("_'강조'_를", "_'강조'_를"),  # `_` still cannot close inside a word
    ("** 리뷰**를", "** 리뷰**를"),  # whitespace after the opener
    ("**'리뷰'** 를", "<strong>'리뷰'</strong> 를"),
    ("2 * 3 * 4 = 24", "2 * 3 * 4 = 24"),
]


@pytest.mark.parametrize(("source", "html"), CASES, ids=[case[0] for case in CASES])
def test_cjk_friendly_cases(source: str, html: str):
    assert friendly.renderInline(source) == html


def test_the_korean_cases_fail_on_stock_commonmark():
    """The rule is what makes them bold: stock markdown-it leaves the asterisks."""
    for source in ("**'깊이 있는 엔지니어'**가", "*'읽는'*시간", '이것은**"인용"**입니다'):
        assert "<strong>" not in stock.renderInline(source) and "<em>" not in stock.renderInline(source)


def test_soft_line_breaks_between_hangul_are_kept():
    """Korean separates words with spaces: a line break is a space, never removed (unlike mdit-py-cjk-friendly)."""
    assert friendly.render("첫 줄의 **'굵게'**를\n다음 줄") == "<p>첫 줄의 <strong>'굵게'</strong>를\n다음 줄</p>\n"


def test_cjk_character_classes():
    assert all(is_cjk(c) for c in "한글ㄱㅏ漢字かなカナ，。「」ｱ")
    assert not any(is_cjk(c) for c in "aZ1'\"*.,é😀🎉")


ENGLISH = [
    "*foo bar*",
    "a * foo bar*",
    'a*"foo"*',
    "foo*bar*",
    "5*6*78",
    "_foo bar_",
    "_ foo bar_",
    "foo_bar_",
    "пристаням_стремятся_",
    'aa_"bb"_cc',
    "foo-_(bar)_",
    "_foo*",
    "*foo bar *",
    "*(*foo)",
    "*(*foo*)*",
    "*foo*bar",
    "_foo_bar_baz_",
    "_(bar)_.",
    "**foo bar**",
    "** foo bar**",
    'a**"foo"**',
    "foo**bar**",
    "__foo, __bar__, baz__",
    "foo-__(bar)__",
    "**foo bar **",
    "**(**foo)",
    "*(**foo**)*",
    "**Gomphocarpus (*Gomphocarpus physocarpus*, syn.\n*Asclepias physocarpa*)**",
    '**foo "*bar*" foo**',
    "*foo**bar**baz*",
    "***foo** bar*",
    "foo***bar***baz",
    "*foo [*bar*](/url)*",
    "** is not an empty emphasis",
    "**foo*",
    "*foo**",
    "***foo***",
    "_____foo_____",
    "*foo _bar* baz_",
    "**a<http://foo.bar/?q=**>",
    "*a `*`*",
    "We're **'reading'**, not writing.",
]


@pytest.mark.parametrize("source", ENGLISH)
def test_english_emphasis_renders_exactly_as_commonmark(source: str):
    assert friendly.render(source) == stock.render(source)


def test_random_non_cjk_text_renders_exactly_as_commonmark():
    alphabet = [*"*_ab '\".,()[]`\\!é-", "\n", "**", "__", "é"]
    rng = random.Random(20250412)
    for _ in range(3000):
        source = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        assert friendly.render(source) == stock.render(source), repr(source)


#: Hashes of the upstream code our module repeats (CjkFriendlyMystParser.parse, tokenize, scan_delims).
PINNED_SOURCES = {
    "MystParser.parse": (MystParser.parse, "0d71d5731b4a6f7c643ac3d578f5c690f02710b43d18b270160ccdab3b28a0aa"),
    "emphasis.tokenize": (emphasis.tokenize, "0615c8be9117d47155ed326b89260ba00503ac01a726b444c6d4d8400a617d8b"),
    "StateInline.scanDelims": (
        StateInline.scanDelims,
        "b8f052cdea265e7ebfee748a468e23c58d53b88a107f7a1ed2bcbcf043e68719",
    ),
}


@pytest.mark.parametrize("name", PINNED_SOURCES)
def test_upstream_code_we_follow_is_unchanged(name: str):
    """If this fails, myst-parser or markdown-it-py changed: compare with journal/korean/emphasis.py and re-pin."""
    function, pinned = PINNED_SOURCES[name]
    assert hashlib.sha256(inspect.getsource(function).encode()).hexdigest() == pinned


def test_our_parser_replaces_myst_for_markdown():
    assert issubclass(CjkFriendlyMystParser, MystParser)
    assert set(CjkFriendlyMystParser.supported) >= {"md", "markdown"}


def bold_in_sources() -> list[tuple[str, str]]:
    """(docname, text) of each ``**'…'**`` followed by Hangul in the published sample posts."""
    found = []
    for post in source_posts():
        if post.is_draft:
            continue
        for match in re.finditer(r"\*\*'([^'*]+)'\*\*[가-힣]", post.path.read_text(encoding="utf-8")):
            found.append((post.docname, match.group(1)))
    return found


def test_sample_posts_have_korean_bold_before_particles():
    assert len(bold_in_sources()) >= 5


def test_korean_bold_renders_on_the_built_site(site: Build):
    for docname, text in bold_in_sources():
        article = site.html(docname).select_one("article")
        strong = [s.get_text() for s in article.select("strong")]
        assert any(text in s for s in strong), (docname, text, strong)
        assert "**" not in article.get_text(), docname

"""Math as MathML at build time (journal.pages.mathml): no MathJax, no CDN, TeX it cannot convert shown as code."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from buildsite import Build, make_project, post_source, sphinx_build
from journal.pages.mathml import to_mathml

POST = "posts/2025/04-12-math"
BODY = r"""인라인 수식 $e^{i\pi} + 1 = 0$ 과 셸 `$ ls`, 가격은 $5 와 $10.

$$
\sum_{i=1}^{n} i = \frac{n(n+1)}{2}
$$ (gauss)

$$
a &= b + c \\
d &= e
$$

변환이 안 되는 수식: $\undefinedmacro{x}$ 그리고

$$
x^
$$
"""


@pytest.fixture(scope="module")
def math_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    src = make_project(tmp_path_factory.mktemp("math") / "src", {f"{POST}.md": post_source("수식", body=BODY)})
    return sphinx_build(src, src.parent / "html")


def test_inline_and_display_math_are_mathml(math_site: Build):
    page = math_site.html(POST)
    inline = page.select("p span.math > math[display=inline]")
    assert [m["alttext"] for m in inline] == [r"e^{i\pi} + 1 = 0"], "`$ ls` and $5 or $10 stay text"
    blocks = page.select("div.math > math[display=block]")
    assert len(blocks) == 2
    assert blocks[0].find("mfrac") and blocks[1].find("mtable"), "a sum and aligned lines"
    assert page.select_one("div#equation-gauss span.eqno").get_text().startswith("(1)")


def test_no_page_loads_mathjax_or_any_cdn(math_site: Build):
    for path in math_site.pages():
        text = path.read_text(encoding="utf-8")
        assert "mathjax" not in text.lower().replace("mathjax_ignore", ""), path
        assert "cdn.jsdelivr.net" not in text, path


def test_a_formula_latex2mathml_cannot_convert_is_shown_as_tex_with_a_warning_at_its_line(math_site: Build):
    source = math_site.srcdir / f"{POST}.md"
    assert math_site.warnings == [
        f"{source}:17: WARNING: latex2mathml cannot convert this formula; shown as TeX source: "
        r"'\\undefinedmacro{x}' [journal.math]",
        f"{source}:19: WARNING: latex2mathml cannot convert this formula; shown as TeX source: 'x^' [journal.math]",
    ], "once each (the feed entry renders the post again), and nothing else"
    shown = [code.get_text() for code in math_site.html(POST).select("code.journal-math-source")]
    assert shown == [r"\undefinedmacro{x}", "x^"]


def test_feeds_carry_the_tex_source(math_site: Build):
    entry = feedparser.parse(math_site.path("blog/atom.xml").read_bytes()).entries[0]
    content = entry.content[0].value
    assert "<math" not in content
    assert r"<code>e^{i\pi} + 1 = 0</code>" in content


def test_mathjax_from_its_cdn_is_one_setting_away(math_site: Build, tmp_path: Path):
    build = sphinx_build(math_site.srcdir, tmp_path / "html", args=["-D", "html_math_renderer=mathjax"])
    assert build.returncode == 0, build.output[-3000:]
    assert re.search(r'<script[^>]+src="https://cdn\.jsdelivr\.net/npm/mathjax', build.path(f"{POST}.html").read_text())


@pytest.mark.parametrize("tex", [r"\foo{x}", "x^", r"\left( x", r"\begin{aligned}a&=b\end{aligned}"])
def test_what_latex2mathml_cannot_convert_is_none(tex: str):
    assert to_mathml(tex, "block") is None


def test_converted_math_keeps_its_tex_as_alttext():
    converted = to_mathml(r"x < \alpha", "inline")
    assert converted is not None
    assert converted.startswith('<math alttext="x &lt; \\alpha" ')


@pytest.mark.parametrize(
    "tex",
    [
        r"\hat{\theta} = \arg\min_\theta L(\theta)",
        "\\begin{equation}\n  E = mc^2\n  \\label{eq:e}\n\\end{equation}",
        r"a \nonumber",
    ],
)
def test_labels_number_switches_and_arg_convert(tex: str):
    converted = to_mathml(tex, "block")
    assert converted is not None and "label" not in converted.split(">", 1)[1]

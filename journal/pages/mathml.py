"""Math as MathML written at build time: a page with a formula requests nothing from another host.

Sphinx's default HTML math renderer (``sphinx.ext.mathjax``) puts the TeX on the page and loads
MathJax from cdn.jsdelivr.net to typeset it: every reader of a post with math is sent to a
third party, and the formula appears (and the page shifts) only once that script has run.
This renderer, ``mathml``, converts each formula with latex2mathml while the page is written:

* every current browser renders MathML Core natively (Chromium and Edge since 109, Firefox,
  Safari): no script, no font download, no request, and the formula is laid out with the page;
* the page stays the same bytes for the same source (no client-side typesetting);
* a local copy of MathJax or KaTeX in ``_static`` would avoid the third party too, but adds
  about a megabyte of scripts and fonts to vendor, keep up to date and load on every math page,
  and still typesets after load.

The price is coverage: latex2mathml knows less LaTeX than MathJax. A formula it cannot convert
(it raises, or leaves a command it does not know as text) does not stop the build: the page
shows its TeX source as code and a ``journal.math`` warning names the file and line. Feeds
carry the TeX (``alttext``) instead of the MathML (:mod:`journal.publishing.feedsafe`).

``html_math_renderer = "mathjax"`` in ``conf.py`` switches back to Sphinx's MathJax from its CDN.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util.math import get_node_equation_number
from sphinx.writers.html5 import HTML5Translator

from journal.warnings import JournalWarning, warn

#: Output in which latex2mathml left part of the TeX unconverted: a command it does not know
#: as an identifier (``<mi>\foo</mi>``), or an alignment ``&`` outside a table.
UNCONVERTED = re.compile(r"<m[ion]>(?:\\[A-Za-z]|&(?:amp;)?<)")
#: TeX that LaTeX draws nothing for (labels, number switches), or that latex2mathml does not
#: know by that name (``\arg``, the one standard operator name it lacks), rewritten first.
REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\\label\{[^{}]*\}"), ""),
    (re.compile(r"\\(?:nonumber|notag)(?![A-Za-z])"), ""),
    (re.compile(r"\\arg(?![A-Za-z])"), r"\\operatorname{arg}"),
)
#: The classes Sphinx gives math, so the theme's math styles apply.
MATH_CLASS = "math notranslate nohighlight"


@functools.lru_cache(maxsize=4096)
def to_mathml(tex: str, display: str) -> str | None:
    """*tex* as one ``<math>`` element (``display`` "inline" or "block"), or None when it cannot be converted."""
    try:
        converted = convert(rewritten(tex), display=display)
    except Exception:  # latex2mathml raises a dozen kinds of its own (and IndexError...) on bad TeX
        return None
    if UNCONVERTED.search(converted):
        return None
    alt = html.escape(tex.strip(), quote=True)
    return converted.replace("<math ", f'<math alttext="{alt}" ', 1)


#: (document, line, TeX) of every formula warned about: a post's feed entry renders it again.
_WARNED: set[tuple[str, int | None, str]] = set()


def rewritten(tex: str) -> str:
    for pattern, replacement in REWRITES:
        tex = pattern.sub(replacement, tex)
    return tex


def fallback(translator: HTML5Translator, node: nodes.Element, tex: str) -> str:
    """The TeX source as code, and a warning (once) at the formula's file and line."""
    docname = translator.builder.current_docname
    if (docname, node.line, tex) not in _WARNED:
        _WARNED.add((docname, node.line, tex))
        message = f"latex2mathml cannot convert this formula; shown as TeX source: {tex!r}"
        warn(JournalWarning.MATH, message, node if node.line else docname)
    return f'<code class="journal-math-source">{translator.encode(tex)}</code>'


def rendered(translator: HTML5Translator, node: nodes.Element, tex: str, display: str) -> str:
    return to_mathml(tex, display) or fallback(translator, node, tex)


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    """Inline math (``$x$``, ``{math}`x```): a span holding one inline ``<math>``."""
    self.body.append(self.starttag(node, "span", "", CLASS=MATH_CLASS))
    self.body.append(rendered(self, node, node.astext(), "inline") + "</span>")
    raise nodes.SkipNode


def display_parts(node: nodes.math_block) -> list[str]:
    """A display block's formulas: one per paragraph, ``\\\\`` lines aligned (as Sphinx's MathJax does)."""
    if node.get("no-wrap", node.get("nowrap", False)):  # a whole environment (MyST's amsmath extension)
        return [node.astext()]
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    return [rf"\begin{{split}}{part}\end{{split}}" if splits(part) else part for part in parts]


def splits(part: str) -> bool:
    """Lines (``\\\\``) outside an environment of their own: aligned as one ``split``."""
    return r"\\" in part and not part.lstrip().startswith(r"\begin{")


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    """Display math (``$$…$$``, ``{math}`` blocks, amsmath): a div of block ``<math>``, numbered when labelled."""
    self.body.append(self.starttag(node, "div", CLASS=MATH_CLASS))
    if node["number"]:
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.extend(rendered(self, node, part, "block") for part in display_parts(node))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Pages without their templates' indentation: every run of whitespace holding a line break
becomes one line break, outside ``<pre>``, ``<textarea>``, ``<script>`` and ``<style>``.

Why: the theme's nested Jinja templates indent every line and leave hundreds of blank lines
in each page, about 7 % of the HTML the site writes (3.9 MB of 52 MB at 1,000 posts). The
browser shows a page the same either way: outside those four elements a run of whitespace
is one space to HTML's rendering (``white-space: normal``), and a line break is still
whitespace. Inline literals keep their spaces as ``&#160;`` (docutils writes them so), and
code blocks are ``<pre>``.

How: Sphinx's ``template_bridge`` setting names the class that renders every template
(:class:`SqueezingTemplateLoader`, Sphinx's own loader, whose ``render`` squeezes what an
``.html`` template gave). The squeeze is the same on a fragment as on the page it goes into
(a run of whitespace holding a line break becomes one line break, wherever it is cut), so the
sidebar widgets spliced into earlier pages (:mod:`journal.speed.splice`) stay what a full
rendering writes. ``journal_compact_html = False`` turns it off; a project with its own
``template_bridge`` keeps it and is not squeezed.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.jinja2glue import BuiltinTemplateLoader

#: The elements whose whitespace is their content (their whole element, tags included).
VERBATIM = re.compile(r"(<(pre|textarea|script|style)(?=[\s>]).*?</\2\s*>)", re.S | re.I)
#: A run of whitespace that holds a line break (what :func:`squeezed_text` replaces, defined here).
LINE_BREAK_RUN = re.compile(r"[ \t\r\f]*\n\s*")
LOADER = f"{__name__}.SqueezingTemplateLoader"


def squeeze(html: str) -> str:
    """*html* with each run of whitespace holding a line break made one line break, outside
    the :data:`VERBATIM` elements."""
    pieces = VERBATIM.split(html)
    # split() gives: text, element, element's name, text, element, name, ..., text
    for index in range(0, len(pieces), 3):
        pieces[index] = squeezed_text(pieces[index])
    return "".join(piece for position, piece in enumerate(pieces) if position % 3 != 2)


def squeezed_text(text: str) -> str:
    """``LINE_BREAK_RUN.sub("\\n", text)``, four times faster: line by line, each line's
    whitespace before its line break and after the one before it goes (``str.lstrip`` strips
    what the pattern's ``\\s`` matches), and lines of whitespace alone go with them."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    kept = [lines[0].rstrip(" \t\r\f")]
    for line in lines[1:-1]:
        line = line.lstrip()
        if line:
            kept.append(line.rstrip(" \t\r\f"))
    last = lines[-1].lstrip()  # no line break after it: its trailing whitespace stays
    return "\n".join(kept) + "\n" + last


class SqueezingTemplateLoader(BuiltinTemplateLoader):
    """Sphinx's template loader; what an ``.html`` template renders is :func:`squeeze`\\ d."""

    def render(self, template: str, context: dict[str, Any]) -> str:  # type: ignore[override]  # as Sphinx types its own loader
        output: str = super().render(template, context)
        return squeeze(output) if template.endswith(".html") else output


def use_squeezing_loader(app: Sphinx, config: Config) -> None:
    """``config-inited``: render with :class:`SqueezingTemplateLoader`, unless the project has
    its own template bridge or ``journal_compact_html`` is off."""
    if config.journal_compact_html and not config.template_bridge:
        config.template_bridge = LOADER

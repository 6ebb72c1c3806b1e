"""MyST's internals we depend on: the one door to ``myst_parser``.

* :class:`PluggableMystParser` -- ``myst_parser`` builds its markdown-it parser inside
  ``MystParser.parse`` (``create_md_parser(config, SphinxRenderer)``) and offers no plugin hook.
  This subclass repeats that method's body (myst-parser 5.2) and adds the markdown-it plugins
  its subclass names in ``plugins`` (:mod:`journal.korean.emphasis` adds CJK-friendly emphasis).
  Because it repeats MyST's method, ``tests/test_korean_emphasis.py`` pins the hash of
  ``MystParser.parse``'s source and fails when a myst-parser upgrade changes it.
* :func:`read_topmatter` and :class:`TopmatterReadError` -- how MyST reads a page's front
  matter; ``journal new`` checks that MyST will read what it writes (``tests/test_newpost.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from markdown_it import MarkdownIt
from myst_parser.config.main import MdParserConfig, TopmatterReadError, merge_file_level, read_topmatter
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from myst_parser.warnings_ import create_warning

__all__ = ["MystParser", "PluggableMystParser", "TopmatterReadError", "read_topmatter"]


class PluggableMystParser(MystParser):
    """MyST's Sphinx parser with the markdown-it *plugins* of the subclass added to its parser."""

    plugins: ClassVar[tuple[Callable[[MarkdownIt], None], ...]] = ()

    def parse(self, inputstring: str, document: nodes.document) -> None:
        # Same steps as MystParser.parse (myst-parser 5.2); only `.use(...)` is ours.
        config: MdParserConfig = document.settings.env.myst_config
        try:
            topmatter = read_topmatter(inputstring)
        except TopmatterReadError:
            pass  # reported during the render
        else:
            if topmatter:

                def warning(wtype: Any, msg: str) -> None:
                    create_warning(document, msg, wtype, line=1, append_to=document)

                config = merge_file_level(config, topmatter, warning)
        parser = create_md_parser(config, SphinxRenderer)
        for plugin in self.plugins:
            parser = parser.use(plugin)
        parser.options["document"] = document
        parser.render(inputstring)

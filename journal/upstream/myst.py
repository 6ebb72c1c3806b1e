"""MyST's internals we depend on: the one door to ``myst_parser``.

* :class:`PluggableMystParser` -- ``myst_parser`` builds its markdown-it parser inside
  ``MystParser.parse`` (``create_md_parser(config, SphinxRenderer)``) and offers no plugin hook.
  This subclass repeats that method's body (myst-parser 5.2) and adds the markdown-it plugins
  its subclass names in ``plugins`` (:mod:`journal.korean.emphasis` adds CJK-friendly emphasis).
  Because it repeats MyST's method, ``tests/test_korean_emphasis.py`` pins the hash of
  ``MystParser.parse``'s source and fails when a myst-parser upgrade changes it.
* :func:`use_markdown_plugin` -- features add their plugins one by one: each call registers a
  subclass of :class:`PluggableMystParser` holding every plugin added so far, in that order.
* :func:`role_token` -- a markdown-it token MyST renders as a docutils role: MyST's
  ``SphinxRenderer.render_myst_role`` reads a ``myst_role`` token's ``meta["name"]``, ``content``
  and ``map`` (its line); :mod:`journal.content.wikilinks` turns ``[[…]]`` into such tokens, so its
  roles make the nodes. ``tests/test_upstream.py`` pins ``render_myst_role``.
* :func:`read_topmatter` and :class:`TopmatterReadError` -- how MyST reads a page's front
  matter; ``journal new`` checks that MyST will read what it writes (``tests/test_newpost.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from docutils import nodes
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig, TopmatterReadError, merge_file_level, read_topmatter
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from myst_parser.warnings_ import create_warning
from sphinx.application import Sphinx

__all__ = [
    "MystParser",
    "PluggableMystParser",
    "TopmatterReadError",
    "read_topmatter",
    "role_token",
    "use_markdown_plugin",
]

MarkdownPlugin = Callable[[MarkdownIt], None]
#: The plugins added so far to each application's Markdown parser.
_PLUGINS: WeakKeyDictionary[Sphinx, tuple[MarkdownPlugin, ...]] = WeakKeyDictionary()


class PluggableMystParser(MystParser):
    """MyST's Sphinx parser with the markdown-it *plugins* of the subclass added to its parser."""

    plugins: ClassVar[tuple[MarkdownPlugin, ...]] = ()

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


def use_markdown_plugin(app: Sphinx, plugin: MarkdownPlugin) -> None:
    """Parse Markdown with *plugin* too, after the plugins added before it."""
    plugins = (*_PLUGINS.get(app, ()), plugin)
    _PLUGINS[app] = plugins
    parser = type("JournalMystParser", (PluggableMystParser,), {"plugins": plugins})
    app.add_source_parser(parser, override=True)


def role_token(state: StateInline, role: str, text: str) -> Token:
    """Push a token MyST renders as the role *role* applied to *text* (``{role}`text```)."""
    token = state.push("myst_role", "", 0)
    token.meta = {"name": role}
    token.content = text
    return token

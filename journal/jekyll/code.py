"""Code blocks: fences with MyST options, and languages Sphinx can highlight without a warning."""

from __future__ import annotations

import re
from functools import cache

from pygments.filters import ErrorToken
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

#: Names Jekyll's Rouge knows that Pygments spells differently.
LANGUAGE_ALIASES: dict[str, str] = {
    "plaintext": "text",
    "plain": "text",
    "txt": "text",
    "terminal": "console",
    "shell-session": "console",
    "sh-session": "console",
    "yml": "yaml",
    "md": "markdown",
    "conf": "text",
}


@cache
def _known(name: str) -> bool:
    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


def usable_language(lang: str, code: str) -> tuple[str, str | None]:
    """A language Sphinx highlights *code* in without a warning, and why it differs from *lang* (or None)."""
    lang = lang.strip()
    if not lang:
        return lang, None
    name = LANGUAGE_ALIASES.get(lang.lower(), lang)
    if not _known(name):
        return "text", f"code language {lang!r} is unknown to Pygments; shown as plain text"
    if name not in ("text", "none") and not _lexes(name, code):
        return "text", f"code is not valid {lang!r} for Pygments; shown as plain text"
    return name, None


def _lexes(name: str, code: str) -> bool:
    lexer = get_lexer_by_name(name, stripnl=False, ensurenl=True)
    lexer.add_filter("raiseonerror", excclass=ErrorToken)
    try:
        for _ in lexer.get_tokens(code):
            pass
    except ErrorToken:
        return False
    return True


def fence_marker(code: str) -> str:
    """A backtick fence longer than any backtick run inside *code*."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def code_block(lang: str, code: str, *, linenos: bool = False, emphasize: list[int] | None = None) -> str:
    """A MyST fenced block; line numbers and emphasised lines become ``code-block`` options."""
    code = code.strip("\n")
    marker = fence_marker(code)
    if not linenos and not emphasize:
        return f"{marker}{lang}\n{code}\n{marker}"
    options = [":linenos:"] if linenos else []
    if emphasize:
        options.append(":emphasize-lines: " + ",".join(str(n) for n in emphasize))
    head = f"{marker}{{code-block}} {lang}".rstrip()
    return "\n".join([head, *options, "", code, marker])

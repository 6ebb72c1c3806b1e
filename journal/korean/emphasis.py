"""CJK-friendly emphasis for MyST: ``**'리뷰'**를`` renders bold.

CommonMark decides whether a run of ``*``/``_`` can open or close emphasis from
the characters on each side ("flanking"). A closing ``**`` right after
punctuation (``'``) and right before a letter (the particle ``를``) is not
right-flanking, so Korean writers' habit of putting particles after bold text
leaves literal asterisks. The CommonMark CJK-friendly amendments
(https://github.com/tats-u/markdown-cjk-friendly, ``specification.md``) change
the flanking rules so that CJK characters next to a delimiter run count in its
favour. :func:`scan_delims` implements the amended rules; outside CJK text they
reduce exactly to CommonMark's, so English renders as before.

Why our own rule and not ``mdit-py-cjk-friendly`` (PyPI): that package also
removes soft line breaks between CJK characters (right for Chinese and
Japanese, wrong for Korean, which separates words with spaces), targets
markdown-it-py 2.x/3.x while we run 4.x, and is young with one author. The rule
here is small, only replaces the ``emphasis`` tokenizer, and is tested on the
amendment's cases.

How it reaches MyST: MyST offers no plugin hook, so
:func:`journal.upstream.myst.use_markdown_plugin` registers a
:class:`journal.upstream.myst.PluggableMystParser` (MyST's ``parse``, repeated and pinned
there) for Markdown with Sphinx's public ``app.add_source_parser(..., override=True)``,
holding :func:`cjk_friendly_emphasis` and the plugins other features add
(:class:`CjkFriendlyMystParser` is the same parser with this plugin alone, for tests).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, Scanned, StateInline
from sphinx.application import Sphinx

from journal.upstream.myst import PluggableMystParser, use_markdown_plugin

# --- character classes of the amendment ----------------------------------------

#: Wide/fullwidth/halfwidth code points that are emoji by default (not CJK).
_EMOJI_BLOCKS = ((0x2300, 0x2BFF), (0x1F000, 0x1FAFF))
#: Wide characters inside those blocks that are not emoji: the angle brackets 〈 〉 and
#: the ideographic enclosed letters of U+1F200-1F2FF (except the few emoji among them).
_NOT_EMOJI = frozenset({0x2329, 0x232A})
_ENCLOSED_IDEOGRAPHIC = (0x1F200, 0x1F2FF)
_ENCLOSED_IDEOGRAPHIC_EMOJI = frozenset(
    {0x1F201, 0x1F21A, 0x1F22F, 0x1F232, 0x1F233, 0x1F234, 0x1F235, 0x1F236, 0x1F238, 0x1F239, 0x1F23A}
    | {0x1F250, 0x1F251}
)
#: Hangul script: Jamo, compatibility Jamo, Jamo extended A/B, syllables, halfwidth Jamo.
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF), (0xFFA0, 0xFFDC))


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _is_default_emoji(code: int) -> bool:
    if _ENCLOSED_IDEOGRAPHIC[0] <= code <= _ENCLOSED_IDEOGRAPHIC[1]:
        return code in _ENCLOSED_IDEOGRAPHIC_EMOJI
    return _in(code, _EMOJI_BLOCKS) and code not in _NOT_EMOJI


def is_cjk(char: str) -> bool:
    """A CJK character: East Asian Width W/F/H and not an emoji, or Hangul script."""
    code = ord(char)
    if _in(code, _HANGUL):
        return True
    return unicodedata.east_asian_width(char) in ("W", "F", "H") and not _is_default_emoji(code)


def is_whitespace(char: str) -> bool:
    return isWhiteSpace(ord(char))


def is_punctuation(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def is_non_cjk_punctuation(char: str) -> bool:
    return is_punctuation(char) and not is_cjk(char)


def is_variation_selector(char: str) -> bool:
    """A non-emoji general-use variation selector (U+FE00-U+FE0E)."""
    return 0xFE00 <= ord(char) <= 0xFE0E


def is_ideographic_variation_selector(char: str) -> bool:
    return 0xE0100 <= ord(char) <= 0xE01EF


# --- flanking ---------------------------------------------------------------------


def _before(src: str, start: int) -> tuple[str, str]:
    """The two characters before *start*; the start of the text counts as a space."""
    last = src[start - 1] if start > 0 else " "
    second = src[start - 2] if start > 1 else " "
    return last, second


def _sequence_ends_with(test: Any, last: str, second: str) -> bool:
    """True when the text before the run ends with a character passing *test*, maybe plus a selector."""
    return bool(test(last) or (is_variation_selector(last) and test(second)))


def scan_delims(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """``StateInline.scanDelims`` with the CJK-friendly flanking rules."""
    src = state.src
    marker = src[start]
    pos = start
    while pos < state.posMax and src[pos] == marker:
        pos += 1
    last, second = _before(src, start)
    following = src[pos] if pos < state.posMax else " "

    after_non_cjk_punct = _sequence_ends_with(is_non_cjk_punctuation, last, second)
    after_punct = _sequence_ends_with(is_punctuation, last, second)
    after_cjk = _sequence_ends_with(is_cjk, last, second)

    left_flanking = not is_whitespace(following) and (
        not is_non_cjk_punctuation(following)
        or is_whitespace(last)
        or after_non_cjk_punct
        or after_cjk
        or is_ideographic_variation_selector(last)
    )
    right_flanking = not is_whitespace(last) and (
        not after_non_cjk_punct or is_whitespace(following) or is_non_cjk_punctuation(following) or is_cjk(following)
    )
    can_open = left_flanking and (can_split_word or not right_flanking or after_punct)
    can_close = right_flanking and (can_split_word or not left_flanking or is_punctuation(following))
    return Scanned(can_open, can_close, pos - start)


def tokenize(state: StateInline, silent: bool) -> bool:
    """markdown-it's ``emphasis`` tokenizer, with :func:`scan_delims` deciding open/close."""
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = scan_delims(state, state.pos, marker == "*")
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=scanned.length,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def cjk_friendly_emphasis(md: MarkdownIt) -> None:
    """markdown-it plugin: replace the ``emphasis`` tokenizer (its post-processing stays as is)."""
    md.inline.ruler.at("emphasis", tokenize)


# --- MyST glue --------------------------------------------------------------------


class CjkFriendlyMystParser(PluggableMystParser):
    """MyST's Sphinx parser with :func:`cjk_friendly_emphasis` added to its markdown-it parser."""

    plugins = (cjk_friendly_emphasis,)


def register_parser(app: Sphinx, config: Any) -> None:
    if config.journal_cjk_emphasis:
        use_markdown_plugin(app, cjk_friendly_emphasis)

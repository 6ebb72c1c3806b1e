"""kramdown-only Markdown -> MyST, after Liquid has run (as Jekyll runs Liquid before kramdown).

Works line by line with the block structure markdown-it finds, so code blocks
and HTML blocks are never touched. Each source line maps to zero or more output
lines, so warnings keep the line numbers of the Liquid output (= the source
file's lines, except where a Liquid loop was unrolled).

* attribute lists: ``{: .cls key="v"}`` -> MyST ``{.cls key="v"}`` (block lists move before their block);
* ``$$ ... $$`` -> ``{math}`` role inline, ``{math}`` block on its own;
* headings: a ``# H1`` repeating the title is dropped, other H1s are demoted, level jumps closed;
* links to the old site's posts -> links to the converted posts; images -> copied or linked at the old site;
* code fence languages -> ones Pygments knows; Liquid left as text (``{{``, ``{%``) escaped for MyST.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

from journal.jekyll.code import usable_language
from journal.jekyll.report import Kind
from journal.korean.emphasis import scan_delims

#: A line that is only a block attribute list (``{: ...}``), kramdown's ``{::...}`` extensions excluded.
_BLOCK_IAL = re.compile(r"^(?P<indent>[ \t>]*)\{:(?!:)(?P<attrs>[^}]*)\}\s*$")
_INLINE_IAL = re.compile(r"\{:(?!:)([^}\n]*)\}")
_ATTR = re.compile(r"""\s*(?:(?P<cls>\.[\w-]+)|(?P<id>\#[\w-]+)|(?P<key>[\w-]+)=(?P<val>"[^"]*"|'[^']*'|[^\s}]+))""")
_INLINE_MATH = re.compile(r"(?<![\\$])\$\$(?!\$)(.+?)(?<!\\)\$\$")
#: kramdown reads an image's alt text with brackets in it (``![구조도 [v2]](…)``) and a path with
#: spaces (``![](/assets/my shot.png)``, up to a quoted title), which CommonMark does not.
_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\((?P<src><[^>\n]*>|[^\s)\n]+(?:[ \t]+[^\s)\"'\n][^\s)\n]*)*)(?P<rest>(?:\s+(?:\"[^\"]*\"|'[^']*'))?\))"
)
_LINK = re.compile(
    r"(?<![!\\])\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\((?P<href><[^>\n]*>|[^\s)\n]+(?:[ \t]+[^\s)\"'\n][^\s)\n]*)*)(?P<rest>(?:\s+(?:\"[^\"]*\"|'[^']*'))?\))"
)
_REFDEF = re.compile(r"^(?P<head>[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*)(?P<href><[^>\n]*>|\S+)(?P<tail>.*)$", re.M)
_HTML_IMG = re.compile(r"(<img\b[^>]*?\bsrc=)([\"'])([^\"']+)\2", re.I)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n\s*\n).)+?(?<!`)\1(?!`)", re.S)
_STRIKE = re.compile(r"(?<![~\\])~~(?=\S)([^~\n]*?\S)~~(?!~)")
#: Emphasis as kramdown reads ``*``: an opening run not followed by a space, the first closing
#: run not after a space (``**bold (**text``, ``word**(bold)**``); runs of three left alone.
_KRAMDOWN_STRONG = re.compile(r"(?<![\\*])\*\*(?![\s*])(?P<body>[^\n]+?)(?<![\s\\*])\*\*(?!\*)")
_KRAMDOWN_EM = re.compile(r"(?<![\\*])\*(?![\s*])(?P<body>[^*\n]+?)(?<![\s\\])\*(?!\*)")
_MASK_START, _MASK_FILL = "\ue000", "\ue001"
_SHORT_KEYS = {"w": "width", "h": "height"}

_md = MarkdownIt("commonmark").enable("table")


@dataclass
class BodyContext:
    """What body conversion needs from the importer: the title, link and image rewriting, a warning sink."""

    title: str
    #: old link target -> new target (or the same one)
    link: Callable[[str, int], str]
    #: old image source, line, in raw HTML? -> new source, or None when it cannot be shown
    image: Callable[[str, int, bool], str | None]
    warn: Callable[[Kind, int, str], None]
    #: Fragments a ``#…`` link on this page may name (kramdown's ids and MyST's), and what reaches each
    anchors: dict[str, Anchor] = field(default_factory=dict)


@dataclass(frozen=True)
class Anchor:
    """Where a fragment of an old link leads on the new page."""

    #: ``myst``: a heading (a Markdown link reaches *fragment*); ``html``: an id in raw HTML (MyST
    #: does not know it, so only an HTML link reaches it)
    kind: str
    #: the fragment on the new page (MyST's slug of a heading whose kramdown id differs)
    fragment: str


class HtmlHref(str):
    """A link target MyST must not resolve (an id in raw HTML, a page that is not here): written as ``<a href>``."""


def page_anchors(text: str) -> dict[str, Anchor]:
    """The fragments a link to the page of the Markdown *text* may name, as :func:`convert` reads them."""
    return _anchors(_md.parse(text), text)


def convert(text: str, ctx: BodyContext) -> str:
    text, ctx = _end_html_blocks(text, ctx)
    lines = text.split("\n")
    out: list[list[str]] = [[line] for line in lines]
    tokens = _md.parse(text)
    protected = _protect(tokens, lines, out, ctx)
    ctx.anchors = _anchors(tokens, text)
    _headings(tokens, lines, out, protected, ctx)
    _block_math(tokens, lines, out, protected)
    _spread_math(lines, out, protected)
    _unused_footnotes(lines, out, protected, ctx)
    _edge_rules(tokens, out, protected)
    _block_ials(lines, out, protected, ctx)
    for index in range(len(lines)):
        if protected.get(index) == "html":
            out[index] = [_html_images(row, index + 1, ctx) for row in out[index]]
    for start, end in _runs(len(lines), protected):
        _inline_run(out, start, end, ctx)
    return "\n".join(row for rows in out for row in rows)


# --- where kramdown reads blocks differently ----------------------------------------

#: Elements without a closing tag.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)(?:\s[^<>]*)?(/?)>")
_HTML_ID = re.compile(r"""<[A-Za-z][^<>]*?\s(?:id|name)\s*=\s*(["'])(?P<id>[^"']+)\1""", re.I)
_FOOTNOTE_DEF = re.compile(r"^[ ]{0,3}\[\^(?P<label>[^\]\n]+)\]:")


def _end_html_blocks(text: str, ctx: BodyContext) -> tuple[str, BodyContext]:
    """A blank line after a raw-HTML line whose elements are all closed, when Markdown follows.

    kramdown ends an HTML block with its last closing tag and reads the next line as Markdown;
    CommonMark runs the block on to the next blank line, showing ``> **Summary**`` or
    ``[link](…)`` as text. Warnings keep the source's line numbers (the context is wrapped).
    """
    lines, origin = _markdown_elements(text.split("\n"))
    for _ in range(len(lines)):
        split = None
        for token in _md.parse("\n".join(lines)):
            if token.type != "html_block" or token.map is None or token.level != 0:
                continue
            start, end = token.map
            depth = 0
            for index in range(start, end - 1):
                depth = max(0, depth + _depth_change(lines[index]))
                following = lines[index + 1].lstrip()
                if depth == 0 and following and not following.startswith("<"):
                    split = index + 1
                    break
            if split is not None:
                break
        if split is None:
            break
        lines.insert(split, "")
        origin.insert(split, origin[split - 1])
    if len(origin) == len(text.split("\n")):
        return "\n".join(lines), ctx

    def at(line: int) -> int:
        return origin[min(max(line, 1), len(origin)) - 1]

    wrapped = replace(
        ctx,
        link=lambda href, line: ctx.link(href, at(line)),
        image=lambda src, line, raw: ctx.image(src, at(line), raw),
        warn=lambda kind, line, message: ctx.warn(kind, at(line), message),
    )
    return "\n".join(lines), wrapped


#: An opening tag with kramdown's ``markdown`` attribute (``<div markdown="1">``).
_MARKDOWN_ATTR = re.compile(
    r"""(?P<open><(?P<name>[A-Za-z][\w-]*)\b[^<>]*?)\s+markdown\s*=\s*(?P<q>["']?)(?P<value>[\w-]*)(?P=q)(?P<close>[^<>]*>)""",
    re.I,
)
#: The rest of a line after an opening tag when Markdown starts on the next line: nothing, or
#: HTML that ends with a tag (``<summary>요약</summary>``).
_ONLY_TAGS = re.compile(r"^\s*(?:<.*>\s*)?$")


def _markdown_elements(lines: list[str]) -> tuple[list[str], list[int]]:
    """kramdown reads Markdown inside an element with ``markdown="1"`` (``block``, ``span``).

    The attribute goes (kramdown does not show it); when the element's opening and closing tags
    stand on lines of their own (other tags aside), a blank line after the one and before the
    other ends CommonMark's HTML blocks, so the lines between are read as Markdown: a list right
    after ``<details><summary>…</summary><div markdown="1">`` is a list. Returns the lines and,
    for each, its line in *lines* (1-based).
    """
    origin = list(range(1, len(lines) + 1))
    code = {
        i
        for token in _md.parse("\n".join(lines))
        if token.type in ("fence", "code_block") and token.map
        for i in range(*token.map)
    }
    for index in reversed(range(len(lines))):  # bottom up: blank lines are only added below *index*
        while index not in code and (match := _markdown_tag(lines[index])) is not None:
            line = lines[index]
            lines[index] = line[: match.start()] + match.group("open") + match.group("close") + line[match.end() :]
            opened = match.start() + len(match.group("open") + match.group("close"))
            own_line = line.lstrip().startswith("<") and _ONLY_TAGS.match(lines[index][opened:])
            if match.group("value") != "0" and own_line:
                _blank_lines_around(lines, origin, index, opened, match.group("name"))
    return lines, origin


def _blank_lines_around(lines: list[str], origin: list[int], index: int, opened: int, name: str) -> None:
    """A blank line after line *index* and before the line closing its *name* element, if missing."""
    closing = _closing_line(lines, index, opened, name)
    if closing is None:
        return
    for at in (closing, index + 1):  # the later first: the earlier index stays right
        if lines[at - 1].strip() and lines[at].strip():
            lines.insert(at, "")
            origin.insert(at, origin[at - 1])


def _markdown_tag(line: str) -> re.Match[str] | None:
    """The first ``markdown=`` opening tag of *line* outside inline code."""
    spans = [m.span() for m in _CODE_SPAN.finditer(line)]
    for match in _MARKDOWN_ATTR.finditer(line):
        if not any(start <= match.start() < end for start, end in spans):
            return match
    return None


def _closing_line(lines: list[str], index: int, column: int, name: str) -> int | None:
    """The line after *index* that starts with the tag closing the *name* element opened before *column*."""
    tag = re.compile(rf"<(/?){re.escape(name)}\b[^<>]*>", re.I)
    depth = 1
    for at in range(index, len(lines)):
        start = column if at == index else 0
        for found in tag.finditer(lines[at], start):
            if found.group(0).endswith("/>"):
                continue
            depth += -1 if found.group(1) else 1
            if depth == 0:
                starts_line = at > index and not lines[at][: found.start()].strip()
                return at if starts_line else None
    return None


def _depth_change(line: str) -> int:
    change = 0
    for match in _TAG.finditer(line):
        closing, name, self_closing = match.groups()
        if name.lower() in _VOID or self_closing:
            continue
        change += -1 if closing else 1
    return change


def _anchors(tokens: list[Token], text: str) -> dict[str, Anchor]:
    """The fragments a link to this page can name: heading ids (kramdown's, which old links use, and
    MyST's slugs), explicit ``{: #id}`` ids and ids in raw HTML; each with the fragment that reaches it."""
    found: dict[str, Anchor] = {}
    for match in _HTML_ID.finditer(text):
        found.setdefault(match.group("id"), Anchor("html", match.group("id")))
    lines = text.split("\n")
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            content = tokens[index + 1].content
            explicit = re.search(r"\{:?\s*#([\w-]+)[^}]*\}\s*$", content)
            after = lines[token.map[1]] if token.map and token.map[1] < len(lines) else ""
            explicit = explicit or re.match(r"^\{:\s*#([\w-]+)[^}]*\}\s*$", after.strip())
            if explicit:  # kramdown's id and MyST's (the attribute list becomes a MyST one)
                found[explicit.group(1)] = Anchor("myst", explicit.group(1))
                continue
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", content)
            plain = re.sub(r"\{[:#.][^}]*\}\s*$", "", plain)
            plain = re.sub(r"[*_`]", "", plain).strip()
            ours = _github_slug(plain)
            found.setdefault(ours, Anchor("myst", ours))
            found.setdefault(_kramdown_slug(plain), Anchor("myst", ours))
    return found


def _kramdown_slug(title: str) -> str:
    """kramdown's GFM heading id (``generate_gfm_header_id``) of a heading's text: its typographic
    symbols (``--`` is an en dash) and smart quotes are removed with the other non-word characters."""
    for plain, symbol in (("---", "\u2014"), ("--", "\u2013"), ("...", "\u2026"), ("<<", "\u00ab"), (">>", "\u00bb")):
        title = title.replace(plain, symbol)
    return re.sub(r"[ \t]", "-", re.sub(r"[^\w\- \t]", "", title.lower()))


def _github_slug(title: str) -> str:
    """MyST's heading slug (``myst_parser.slugs.github_slugify``)."""
    return re.sub(r"[^\w\u4e00-\u9fff\- ]", "", title.lower().replace(" ", "-"))


def _spread_math(lines: list[str], out: list[list[str]], protected: dict[int, str]) -> None:
    """``$$`` alone on a line, up to the next ``$$``, blank lines inside: one ``{math}`` block, as kramdown reads it."""
    index = 0
    while index < len(lines):
        if index in protected or lines[index].strip() != "$$":
            index += 1
            continue
        end = index + 1
        while end < len(lines) and end not in protected and not lines[end].rstrip().endswith("$$"):
            end += 1
        if end >= len(lines) or end in protected or end == index + 1:
            index = end
            continue
        last = lines[end].rstrip()[:-2]
        body = [row for row in [*lines[index + 1 : end], last] if row.strip()]
        out[index] = ["```{math}", *body, "```"]
        for inner in range(index, end + 1):
            if inner != index:
                out[inner] = []
            protected[inner] = "code"
        index = end + 1


def _unused_footnotes(lines: list[str], out: list[list[str]], protected: dict[int, str], ctx: BodyContext) -> None:
    """kramdown leaves out a footnote no text cites; docutils warns about it: drop it (reported)."""
    # cited anywhere but at the start of its definition (when unsure, keep it): "rules [^a]:" cites [^a]
    cited = {label for line in lines for label in re.findall(r"\[\^([^\]\n]+)\]", _FOOTNOTE_DEF.sub("", line, 1))}
    index = 0
    while index < len(lines):
        match = _FOOTNOTE_DEF.match(lines[index])
        if index in protected or not match or match.group("label") in cited:
            index += 1
            continue
        ctx.warn(
            Kind.KRAMDOWN, index + 1, f"footnote [^{match.group('label')}] is cited nowhere; left out, as kramdown did"
        )
        out[index] = []
        index += 1
        while index < len(lines) and (lines[index].startswith(("    ", "\t")) or not lines[index].strip()):
            if index + 1 < len(lines) and not lines[index].strip() and not lines[index + 1].startswith(("    ", "\t")):
                break
            out[index] = []
            index += 1


# --- blocks ----------------------------------------------------------------------


def _protect(tokens: list[Token], lines: list[str], out: list[list[str]], ctx: BodyContext) -> dict[int, str]:
    """Lines inside code and HTML blocks (left alone); fence languages made safe on the way."""
    protected: dict[int, str] = {}
    for token in tokens:
        if token.map is None or token.type not in ("fence", "code_block", "html_block"):
            continue
        start, end = token.map
        kind = "html" if token.type == "html_block" else "code"
        for index in range(start, end):
            protected[index] = kind
        if token.type == "fence":
            _fence_language(token, lines, out, ctx)
    return protected


def _fence_language(token: Token, lines: list[str], out: list[list[str]], ctx: BodyContext) -> None:
    start = token.map[0] if token.map else 0
    info = token.info.strip()
    if not info or info.startswith("{"):
        return
    lang = info.split()[0]
    usable, problem = usable_language(lang, token.content)
    if problem:
        ctx.warn(Kind.CODE, start + 1, problem)
    if usable != lang:
        out[start] = [lines[start].replace(lang, usable, 1)]


def _headings(
    tokens: list[Token], lines: list[str], out: list[list[str]], protected: dict[int, str], ctx: BodyContext
) -> None:
    heads = [
        (token.map, int(token.tag[1]), tokens[i + 1].content)
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.level == 0 and token.map
    ]
    if heads and heads[0][1] == 1 and _same_title(heads[0][2], ctx.title):
        start, end = heads[0][0]
        for index in range(start, end):
            out[index] = []
        heads = heads[1:]
    shift = 1 if any(level == 1 for _, level, _ in heads) else 0
    previous = 1  # the title is the page's H1
    for (start, end), level, content in heads:
        new = min(level + shift, previous + 1, 6)
        previous = new
        if new != level or end - start > 1:  # level changed, or a setext heading
            out[start] = ["#" * new + " " + content.strip()]
            for index in range(start + 1, end):
                out[index] = []


def _same_title(heading: str, title: str) -> bool:
    def norm(text: str) -> str:
        text = re.sub(r"[*_`]", "", unicodedata.normalize("NFC", text))
        return " ".join(text.split()).casefold()

    return norm(heading) == norm(title)


def _edge_rules(tokens: list[Token], out: list[list[str]], protected: dict[int, str]) -> None:
    """A ``---`` rule first or last in a section is an error in docutils: draw it as an HTML ``<hr>``."""
    top = [token for token in tokens if token.level == 0 and token.nesting >= 0]
    for position, token in enumerate(top):
        if token.type != "hr" or not token.map:
            continue
        before = top[position - 1].type if position else None
        after = top[position + 1].type if position + 1 < len(top) else None
        if before in (None, "heading_open", "hr") or after in (None, "heading_open", "hr"):
            out[token.map[0]] = ["<hr>", ""]
            protected[token.map[0]] = "html"


def _block_math(tokens: list[Token], lines: list[str], out: list[list[str]], protected: dict[int, str]) -> None:
    """A paragraph that is only ``$$ ... $$`` becomes a ``{math}`` block."""
    for i, token in enumerate(tokens):
        if token.type != "paragraph_open" or not token.map:
            continue
        content = tokens[i + 1].content.strip()
        if not (content.startswith("$$") and content.endswith("$$") and content.count("$$") == 2):
            continue
        start, end = token.map
        found = re.match(r"^[ \t>]*", lines[start])
        prefix = found.group(0) if found else ""  # the pattern matches every line
        body = content[2:-2].strip("\n ")
        fence = ["```{math}", *body.split("\n"), "```"]
        out[start] = [prefix + row if row else prefix.rstrip() for row in fence]
        for index in range(start + 1, end):
            out[index] = []
            protected[index] = "code"
        protected[start] = "code"


def _block_ials(lines: list[str], out: list[list[str]], protected: dict[int, str], ctx: BodyContext) -> None:
    for index, line in enumerate(lines):
        match = _BLOCK_IAL.match(line)
        if index in protected or not match:
            continue
        attrs = _myst_attrs(match.group("attrs"), index + 1, ctx)
        if attrs is None:
            out[index] = []
            continue
        indent = match.group("indent")
        if index == 0 or not lines[index - 1].strip():  # kramdown: applies to the next block
            out[index] = [indent + attrs]
            continue
        start = _block_start(lines, index - 1, protected)
        if re.match(r"^\s*([-*+]|\d+[.)])\s", lines[start]) and start != index - 1:
            ctx.warn(Kind.KRAMDOWN, index + 1, f"attribute list {line.strip()} on a list item dropped")
            out[index] = []
            continue
        out[start] = [indent + attrs, *out[start]]
        out[index] = []


def _block_start(lines: list[str], last: int, protected: dict[int, str]) -> int:
    """First line of the block that ends at line *last*."""
    index = last
    if protected.get(last) == "code":
        while index > 0 and protected.get(index - 1) == "code":
            index -= 1
        return index
    quote = lines[last].lstrip().startswith(">")
    while index > 0:
        above = lines[index - 1]
        if not above.strip() or index - 1 in protected:
            break
        if quote and not above.lstrip().startswith(">"):
            break
        index -= 1
    return index


def _myst_attrs(text: str, line: int, ctx: BodyContext) -> str | None:
    """kramdown attributes as a MyST attribute list, or None (reported) when they cannot be read."""
    parts: list[str] = []
    rest = text
    while rest.strip():
        match = _ATTR.match(rest)
        if not match:
            ctx.warn(Kind.KRAMDOWN, line, f"attribute list {{:{text}}} not understood; dropped")
            return None
        rest = rest[match.end() :]
        if match.group("cls") or match.group("id"):
            parts.append(match.group("cls") or match.group("id"))
            continue
        key, value = _SHORT_KEYS.get(match.group("key"), match.group("key")), match.group("val")
        if value[:1] in "'\"":
            value = value[1:-1]
        if key == "height" and value.endswith("%"):  # docutils takes a percentage for width only
            ctx.warn(Kind.KRAMDOWN, line, f'height="{value}" dropped: a height cannot be a percentage here')
            continue
        parts.append(f'{key}="{value}"' if value else f'{key}=""')
    return "{" + " ".join(parts) + "}" if parts else None


# --- inline -------------------------------------------------------------------------


def _runs(count: int, protected: dict[int, str]) -> list[tuple[int, int]]:
    """Maximal runs [start, end) of lines outside code and HTML blocks."""
    runs, start = [], None
    for index in range(count + 1):
        inside = index < count and index not in protected
        if inside and start is None:
            start = index
        elif not inside and start is not None:
            runs.append((start, index))
            start = None
    return runs


def _inline_run(out: list[list[str]], start: int, end: int, ctx: BodyContext) -> None:
    """Inline conversions over a run of lines at once (links and code spans may cross line ends)."""
    rows = [(index, row) for index in range(start, end) for row in out[index]]
    if not rows:
        return
    text = "\n".join(row for _, row in rows)

    def line_at(match: re.Match[str]) -> int:
        """The line of *match* in the text as it is now: each conversion keeps every line break,
        so the breaks before it count the rows (offsets move when an earlier match is rewritten)."""
        return rows[match.string.count("\n", 0, match.start())][0] + 1

    text = _emphasis(_escaped_openers(text))
    text = _REFDEF.sub(lambda m: _refdef(m, line_at(m), ctx), text)
    text = _outside_code(text, lambda part: _inline_text(part, line_at, rows[0][0] + 1, ctx))
    converted = text.split("\n")
    if len(converted) != len(rows):  # conversions never add or remove line breaks
        raise AssertionError("inline conversion changed the number of lines")
    for index in range(start, end):
        out[index] = []
    for (index, _), row in zip(rows, converted, strict=True):
        out[index].append(row)


def _emphasis(text: str) -> str:
    """Emphasis kramdown shows and MyST would not, as HTML: ``**bold (**text`` -> ``<strong>bold (</strong>text``.

    kramdown closes ``**`` after any character but a space; CommonMark's flanking rules (as
    amended for CJK text by :mod:`journal.korean.emphasis`, which the build uses and which
    already reads ``**'리뷰'**를``) do not close one after ``(`` before a letter. Each pair kramdown
    reads is checked against that same rule, in place; the pairs it refuses become HTML tags.
    """
    hidden = _CODE_SPAN.sub(_mask, text)
    hidden = _INLINE_MATH.sub(_mask, hidden)
    state = StateInline(text, _md, {}, [])
    edits: list[tuple[int, int, str]] = []
    for pattern, tag in ((_KRAMDOWN_STRONG, "strong"), (_KRAMDOWN_EM, "em")):
        for match in pattern.finditer(hidden):
            start, end = match.span("body")
            if not (scan_delims(state, match.start(), True).can_open and scan_delims(state, end, True).can_close):
                edits += [(match.start(), start, f"<{tag}>"), (end, match.end(), f"</{tag}>")]
    for start, end, tag in sorted(edits, reverse=True):
        text = text[:start] + tag + text[end:]
    return text


#: An escaped ``*`` or ``_`` right before one more of it that can open (``\**x**``: not before a space).
_ESCAPED_OPENER = re.compile(r"(?<!\\)(?:\\\\)*\\(?P<char>[*_])(?P<open>(?P=char))(?!(?P=char)|\s)")


def _escaped_openers(text: str) -> str:
    r"""Emphasis opened right after an escaped ``*``/``_`` (``\**kwargs``), as kramdown reads it.

    kramdown opens emphasis with that second ``*`` and closes it at the next ``*`` not after a
    space and not a run of exactly two (``**``); CommonMark closes it with one ``*`` of such a
    run (``\**not bold**`` is ``*<em>not bold</em>*`` there, text in kramdown). So the opener is
    escaped when kramdown finds no closer, and the pair becomes ``<em>`` when it finds one (the
    ``*`` between shown as text). Code spans and math are left alone.
    """
    hidden = _INLINE_MATH.sub(_mask, _CODE_SPAN.sub(_mask, text))
    edits: list[tuple[int, int, str]] = []
    done = 0
    for match in _ESCAPED_OPENER.finditer(hidden):
        opener = match.start("open")
        if opener < done:
            continue
        closer = _kramdown_closer(hidden, opener)
        if closer is None:
            edits.append((opener, opener, "\\"))
            continue
        edits.append((opener, opener + 1, "<em>"))
        edits += [(at, at, "\\") for at in range(opener + 1, closer) if _unescaped(hidden, at, "*_")]
        edits.append((closer, closer + 1, "</em>"))
        done = closer + 1
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _kramdown_closer(text: str, opener: int) -> int | None:
    """Where kramdown closes the single-character emphasis opened at *opener*, in its paragraph."""
    char = text[opener]
    stop = re.search(r"\n[ \t]*\n", text[opener:])
    end = opener + stop.start() if stop else len(text)
    at = opener + 2
    while at < end:
        if text[at] != char or not _unescaped(text, at, char):
            at += 1
        elif text[at - 1].isspace():  # an opener (of up to two) inside: never the closer
            at += 2 if text[at : at + 2] == char * 2 else 1
        elif text[at : at + 2] == char * 2 and text[at + 2 : at + 3] != char:
            at += 2  # kramdown's em never closes at a run of exactly two, and reads it as one
        elif char == "_" and re.match(r"[^\W_]", text[at + 1 : at + 2]):
            at += 1  # nor ``_`` before a letter or digit
        else:
            return at
    return None


def _unescaped(text: str, at: int, chars: str) -> bool:
    """Whether *text[at]* is one of *chars* and not escaped by a backslash (an odd run of them)."""
    before = len(text[:at]) - len(text[:at].rstrip("\\"))
    return text[at] in chars and before % 2 == 0


def _mask(match: re.Match[str]) -> str:
    return _MASK_START + _MASK_FILL * (len(match.group(0)) - 1)


def _refdef(match: re.Match[str], line: int, ctx: BodyContext) -> str:
    href = ctx.link(match.group("href").strip("<>"), line)
    return match.group("head") + href + match.group("tail")


def _outside_code(text: str, convert: Callable[[str], str]) -> str:
    """Apply *convert* to *text* with inline code spans masked, so they are never rewritten.

    A span becomes a same-length placeholder of private-use characters, so offsets
    (and line numbers) stay right and link text may still contain code.
    """
    spans: list[str] = []

    def mask(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return _MASK_START + _MASK_FILL * (len(match.group(0)) - 1)

    masked = _CODE_SPAN.sub(mask, text)
    converted = convert(masked)
    spans.reverse()
    return re.sub(f"{_MASK_START}{_MASK_FILL}*", lambda _: spans.pop(), converted)


#: A backslash and what follows it, or ``$$…$$`` math (where a backslash is TeX's).
_ESCAPE_OR_MATH = re.compile(rf"{_INLINE_MATH.pattern}|\\(?P<char>.)", re.S)
#: ASCII punctuation CommonMark unescapes and kramdown's GFM parser does not (``ESCAPED_CHARS_GFM``):
#: kramdown shows ``\%`` as ``\%``.
_NOT_KRAMDOWN_ESCAPES = frozenset("%&,/;?@^")


def _kramdown_escapes(text: str) -> str:
    r"""Backslashes kramdown shows, kept visible: ``\@`` -> ``\\@`` (MyST would drop it); math left alone."""

    def keep(match: re.Match[str]) -> str:
        char = match.group("char")
        return "\\" + match.group(0) if char in _NOT_KRAMDOWN_ESCAPES else match.group(0)

    return _ESCAPE_OR_MATH.sub(keep, text)


def _inline_text(text: str, at: Callable[[re.Match[str]], int], first_line: int, ctx: BodyContext) -> str:
    text = _kramdown_escapes(text)
    text = _INLINE_IAL.sub(lambda m: _myst_attrs(m.group(1), at(m), ctx) or "", text)
    text = _INLINE_MATH.sub(lambda m: _math_role(m.group(1).strip()), text)
    text = _IMAGE.sub(lambda m: _image(m, at(m), ctx), text)
    text = _LINK.sub(lambda m: _link(m, at(m), ctx), text)
    text = _STRIKE.sub(r"<del>\1</del>", text)
    text = _html_images(text, first_line, ctx)
    text = _WIKILINK.sub(r"\1\\[\2", text)  # `[[x]]` in a Jekyll post is text, never a wikilink
    # Liquid left as text: `{{` would be a MyST substitution, a line starting `{%` an attribute comment
    return text.replace("{{", r"\{\{").replace("{%", r"\{%")


#: What the build would read as a wikilink (``[[x]]``, ``![[x]]``; not ``[[x]](url)``, a link whose text is ``[x]``).
_WIKILINK = re.compile(r"(?<!\\)(!?)\[(\[[^\[\]\n]+\]\])(?!\()")


def _link(match: re.Match[str], line: int, ctx: BodyContext) -> str:
    href = match.group("href").strip("<>")
    if not href.startswith("#") or len(href) == 1:
        new = ctx.link(href, line)
        if isinstance(new, HtmlHref):
            return f'<a href="{html.escape(new)}">{match.group("text")}</a>'
        return f"[{match.group('text')}]({_angle(new)}{match.group('rest')}"
    fragment = unquote(href[1:])
    found = ctx.anchors.get(fragment)
    if found and found.kind == "myst":
        return f"[{match.group('text')}](#{found.fragment}{match.group('rest')}"
    if found:  # an anchor MyST does not know: a raw-HTML link reaches it
        return f'<a href="#{html.escape(found.fragment)}">{match.group("text")}</a>'
    ctx.warn(
        Kind.LINK, line, f"link to #{fragment}: no such anchor on the page (broken on the old site too); kept as text"
    )
    return match.group("text")


def _math_role(tex: str) -> str:
    ticks = "`" * (max((len(r) for r in re.findall(r"`+", tex)), default=0) + 1)
    return f"{{math}}{ticks}{tex}{ticks}"


def _image(match: re.Match[str], line: int, ctx: BodyContext) -> str:
    src = ctx.image(match.group("src").strip("<>"), line, False)
    if src is None:  # nothing to show: keep the Markdown visible as text
        return "\\" + match.group(0).replace("[", "\\[").replace("]", "\\]")
    return f"![{match.group('alt')}]({_angle(src)}{match.group('rest')}"


def _angle(target: str) -> str:
    return f"<{target}>" if re.search(r"\s", target) else target


def _html_images(text: str, line: int, ctx: BodyContext) -> str:
    def replace(match: re.Match[str]) -> str:
        src = ctx.image(match.group(3), line, True) or match.group(3)
        return f"{match.group(1)}{match.group(2)}{src}{match.group(2)}"

    return _HTML_IMG.sub(replace, text)

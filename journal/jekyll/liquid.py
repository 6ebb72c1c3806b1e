"""Liquid -> MyST: the tags and output a blog post uses, evaluated as Jekyll would, the rest kept visible.

Converted: ``{% raw %}`` (also inline and unspaced), ``{% comment %}`` (an HTML
comment: hidden, not lost), ``{% highlight %}`` (a fence, ``linenos`` and
``mark_lines`` as MyST options), ``{% post_url %}`` / ``{% link %}``, known
``{% include %}``s (video embeds, image helpers), ``{% assign %}`` and ``{% for %}``
over values we know, and ``{{ ... }}`` output of ``site.*`` / ``page.*`` values with
common filters (``relative_url``, ``absolute_url``, ``prepend``, ``append``, ...).

Anything else stays in the text as it was (so the reader sees it) and is reported.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from journal.jekyll.code import code_block, usable_language
from journal.jekyll.permalinks import jekyll_slugify
from journal.jekyll.report import Kind

_TOKEN = re.compile(r"\{%(-?)\s*(.*?)\s*(-?)%\}|\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)
_RAW_END = re.compile(r"^(.*)\{%-?\s*endraw\s*-?%\}$", re.S)
_ARG = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s]+)""")
_BLOCKS = {"raw": "endraw", "comment": "endcomment", "highlight": "endhighlight", "for": "endfor"}
_UNSUPPORTED_BLOCKS = {
    "if": "endif",
    "unless": "endunless",
    "case": "endcase",
    "capture": "endcapture",
    "tablerow": "endtablerow",
}


class Unknown(Exception):
    """A value or filter we cannot evaluate; the Liquid stays as it was."""


class Undefined(Unknown):
    """A variable no post can have: Jekyll renders it as nothing (Liquid's nil)."""


#: Names Jekyll gives a page's Liquid besides ``site`` and ``page``, whose values we cannot know.
JEKYLL_GLOBALS = frozenset({"jekyll", "paginator", "layout", "content", "include", "forloop", "theme"})


@dataclass
class Token:
    kind: str  # "text", "tag" or "output"
    source: str
    body: str = ""
    line: int = 1
    strip_left: bool = False
    strip_right: bool = False

    @property
    def name(self) -> str:
        return self.body.split(maxsplit=1)[0] if self.body else ""

    @property
    def args(self) -> str:
        parts = self.body.split(maxsplit=1)
        return parts[1] if len(parts) > 1 else ""


@dataclass
class LiquidContext:
    site: dict[str, Any]
    page: dict[str, Any]
    baseurl: str
    url: str
    #: ``post_url`` name / ``link`` path -> new link target, or None when unknown
    post_link: Callable[[str], str | None]
    page_link: Callable[[str], str | None]
    warn: Callable[[Kind, int, str], None]
    variables: dict[str, Any] = field(default_factory=dict)
    #: ``{% for %}`` iterations so far in this post (nested loops count each inner pass)
    iterations: int = 0


#: ``{% for %}`` iterations one post may take in all: nested loops over long lists stop here.
MAX_ITERATIONS = 10_000


def tokenize(text: str, first_line: int = 1) -> list[Token]:
    tokens: list[Token] = []
    position, line = 0, first_line
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            tokens.append(Token("text", text[position : match.start()], line=line))
        line += text.count("\n", position, match.start())
        if match.group(2) is not None:
            tokens.append(
                Token("tag", match.group(0), match.group(2), line, bool(match.group(1)), bool(match.group(3)))
            )
        else:
            tokens.append(
                Token("output", match.group(0), match.group(5), line, bool(match.group(4)), bool(match.group(6)))
            )
        line += match.group(0).count("\n")
        position = match.end()
    if position < len(text):
        tokens.append(Token("text", text[position:], line=line))
    return tokens


def render(text: str, ctx: LiquidContext, first_line: int = 1) -> str:
    """*text* with its Liquid converted; line numbers in warnings count from *first_line*."""
    return render_mapped(text, ctx, first_line)[0]


def render_mapped(text: str, ctx: LiquidContext, first_line: int = 1) -> tuple[str, Callable[[int], int]]:
    """*text* with its Liquid converted, and the line (counted from *first_line*) each output line came from.

    A converted tag may be longer than its source (``{% highlight %}`` gains option lines): the
    lines after it are still mapped to where they are in the source.
    """
    tokens = tokenize(text, first_line)
    marks: list[_Mark] = []
    pieces = _render(tokens, 0, len(tokens), ctx, marks)
    starts, line = [], 1
    for piece in pieces:
        starts.append(line)
        line += piece.count("\n")

    def source_line(output_line: int) -> int:
        at = bisect.bisect_right(starts, output_line) - 1
        if at < 0:
            return first_line + output_line - 1
        mark = marks[at]
        below = output_line - starts[at]
        return mark.line + (below if mark.verbatim else min(below, mark.span))

    return "".join(pieces), source_line


@dataclass
class _Mark:
    """Where an output piece came from: its first source line, how many lines the source spans, and
    whether the piece is the source itself (line for line)."""

    line: int
    span: int
    verbatim: bool


def _render(
    tokens: list[Token], start: int, end: int, ctx: LiquidContext, marks: list[_Mark] | None = None
) -> list[str]:
    out: list[str] = []
    index = start
    while index < end:
        token = tokens[index]
        if token.strip_left and out:
            out[-1] = out[-1].rstrip()
        if token.kind == "text":
            text = token.source
            if index > start and tokens[index - 1].strip_right:
                text = text.lstrip()
            out.append(text)
            if marks is not None:
                skipped = token.source[: len(token.source) - len(text)].count("\n")
                marks.append(_Mark(token.line + skipped, 0, True))
            index += 1
        elif token.kind == "output":
            out.append(_output(token, ctx))
            if marks is not None:
                marks.append(_Mark(token.line, token.source.count("\n"), False))
            index += 1
        else:
            after = _tag(tokens, index, end, ctx, out)
            if marks is not None:
                marks.append(_Mark(token.line, sum(t.source.count("\n") for t in tokens[index:after]), False))
            index = after
    return out


def _find_end(tokens: list[Token], index: int, end: int, name: str, closer: str) -> int | None:
    """Index of the tag closing the block opened at *index* (nesting counted), or None."""
    depth = 0
    for position in range(index + 1, end):
        token = tokens[position]
        if token.kind != "tag":
            continue
        if name == "raw" and _RAW_END.match(token.source):
            return position
        if name != "raw" and token.name == name:
            depth += 1
        elif token.name == closer:
            if depth == 0:
                return position
            depth -= 1
    return None


def _tag(tokens: list[Token], index: int, end: int, ctx: LiquidContext, out: list[str]) -> int:
    token = tokens[index]
    name = token.name
    closer = _BLOCKS.get(name) or _UNSUPPORTED_BLOCKS.get(name)
    if closer:
        close = _find_end(tokens, index, end, name, closer)
        if close is None:
            ctx.warn(Kind.LIQUID, token.line, f"{{% {name} %}} is never closed with {{% {closer} %}}; kept as text")
            out.append(token.source)
            return index + 1
        inner = tokens[index + 1 : close]
        out.append(_block(token, inner, tokens, index, close, ctx))
        return close + 1
    out.append(_simple_tag(token, ctx))
    return index + 1


def _block(token: Token, inner: list[Token], tokens: list[Token], index: int, close: int, ctx: LiquidContext) -> str:
    source = "".join(t.source for t in inner)
    name = token.name
    if name == "raw":  # Liquid ends raw at the first tag holding `{% endraw %}`, even `{%{% endraw %}`
        prefix = _RAW_END.match(tokens[close].source)
        return source + (prefix.group(1) if prefix else "")
    if name == "comment":
        return "<!--" + source.replace("--", "- -") + "-->"
    if name == "highlight":
        return _highlight(token, "".join(_render(tokens, index + 1, close, ctx)), ctx)
    if name == "for":
        return _for(token, tokens, index, close, ctx)
    ctx.warn(Kind.LIQUID, token.line, f"{{% {name} %}} block cannot be evaluated; kept as text")
    return token.source + source + tokens[close].source


def _simple_tag(token: Token, ctx: LiquidContext) -> str:
    name, args = token.name, token.args
    if name == "post_url":
        target = ctx.post_link(args.strip())
        if target is None:
            ctx.warn(
                Kind.LINK, token.line, f"{{% post_url {args.strip()} %}}: no such post in the import; kept as text"
            )
        return target or token.source
    if name == "link":
        target = ctx.page_link(_expand(args.strip(), ctx))
        if target is None:
            ctx.warn(Kind.LINK, token.line, f"{{% link {args.strip()} %}}: cannot resolve; kept as text")
        return target or token.source
    if name == "include":
        return _include(token, ctx)
    if name == "assign":
        return _assign(token, ctx)
    ctx.warn(Kind.LIQUID, token.line, f"{{% {name} %}} cannot be converted; kept as text")
    return token.source


def _expand(text: str, ctx: LiquidContext) -> str:
    """``{{ var }}`` inside a tag's arguments (``{% link {{ page.x }} %}``)."""
    return re.sub(r"\{\{\s*(.*?)\s*\}\}", lambda m: str(evaluate(m.group(1), ctx)), text)


# --- highlight ---------------------------------------------------------------------


def _highlight(token: Token, code: str, ctx: LiquidContext) -> str:
    words = token.args.split()
    lang = words[0] if words else "text"
    options = " ".join(words[1:])
    linenos = bool(re.search(r"(^|\s)linenos\b", options))
    marked = re.search(r"""(?:mark_lines|hl_lines)=["']([\d\s]+)["']""", options)
    emphasize = [int(n) for n in marked.group(1).split()] if marked else None
    usable, problem = usable_language(lang, code)
    if problem:
        ctx.warn(Kind.CODE, token.line, problem)
    return "\n" + code_block(usable, code, linenos=linenos, emphasize=emphasize)


# --- include -------------------------------------------------------------------------

_VIDEO_EMBEDS = {
    "youtube": "https://www.youtube-nocookie.com/embed/{id}",
    "twitch": "https://player.twitch.tv/?video={id}&parent=localhost",
    "bilibili": "https://player.bilibili.com/player.html?bvid={id}",
    "vimeo": "https://player.vimeo.com/video/{id}",
}


#: Includes that show an image: a word in the file name, and the parameters naming the picture.
_IMAGE_INCLUDE_WORDS = ("image", "img", "figure", "picture", "photo", "lightbox", "screenshot")
_IMAGE_SOURCES = ("src", "url", "image_path", "path", "file", "image", "img", "href")
#: Parameters of an include that a reader sees as text (a caption, a title, an alert's text).
_VISIBLE_PARAMS = ("caption", "description", "title", "text", "alt", "content", "label", "message")
#: The class marking what stands for an include's output: Jekyll's own include is not
#: known to the fidelity oracle (it renders stub includes), so it leaves this out.
INCLUDE_CLASS = "jekyll-include"


def include_arguments(args: str) -> tuple[str, dict[str, str]]:
    parts = args.split(maxsplit=1)
    name = parts[0] if parts else ""
    params = {key: value.strip("'\"") for key, value in _ARG.findall(parts[1] if len(parts) > 1 else "")}
    return name, params


def _include_params(args: str, ctx: LiquidContext) -> dict[str, str]:
    """The include's parameters; an unquoted one is a variable (``src=page.cover``), evaluated when known."""
    parts = args.split(maxsplit=1)
    params: dict[str, str] = {}
    for key, value in _ARG.findall(parts[1] if len(parts) > 1 else ""):
        if value[:1] in "'\"":
            params[key] = value[1:-1]
            continue
        try:
            found = evaluate(value, ctx)
        except Unknown:
            found = value
        params[key] = "" if found is None else str(found)
    return params


def _include(token: Token, ctx: LiquidContext) -> str:
    name, _ = include_arguments(token.args)
    params = _include_params(token.args, ctx)
    stem = name.rsplit("/", 1)[-1].removesuffix(".html").lower()
    video_id = params.get("id") or params.get("video_id") or params.get("youtube_id")
    for platform, url in _VIDEO_EMBEDS.items():
        if platform in stem and video_id:
            src = html.escape(url.format(id=quote(video_id)))
            return (
                f'<iframe class="video-embed" src="{src}" title="{platform} video" loading="lazy" '
                "allowfullscreen></iframe>"
            )
    if stem in ("video", "audio") and params.get("src"):
        tag = stem
        return f'<{tag} class="{tag}-embed" controls src="{html.escape(params["src"])}"></{tag}>'
    source = next((params[k] for k in _IMAGE_SOURCES if params.get(k)), None)
    if source and any(word in stem for word in _IMAGE_INCLUDE_WORDS):
        return _image_include(source, params)
    return _unknown_include(token, name, params, ctx)


def _image_include(source: str, params: dict[str, str]) -> str:
    """``![alt](src)`` and the caption under it, as one paragraph marked :data:`INCLUDE_CLASS`."""
    caption = _one_line(params.get("caption") or params.get("description") or "")
    alt = _one_line(params.get("alt") or params.get("title") or caption)
    alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    target = f"<{source}>" if re.search(r"[\s()]", source) else source
    lines = [f"![{alt}]({target})"] + ([caption] if caption else [])
    return "\n" + "\\\n".join(lines) + f"\n{{: .{INCLUDE_CLASS}}}\n"


def _unknown_include(token: Token, name: str, params: dict[str, str], ctx: LiquidContext) -> str:
    """An include we cannot know the output of: its text-like parameters, and the tag kept hidden.

    Nothing raw and nothing that could break the build: the tag stays in an HTML comment
    (not lost), and what a reader would have read of it (``caption``, ``title``, ``text``...)
    is shown as one marked line.
    """
    shown = [_one_line(params[k]) for k in _VISIBLE_PARAMS if params.get(k)]
    shown = [text for text in dict.fromkeys(shown) if text]
    hidden = "<!-- " + token.source.replace("--", "- -") + " -->"
    if shown:
        ctx.warn(
            Kind.INCLUDE,
            token.line,
            f"{{% include {name} %}} is not known to the importer; shown as its text ({' / '.join(shown)})",
        )
        text = html.escape(" / ".join(shown), quote=False)
        return f'{hidden}<span class="{INCLUDE_CLASS}">{text}</span>'
    ctx.warn(Kind.INCLUDE, token.line, f"{{% include {name} %}} is not known to the importer; left out (hidden)")
    return hidden


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- variables, assign, for ----------------------------------------------------------


def _assign(token: Token, ctx: LiquidContext) -> str:
    match = re.match(r"([\w-]+)\s*=\s*(.+)$", token.args, re.S)
    if not match:
        ctx.warn(Kind.LIQUID, token.line, f"{token.source}: not understood; kept as text")
        return token.source
    try:
        ctx.variables[match.group(1)] = evaluate(match.group(2), ctx)
    except Unknown as error:
        ctx.warn(Kind.LIQUID, token.line, f"{token.source}: {error}; kept as text")
        return token.source
    return ""


def _for(token: Token, tokens: list[Token], index: int, close: int, ctx: LiquidContext) -> str:
    match = re.match(r"([\w-]+)\s+in\s+(.+)$", token.args, re.S)
    try:
        if not match:
            raise Unknown("not understood")
        items = evaluate(match.group(2), ctx)
        if not isinstance(items, list):
            raise Unknown(f"{match.group(2)!r} is not a list")
    except Unknown as error:
        ctx.warn(Kind.LIQUID, token.line, f"{{% for {token.args} %}}: {error}; kept as text")
        return "".join(t.source for t in tokens[index : close + 1])
    pieces = []
    saved = ctx.variables.get(match.group(1))
    for item in items:
        ctx.iterations += 1
        if ctx.iterations > MAX_ITERATIONS:
            ctx.variables[match.group(1)] = saved
            if ctx.iterations == MAX_ITERATIONS + 1:
                ctx.warn(
                    Kind.LIQUID,
                    token.line,
                    f"{{% for {token.args} %}}: more than {MAX_ITERATIONS:,} loop passes in this post; kept as text",
                )
            return "".join(t.source for t in tokens[index : close + 1])
        ctx.variables[match.group(1)] = item
        pieces.extend(_render(tokens, index + 1, close, ctx))
    ctx.variables[match.group(1)] = saved
    return "".join(pieces)


def _output(token: Token, ctx: LiquidContext) -> str:
    try:
        value = evaluate(token.body, ctx)
    except Undefined as error:
        ctx.warn(Kind.LIQUID, token.line, f"{token.source}: {error}; Jekyll showed nothing, so neither do we")
        return ""
    except Unknown as error:
        ctx.warn(Kind.LIQUID, token.line, f"{token.source}: {error}; kept as text")
        return token.source
    if isinstance(value, list):
        return "".join(str(item) for item in value)
    return "" if value is None else str(value)


def evaluate(expression: str, ctx: LiquidContext) -> Any:
    """A Liquid expression with filters; raises :class:`Unknown` for what we cannot know."""
    parts = _split_filters(expression)
    try:
        value = _value(parts[0].strip(), ctx)
    except Undefined as error:
        if len(parts) > 1:  # filters on nil (`| default: …`) we do not evaluate
            raise Unknown(str(error)) from error
        raise
    for part in parts[1:]:
        name, _, raw_args = part.partition(":")
        args = [_value(arg.strip(), ctx) for arg in _split_args(raw_args)] if raw_args.strip() else []
        value = _filter(name.strip(), value, args, ctx)
    return value


def _split_filters(expression: str) -> list[str]:
    return [p for p in re.split(r"""\|(?=(?:[^"']|"[^"]*"|'[^']*')*$)""", expression)]


def _split_args(text: str) -> list[str]:
    return re.split(r""",(?=(?:[^"']|"[^"]*"|'[^']*')*$)""", text)


def _value(text: str, ctx: LiquidContext) -> Any:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text in ("true", "false", "nil"):
        return {"true": True, "false": False, "nil": None}[text]
    path = re.findall(r"[\w-]+", text)
    if not path or not re.fullmatch(r"[\w-]+(?:\.[\w-]+|\[\d+\])*", text):
        raise Unknown(f"{text!r} cannot be evaluated")
    head, rest = path[0], path[1:]
    if head in ctx.variables:
        value: Any = ctx.variables[head]
    elif head == "site":
        value = {**ctx.site, "baseurl": ctx.baseurl, "url": ctx.url}
    elif head == "page":
        value = ctx.page
    elif head in JEKYLL_GLOBALS:
        raise Unknown(f"{head!r} is not known")
    else:
        raise Undefined(f"{head!r} is not defined in a post")
    for key in rest:
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            raise Unknown(f"{text!r} is not known")
    return value


def _filter(name: str, value: Any, args: list[Any], ctx: LiquidContext) -> Any:
    text = "" if value is None else str(value)
    if name in ("relative_url", "absolute_url"):
        return _site_url(text, ctx, absolute=name == "absolute_url")
    simple: dict[str, Callable[[], Any]] = {
        "prepend": lambda: str(args[0]) + text,
        "append": lambda: text + str(args[0]),
        "split": lambda: text.split(str(args[0])),
        "join": lambda: str(args[0] if args else " ").join(str(v) for v in value),
        "slugify": lambda: jekyll_slugify(text, str(args[0]) if args else "default"),
        "uri_escape": lambda: quote(text, safe="!#$&'()*+,/:;=?@[]~"),
        "url_encode": lambda: quote(text, safe=""),
        "downcase": text.lower,
        "upcase": text.upper,
        "capitalize": lambda: text[:1].upper() + text[1:].lower(),
        "strip": text.strip,
        "escape": lambda: html.escape(text),
        "xml_escape": lambda: html.escape(text),
        "size": lambda: len(value) if isinstance(value, (list, dict, str)) else 0,
        "normalize_whitespace": lambda: " ".join(text.split()),
        "default": lambda: value if value not in (None, "", False, []) else args[0],
    }
    if name not in simple:
        raise Unknown(f"filter {name!r} is not known")
    try:
        return simple[name]()
    except (IndexError, TypeError):
        raise Unknown(f"filter {name!r} needs an argument") from None


def _site_url(text: str, ctx: LiquidContext, *, absolute: bool) -> str:
    """Jekyll 4.3's ``relative_url`` / ``absolute_url``: a full address stays as it is; else the
    (normalised) ``baseurl`` and *text*, each given a leading slash, and for ``absolute_url`` the
    site's ``url`` in front (``""`` is the bare ``baseurl``, ``"/"`` ends in a slash)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I):
        return text
    path = ctx.baseurl + (text if not text or text.startswith("/") else "/" + text)
    return ctx.url + (path or "/") if absolute and ctx.url else path


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)

"""What of a post's HTML may go into a feed: the sanitiser of every entry's HTML.

A post page shows the author's own HTML (raw HTML in MyST is allowed there: the page is
the author's). A feed is read elsewhere, by feed readers and web apps that show entries
inside their own pages, some without a sanitiser of their own; so every piece of entry
HTML (the content and the summary, RSS ``<description>`` and ``content:encoded``) goes
through nh3 (ammonia, an allow-list HTML5 sanitiser) with the policy below: what a reader
needs to read a post (text, headings, lists, code, tables, images, links, figures, math
as its TeX source), and nothing that runs, loads a document, submits, restyles the reader or hides
where a link goes.

Relative URLs are resolved against the post's URL by the sanitiser itself (WHATWG rules,
as browsers resolve them), so one HTML5 parser decides both what an element is and where
its URL points. Any change to the policy changes :data:`POLICY`, which is part of the key
of every feed item kept between builds and of every feed's fingerprint.
"""

from __future__ import annotations

import html
import re
from typing import Literal

import nh3

#: Elements kept (their attributes are in ATTRIBUTES). Every other element is removed and
#: its text kept, except CLEAN_CONTENT_TAGS, removed with everything inside.
TAGS: frozenset[str] = frozenset(
    {
        # text and structure
        *("p", "br", "hr", "div", "span", "section", "blockquote", "details", "summary"),
        *("h1", "h2", "h3", "h4", "h5", "h6"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        # inline
        *("a", "abbr", "b", "bdi", "cite", "dfn", "em", "i", "mark", "q", "s", "small", "strong"),
        *("sub", "sup", "time", "u", "wbr", "del", "ins", "ruby", "rp", "rt"),
        # code
        *("pre", "code", "kbd", "samp", "var"),
        # tables
        *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
        # images and figures
        *("img", "figure", "figcaption"),
    }
)

#: Elements removed together with their content: scripts, styles, embedded documents and
#: plug-ins, inline SVG (a second scripting and linking language; its text alone reads as noise).
CLEAN_CONTENT_TAGS: frozenset[str] = frozenset(
    {
        *("script", "style", "noscript", "template"),
        *("iframe", "frame", "frameset", "noframes", "object", "embed", "applet", "noembed"),
        *("svg", "textarea", "select", "xmp"),
    }
)

#: Attributes kept, per element ("*": on every kept element). No ``style`` (CSS can load URLs,
#: overlay the reader's own interface, hide text), no ``id`` (clobbers the reader page's ids),
#: no ``on*``, no ``srcset`` or ``cite`` (URLs the sanitiser does not check), no ``target``.
#: ``class`` only where it carries the code highlighting and math of Sphinx's HTML.
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"title", "lang"}),
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    **{tag: frozenset({"class"}) for tag in ("div", "span", "pre", "code")},
}

#: Schemes an ``href`` or ``src`` may have; relative URLs are made absolute first.
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

#: Added to every link: a reader opening it in a new tab keeps its own tab (noopener), and the
#: linked site is not told the reader's URL, which for web readers names the subscriber
#: (noreferrer). The author's own ``rel`` values are not kept.
LINK_REL = "noopener noreferrer"

#: Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; surrogates;
#: U+FFFE and U+FFFF). The sanitiser turns ``&#1;`` into the character itself, so they are
#: dropped after it.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: Version of this module's handling beyond the settings above (bump when clean() changes).
_VERSION = 2

#: A formula as :mod:`journal.pages.mathml` writes it: MathML with its TeX as ``alttext``.
MATHML = re.compile(r'<math alttext="([^"]*)"[^>]*>.*?</math>', re.S)

#: The whole policy, as kept items and feed fingerprints record it (nh3's version included:
#: another ammonia may serialise differently, and a feed must not mix the two).
POLICY: str = repr(
    (
        _VERSION,
        nh3.__version__ if hasattr(nh3, "__version__") else None,
        sorted(TAGS),
        sorted(CLEAN_CONTENT_TAGS),
        sorted((tag, sorted(names)) for tag, names in ATTRIBUTES.items()),
        sorted(URL_SCHEMES),
        LINK_REL,
    )
)


def xml_text(text: str) -> str:
    """*text* without the characters XML 1.0 cannot hold."""
    return NOT_XML.sub("", text)


def clean(fragment: str, base: str | None = None) -> str:
    """*fragment* (HTML) as a feed may carry it; relative URLs resolved against *base*.

    A relative URL that cannot be resolved (``http://[x``) is dropped, as is every
    URL whose scheme is not in :data:`URL_SCHEMES` (after the HTML5 parser has decoded
    entities and the URL parser has removed tabs, newlines and leading spaces).
    """
    if not fragment.strip():
        return ""
    relative: tuple[Literal["rewrite_with_base"], str] | Literal["deny"] = (
        ("rewrite_with_base", base) if base else "deny"
    )
    cleaned = nh3.clean(
        tex_for_mathml(fragment),
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative=relative,
    )
    return xml_text(cleaned).strip()


def tex_for_mathml(fragment: str) -> str:
    """Each formula's MathML as its TeX source in ``<code>``: the sanitiser keeps no MathML (a
    second parsing namespace), and its bare text would run the symbols together."""
    return MATHML.sub(r"<code>\1</code>", str(fragment))  # str: re.sub on a Markup escapes what it inserts


def text_as_html(text: str) -> str:
    """Plain *text* (an excerpt) as HTML that shows exactly that text: RSS ``<description>``
    is HTML for every reader, so ``<b>`` in an excerpt must arrive as ``&lt;b&gt;``."""
    return clean(html.escape(xml_text(text), quote=False))

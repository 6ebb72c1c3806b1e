"""The URL Jekyll gave a post, from ``permalink`` (site, ``defaults:``, ``collections:`` or the post's own).

Follows Jekyll 4's ``Jekyll::Drops::UrlDrop`` and ``Jekyll::URL``: built-in styles
(``date``, ``pretty``, ``ordinal``, ``weekdate``, ``none``), custom patterns with
``:placeholders``, empty segments collapsed, and the path returned unescaped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import unquote

#: Jekyll's built-in permalink styles.
STYLES: dict[str, str] = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
DEFAULT_STYLE = "date"
_PLACEHOLDER = re.compile(r":([a-z_]+)")


def jekyll_slugify(text: str, mode: str = "default", *, cased: bool = False) -> str:
    """``Jekyll::Utils.slugify``: ``default`` keeps letters and digits, ``pretty`` also ``._~!$&'()+,;=@``."""
    allowed = r"\w" if mode == "default" else r"\w._~!$&'()+,;=@"
    slug = re.sub(rf"(?:[^{allowed}]|_)+", "-", unicodedata.normalize("NFC", text)).strip("-")
    return slug if cased else slug.lower()


def placeholders(date: dt.datetime, slug: str, categories: list[str]) -> dict[str, str]:
    """Values of the placeholders a post permalink can use; *date* is in the Jekyll site's zone."""
    return {
        "year": f"{date:%Y}",
        "month": f"{date:%m}",
        "day": f"{date:%d}",
        "hour": f"{date:%H}",
        "minute": f"{date:%M}",
        "second": f"{date:%S}",
        "i_day": str(date.day),
        "i_month": str(date.month),
        "short_year": f"{date:%y}",
        "short_month": f"{date:%b}",
        "long_month": f"{date:%B}",
        "short_day": f"{date:%a}",
        "long_day": f"{date:%A}",
        "y_day": f"{date:%j}",
        "week": f"{date.isocalendar()[1]:02d}",
        "title": jekyll_slugify(slug, "pretty", cased=True),
        "slug": jekyll_slugify(slug),
        "name": jekyll_slugify(slug),
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        "output_ext": ".html",
        "collection": "posts",
    }


def old_url(pattern: str | None, date: dt.datetime, slug: str, categories: list[str]) -> str:
    """The post's URL path on the old site (without ``baseurl``), e.g. ``/2025/04/12/slug.html``."""
    template = STYLES.get(str(pattern or DEFAULT_STYLE), str(pattern or STYLES[DEFAULT_STYLE]))
    values = placeholders(date, slug, categories)
    path = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    path = re.sub(r"/{2,}", "/", "/" + path)
    return path


def redirect_source(url_path: str) -> str:
    """The output file an old URL is served from, relative to the site root (``a/b/`` -> ``a/b/index.html``)."""
    path = url_path.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    last = path.rsplit("/", 1)[-1]
    return path if "." in last else path + ".html"


class UnsafeUrl(ValueError):
    """An old URL that cannot become a redirect page (the message says why)."""


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalise_old_url(url: object, site_prefix: str = "") -> str:
    """An old URL path in one spelling (``/a/./b/../c/`` -> ``/a/c/``), or :class:`UnsafeUrl`.

    Refused: anything but text, a URL of another site (another host or scheme; one under
    *site_prefix*, the old site's ``url`` + ``baseurl``, is taken as its path), a query or
    fragment (a static page cannot be served for those), backslashes and control
    characters (also percent-encoded), and ``..`` climbing above the site's root.
    """
    if not isinstance(url, str):
        raise UnsafeUrl(f"expected a URL path like /2025/04/12/title.html, got {type(url).__name__}")
    text = url.strip()
    if not text:
        raise UnsafeUrl("is empty")
    if _SCHEME.match(text) or text.startswith("//"):
        if site_prefix and (text == site_prefix or text.startswith(site_prefix + "/")):
            text = text[len(site_prefix) :] or "/"
        else:
            raise UnsafeUrl("is an address on another site (only paths of this site can redirect)")
    if "?" in text or "#" in text:
        raise UnsafeUrl("has a query or fragment (?…, #…), which a redirect page cannot be served for")
    path = unquote(text)
    if _CONTROL.search(path) or "\\" in path:
        raise UnsafeUrl("contains a control character or a backslash")
    parts: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                raise UnsafeUrl("climbs out of the site ('..' above its root)")
            parts.pop()
            continue
        parts.append(segment)
    trailing = "/" if path.endswith("/") or path.rsplit("/", 1)[-1] in (".", "..") else ""
    return "/" + "/".join(parts) + (trailing if parts else "")

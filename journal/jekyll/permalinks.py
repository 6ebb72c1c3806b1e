"""The URL Jekyll gave a post, from ``permalink`` (site, ``defaults:``, ``collections:`` or the post's own).

Follows Jekyll 4's ``Jekyll::Drops::UrlDrop`` and ``Jekyll::URL``: built-in styles
(``date``, ``pretty``, ``ordinal``, ``weekdate``, ``none``), custom patterns with
``:placeholders``, empty segments collapsed, and the path returned unescaped.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

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

"""The URL Jekyll gave a post, from ``permalink`` (site, ``defaults:``, ``collections:`` or the post's own).

Follows Jekyll 4.3's ``Jekyll::Drops::UrlDrop`` and ``Jekyll::URL``, checked against the real
``jekyll build`` (``tests/test_jekyll_oracle.py``):

- the built-in styles (``date``, ``pretty``, ``ordinal``, ``weekdate``, ``none``) are names only
  in ``_config.yml``'s ``permalink``; a post's own ``permalink`` (or one from ``defaults:`` or
  ``collections:``) is always a pattern, so ``permalink: none`` there is the URL ``/none``;
- ``:title`` is ``Utils.slugify(slug, mode: "pretty", cased: true)`` of the front matter's
  ``slug`` or the file name's, ``:slug`` the same in ``default`` mode, lower case;
- ``:categories`` are only lower-cased and de-duplicated, never slugged (``Open Source`` gives
  the folder ``open source/``); ``:slugified_categories`` slugs them;
- the date is the post's time *in the zone Jekyll built in* (``timezone`` in ``_config.yml``,
  else the build machine's: UTC on GitHub Pages), so ``07:30 +0900`` is the previous day there;
- placeholder values are sanitised like ``Jekyll::URL#sanitize_url`` (``..`` becomes ``/``,
  ``./`` dropped), ``//`` is squeezed, and the path is returned unescaped. Dots written in the
  pattern itself are not: :func:`normalise_old_url` resolves them and refuses a climb.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import unquote

#: Jekyll's built-in permalink styles (``Jekyll::Utils#style_to_permalink``).
STYLES: dict[str, str] = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
DEFAULT_STYLE = "date"
_PLACEHOLDER = re.compile(r":([a-z_]+)")
#: Characters ``pretty`` mode keeps besides letters, marks and decimal digits.
_PRETTY_EXTRA = frozenset("._~!$&'()+,;=@")


def _kept(char: str, mode: str) -> bool:
    """Whether Jekyll's slugify keeps *char*: ``\\p{M}``, ``\\p{L}``, ``\\p{Nd}`` (and, in pretty mode, a few more)."""
    category = unicodedata.category(char)
    if category[0] in "LM" or category == "Nd":
        return True
    return mode == "pretty" and char in _PRETTY_EXTRA


def jekyll_slugify(text: str, mode: str = "default", *, cased: bool = False) -> str:
    """``Jekyll::Utils.slugify`` in ``default`` or ``pretty`` mode.

    Every run of other characters becomes one ``-``, one leading and one trailing ``-`` are
    removed, and the result is lower-cased unless *cased*. Text is NFC-normalised first, so a
    file name from a macOS disk (NFD) gives the same URL.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if _kept(char, mode):
            out.append(char)
        elif not out or out[-1] != "\x00":
            out.append("\x00")
    slug = "".join(out).replace("\x00", "-")
    slug = slug.removeprefix("-").removesuffix("-")
    return slug if cased else slug.lower()


def placeholders(
    date: dt.datetime, slug: str, categories: list[str], *, name: str | None = None, output_ext: str = ".html"
) -> dict[str, str]:
    """Values of the placeholders a post permalink can use (``UrlDrop``); *date* is in Jekyll's zone.

    *slug* is the front matter's ``slug`` or the file name's (without date and extension),
    *name* the file name without its extension (``:name``).
    """
    lowered = [str(c).lower() for c in categories]
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
        "w_year": str(date.isocalendar()[0]),
        "w_day": str(date.isocalendar()[2]),
        "title": jekyll_slugify(slug, "pretty", cased=True),
        "slug": jekyll_slugify(slug),
        "name": jekyll_slugify(name if name is not None else slug),
        "categories": "/".join(dict.fromkeys(lowered)),
        "slugified_categories": "/".join(dict.fromkeys(jekyll_slugify(str(c)) for c in categories)),
        "output_ext": output_ext,
        "collection": "posts",
    }


def site_pattern(permalink: str | None) -> str:
    """``_config.yml``'s ``permalink`` as a pattern: a style name is expanded, anything else kept."""
    value = str(permalink or DEFAULT_STYLE)
    return STYLES.get(value, value)


def old_url(
    pattern: str | None,
    date: dt.datetime,
    slug: str,
    categories: list[str],
    *,
    name: str | None = None,
    output_ext: str = ".html",
) -> str:
    """The post's URL path on the old site (without ``baseurl``), e.g. ``/2025/04/12/slug.html``.

    *pattern* is used as it is (expand ``_config.yml``'s style with :func:`site_pattern` first);
    ``None`` is Jekyll's default, the ``date`` style.
    """
    template = STYLES[DEFAULT_STYLE] if pattern is None else str(pattern)
    values = placeholders(date, slug, categories, name=name, output_ext=output_ext)

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        for candidate in (key, key.removesuffix("_")) if key.endswith("_") else (key,):
            if candidate in values:
                # Jekyll::URL#sanitize_url: '..' becomes '/', './' is dropped
                sanitised = values[candidate].replace("..", "/").replace("./", "")
                return sanitised + match.group(0)[1 + len(candidate) :]
        return match.group(0)

    # '.' and '..' written in the pattern itself are left to normalise_old_url, which refuses a
    # pattern climbing out of the site (Jekyll would have quietly made '/../x/' into '/x/').
    path = _PLACEHOLDER.sub(value, template)
    return re.sub(r"/{2,}", "/", "/" + path)


def destination(url_path: str, output_ext: str = ".html") -> str:
    """The file Jekyll wrote a post's URL to, relative to the site root (``Jekyll::Document#destination``).

    A URL ending in ``/`` is that folder's ``index.html``; any other gets the output extension
    unless it already ends with it (``/v1.2`` -> ``v1.2.html``, ``/2024/x.html`` as it is).
    """
    path = url_path.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path if path.endswith(output_ext) else path + output_ext


def redirect_source(url_path: str) -> str:
    """The output file an old URL is served from, relative to the site root (``a/b/`` -> ``a/b/index.html``).

    For ``redirect_from`` paths, which may name any file (``/feed.xml``); a post's own URL is
    :func:`destination`'s.
    """
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

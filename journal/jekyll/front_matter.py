"""Jekyll front matter -> our post contract (:class:`journal.contract.frontmatter.PostMeta`).

Keys Jekyll and our contract share are normalised; every other key (``layout``,
``pin``, ``permalink``, ...) is kept as it was under ``jekyll:`` so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from journal.contract.frontmatter import PostMeta, to_bool, to_datetime, to_labels

#: Jekyll keys turned into contract fields (everything else goes under ``jekyll:``).
MAPPED_KEYS = frozenset(
    {
        "title",
        "date",
        "last_modified_at",
        "tags",
        "tag",
        "categories",
        "category",
        "author",
        "authors",
        "author-id",
        "author_id",
        "feature-img",
        "feature_image",
        "image",
        "excerpt",
        "published",
        "lang",
    }
)
_RUBY_ZONE = re.compile(r"\s+(UTC|GMT)$")


@dataclass
class Converted:
    meta: PostMeta
    #: Problems as (key, message); the importer adds line numbers.
    problems: list[tuple[str, str]] = field(default_factory=list)
    #: Categories as Jekyll saw them (for ``:categories`` in permalinks).
    categories: list[str] = field(default_factory=list)
    #: Jekyll's own ``published: false`` (never public, so no old URL).
    unpublished: bool = False


def parse_jekyll_date(value: Any, tz: ZoneInfo) -> dt.datetime:
    """A date as Ruby's Jekyll reads it (``2019-08-08 11:33:00 +0800``, quoted or not, date only)."""
    if isinstance(value, str):
        value = _RUBY_ZONE.sub("Z", value.strip())
    return to_datetime(value, tz)


def jekyll_time(value: Any, tz: ZoneInfo) -> dt.datetime | None:
    """A ``date`` as the old Jekyll build had it, read in its zone *tz* (None when it is not a date)."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        return parse_jekyll_date(value, tz)
    except (ValueError, TypeError, OverflowError):
        return parse_lenient_date(value, tz) if isinstance(value, str) else None


def parse_lenient_date(value: str, tz: ZoneInfo) -> dt.datetime | None:
    """What Ruby's ``Time.parse`` makes of a loosely written date (``2023-01-29 18:30:22 2023 -0800``)."""
    date = re.search(r"\b\d{4}-\d{1,2}-\d{1,2}\b", value)
    if not date:
        return None
    time = re.search(r"\b\d{1,2}:\d{2}(?::\d{2})?\b", value)
    zone = re.search(r"(?:\s|^)([+-]\d{2}:?\d{2}|UTC|GMT|Z)\s*$", value)
    text = date.group(0) + (" " + time.group(0) if time else "") + (" " + zone.group(1) if zone else "")
    try:
        return parse_jekyll_date(text, tz)
    except ValueError:
        return None


def titleize(slug: str) -> str:
    """Jekyll's title for a post without one: the file name's words, capitalised."""
    return " ".join(word[:1].upper() + word[1:] for word in re.split(r"[-_\s]+", slug) if word)


def convert(
    data: dict[str, Any],
    *,
    file_date: dt.datetime | None,
    file_slug: str,
    tz: ZoneInfo,
    authors: dict[str, Any],
    draft: bool,
) -> Converted:
    """Build our :class:`PostMeta` from a post's merged Jekyll front matter (defaults applied)."""
    meta = PostMeta()
    out = Converted(meta)
    meta.title = _nfc(data.get("title")) or titleize(file_slug)
    meta.date = _date(data, "date", tz, out) or file_date
    if data.get("last_modified_at"):
        meta.updated = _date(data, "last_modified_at", tz, out)
    meta.tags = _labels(data.get("tags", data.get("tag")), "tags", out, split_spaces=True)
    out.categories = _categories(data, out)
    meta.category = out.categories
    meta.author = _authors(data, authors, out)
    _image(data, meta, out)
    if data.get("excerpt") is not None:
        meta.excerpt = _nfc(data["excerpt"]) or None
    if data.get("lang"):
        meta.lang = _nfc(data["lang"])
    if "published" in data:
        try:
            out.unpublished = not to_bool(data["published"])
        except ValueError as error:
            out.problems.append(("published", str(error)))
    meta.draft = draft or out.unpublished
    kept = {str(key): value for key, value in data.items() if str(key) not in MAPPED_KEYS}
    if isinstance(data.get("image"), dict) and set(data["image"]) - {"path", "src", "alt"}:
        kept["image"] = data["image"]  # lqip, width, height: keep what the contract has no field for
    if kept:
        meta.extra["jekyll"] = kept
    return out


def _nfc(value: Any) -> str:
    if value is None or isinstance(value, (list, dict)):
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def _date(data: dict[str, Any], key: str, tz: ZoneInfo, out: Converted) -> dt.datetime | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return parse_jekyll_date(value, tz)
    except ValueError as error:
        lenient = parse_lenient_date(value, tz) if isinstance(value, str) else None
        if lenient is None:
            out.problems.append((key, str(error)))
        else:
            out.problems.append((key, f"{value!r} is not a standard date; read as {lenient.isoformat(sep=' ')}"))
        return lenient


def _labels(value: Any, key: str, out: Converted, *, split_spaces: bool) -> list[str]:
    """A list, a comma-separated string, or (as Jekyll reads it) a space-separated string."""
    if isinstance(value, str) and split_spaces and "," not in value:
        value = value.split()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = [str(value)]
    try:
        return to_labels(value, "tags" if key == "tags" else "category")
    except ValueError as error:
        out.problems.append((key, str(error)))
        return []


def _categories(data: dict[str, Any], out: Converted) -> list[str]:
    labels = _labels(data.get("categories"), "categories", out, split_spaces=True)
    for label in _labels(data.get("category"), "category", out, split_spaces=False):
        if label not in labels:
            labels.append(label)
    return labels


def _authors(data: dict[str, Any], authors: dict[str, Any], out: Converted) -> list[str]:
    ids: list[str] = []
    for key in ("author", "authors", "author-id", "author_id"):
        value = data.get(key)
        if isinstance(value, dict):  # `author: {name: ..., url: ...}`
            value = value.get("name")
        for label in _labels(value, key, out, split_spaces=False):
            if label not in ids:
                ids.append(label)
    return [_author_name(author_id, authors) for author_id in ids]


def _author_name(author_id: str, authors: dict[str, Any]) -> str:
    """The name ``_data/authors.yml`` gives an author id; the id itself when it has none."""
    entry = authors.get(author_id)
    name = entry.get("name") if isinstance(entry, dict) else None
    return _nfc(name) or author_id


def _image(data: dict[str, Any], meta: PostMeta, out: Converted) -> None:
    value = next((data[key] for key in ("feature-img", "feature_image", "image") if data.get(key)), None)
    if isinstance(value, dict):
        path = value.get("path") or value.get("src")
        meta.image = _nfc(path) or None
        meta.image_alt = _nfc(value.get("alt")) or None
    elif value is not None:
        meta.image = _nfc(value) or None
    if value is not None and not meta.image:
        out.problems.append(("image", "has no path; expected a path, a URL or a mapping with 'path'"))

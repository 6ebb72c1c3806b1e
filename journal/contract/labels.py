"""Problems two posts make together: archive pages their labels would share, URLs that differ only in case.

One code path for the build (:func:`journal.content.posts.clashes`, at ``config-inited``) and for
``python -m journal new`` (which checks the post it is about to write against the posts
already there): both report the same problems with the same words. Nothing here needs a
Sphinx application: the settings come in as plain values.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from journal.contract.frontmatter import FrontMatterProblem, ParsedPost

#: ABlog catalogs whose labels name archive pages, and the folder of those pages under ``blog_path``.
ARCHIVE_FOLDERS = {"tags": "tag", "category": "category", "author": "author"}

#: Longest archive file name we let a label make, in UTF-8 bytes. File systems stop at 255
#: (``<slug>.html``, the feed folder ``<slug>/``); a Hangul syllable takes 3 bytes.
MAX_SLUG_BYTES = 200


@functools.lru_cache(maxsize=4096)  # a site has far fewer labels; each is slugified for every post
def label_slug(label: Any) -> str:
    """The archive file name of *label* (tag, category or author name): ABlog 0.11.13's ``slugify``
    (NFKD folding, punctuation removed, lower case, runs of spaces and dashes made one dash),
    recomposed to NFC so that Hangul stays whole syllables ("회고" -> "회고", "Café" -> "cafe").

    :mod:`journal.upstream.ablog` installs it as ABlog's ``slugify``, so the pages ABlog writes and
    the clashes found here come from this one rule; ``tests/test_upstream_ablog.py`` checks that it
    equals ABlog's own ``slugify`` followed by NFC."""
    folded = unicodedata.normalize("NFKD", str(label))
    folded = re.sub(r"[^\w\s-]", "", folded).strip().lower()
    return unicodedata.normalize("NFC", re.sub(r"[-\s]+", "-", folded))


def clashes(
    srcdir: Path, posts: Mapping[Path, ParsedPost], blog_path: str, blog_authors: Mapping[str, Any]
) -> Iterator[tuple[Path, FrontMatterProblem]]:
    """Problems only visible across *posts* (files under *srcdir*, in the order given): two
    URLs or two archive pages that would be one, and labels that cannot name a page."""
    urls: dict[str, str] = {}
    for path in posts:
        url = path.relative_to(srcdir).with_suffix(".html").as_posix()
        if not unicodedata.is_normalized("NFC", url):
            nfc = unicodedata.normalize("NFC", path.name)
            yield path, FrontMatterProblem(1, None, f"the file name is decomposed Unicode (NFD); rename it {nfc!r}")
        other = urls.setdefault(unicodedata.normalize("NFC", url).casefold(), url)
        if other != url:
            yield path, FrontMatterProblem(1, None, f"URL {url} differs from {other} only in letter case; rename one")
    for name, folder in ARCHIVE_FOLDERS.items():
        pages: dict[str, str] = {}  # slug -> the first label that named it
        for path, post in posts.items():
            for label in getattr(post.meta, name):
                problem = label_clash(name, label, f"{blog_path}/{folder}", blog_authors, pages)
                if problem:
                    yield path, FrontMatterProblem(post.line_of(name), name, problem)


def label_clash(
    name: str, label: str, folder: str, blog_authors: Mapping[str, Any], pages: dict[str, str]
) -> str | None:
    """What is wrong with the archive page of *label* (in catalog *name*), if anything;
    records its slug in *pages* (slug -> the first label seen with it)."""
    shown_name = _shown_author(label, blog_authors) if name == "author" else label
    slug = label_slug(shown_name)
    if not slug:
        return f"{label!r} has no letter or digit to name its page in {folder}/; use a word"
    size = len(slug.encode("utf-8", "surrogatepass"))
    if size > MAX_SLUG_BYTES:
        shown = label if len(label) <= 20 else f"{label[:20]}…"
        return (
            f"{shown!r} is too long to name its page in {folder}/ ({size} bytes as a file name, "
            f"at most {MAX_SLUG_BYTES}: about {MAX_SLUG_BYTES // 3} Hangul syllables); use a shorter name"
        )
    first = pages.setdefault(slug, label)
    if first != label:
        return f"{label!r} and {first!r} would share the page {folder}/{slug}.html; write {first!r} everywhere"
    return None


def _shown_author(label: str, blog_authors: Mapping[str, Any]) -> str:
    """The name ABlog shows (and slugifies) for author *label*: ``blog_authors[label][0]`` when it has one."""
    entry = blog_authors.get(label)
    if isinstance(entry, (tuple, list)) and entry and isinstance(entry[0], str):
        return entry[0]
    return label

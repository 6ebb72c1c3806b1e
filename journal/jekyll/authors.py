"""Who wrote a Jekyll site's posts, as the journal's authors (``journal.json``'s ``authors``).

A Jekyll site names its authors in three places: ``_config.yml``'s ``author`` (text, or a
mapping with ``name``), ``_data/authors.yml`` (id -> ``name``), and each post's ``author``,
``authors`` or ``author-id``. A post's label is an id of ``_data/authors.yml`` when it is one
there, else a display name. Each becomes a journal author id (lowercase letters, digits, ``-``
and ``_``, as :func:`journal.site.check_value` wants) with its display name:

- a name the journal already knows (``journal.json``; case aside) keeps the journal's id, so an author
  given to ``init`` under another id is not doubled and a re-import changes nothing;
- an id of ``_data/authors.yml`` stays that id (lower-cased) when it is a valid one;
- any other name gets an id spelled from its ASCII letters (``Jane Doe`` -> ``jane-doe``), or,
  when it has none (``이민수``), ``author-`` and a short hash of the name: stable across runs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from journal.site import SettingsError, check_value

_NOT_ID = re.compile(r"[^a-z0-9_-]+")


def _text(value: Any) -> str:
    if value is None or isinstance(value, (list, dict, bool)):
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _name(entry: Any) -> str:
    """The display name of a ``_data/authors.yml`` entry (a mapping with ``name``, or a bare name)."""
    return _text(entry.get("name") if isinstance(entry, dict) else entry)


def _same(first: str, second: str) -> bool:
    """One author: names differing only in case share one archive page (``DirtyF``, ``dirtyf``)."""
    return first.casefold() == second.casefold()


def _valid_id(candidate: str) -> bool:
    try:
        check_value("author id", candidate)
    except SettingsError:
        return False
    return True


def spelled_id(name: str) -> str:
    """An author id for the display name *name*: its ASCII letters, else ``author-<hash>``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    candidate = _NOT_ID.sub("-", ascii_name).strip("-_")[:64].strip("-_")
    if candidate and _valid_id(candidate):
        return candidate
    return "author-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def is_spelled_from_hash(author_id: str) -> bool:
    return re.fullmatch(r"author-[0-9a-f]{8}", author_id) is not None


class Authors:
    """The journal's authors (id -> name) and the Jekyll site's, resolved to journal ids."""

    def __init__(self, data_authors: Mapping[str, Any], known: Mapping[str, str]) -> None:
        self.data_authors = data_authors
        #: journal.json's authors, then those the import adds (never one removed)
        self.known: dict[str, str] = dict(known)
        #: ids the import credited a post to (or the site's author), in first-use order
        self.used: dict[str, str] = {}

    def resolve(self, label: str) -> tuple[str, str]:
        """(journal id, display name) of a post's author label, recorded as used."""
        label = _text(label)
        if label not in self.data_authors:  # a name that _data/authors.yml gives an id (``author: Jane Doe``)
            label = next((key for key, entry in self.data_authors.items() if _name(entry) == label), label)
        entry = self.data_authors.get(label)
        if entry is not None:
            name = _name(entry) or label
            candidate = label.lower()
            author_id = self._by_name(name) or (candidate if _valid_id(candidate) else spelled_id(name))
        else:
            name = label
            author_id = self._by_name(name) or spelled_id(name)
        author_id = self._free(author_id, name)
        self.known.setdefault(author_id, name)
        self.used.setdefault(author_id, self.known[author_id])
        return author_id, self.known[author_id]

    def _by_name(self, name: str) -> str | None:
        return next((key for key, known in self.known.items() if _same(known, name)), None)

    def _free(self, author_id: str, name: str) -> str:
        """*author_id*, or *author_id*-2, -3, … when the journal has it for someone else."""
        candidate, counter = author_id, 2
        while not _same(self.known.get(candidate, name), name):
            candidate = f"{author_id[:60]}-{counter}"
            counter += 1
        return candidate


def site_author(config: Mapping[str, Any], data_authors: Mapping[str, Any]) -> str:
    """``_config.yml``'s ``author`` as a label (a name, or an id of ``_data/authors.yml``); ``""`` when none."""
    value = config.get("author")
    if isinstance(value, dict):
        return _text(value.get("name")) or _text(value.get("id") or value.get("username"))
    return _text(value)

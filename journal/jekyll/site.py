"""A Jekyll site on disk: its ``_config.yml``, posts, drafts, authors and front matter defaults."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

#: File names Jekyll reads as Markdown posts.
POST_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".html")
#: ``YYYY-MM-DD-title.ext``: how Jekyll names a post.
POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})-(?P<slug>.+?)(?P<ext>\.[A-Za-z]+)$")


class SiteError(Exception):
    """The source is not a Jekyll site we can read (the message says why)."""


@dataclass
class SourceFile:
    path: Path
    #: Path relative to the site root, as Jekyll's ``defaults: scope: path`` sees it.
    relative: str
    draft: bool


@dataclass
class JekyllSite:
    root: Path
    config: dict[str, Any] = field(default_factory=dict)
    authors: dict[str, Any] = field(default_factory=dict)
    timezone: ZoneInfo | None = None
    files: list[SourceFile] = field(default_factory=list)

    @property
    def url(self) -> str:
        return str(self.config.get("url") or "").rstrip("/")

    @property
    def baseurl(self) -> str:
        return "/" + str(self.config.get("baseurl") or "").strip("/") if self.config.get("baseurl") else ""

    @property
    def media_base(self) -> str:
        """Where the old site served ``/assets/...`` from: its CDN, else its URL (empty when unknown)."""
        cdn = str(self.config.get("cdn") or "").rstrip("/")
        return cdn or (self.url + self.baseurl if self.url else "")

    def defaults_for(self, source: SourceFile) -> dict[str, Any]:
        """Front matter values ``defaults:`` gives this post (later scopes win, like Jekyll)."""
        values: dict[str, Any] = {}
        for entry in self.config.get("defaults") or []:
            if not isinstance(entry, dict):
                continue
            scope = entry.get("scope") or {}
            path = str(scope.get("path") or "").strip("/")
            kind = scope.get("type")
            if path and not (source.relative == path or source.relative.startswith(path + "/")):
                continue
            if kind and kind not in ("posts", "drafts" if source.draft else "posts"):
                continue
            values.update(entry.get("values") or {})
        return values

    def posts_permalink(self) -> str | None:
        collections = self.config.get("collections")
        if isinstance(collections, dict) and isinstance(collections.get("posts"), dict):
            return collections["posts"].get("permalink")
        return None

    def collection_permalink(self, name: str) -> str | None:
        collections = self.config.get("collections")
        if isinstance(collections, dict) and isinstance(collections.get(name), dict):
            return collections[name].get("permalink")
        return None


def load_site(source: Path) -> JekyllSite:
    """Read a Jekyll site root, or a bare ``_posts`` folder (then without configuration)."""
    source = source.resolve()
    if not source.is_dir():
        raise SiteError(f"{source}: not a folder")
    if source.name == "_posts" and not (source / "_posts").is_dir():
        root, posts = source.parent, source
        config: dict[str, Any] = {}
    else:
        root, posts = source, source / "_posts"
        if not posts.is_dir():
            raise SiteError(f"{source}: no _posts folder; give a Jekyll site root or its _posts folder")
        config = _read_yaml(root / "_config.yml")
    site = JekyllSite(root=root, config=config, authors=_read_yaml(root / "_data" / "authors.yml"))
    site.timezone = _timezone(config.get("timezone"), root / "_config.yml")
    site.files = _source_files(root, posts, draft=False)
    if (root / "_drafts").is_dir() and posts.parent == root:
        site.files += _source_files(root, root / "_drafts", draft=True)
    return site


def _source_files(root: Path, folder: Path, *, draft: bool) -> list[SourceFile]:
    files = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith((".", "_", "#")) and not path.name.endswith("~"):
            files.append(SourceFile(path, path.relative_to(root).as_posix(), draft))
    return files


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise SiteError(f"{where}: invalid YAML: {getattr(error, 'problem', error)}") from None
    except UnicodeDecodeError:
        raise SiteError(f"{path}: not UTF-8 text") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SiteError(f"{path}: expected a mapping of settings")
    return data


def _timezone(name: Any, where: Path) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise SiteError(f"{where}: timezone: {name!r} is not an IANA time zone") from None

"""A Jekyll site on disk: its ``_config.yml``, posts, drafts, authors and front matter defaults.

Everything read here is untrusted input. ``_config.yml`` and ``_data/authors.yml`` are
loaded with bounds (:mod:`.yamlload`) and every setting the importer uses is checked for
its shape when the site is loaded, so a malformed one is one clear :class:`SiteError`
naming the file and line, never a traceback later. Files are listed without leaving the
source tree: a post (or a folder of posts) that is a symlink to somewhere outside it is
listed as refused, not read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from journal.contract.frontmatter import time_zone
from journal.jekyll import yamlload

#: File names Jekyll reads as Markdown posts.
POST_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".html")
#: ``YYYY-MM-DD-title.ext``: how Jekyll names a post.
POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})-(?P<slug>.+?)(?P<ext>\.[A-Za-z]+)$")
CONFIG_NAME = "_config.yml"


class SiteError(Exception):
    """The source is not a Jekyll site we can read (the message says why)."""


@dataclass
class SourceFile:
    path: Path
    #: Path relative to the site root, as Jekyll's ``defaults: scope: path`` sees it.
    relative: str
    draft: bool
    #: Why the file is not read at all (a symlink leaving the source tree), else empty.
    refused: str = ""


@dataclass
class Default:
    """One checked entry of ``defaults:`` in ``_config.yml``."""

    path: str
    kind: str
    values: dict[str, Any]
    #: Line in ``_config.yml`` of each of *values*' keys.
    lines: dict[str, int]


@dataclass
class JekyllSite:
    root: Path
    config: dict[str, Any] = field(default_factory=dict)
    authors: dict[str, Any] = field(default_factory=dict)
    timezone: ZoneInfo | None = None
    files: list[SourceFile] = field(default_factory=list)
    defaults: list[Default] = field(default_factory=list)
    #: Line in ``_config.yml`` of each setting (key path -> line).
    config_lines: yamlload.Lines = field(default_factory=dict)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def url(self) -> str:
        return str(self.config.get("url") or "").rstrip("/")

    @property
    def baseurl(self) -> str:
        """``baseurl`` as Jekyll's ``relative_url`` joins it: ``/blog`` for ``blog``, ``/blog/`` or ``/blog``;
        empty for ``/`` or nothing (never ``/``, which would make ``//assets/x.png`` of the old site's
        ``{{ site.baseurl }}/assets/x.png``, a link to the host ``assets``)."""
        path = str(self.config.get("baseurl") or "").strip("/")
        return "/" + path if path else ""

    @property
    def media_base(self) -> str:
        """Where the old site served ``/assets/...`` from: its CDN, else its URL (empty when unknown)."""
        cdn = str(self.config.get("cdn") or "").rstrip("/")
        return cdn or (self.url + self.baseurl if self.url else "")

    def defaults_for(self, source: SourceFile) -> dict[str, Any]:
        """Front matter values ``defaults:`` gives this post (later scopes win, like Jekyll)."""
        values: dict[str, Any] = {}
        for entry in self.matching_defaults(source):
            values.update(entry.values)
        return values

    def matching_defaults(self, source: SourceFile) -> list[Default]:
        matching = []
        for entry in self.defaults:
            if entry.path and not (source.relative == entry.path or source.relative.startswith(entry.path + "/")):
                continue
            if entry.kind and entry.kind != ("drafts" if source.draft else "posts") and entry.kind != "posts":
                continue
            matching.append(entry)
        return matching

    def default_line(self, source: SourceFile, key: str) -> int | None:
        """Line in ``_config.yml`` of the ``defaults:`` value *key* this post takes, if any."""
        line = None
        for entry in self.matching_defaults(source):
            if key in entry.values:
                line = entry.lines.get(key)
        return line

    def posts_permalink(self) -> str | None:
        return self.collection_permalink("posts")

    def collection_permalink(self, name: str) -> str | None:
        collections = self.config.get("collections")
        if isinstance(collections, dict) and isinstance(collections.get(name), dict):
            permalink: str | None = collections[name].get("permalink")
            return permalink
        return None


def load_site(source: Path) -> JekyllSite:
    """Read a Jekyll site root, or a bare ``_posts`` folder (then without configuration)."""
    source = source.resolve()
    if not source.is_dir():
        raise SiteError(f"{source}: not a folder")
    if source.name == "_posts" and not (source / "_posts").is_dir():
        root, posts = source.parent, source
        config: dict[str, Any] = {}
        lines: yamlload.Lines = {}
    else:
        root, posts = source, source / "_posts"
        if not posts.is_dir():
            raise SiteError(f"{source}: no _posts folder; give a Jekyll site root or its _posts folder")
        config, lines = read_yaml(root / CONFIG_NAME, root)
    authors, _ = read_yaml(root / "_data" / "authors.yml", root)
    site = JekyllSite(root=root, config=config, authors=authors, config_lines=lines)
    check_config(site)
    site.timezone = _timezone(config.get("timezone"), _where(site, "timezone"))
    site.files = source_files(root, posts, draft=False)
    if (root / "_drafts").is_dir() and posts.parent == root:
        site.files += source_files(root, root / "_drafts", draft=True)
    return site


def source_files(root: Path, folder: Path, *, draft: bool) -> list[SourceFile]:
    """Files Jekyll would read in *folder*; symlinks are followed only while they stay inside *root*."""
    files: list[SourceFile] = []
    seen: set[Path] = set()

    def visit(directory: Path, shown: Path) -> None:
        real = directory.resolve()
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            files.append(SourceFile(shown, _rel(shown, root), draft, f"cannot be listed ({error.strerror})"))
            return
        for entry in entries:
            path, name = shown / entry.name, entry.name
            if name.startswith((".", "_", "#")) or name.endswith("~"):
                continue
            relative = _rel(path, root)
            target = Path(entry.path).resolve()
            if entry.is_symlink() and not target.is_relative_to(root):
                files.append(SourceFile(path, relative, draft, f"a symlink to {target}, outside the Jekyll source"))
                continue
            if entry.is_dir():
                visit(Path(entry.path), path)
            elif entry.is_file():
                files.append(SourceFile(path, relative, draft))

    if not folder.resolve().is_relative_to(root):
        return [SourceFile(folder, _rel(folder, root), draft, "a symlink to a folder outside the Jekyll source")]
    visit(folder, folder)
    return files


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_yaml(path: Path, root: Path) -> tuple[dict[str, Any], yamlload.Lines]:
    """A YAML file of the site that must be a mapping (``{}`` when there is none)."""
    if not path.is_file():
        return {}, {}
    name = _rel(path, root)
    if not path.resolve().is_relative_to(root):
        raise SiteError(f"{name}: a symlink to {path.resolve()}, outside the Jekyll source; not read")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SiteError(f"{name}: cannot be read ({error.strerror})") from None
    if len(raw) > yamlload.MAX_BYTES:
        raise SiteError(f"{name}: larger than {yamlload.MAX_BYTES:,} bytes; not read")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SiteError(f"{name}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    if "\x00" in text:
        raise SiteError(f"{name}: contains NUL bytes; is it a binary file?")
    try:
        data, lines = yamlload.load(text)
    except yamlload.YamlProblem as problem:
        where = f"{name}:{problem.line}" if problem.line else name
        raise SiteError(f"{where}: {problem.message}") from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise SiteError(f"{name}:1: expected a mapping of 'key: value' settings, got {_kind(data)}")
    if not all(isinstance(key, str) for key in data):
        bad = next(key for key in data if not isinstance(key, str))
        raise SiteError(f"{name}: {bad!r}: setting names must be text")
    return data, lines


# --- the settings the importer uses, checked once ------------------------------------------


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def _where(site: JekyllSite, *path: Any) -> str:
    line = site.config_lines.get(tuple(path))
    while line is None and len(path) > 1:
        path = path[:-1]
        line = site.config_lines.get(tuple(path))
    return f"{CONFIG_NAME}:{line}" if line else CONFIG_NAME


def _fail(site: JekyllSite, path: tuple[Any, ...], message: str) -> SiteError:
    label = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
    return SiteError(f"{_where(site, *path)}: {label}: {message}")


def _text_setting(site: JekyllSite, key: str, *, url: bool = False) -> None:
    value = site.config.get(key)
    if value is None or value == "":
        return
    if not isinstance(value, str):
        raise _fail(site, (key,), f"expected text, got {_kind(value)}")
    if any(ord(c) < 32 or ord(c) == 127 or c == "\\" for c in value):
        raise _fail(site, (key,), "contains a control character or a backslash")
    if url and re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) and not re.match(r"^https?://", value, re.I):
        raise _fail(site, (key,), f"{value!r} is not an http(s) address like https://example.com")
    if not url and re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.I):
        raise _fail(site, (key,), f"{value!r} is a full address; write only its path, like /blog")


def _permalink_setting(site: JekyllSite, value: Any, path: tuple[Any, ...]) -> None:
    if value is not None and not isinstance(value, str):
        raise _fail(site, path, f"expected a style (date, pretty, ...) or a pattern like /:title/, got {_kind(value)}")


def check_config(site: JekyllSite) -> None:
    """Refuse settings of a shape the importer cannot use, naming ``_config.yml``'s line."""
    config = site.config
    for key in ("baseurl", "cdn", "url"):
        _text_setting(site, key, url=key in ("url", "cdn"))
    _permalink_setting(site, config.get("permalink"), ("permalink",))
    timezone = config.get("timezone")
    if timezone is not None and not isinstance(timezone, str):
        raise _fail(site, ("timezone",), f"expected an IANA time zone like Asia/Seoul, got {_kind(timezone)}")
    collections = config.get("collections")
    if isinstance(collections, dict):
        for name, settings in collections.items():
            if settings is not None and not isinstance(settings, dict):
                raise _fail(site, ("collections", name), f"expected a mapping of settings, got {_kind(settings)}")
            if isinstance(settings, dict):
                _permalink_setting(site, settings.get("permalink"), ("collections", name, "permalink"))
    elif collections is not None and not isinstance(collections, list):
        raise _fail(site, ("collections",), f"expected a mapping or a list of names, got {_kind(collections)}")
    site.defaults = _defaults(site)


def _defaults(site: JekyllSite) -> list[Default]:
    entries = site.config.get("defaults")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise _fail(site, ("defaults",), f"expected a list of '- scope: ... values: ...' entries, got {_kind(entries)}")
    checked = []
    for index, entry in enumerate(entries):
        where = ("defaults", index)
        if not isinstance(entry, dict):
            raise _fail(site, where, f"expected a mapping with 'scope' and 'values', got {_kind(entry)}")
        scope = entry.get("scope")
        if scope is None:
            scope = {}
        if not isinstance(scope, dict):
            raise _fail(site, (*where, "scope"), f"expected a mapping with 'path' and 'type', got {_kind(scope)}")
        path, kind = scope.get("path"), scope.get("type")
        for name, value in (("path", path), ("type", kind)):
            if value is not None and not isinstance(value, str):
                raise _fail(site, (*where, "scope"), f"{name}: expected text, got {_kind(value)}")
        values = entry.get("values")
        if values is None:
            values = {}
        if not isinstance(values, dict) or not all(isinstance(key, str) for key in values):
            raise _fail(site, (*where, "values"), f"expected a mapping of front matter keys, got {_kind(values)}")
        _permalink_setting(site, values.get("permalink"), (*where, "values", "permalink"))
        line = site.config_lines.get((*where, "values"))
        lines = {key: site.config_lines.get((*where, "values", key)) or line or 0 for key in values}
        checked.append(Default(str(path or "").strip("/"), str(kind or ""), values, lines))
    return checked


def _timezone(name: Any, where: str) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return time_zone(str(name))
    except ValueError as error:
        raise SiteError(f"{where}: timezone: {error}") from None

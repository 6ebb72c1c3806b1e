"""Import every post of a Jekyll site: plan all of them, convert each, then write (or not, in a dry run).

Planning first means ``{% post_url %}``, ``{% link %}`` and links to old URLs can
point at the converted posts whatever order the files come in.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import yaml

from journal.frontmatter import _Loader, parse_post, render_front_matter
from journal.jekyll import front_matter, kramdown, liquid, permalinks, redirects
from journal.jekyll.report import FileResult, Kind, Report, Status
from journal.jekyll.site import POST_NAME, POST_SUFFIXES, JekyllSite, SourceFile
from journal.postfiles import post_path, slugify

_FENCE = re.compile(r"^---[ \t]*$")


@dataclass
class Options:
    root: Path
    posts_dir: str = "posts"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Seoul"))
    dry_run: bool = False
    force: bool = False


@dataclass
class Planned:
    source: SourceFile
    result: FileResult
    data: dict[str, Any]
    body: str
    body_line: int
    converted: front_matter.Converted
    stem: str
    local_date: dt.datetime
    old_url: str | None = None
    target: Path | None = None
    text: str = ""
    #: (source file, destination) of images this post uses
    assets: list[tuple[Path, Path]] = field(default_factory=list)

    @property
    def docpath(self) -> str:
        """The new post as a MyST link target from the project root (``/posts/2025/04-12-x.md``)."""
        return "/" + self.target.as_posix() if self.target else ""


class ImportRun:
    def __init__(self, site: JekyllSite, options: Options) -> None:
        self.site = site
        self.options = options
        self.tz = site.timezone or options.timezone
        self.report = Report()
        self.planned: list[Planned] = []
        self.by_stem: dict[str, Planned] = {}
        self.by_url: dict[str, Planned] = {}

    # --- plan ----------------------------------------------------------------------

    def run(self) -> Report:
        for source in self.site.files:
            result = FileResult(source.path)
            self.report.files.append(result)
            planned = self._plan(source, result)
            if planned:
                self.planned.append(planned)
        self._assign_targets()
        self._unify_labels()
        for planned in self.planned:
            self._convert(planned)
        self._write()
        return self.report

    def _plan(self, source: SourceFile, result: FileResult) -> Planned | None:
        name = POST_NAME.match(source.path.name)
        if source.path.suffix.lower() not in POST_SUFFIXES:
            return self._fail(result, "not a post (Jekyll reads .md, .markdown and .html posts)")
        if not name and not source.draft:
            return self._fail(result, "file name is not YYYY-MM-DD-title.ext, so Jekyll never published it")
        try:
            text = source.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return self._fail(result, f"not UTF-8 text (byte {error.start}); is it a binary file?")
        if "\x00" in text:
            return self._fail(result, "binary file (contains NUL bytes)")
        split = _split(text)
        if split is None:
            return self._fail(result, "no front matter ('---' block), so Jekyll does not treat it as a post", 1)
        yaml_text, body, body_line = split
        try:
            data = yaml.load(yaml_text, Loader=_Loader) or {}  # noqa: S506 - a SafeLoader
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = 2 + (mark.line if mark else 0)
            return self._fail(result, f"invalid YAML: {getattr(error, 'problem', None) or error}", line)
        if not isinstance(data, dict):
            return self._fail(result, "front matter is not a mapping of 'key: value' lines", 2)
        merged = {**self.site.defaults_for(source), **data}
        stem = name.group("slug") if name else source.path.stem
        file_date = self._file_date(source, name)
        converted = front_matter.convert(
            merged, file_date=file_date, file_slug=stem, tz=self.tz, authors=self.site.authors, draft=source.draft
        )
        lines = _key_lines(yaml_text)
        for key, message in converted.problems:
            result.warn(Kind.FRONT_MATTER, lines.get(key, 2), f"{key}: {message}")
        meta = converted.meta
        result.draft = meta.draft
        local = (meta.date or file_date or _mtime(source.path, self.tz)).astimezone(self.tz)
        planned = Planned(source, result, merged, body, body_line, converted, stem, local)
        if not meta.draft:
            pattern = merged.get("permalink") or self.site.posts_permalink() or self.site.config.get("permalink")
            planned.old_url = permalinks.old_url(pattern, local, stem, converted.categories)
        self.by_stem[source.path.stem] = planned
        return planned

    def _file_date(self, source: SourceFile, name: re.Match[str] | None) -> dt.datetime | None:
        if not name:
            return None
        try:
            return front_matter.parse_jekyll_date(name.group("date"), self.tz)
        except ValueError:
            return None

    def _fail(self, result: FileResult, reason: str, line: int | None = None) -> None:
        result.status = Status.FAILED
        result.reason = f"line {line}: {reason}" if line else reason
        return None

    def _assign_targets(self) -> None:
        posts = Path(self.options.posts_dir)
        taken: set[Path] = set()
        for planned in self.planned:
            slug = slugify(planned.stem) or slugify(planned.converted.meta.title or "")
            target = post_path(posts, planned.local_date, slug)
            counter = 2
            while target in taken:
                target = post_path(posts, planned.local_date, f"{slug}-{counter}")
                counter += 1
            taken.add(target)
            planned.target = target
            planned.result.target = target
            if planned.old_url:
                self.by_url[_url_key(planned.old_url)] = planned
            for extra in _as_list(planned.data.get("redirect_from")):
                self.by_url.setdefault(_url_key(str(extra)), planned)

    def _unify_labels(self) -> None:
        """One spelling per archive page: Jekyll kept 'DirtyF' and 'dirtyf' apart, our archives cannot."""
        for name in ("tags", "category", "author"):
            first: dict[str, str] = {}
            for planned in self.planned:
                labels: list[str] = getattr(planned.converted.meta, name)
                for index, label in enumerate(labels):
                    key = slugify(label) or label.casefold()
                    spelling = first.setdefault(key, label)
                    if spelling != label:
                        labels[index] = spelling
                        planned.result.warn(
                            Kind.FRONT_MATTER, 2, f"{name}: {label!r} written as {spelling!r}, as in other posts"
                        )

    # --- convert -------------------------------------------------------------------

    def _convert(self, planned: Planned) -> None:
        result, meta = planned.result, planned.converted.meta

        def warn(kind: Kind, line: int, message: str) -> None:
            result.warn(kind, line, message)

        body = planned.body
        if planned.data.get("render_with_liquid") is not False:
            ctx = liquid.LiquidContext(
                site=self.site.config,
                page=planned.data,
                baseurl=self.site.baseurl,
                url=self.site.url,
                post_link=self._post_link,
                page_link=lambda path: self._page_link(path, planned, warn),
                warn=warn,
            )
            body = liquid.render(body, ctx, planned.body_line)
        offset = planned.body_line - 1
        body_ctx = kramdown.BodyContext(
            title=meta.title or "",
            link=lambda href, line: self._link(href, planned, line + offset),
            image=lambda src, line, raw: self._image(src, planned, line + offset, raw),
            warn=lambda kind, line, message: warn(kind, line + offset, message),
        )
        body = kramdown.convert(body, body_ctx)
        if meta.image:
            meta.image = self._image(meta.image, planned, 2, False) or meta.image
        planned.text = render_front_matter(meta) + "\n" + body.strip("\n") + "\n"
        self._self_check(planned)

    def _self_check(self, planned: Planned) -> None:
        """What we wrote must read back through our own post contract, equal."""
        parsed = parse_post(planned.text, self.options.timezone)
        meta = planned.converted.meta
        problems = [str(p) for p in parsed.problems]
        for name in ("title", "date", "tags", "category", "author", "image", "draft", "extra"):
            if getattr(parsed.meta, name) != getattr(meta, name):
                problems.append(f"{name} does not read back the same")
        if problems:
            planned.result.status = Status.FAILED
            planned.result.reason = "converted front matter does not pass the post contract: " + "; ".join(problems)

    def _post_link(self, name: str) -> str | None:
        stem = posixpath.basename(name.strip().strip("'\"")).rsplit(".", 1)
        key = stem[0] if len(stem) == 2 and stem[1] in ("md", "markdown", "html", "mkd") else ".".join(stem)
        planned = self.by_stem.get(key)
        return planned.docpath if planned and planned.target else None

    def _page_link(self, path: str, planned: Planned, warn: Any) -> str | None:
        path = path.strip().strip("'\"")
        if path.startswith(("_posts/", "_drafts/")):
            return self._post_link(path)
        first, _, rest = path.partition("/")
        if first.startswith("_") and rest:
            pattern = self.site.collection_permalink(first[1:]) or "/:collection/:path:output_ext"
            stem = rest.rsplit(".", 1)[0]
            url = pattern.replace(":collection", first[1:]).replace(":path", stem).replace(":output_ext", ".html")
        else:
            stem = path.rsplit(".", 1)[0]
            url = "/" + (stem[: -len("index")] if stem.endswith("index") else stem + ".html")
        return self._link(url, planned, 0)

    def _link(self, href: str, planned: Planned, line: int) -> str:
        """A link target: old posts -> new posts, other old-site pages -> the old site, the rest as is."""
        path, fragment = _old_path(href, self.site, planned.old_url)
        if path is None:
            return href
        target = self.by_url.get(_url_key(path))
        if target and target.target:
            return target.docpath + (f"#{fragment}" if fragment else "")
        local = self._local_file(path)
        if local is not None:
            planned.assets.append((local, Path(path.lstrip("/"))))
            return path + (f"#{fragment}" if fragment else "")
        if self.site.url:
            new = self.site.url + self.site.baseurl + path + (f"#{fragment}" if fragment else "")
            planned.result.warn(
                Kind.LINK, line, f"{href} is a page of the old site that was not imported; linked at {new}"
            )
            return new
        planned.result.warn(
            Kind.LINK, line, f"{href}: no imported post or file at this path and no 'url' in _config.yml"
        )
        return href

    def _image(self, src: str, planned: Planned, line: int, raw_html: bool) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
            return src
        subpath = planned.data.get("media_subpath") or planned.data.get("img_path")
        if subpath and not src.startswith("/"):
            src = str(subpath).rstrip("/") + "/" + src
        path, _ = _old_path(src, self.site, planned.old_url)
        if path is None:
            return src
        local = self._local_file(path)
        if local is not None and not raw_html:
            planned.assets.append((local, Path(path.lstrip("/"))))
            return path
        base = self.site.media_base
        if local is not None:
            planned.result.warn(
                Kind.IMAGE, line, f"{src} is in raw HTML (Sphinx does not copy it); linked at {base}{path}"
            )
        elif base:
            planned.result.warn(
                Kind.IMAGE, line, f"{src} is missing from the source; linked at the old site {base}{path}"
            )
        else:
            planned.result.warn(Kind.IMAGE, line, f"{src} is missing from the source and the old site has no 'url'")
            return None
        return base + path if base else None

    def _local_file(self, path: str) -> Path | None:
        candidate = (self.site.root / unquote(path).lstrip("/")).resolve()
        if candidate.is_file() and candidate.is_relative_to(self.site.root) and "_posts" not in candidate.parts:
            return candidate
        return None

    # --- write ------------------------------------------------------------------------

    def _write(self) -> None:
        root = self.options.root
        new_redirects: dict[str, str] = {}
        for planned in self.planned:
            result = planned.result
            if result.status == Status.FAILED or planned.target is None:
                continue
            target = root / planned.target
            if target.exists() and target.read_text(encoding="utf-8") == planned.text:
                result.status = Status.UNCHANGED
            elif target.exists() and not self.options.force:
                result.status = Status.SKIPPED
                result.reason = f"{planned.target} exists and differs; --force overwrites it"
                continue
            elif not self.options.dry_run:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(planned.text, encoding="utf-8")
            self._copy_assets(planned)
            page = "/" + planned.target.with_suffix(".html").as_posix()
            urls = [planned.old_url] if planned.old_url else []
            urls += [str(u) for u in _as_list(planned.data.get("redirect_from")) if not planned.result.draft]
            for url in urls:
                source = permalinks.redirect_source(unquote(url))
                if source != page.lstrip("/"):
                    new_redirects[source] = page
        if new_redirects and not self.options.dry_run:
            path = root / redirects.FILENAME
            text = redirects.render(redirects.merged(redirects.load_redirects(path), new_redirects))
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        self.redirects = new_redirects

    def _copy_assets(self, planned: Planned) -> None:
        for source, relative in planned.assets:
            destination = self.options.root / relative
            if destination.exists() and filecmp.cmp(source, destination, shallow=False):
                continue
            if destination.exists() and not self.options.force:
                planned.result.warn(Kind.IMAGE, 1, f"{relative} exists and differs; not overwritten (--force)")
                continue
            if not self.options.dry_run:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)


# --- helpers -----------------------------------------------------------------------------


def _split(text: str) -> tuple[str, str, int] | None:
    """(front matter YAML, body, line where the body starts) or None when there is no front matter."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].rstrip("\r")):
        return None
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index].rstrip("\r")) or lines[index].rstrip() == "...":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def _key_lines(yaml_text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, row in enumerate(yaml_text.split("\n"), start=2):
        match = re.match(r"^([\w-]+)\s*:", row)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _mtime(path: Path, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz).replace(hour=0, minute=0, second=0, microsecond=0)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _url_key(path: str) -> str:
    """An old URL path in one spelling: unescaped, without ``index.html``, ``.html`` or a trailing slash."""
    path = unquote(path).split("#", 1)[0]
    path = re.sub(r"(/index)?\.html?$", "", path)
    return "/" + path.strip("/")


def _old_path(href: str, site: JekyllSite, post_url: str | None) -> tuple[str | None, str]:
    """(path on the old site, fragment) for a link into the old site, or (None, "") for anything else."""
    parts = urlsplit(href)
    if parts.scheme or href.startswith("//"):
        base = site.url + site.baseurl
        if not site.url or not href.startswith(base + "/"):
            return None, ""
        parts = urlsplit(href[len(site.url) :])
    if not parts.path or parts.path.endswith(".md"):
        return None, ""
    path = parts.path
    if not path.startswith("/"):
        if post_url is None:
            return None, ""
        path = posixpath.normpath(posixpath.join(posixpath.dirname(post_url), path))
    elif site.baseurl and path.startswith(site.baseurl + "/"):
        path = path[len(site.baseurl) :]
    if parts.query:
        path += "?" + parts.query
    return path, parts.fragment

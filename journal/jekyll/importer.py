"""Import every post of a Jekyll site: plan all of them, convert each, then write (or not, in a dry run).

Planning first means ``{% post_url %}``, ``{% link %}`` and links to old URLs can
point at the converted posts whatever order the files come in.

The Jekyll site is untrusted input. Every path the importer reads or writes is checked
after resolving symlinks: source files and assets must be inside the Jekyll source, and
everything written (posts, copied assets, ``redirects.json``) inside the project. An old
URL (``permalink``, ``redirect_from``) becomes a redirect only when it is a path of the
old site that stays inside it and names no page the project builds; everything refused
is reported as ``file:line: refused: ...`` and makes the exit code 1.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import posixpath
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from journal.contract.frontmatter import closing_fence, is_fence, parse_post, render_front_matter
from journal.contract.labels import ARCHIVE_FOLDERS, label_slug
from journal.contract.postfiles import post_path, slugify
from journal.jekyll import front_matter, kramdown, liquid, permalinks, redirects, yamlload
from journal.jekyll.authors import Authors, site_author
from journal.jekyll.report import FileResult, Kind, Report, Status
from journal.jekyll.site import POST_NAME, POST_SUFFIXES, JekyllSite, SiteError, SourceFile
from journal.site import SETTINGS_FILE, JournalSettings, SettingsError, check_value, load_settings, make_settings

#: Files copied from the Jekyll source when a post links or shows them: media and documents only
#: (never code, configuration or text a tool of the project could read, such as ``conf.py``).
ASSET_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .svg .webp .avif .apng .bmp .ico .tif .tiff .jxl .heic "
    ".mp4 .webm .ogg .ogv .mov .mp3 .m4a .wav .flac .pdf .zip .gz .tgz .7z .epub".split()
)
#: Source suffixes Sphinx builds into pages (an old URL must not replace one of them).
PAGE_SUFFIXES = (".md", ".rst", ".ipynb")
#: Folders of a project that hold no pages (not walked when listing the project's pages).
NOT_PAGES = frozenset({"_build", "node_modules", "journal", "tests", "venv", "_templates", "_static"})
#: ABlog's catalog folders under ``blog_path`` (``blog/tag/x.html``...) and the journal's own pages there.
BLOG_FOLDERS = ("tag", "category", "author", "archive", "language", "location")
BLOG_PAGES = ("drafts.html", "series.html")
#: Pages the builder writes besides the sources.
BUILDER_PAGES = ("genindex.html", "search.html", "404.html", "py-modindex.html")
#: The Jekyll front-matter keys of each catalog's labels (for the line a label problem is reported at).
_LABEL_KEYS = {
    "tags": ("tags", "tag"),
    "category": ("categories", "category"),
    "author": ("author", "authors", "author-id", "author_id"),
}


@dataclass
class Options:
    root: Path
    posts_dir: str = "posts"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Seoul"))
    #: The zone Jekyll built the old site in when ``_config.yml`` sets no ``timezone``: the build
    #: machine's, which is UTC on GitHub Pages. Old URLs take their day from it.
    jekyll_timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    dry_run: bool = False
    force: bool = False
    #: Take the journal's title and description from ``_config.yml`` (``--adopt-config``).
    adopt_config: bool = False


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
    #: The post's time as Jekyll saw it, in the zone the old site was built in (for its old URL)
    jekyll_date: dt.datetime | None = None
    old_url: str | None = None
    #: Old URLs to redirect from: (normalised URL path, file, line) of its permalink/redirect_from
    old_urls: list[tuple[str, Path, int]] = field(default_factory=list)
    #: Accepted redirects: (output file of the old URL, file, line)
    redirects: list[tuple[str, Path, int]] = field(default_factory=list)
    target: Path | None = None
    text: str = ""
    #: Line of each top-level key of the post's own front matter
    key_lines: dict[str, int] = field(default_factory=dict)
    #: (source file, destination relative to the project, line) of images and files this post uses
    assets: list[tuple[Path, Path, int]] = field(default_factory=list)

    @property
    def docpath(self) -> str:
        """The new post as a MyST link target from the project root (``/posts/2025/04-12-x.md``)."""
        return "/" + self.target.as_posix() if self.target else ""


class ImportRun:
    def __init__(self, site: JekyllSite, options: Options) -> None:
        self.site = site
        self.options = options
        self.tz = site.timezone or options.timezone
        #: The zone of the old site's build: ``timezone`` in ``_config.yml``, else the build machine's.
        self.jekyll_tz = site.timezone or options.jekyll_timezone
        self.report = Report()
        self.planned: list[Planned] = []
        self.by_stem: dict[str, Planned] = {}
        self.by_url: dict[str, Planned] = {}
        #: The converted posts by their MyST link target (``/posts/2024/05-01-x.md``: what ``post_url`` gives)
        self.by_docpath: dict[str, Planned] = {}
        #: The anchors of each post (by source file), for links to a fragment of another post
        self.anchors: dict[Path, dict[str, kramdown.Anchor]] = {}
        try:
            self.settings = load_settings(options.root / SETTINGS_FILE)
        except SettingsError as error:
            raise SiteError(f"{error}; fix it before importing (the import adds its authors there)") from None
        self.people = Authors(site.authors, self.settings.authors)
        label = site_author(site.config, site.authors)
        #: ``_config.yml``'s author as a journal id: who a post without an author is credited to
        self.site_author = self.people.resolve(label)[0] if label else None
        #: What the import changed in journal.json, for the report (``authors``, ``title``...)
        self.settings_changes: list[str] = []

    # --- plan ----------------------------------------------------------------------

    def run(self) -> Report:
        problem = destination_problem(self.options.root, self.options.posts_dir)
        if problem:
            raise SiteError(problem)
        for source in self.site.files:
            result = FileResult(source.path)
            self.report.files.append(result)
            planned = self._plan(source, result)
            if planned:
                self.planned.append(planned)
        self._assign_targets()
        self._check_redirects()
        self._unify_labels()
        for planned in self.planned:
            self._convert(planned)
        self._write()
        return self.report

    def _plan(self, source: SourceFile, result: FileResult) -> Planned | None:
        if source.refused:
            self._fail(result, f"refused: {source.refused}; not read")
            return None
        name = POST_NAME.match(source.path.name)
        if source.path.suffix.lower() not in POST_SUFFIXES:
            self._fail(result, "not a post (Jekyll reads .md, .markdown and .html posts)")
            return None
        if not name and not source.draft:
            self._fail(result, "file name is not YYYY-MM-DD-title.ext, so Jekyll never published it")
            return None
        try:
            raw = source.path.read_bytes()
        except OSError as error:
            self._fail(result, f"cannot be read ({error.strerror})")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self._fail(result, f"not UTF-8 text (byte {error.start}); is it a binary file?")
            return None
        if "\x00" in text:
            self._fail(result, "binary file (contains NUL bytes)")
            return None
        split = _split(text)
        if split is None:
            result.status = Status.IGNORED
            closed = "front matter is not closed by '---'" if is_fence(text.split("\n", 1)[0]) else ""
            reason = closed or "no front matter ('---' block)"
            result.reason = f"line 1: {reason}, so Jekyll does not treat it as a post; not imported"
            return None
        yaml_text, body, body_line = split
        try:
            data, yaml_lines = yamlload.load(yaml_text, yamlload.TextDatesLoader)
        except yamlload.YamlProblem as problem:
            message = problem.message.removeprefix("invalid YAML (").removesuffix(")")
            message = f"invalid YAML: {message}" if problem.message.startswith("invalid YAML") else problem.message
            self._fail(result, message, 1 + (problem.line or 1))
            return None
        data = data if data is not None else {}
        if not isinstance(data, dict):
            self._fail(result, "front matter is not a mapping of 'key: value' lines", 2)
            return None
        bad_key = next((key for key in data if not isinstance(key, str)), None)
        if bad_key is not None:
            self._fail(result, f"front matter key {bad_key!r} is not text", 2)
            return None
        defaults = self.site.defaults_for(source)
        merged = {**defaults, **data}
        if data.get("categories") is not None and defaults.get("categories") is not None:
            # Jekyll's Document#merge_categories!: the post's categories join those of defaults:
            merged["categories"] = _category_union(defaults["categories"], data["categories"])
        stem = name.group("slug") if name else source.path.stem
        file_date = self._file_date(source, name)
        converted = front_matter.convert(  # authors={}: the labels as written, resolved below
            merged, file_date=file_date, file_slug=stem, tz=self.tz, authors={}, draft=source.draft
        )
        lines = {path[0]: 1 + line for path, line in yaml_lines.items() if len(path) == 1}  # the YAML starts on line 2
        for key, message in converted.problems:
            result.warn(Kind.FRONT_MATTER, lines.get(key, 2), f"{key}: {message}")
        self._credit(converted.meta, result)
        meta = converted.meta
        result.draft = meta.draft
        local = (meta.date or file_date or _mtime(source.path, self.tz)).astimezone(self.tz)
        planned = Planned(source, result, merged, body, body_line, converted, stem, local, key_lines=lines)
        planned.jekyll_date = self._jekyll_date(source, name, merged, local)
        if not meta.draft:
            self._old_urls(planned, data, lines)
        self.by_stem[source.path.stem] = planned
        return planned

    def _credit(self, meta: Any, result: FileResult) -> None:
        """The post's authors as journal ids; a post without one is the site's author's, never nobody's."""
        if meta.author:
            meta.author = list(dict.fromkeys(self.people.resolve(label)[0] for label in meta.author))
            return
        if self.site_author:
            meta.author = [self.site_author]
            return
        default = self.settings.default_author
        if not _is_sample_author(self.settings):
            meta.author = [default]
            self.people.used.setdefault(default, self.settings.authors[default])
            return
        result.warn(
            Kind.FRONT_MATTER,
            2,
            "no author in the post, defaults: or _config.yml, and the journal's author is still the sample's: "
            "run `make init` first, or give _config.yml an 'author'",
        )

    def _jekyll_date(
        self, source: SourceFile, name: re.Match[str] | None, merged: dict[str, Any], local: dt.datetime
    ) -> dt.datetime:
        """The post's time as Jekyll had it: read in the old build's zone, and shown in it.

        Ruby turns a time with an offset into the build's local time, and reads one without an
        offset (or a date alone, or the file name's) as local time: so ``07:30 +0900`` built in
        UTC is the day before, and ``01:00`` stays on its day.
        """
        tz = self.jekyll_tz
        moment = front_matter.jekyll_time(merged.get("date"), tz)
        if moment is None and name:
            moment = front_matter.jekyll_time(name.group("date"), tz)
        return (moment or local).astimezone(tz)

    def _where(self, planned: Planned, data: dict[str, Any], lines: dict[str, int], key: str) -> tuple[Path, int]:
        """(file, line) where a post's *key* was set: its own front matter, else ``defaults:`` in ``_config.yml``."""
        if key in data:
            return planned.source.path, lines.get(key, 2)
        return self.site.config_path, self.site.default_line(planned.source, key) or 1

    def _old_urls(self, planned: Planned, data: dict[str, Any], lines: dict[str, int]) -> None:
        """The post's old URLs (``permalink``, ``redirect_from``), normalised; the unsafe ones reported."""
        site, merged = self.site, planned.data
        if merged.get("permalink"):  # a post's own (or defaults:') permalink is a pattern, never a style name
            pattern, where = merged["permalink"], self._where(planned, data, lines, "permalink")
        elif site.posts_permalink():
            pattern = site.posts_permalink()
            where = (site.config_path, site.config_lines.get(("collections", "posts", "permalink"), 1))
        else:
            setting = site.config.get("permalink")
            pattern = permalinks.site_pattern(setting) if isinstance(setting, str) or setting is None else setting
            where = (site.config_path, site.config_lines.get(("permalink",), 1))
        if pattern is not None and not isinstance(pattern, str):
            planned.result.warn(
                Kind.FRONT_MATTER, where[1], f"permalink: expected a style or a pattern, got {pattern!r}; ignored"
            )
            pattern = None
        slug = merged.get("slug")
        url = permalinks.old_url(
            pattern,
            planned.jekyll_date or planned.local_date,
            str(slug) if slug not in (None, "") else planned.stem,
            planned.converted.categories,
            name=planned.source.path.stem,
        )
        planned.old_url = self._accept_url(planned, url, where, "permalink")
        if planned.old_url:
            planned.old_urls.append((planned.old_url, *where))
        extra = merged.get("redirect_from")
        if extra is None:
            return
        where = self._where(planned, data, lines, "redirect_from")
        if not isinstance(extra, (str, list)):
            self._refuse(planned, where, f"redirect_from: expected a path or a list of paths, got {extra!r}")
            return
        for item in _as_list(extra):
            accepted = self._accept_url(planned, item, where, "redirect_from")
            if accepted:
                planned.old_urls.append((accepted, *where))

    def _accept_url(self, planned: Planned, url: Any, where: tuple[Path, int], key: str) -> str | None:
        try:
            return permalinks.normalise_old_url(url, self.site.url + self.site.baseurl)
        except permalinks.UnsafeUrl as error:
            self._refuse(planned, where, f"{key}: {_short(url)} {error}; no redirect from it")
            return None

    def _refuse(self, planned: Planned, where: tuple[Path, int], message: str) -> None:
        """Report something refused at *where* (the post, or ``_config.yml`` naming the post)."""
        path, line = where
        if path == planned.source.path:
            planned.result.warn(Kind.REFUSED, line, message)
        else:
            name = planned.source.path.relative_to(self.site.root).as_posix()
            self.report.site_file(path).warn(Kind.REFUSED, line, f"{name}: {message}")

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
            self.by_docpath[planned.docpath] = planned
            for index, (url, _, _) in enumerate(planned.old_urls):
                if index == 0 and url == planned.old_url:
                    self.by_url[_url_key(url)] = planned
                else:
                    self.by_url.setdefault(_url_key(url), planned)

    def _check_redirects(self) -> None:
        """Keep the old URLs that may become redirect pages: none replaces a page the site builds."""
        built = project_pages(self.options.root, self.options.posts_dir)
        for planned in self.planned:
            if planned.target is not None:
                built[_fold(planned.target.with_suffix(".html").as_posix())] = planned.target.as_posix()
        blog = blog_path(self.options.root)
        claimed: dict[str, Planned] = {}
        for planned in self.planned:
            if planned.target is None:
                continue
            page = planned.target.with_suffix(".html").as_posix()
            for index, (url, path, line) in enumerate(planned.old_urls):
                primary = index == 0 and url == planned.old_url
                key = permalinks.destination(url) if primary else permalinks.redirect_source(url)
                if key == page:
                    continue
                problem = redirects.key_problem(key)
                folded = _fold(key)
                if problem is None and folded in built:
                    problem = f"would replace {built[folded]}, a page the site builds"
                if problem is None:
                    problem = reserved_problem(key, blog)
                if problem:
                    self._refuse(planned, (path, line), f"old URL {_short(url)} {problem}; no redirect from it")
                    continue
                owner = claimed.setdefault(folded, planned)
                if owner is not planned:
                    planned.result.warn(
                        Kind.REDIRECT, line, f"old URL {url} is also {owner.source.path.name}'s; it redirects there"
                    )
                    continue
                planned.redirects.append((key, path, line))

    def _unify_labels(self) -> None:
        """One spelling per archive page. ABlog names a label's page by its slug (:func:`label_slug`),
        so labels Jekyll kept apart share one page: 'DirtyF' and 'dirtyf', 'next.js' and 'nextjs',
        'C++' and 'c' ('회고' in NFD is NFC already, :func:`front_matter.convert`). Each page keeps
        the spelling most posts use (the first seen on a tie); a label without a letter or digit
        ('#', '🚀') cannot name a page and is left out. Each change is reported at the label's line."""
        for name in ("tags", "category", "author"):
            spellings = self._spellings(name)
            for planned in self.planned:
                self._respell(planned, name, spellings)

    def _label_key(self, name: str, label: str) -> str:
        """The slug of *label*'s archive page (an author's is its shown name's, as ABlog slugs it)."""
        return label_slug(self.people.known.get(label, label) if name == "author" else label)

    def _spellings(self, name: str) -> dict[str, str]:
        """Slug -> the spelling its archive page keeps, in catalog *name*."""
        counts: dict[str, dict[str, int]] = {}
        for planned in self.planned:
            for label in dict.fromkeys(getattr(planned.converted.meta, name)):
                written = counts.setdefault(self._label_key(name, label), {})
                written[label] = written.get(label, 0) + 1
        # max() keeps the first of equal counts, and the dicts are in first-seen order:
        return {key: max(written, key=written.__getitem__) for key, written in counts.items()}

    def _respell(self, planned: Planned, name: str, spellings: dict[str, str]) -> None:
        labels: list[str] = getattr(planned.converted.meta, name)
        line = next((planned.key_lines[key] for key in _LABEL_KEYS[name] if key in planned.key_lines), 2)
        kept: list[str] = []
        for label in labels:
            key = self._label_key(name, label)
            if not key:
                why = f"{label!r} has no letter or digit to name an archive page; left out"
                planned.result.warn(Kind.FRONT_MATTER, line, f"{name}: {why}")
                continue
            kept.append(spellings[key])
            if spellings[key] != label:
                page = f"{ARCHIVE_FOLDERS[name]}/{key}.html"
                why = f"{label!r} written as {spellings[key]!r}: they share one archive page, {page}"
                planned.result.warn(Kind.FRONT_MATTER, line, f"{name}: {why}")
        labels[:] = dict.fromkeys(kept)  # 'Rust' and 'rust' in one post: one archive page

    # --- convert -------------------------------------------------------------------

    def _convert(self, planned: Planned) -> None:
        result, meta = planned.result, planned.converted.meta

        def warn(kind: Kind, line: int, message: str) -> None:
            result.warn(kind, line, message)

        body = planned.body
        offset = planned.body_line - 1
        source_line: Callable[[int], int] = lambda line: line + offset  # noqa: E731
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
            body, source_line = liquid.render_mapped(body, ctx, planned.body_line)
        body_ctx = kramdown.BodyContext(  # kramdown counts the lines of the body Liquid gave it
            title=meta.title or "",
            link=lambda href, line: self._link(href, planned, source_line(line)),
            image=lambda src, line, raw: self._image(src, planned, source_line(line), raw),
            warn=lambda kind, line, message: warn(kind, source_line(line), message),
        )
        body = kramdown.convert(body, body_ctx)
        if meta.image:
            key = next((k for k in ("feature-img", "feature_image", "image") if k in planned.key_lines), "image")
            shown = self._image(self._feature_src(meta.image, planned), planned, planned.key_lines.get(key, 2), False)
            meta.image = shown or _clamp(meta.image)[0]  # never a path above the root, even when kept
        planned.text = render_front_matter(meta) + "\n" + body.strip("\n") + "\n"
        self._self_check(planned)

    @staticmethod
    def _feature_src(src: str, planned: Planned) -> str:
        """A front-matter image as the themes resolve it: ``assets/x.png`` is the site's, not the post's.

        Themes write ``{{ site.baseurl }}/{{ page.feature-img }}`` or ``{{ page.image | relative_url }}``;
        Chirpy's ``media_subpath``/``img_path`` still comes first (:meth:`_image` prepends it).
        """
        if re.match(r"^[a-z][a-z0-9+.-]*:|^[/#]", src, re.I):
            return src
        if planned.data.get("media_subpath") or planned.data.get("img_path"):
            return src
        return "/" + src.removeprefix("./")

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
        parts = urlsplit(href)
        converted = self.by_docpath.get(unquote(parts.path))
        if converted and not parts.scheme and not parts.netloc:  # ``{% post_url x %}#frag`` gave the new post
            return self._fragment_link(href, converted, unquote(parts.fragment), planned, line)
        path, fragment = _old_path(href, self.site, planned.old_url)
        if path is None:
            return href
        path, climbs = _clamp(path)
        if climbs:
            planned.result.warn(Kind.REFUSED, line, f"{_short(href)} climbs above the old site's root; read as {path}")
            href = path + (f"#{fragment}" if fragment else "")
        target = self.by_url.get(_url_key(path))
        if target and target.target:
            return self._fragment_link(href, target, unquote(fragment), planned, line)
        local = self._local_file(path, planned, line)
        if local is not None:
            return local + (f"#{fragment}" if fragment else "")
        if self.site.url:
            path = re.sub(r"\s", lambda space: quote(space.group(0)), path)  # a URL, not a MyST link target
            new = self.site.url + self.site.baseurl + path + (f"#{fragment}" if fragment else "")
            planned.result.warn(
                Kind.LINK, line, f"{href} is a page of the old site that was not imported; linked at {new}"
            )
            return new
        planned.result.warn(
            Kind.LINK,
            line,
            f"{href}: no imported post or file at this path and no 'url' in _config.yml; kept as a plain link",
        )
        spaced = re.sub(r"\s", lambda space: quote(space.group(0)), href)
        return kramdown.HtmlHref(spaced)  # MyST would look for a document there and fail the build

    def _fragment_link(self, href: str, target: Planned, fragment: str, planned: Planned, line: int) -> str:
        """A link to the imported post *target*, at the place its old *fragment* named when the post has it.

        A heading keeps its anchor (MyST's slug where kramdown's id differs); an id in raw HTML is
        reached by an HTML link (MyST does not know it); a fragment the post does not have (it was
        broken on the old site too) leads to the post itself, reported.
        """
        if not fragment:
            return target.docpath
        anchors = self.anchors.get(target.source.path)
        if anchors is None:
            anchors = self.anchors[target.source.path] = kramdown.page_anchors(target.body)
        anchor = anchors.get(fragment)
        if anchor is None:
            planned.result.warn(
                Kind.LINK,
                line,
                f"{href}: {target.source.path.name} has no anchor #{fragment} (broken on the old site too); "
                "linked to the post",
            )
            return target.docpath
        if anchor.kind == "myst":
            return f"{target.docpath}#{anchor.fragment}"
        assert planned.target is not None and target.target is not None  # both are planned posts
        page = posixpath.relpath(target.target.with_suffix(".html").as_posix(), planned.target.parent.as_posix())
        return kramdown.HtmlHref(f"{quote(page)}#{quote(anchor.fragment)}")

    def _image(self, src: str, planned: Planned, line: int, raw_html: bool) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
            return src
        subpath = planned.data.get("media_subpath") or planned.data.get("img_path")
        if subpath and not src.startswith("/"):
            src = str(subpath).rstrip("/") + "/" + src
        path, _ = _old_path(src, self.site, planned.old_url)
        if path is None:
            return src
        path, climbs = _clamp(path)
        if climbs:
            planned.result.warn(Kind.REFUSED, line, f"{_short(src)} climbs above the old site's root; read as {path}")
        local = self._local_file(path, planned, line, copy=not raw_html)
        if local is not None and not raw_html:
            return local
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

    def _local_file(self, path: str, planned: Planned, line: int, *, copy: bool = True) -> str | None:
        """The URL of a file of the old site that is copied with the post (from where it really is), or None.

        Only media and documents (:data:`ASSET_SUFFIXES`) outside Jekyll's ``_``/``.`` folders are
        copied. A path that climbs above the site, or a file that resolves (through a symlink)
        outside the Jekyll source, is refused and reported.
        """
        text = unquote(path)
        if "?" in path or "\x00" in text or "\\" in text:
            return None
        parts, climbs = _segments(text)
        if not parts or Path(parts[-1]).suffix.lower() not in ASSET_SUFFIXES:
            return None
        if climbs:
            self._refuse_asset(planned, line, f"{_short(path)} climbs above the old site's root; not copied")
            return None
        candidate = self.site.root.joinpath(*parts)
        try:
            real = candidate.resolve()
        except (OSError, RuntimeError):
            return None
        if not real.is_relative_to(self.site.root):
            self._refuse_asset(planned, line, f"{_short(path)} resolves to {real}, outside the Jekyll source")
            return None
        relative = real.relative_to(self.site.root)
        if not real.is_file() or any(part.startswith(("_", ".")) for part in relative.parts):
            return None  # Jekyll does not publish files in _folders or .folders either
        if relative.suffix.lower() not in ASSET_SUFFIXES:
            return None
        if copy:
            planned.assets.append((real, relative, line))
        url = "/" + relative.as_posix()
        return path if text == url else url

    def _refuse_asset(self, planned: Planned, line: int, message: str) -> None:
        planned.result.warn(Kind.REFUSED, line, message if message.endswith("not copied") else message + "; not copied")

    # --- write ------------------------------------------------------------------------

    def _write(self) -> None:
        root = self.options.root
        new_redirects: dict[str, str] = {}
        for planned in self.planned:
            result = planned.result
            if result.status == Status.FAILED or planned.target is None:
                continue
            target = root / planned.target
            outside = _outside(root, target)
            if outside:
                result.status = Status.FAILED
                result.reason = f"refused: {planned.target} {outside}; not written"
                continue
            if target.exists() and target.read_text(encoding="utf-8", errors="replace") == planned.text:
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
            for key, _, _ in planned.redirects:
                new_redirects[key] = page
        self.redirects = new_redirects
        if new_redirects:
            self._write_redirects(new_redirects)
        self._write_settings()

    def _write_settings(self) -> None:
        """Add the site's authors to ``journal.json`` (never dropping one); see :func:`updated_settings`."""
        path = self.options.root / SETTINGS_FILE
        where = self.report.site_file(self.site.config_path)
        values: dict[str, object] = {}
        if self.options.adopt_config:
            for key in ("title", "description"):
                value = self.site.config.get(key)
                if value in (None, ""):
                    continue
                text = " ".join(str(value).split()) if isinstance(value, (str, int, float)) else value
                try:
                    values[key] = check_value(key, text)
                except SettingsError as error:
                    where.warn(Kind.FRONT_MATTER, self.site.config_lines.get((key,), 1), f"{error}; not adopted")
        new, changes = updated_settings(self.settings, self.people.known, self.site_author, values)
        self.settings_changes = changes
        outside = _outside(self.options.root, path)
        if outside:
            where.warn(Kind.REFUSED, 1, f"{SETTINGS_FILE} {outside}; not written")
            return
        text = new.to_json()
        if self.options.dry_run or not changes:
            return
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            _write_text_atomically(path, text)

    def _write_redirects(self, new: dict[str, str]) -> None:
        path = self.options.root / redirects.FILENAME
        outside = _outside(self.options.root, path)
        where = self.report.site_file(path)
        if outside:
            where.warn(Kind.REFUSED, 1, f"{redirects.FILENAME} {outside}; no redirects written")
            return
        try:
            existing = redirects.load_redirects(path)
        except redirects.RedirectsError as error:
            where.warn(Kind.REFUSED, 1, f"{error}; not changed: fix it, then import again".replace("\n", " "))
            return
        text = redirects.render(redirects.merged(existing, new))
        if self.options.dry_run:
            return
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")

    def _copy_assets(self, planned: Planned) -> None:
        for source, relative, line in planned.assets:
            destination = self.options.root / relative
            outside = _outside(self.options.root, destination)
            if outside:
                planned.result.warn(Kind.REFUSED, line, f"{relative} {outside}; not copied")
                continue
            if destination.is_dir():
                planned.result.warn(Kind.IMAGE, line, f"{relative} is a folder in the project; not copied")
                continue
            if destination.exists() and filecmp.cmp(source, destination, shallow=False):
                continue
            if destination.exists() and not self.options.force:
                planned.result.warn(Kind.IMAGE, line, f"{relative} exists and differs; not overwritten (--force)")
                continue
            if not self.options.dry_run:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)


# --- the journal's settings ---------------------------------------------------------------


def _is_sample_author(settings: JournalSettings) -> bool:
    """Whether the journal's default author is still the sample journal's (no ``make init`` yet)."""
    sample = JournalSettings()
    return settings.default_author == sample.default_author and settings.authors.get(
        settings.default_author
    ) == sample.authors.get(sample.default_author)


def updated_settings(
    settings: JournalSettings, authors: dict[str, str], site_author: str | None, values: dict[str, object]
) -> tuple[JournalSettings, list[str]]:
    """*settings* with *authors* merged in (none dropped) and *values* set; and what changed, in words.

    ``default_author`` (who ABlog credits a post without an author to, and whom ``make post``
    writes) becomes the Jekyll site's author only while it is still the sample author: the
    sample author is nobody's, whereas an author given to ``make init`` is the user's own
    statement of who they are (and is the site's author already after ``init --from-jekyll``).
    """
    merged = {**authors, **settings.authors}  # the journal's names win for ids it already has
    data: dict[str, object] = {key: getattr(settings, key) for key in JournalSettings.__dataclass_fields__}
    data["authors"] = merged
    if site_author and _is_sample_author(settings):
        data["default_author"] = site_author
        if settings.owner == JournalSettings().owner:
            data["owner"] = merged[site_author]
    data.update(values)
    new = make_settings(data)
    changes = [f"author {key} ({name})" for key, name in merged.items() if key not in settings.authors]
    for key in ("default_author", "title", "description"):
        if data[key] != getattr(settings, key):
            changes.append(f"{key}: {data[key]}")
    return new, changes


def _write_text_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.import-tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


# --- where things may be written ----------------------------------------------------------


def destination_problem(root: Path, posts_dir: str) -> str | None:
    """Why the project folder *root* or the posts folder *posts_dir* (relative to it) cannot be written to."""
    if not root.is_dir():
        return f"--root {root}: not a folder"
    if not (root / "conf.py").is_file():
        return f"--root {root}: no conf.py, so not a journal project (give the folder holding conf.py)"
    dest = Path(posts_dir)
    if not posts_dir or dest.is_absolute() or ".." in dest.parts or "\\" in posts_dir:
        return f"--dest {posts_dir!r}: give a folder inside the project, relative to it (like posts)"
    if any(part.startswith((".", "_")) for part in dest.parts) or dest.parts[:1] in (("journal",), ("tests",)):
        return f"--dest {posts_dir!r}: a folder of the project's tooling, not for posts"
    outside = _outside(root, root / dest / "x")
    if outside:
        return f"--dest {posts_dir!r}: {outside}"
    return None


def _outside(root: Path, path: Path) -> str:
    """Why *path* (after resolving symlinks) is not inside the folder *root*, or ``""``."""
    real_root = root.resolve()
    real = path.resolve()
    if real == real_root or not real.is_relative_to(real_root):
        return f"resolves to {real}, outside the project {real_root}"
    return ""


def _fold(path: str) -> str:
    """One spelling for comparing output files (case-insensitive, NFC/NFD file systems)."""
    return unicodedata.normalize("NFC", path).casefold()


def project_pages(root: Path, posts_dir: str = "posts") -> dict[str, str]:
    """The HTML page each source file of the project becomes (folded spelling -> source file)."""
    pages: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in NOT_PAGES)
        for name in files:
            if name.endswith(PAGE_SUFFIXES):
                relative = Path(folder, name).relative_to(root)
                pages[_fold(relative.with_suffix(".html").as_posix())] = relative.as_posix()
    return pages


def blog_path(root: Path) -> str:
    """ABlog's ``blog_path`` from the project's ``conf.py`` (read, not executed), else ``blog``."""
    conf = root / "conf.py"
    text = conf.read_text(encoding="utf-8", errors="replace") if conf.is_file() else ""
    match = re.search(r"""^blog_path\s*=\s*["']([^"']+)["']""", text, re.M)
    return match.group(1).strip("/") if match else "blog"


def reserved_problem(key: str, blog: str) -> str | None:
    """Why the output file *key* is the builder's or ABlog's (its pages are not sources), or None."""
    first = key.split("/", 1)[0]
    if first.startswith("_"):
        return f"is in {first}/, a folder Sphinx writes"
    if _fold(key) in BUILDER_PAGES:
        return f"would replace {key}, a page Sphinx writes"
    folded, blog_folded = _fold(key), _fold(blog)
    if folded in (f"{blog_folded}.html", f"{blog_folded}/index.html"):
        return f"would replace {key}, ABlog's list of posts"
    rest = folded.removeprefix(blog_folded + "/") if folded.startswith(blog_folded + "/") else None
    if rest is not None and (rest in BLOG_PAGES or rest.split("/", 1)[0].removesuffix(".html") in BLOG_FOLDERS):
        return f"would replace {key}, one of ABlog's archive pages"
    return None


# --- helpers -----------------------------------------------------------------------------


def _segments(path: str) -> tuple[list[str], bool]:
    """*path*'s segments, ``.`` and ``..`` resolved as a browser does; and whether a ``..`` climbed above the root."""
    parts: list[str] = []
    climbs = False
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            climbs = climbs or not parts
            parts = parts[:-1]
        else:
            parts.append(segment)
    return parts, climbs


def _clamp(path: str) -> tuple[str, bool]:
    """*path* with ``..`` resolved as a browser does (never above the root), and whether it climbed there."""
    part, mark, query = path.partition("?")
    decoded = unquote(part)
    if ".." not in decoded.split("/"):
        return path, False
    parts, climbs = _segments(decoded)
    trailing = "/" if decoded.endswith(("/", "/..", "/.")) and parts else ""
    return "/" + "/".join(parts) + trailing + mark + query, climbs


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split(text: str) -> tuple[str, str, int] | None:
    """(front matter YAML, body, line where the body starts) or None when there is no front matter.

    Lines end at ``\\n`` only, as Jekyll reads them; the fences are the contract's.
    """
    lines = text.split("\n")
    end = closing_fence(lines)
    if end is None:
        return None
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]), end + 2


def _mtime(path: Path, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz).replace(hour=0, minute=0, second=0, microsecond=0)


def _category_union(first: Any, second: Any) -> list[Any]:
    """``first | second`` as Ruby unites two ``categories`` values (text is split at spaces)."""
    united: list[Any] = []
    for value in (first, second):
        for item in value.split() if isinstance(value, str) else _as_list(value):
            if item not in united:
                united.append(item)
    return united


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
        # ``url: https://x/`` made Jekyll write ``https://x//2018/...``: one slash, not a host ``2018``
        parts = urlsplit("/" + href[len(site.url) :].lstrip("/"))
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

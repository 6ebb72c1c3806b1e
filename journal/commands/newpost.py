"""``python -m journal new TITLE``: start a post as ``posts/YYYY/MM-DD-slug.md``.

The file gets front matter written by :func:`journal.contract.frontmatter.render_front_matter`,
a slug made from the title by :func:`journal.contract.postfiles.slugify` (a Korean title keeps
its Hangul), and a short body to replace. An existing file is never overwritten.

Before anything is written, the post goes through the checks the build makes, with the
build's own code and words: the post contract (:func:`journal.contract.frontmatter.parse_post`),
MyST's reading of the front matter, and the problems only visible across posts
(:func:`journal.contract.labels.clashes`: archive pages two labels would share, labels that cannot
name a page, URLs that differ only in case) against the posts already in the project.
Settings (``blog_path``, ``blog_authors``, ``journal_timezone``, ...) come from the
project's ``conf.py``, run as Sphinx runs it. A refusal is one line per problem on
stderr and exit status 2; nothing is written, and nothing is ever written outside --root.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from glob import glob
from pathlib import Path, PurePath
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from journal.config import CONFIG
from journal.contract import labels
from journal.contract.frontmatter import (
    ParsedPost,
    PostMeta,
    parse_post,
    render_front_matter,
    time_zone,
    to_datetime,
    to_labels,
)
from journal.contract.postfiles import post_path, slugify

_DEFAULTS = {value.name: value.default for value in CONFIG}
#: What the command needs from conf.py, with the default Sphinx, ABlog or the journal gives each.
_SETTINGS = {
    "journal_timezone": _DEFAULTS["journal_timezone"],
    "journal_posts_dir": _DEFAULTS["journal_posts_dir"],
    "blog_path": "blog",
    "blog_authors": {},
    "blog_post_pattern": [],
    "exclude_patterns": [],
}

BODY = """
첫 문단은 글 목록과 피드에 요약으로 쓰입니다. 무엇을 배웠는지 한두 문장으로 적어 주세요.

## 배운 것

"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("title", help="the post's title, e.g. '오픈스택 SDK 첫 리뷰' (after --, it may start with -)")
    parser.add_argument("--tags", default="", help="comma-separated tags, e.g. openstack,리뷰")
    parser.add_argument("--category", default="", help="comma-separated categories")
    parser.add_argument("--author", default="", help="comma-separated authors (default: blog_default_author)")
    parser.add_argument("--date", help="YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (default: now)")
    parser.add_argument("--draft", action="store_true", help="mark it `draft: true` (kept out of the site)")
    parser.add_argument("--root", type=Path, default=Path(), help="the site's folder, holding conf.py (default: .)")
    parser.add_argument("--posts-dir", help="posts folder under --root (default: conf.py's journal_posts_dir)")
    parser.add_argument("--timezone", help="zone for --date and now (default: conf.py's journal_timezone)")


class Refused(Exception):
    """The post would not build (or cannot be written where asked); one message per problem."""

    def __init__(self, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class NewPost:
    path: Path
    text: str


def run(args: argparse.Namespace) -> int:
    try:
        post = plan(args)
    except Refused as refusal:
        for message in refusal.messages:
            print(f"journal new: {message}", file=sys.stderr)
        return 2
    try:
        post.path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"journal new: cannot create the folder {post.path.parent}: {_reason(error)}", file=sys.stderr)
        return 1
    try:
        write_new(post.path, post.text)
    except FileExistsError:
        why = "already exists; not overwriting it (change the title or --date)"
        print(f"journal new: {post.path} {why}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"journal new: cannot write {post.path}: {_reason(error)}", file=sys.stderr)
        return 1
    print(f"created {post.path}")
    print("next: write the post, then `make livehtml` to see it")
    return 0


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def plan(args: argparse.Namespace) -> NewPost:
    """The file to write and its text, after every check; Refused says why not."""
    for option, value in _text_options(args):
        _require_utf8(option, value)
    root = _project_root(args.root)
    settings = site_settings(root)
    tz = _timezone(settings["journal_timezone"] if args.timezone is None else args.timezone)
    meta = post_meta(args, tz)
    text = front_matter(meta, tz) + BODY
    posts_dir = args.posts_dir if args.posts_dir is not None else str(settings["journal_posts_dir"])
    assert meta.date is not None
    path = post_path(root / posts_dir, meta.date.date(), slugify(meta.title or ""))
    _require_inside(root, path, posts_dir)
    _require_myst_reads(text)
    problems = list(_clashes_made_by(root, path, parse_post(text, tz), settings, tz))
    if problems:
        raise Refused(*problems)
    return NewPost(path, text)


def _text_options(args: argparse.Namespace) -> Iterator[tuple[str, str]]:
    yield "title", args.title
    for option in ("tags", "category", "author", "date", "posts_dir", "timezone"):
        value = getattr(args, option)
        if value is not None:
            yield f"--{option.replace('_', '-')}", value
    yield "--root", str(args.root)


def _require_utf8(option: str, value: str) -> None:
    """Bytes that are not UTF-8 reach us as lone surrogates (``\\udcff`` for byte 0xff); no file can hold them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        char = ord(value[error.start])
        byte = f" (byte 0x{char - 0xDC00:02x})" if 0xDC80 <= char <= 0xDCFF else ""
        raise Refused(f"{option}: not UTF-8 text{byte}; type it again in a UTF-8 terminal") from None
    if "\0" in value:
        raise Refused(f"{option}: contains a NUL character; remove it")


def _project_root(root: Path) -> Path:
    try:
        if root.is_dir():
            return root
    except (OSError, ValueError):
        pass
    raise Refused(f"--root: {str(root)!r} is not a folder; give the site's folder, which holds conf.py")


def site_settings(root: Path) -> dict[str, Any]:
    """The settings the checks need, from ``root/conf.py`` run as Sphinx runs it (defaults without one)."""
    settings = dict(_SETTINGS)
    conf = root / "conf.py"
    if not conf.is_file():
        return settings
    # Imported here: reading a conf.py is the only thing the command needs from Sphinx itself.
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    try:
        namespace = eval_config_file(conf.resolve(), Tags())
    except Exception as error:  # conf.py is a program: whatever it raises, say so in one line
        cause = error.__cause__ or error
        first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        raise Refused(f"cannot read {conf}: {type(cause).__name__}: {first}") from None
    settings.update({name: namespace[name] for name in _SETTINGS if name in namespace})
    if isinstance(settings["blog_post_pattern"], str):
        settings["blog_post_pattern"] = [settings["blog_post_pattern"]]
    for name, default in _SETTINGS.items():
        value = settings[name]
        wrong = not isinstance(value, type(default)) or (
            isinstance(value, list) and not all(isinstance(item, str) for item in value)
        )
        if wrong:  # the build would stop on it too; say so rather than fail on it below
            raise Refused(f"{conf}: {name} should be {_KINDS[type(default)]}, not {type(value).__name__}")
    return settings


_KINDS: dict[type, str] = {str: "text", dict: "a dict", list: "a list of text"}


def _timezone(name: str) -> ZoneInfo:
    try:
        return time_zone(name)
    except ValueError as error:
        raise Refused(f"--timezone: {error}") from None


def _one_line(text: str) -> str:
    """White space runs (tabs, newlines, ...) as one space: what a title or a label typed on a command line means."""
    return " ".join(text.split())


def post_meta(args: argparse.Namespace, tz: ZoneInfo) -> PostMeta:
    """The new post's front matter from the command line; Refused names the bad option."""
    title = _one_line(args.title)
    if not title:
        raise Refused("the title is empty; e.g. python -m journal new '오픈스택 SDK 첫 리뷰'")
    try:
        now = dt.datetime.now(tz).replace(microsecond=0)
        date = now if args.date is None else to_datetime(args.date, tz)
    except (ValueError, OverflowError) as error:
        raise Refused(f"--date: {error}") from None
    found: dict[str, list[str]] = {}
    for name in ("tags", "category", "author"):
        try:
            # A tab inside a label would be written into a YAML flow list ([a<TAB>b]), which libyaml
            # (our contract) reads as 'a b' and MyST's pure-Python YAML refuses: one line, one space.
            found[name] = to_labels(_one_line(getattr(args, name)), name)
        except ValueError as error:
            raise Refused(f"--{name}: {error}") from None
    return PostMeta(
        title=title, date=date, draft=args.draft, tags=found["tags"], category=found["category"], author=found["author"]
    )


def front_matter(meta: PostMeta, tz: ZoneInfo) -> str:
    """The front matter for *meta*, written as the contract reads it back (the build's check, :func:`parse_post`).

    What the contract normalises (e.g. a character it drops) is written normalised, so the
    file says what the build will show; Refused carries the contract's own messages.
    """
    parsed = parse_post(render_front_matter(meta), tz)
    if parsed.problems:
        raise Refused(*(str(problem) for problem in parsed.problems))
    text = render_front_matter(parsed.meta)
    again = parse_post(text, tz)
    if again.problems or again.meta != parsed.meta:
        raise Refused("the front matter would not read back as written; change the title or the labels")
    return text


def _require_inside(root: Path, path: Path, posts_dir: str) -> None:
    """Every file the command writes resolves inside the project (symbolic links followed)."""
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):
        inside = False
    if not inside:
        raise Refused(f"--posts-dir: {posts_dir!r} would put the post outside the site's folder {str(root)!r}")


def _require_myst_reads(text: str) -> None:
    """MyST reads the front matter again with PyYAML's own (pure-Python) loader; it must agree."""
    from journal.upstream.myst import TopmatterReadError, read_topmatter

    try:
        read_topmatter(text)
    except TopmatterReadError as error:
        cause = error.__cause__
        why = getattr(cause, "problem", None) or str(error)
        raise Refused(
            f"MyST would find this front matter to be Malformed YAML ({why}), which fails the build; "
            "leave that character out of the title and labels"
        ) from None


def _clashes_made_by(root: Path, new: Path, post: ParsedPost, settings: dict[str, Any], tz: ZoneInfo) -> Iterator[str]:
    """The build's cross-post problems that writing *post* at *new* would add, as the build words them.

    The other posts are the ones the build checks (``blog_post_pattern`` less
    ``exclude_patterns``) that have no problem of their own, drafts and future posts
    included: the new post must also build in a drafts preview and once they are published.
    """
    from journal.content.posts import post_sources, read_source

    root, new = root.resolve(), new.resolve()
    config = SimpleNamespace(
        exclude_patterns=list(settings["exclude_patterns"]),
        matched_blog_posts=_matched_posts(root, settings["blog_post_pattern"]),
    )
    others = {path: read_source(path, tz) for path in post_sources(root, config) if path != new}  # type: ignore[arg-type]  # a stand-in for Sphinx's Config: post_sources reads these two values
    others = {path: parsed for path, parsed in others.items() if not parsed.problems}
    blog = (str(settings["blog_path"]), settings["blog_authors"] or {})
    before = set(labels.clashes(root, others, *blog))
    for path, problem in labels.clashes(root, dict(sorted({**others, new: post}.items())), *blog):
        if path == new:
            yield str(problem)
        elif (path, problem) not in before:
            yield f"{path.relative_to(root).as_posix()}:{problem.line}: {problem}"


def _matched_posts(root: Path, patterns: list[str]) -> list[str]:
    """ABlog's ``matched_blog_posts``: docnames of the files *patterns* glob under *root*."""
    return [
        PurePath(name).with_suffix("").as_posix()
        for pattern in patterns
        for name in glob(pattern, root_dir=root, recursive=True)  # noqa: PTH207 - as ABlog globs
    ]


def write_new(path: Path, text: str) -> None:
    """Create *path* with *text*; FileExistsError when it exists (checked atomically by the OS)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:
        out.write(text)

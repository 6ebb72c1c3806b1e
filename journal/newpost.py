"""``python -m journal new TITLE``: start a post as ``posts/YYYY/MM-DD-slug.md``.

The file gets front matter written by :func:`journal.frontmatter.render_front_matter`
(and checked by :func:`journal.frontmatter.parse_post`), a slug made from the
title by :func:`journal.postfiles.slugify` (a Korean title keeps its Hangul), and
a short body to replace. An existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.config import CONFIG
from journal.frontmatter import PostMeta, parse_post, render_front_matter, to_datetime, to_labels
from journal.postfiles import post_path, slugify

_DEFAULTS = {value.name: value.default for value in CONFIG}

BODY = """
첫 문단은 글 목록과 피드에 요약으로 쓰입니다. 무엇을 배웠는지 한두 문장으로 적어 주세요.

## 배운 것

"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("title", help="the post's title, e.g. '오픈스택 SDK 첫 리뷰'")
    parser.add_argument("--tags", default="", help="comma-separated tags, e.g. openstack,리뷰")
    parser.add_argument("--category", default="", help="comma-separated categories")
    parser.add_argument("--author", default="", help="comma-separated authors (default: blog_default_author)")
    parser.add_argument("--date", help="YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (default: now)")
    parser.add_argument("--draft", action="store_true", help="mark it `draft: true` (kept out of the site)")
    parser.add_argument("--root", type=Path, default=Path(), help="the site's folder, holding conf.py (default: .)")
    parser.add_argument("--posts-dir", default=_DEFAULTS["journal_posts_dir"], help="posts folder under --root")
    parser.add_argument("--timezone", default=_DEFAULTS["journal_timezone"], help="the site's journal_timezone")


def run(args: argparse.Namespace) -> int:
    try:
        meta = post_meta(args)
    except ValueError as error:
        print(f"journal new: {error}", file=sys.stderr)
        return 2
    assert meta.date is not None
    path = post_path(args.root / args.posts_dir, meta.date.date(), slugify(meta.title or ""))
    try:
        write_new(path, render_front_matter(meta) + BODY)
    except FileExistsError:
        print(f"journal new: {path} already exists; not overwriting it (change the title or --date)", file=sys.stderr)
        return 1
    print(f"created {path}")
    print("next: write the post, then `make livehtml` to see it")
    return 0


def post_meta(args: argparse.Namespace) -> PostMeta:
    """The new post's front matter from the command line; ValueError names the bad option."""
    title = " ".join(args.title.split())
    if not title:
        raise ValueError("the title is empty; e.g. python -m journal new '오픈스택 SDK 첫 리뷰'")
    try:
        tz = ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"--timezone: {args.timezone!r} is not an IANA time zone such as 'Asia/Seoul'") from None
    try:
        date = to_datetime(args.date, tz) if args.date else dt.datetime.now(tz).replace(microsecond=0)
    except ValueError as error:
        raise ValueError(f"--date: {error}") from None
    meta = PostMeta(
        title=title,
        date=date,
        tags=to_labels(args.tags, "tags"),
        category=to_labels(args.category, "category"),
        author=to_labels(args.author, "author"),
        draft=args.draft,
    )
    problems = parse_post(render_front_matter(meta), tz).problems
    if problems:  # e.g. a tag that YAML cannot hold; never write a post that would fail the build
        raise ValueError("; ".join(str(problem) for problem in problems))
    return meta


def write_new(path: Path, text: str) -> None:
    """Create *path* with *text*; FileExistsError when it exists (checked atomically by the OS)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:
        out.write(text)

"""``python -m journal import-jekyll SRC [--dest posts] [--jekyll-timezone UTC] [--adopt-config] [--dry-run]``.

``--force`` overwrites posts and images that exist and differ.

The Makefile's shortcut is ``make import-jekyll SRC=path/to/jekyll-site [ARGS=--dry-run]``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from journal.config import CONFIG
from journal.contract.frontmatter import time_zone
from journal.jekyll.importer import ImportRun, Options, destination_problem
from journal.jekyll.report import printable
from journal.jekyll.site import SiteError, load_site
from journal.site import SETTINGS_FILE, SettingsError, load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SRC", type=Path, help="a Jekyll site root, or its _posts folder")
    parser.add_argument("--dest", default="posts", help="posts folder, relative to --root (default: posts)")
    parser.add_argument("--root", type=Path, default=Path(), help="the journal's folder (default: here)")
    parser.add_argument("--timezone", help="zone for times without an offset when _config.yml has no 'timezone'")
    parser.add_argument(
        "--jekyll-timezone",
        default="UTC",
        help="zone the old site was built in, for the day in its old URLs, when _config.yml has no 'timezone' "
        "(default: UTC, as on GitHub Pages; give your machine's zone if you built it yourself)",
    )
    parser.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
    parser.add_argument("--force", action="store_true", help="overwrite posts and images that already exist")
    parser.add_argument(
        "--adopt-config",
        action="store_true",
        help="take the journal's title and description from _config.yml (written to journal.json)",
    )


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        problem = destination_problem(args.root.resolve(), args.dest)
        if problem:
            raise SiteError(problem)
        timezone = time_zone(args.timezone or site_timezone(args.root))
        jekyll_timezone = time_zone(args.jekyll_timezone)
        site = load_site(args.source)
        options = Options(
            args.root.resolve(), args.dest, timezone, jekyll_timezone, args.dry_run, args.force, args.adopt_config
        )
        importer = ImportRun(site, options)
        report = importer.run()
    except (SiteError, ValueError, OSError) as error:
        print(printable(f"import-jekyll: {error}"), file=sys.stderr)
        return 2
    for line in report.lines(site.root, dry_run=args.dry_run):
        print(line)
    for change in importer.settings_changes:
        print(printable(f"  {SETTINGS_FILE}: {change}"))
    print(f"  {'time':<20}  {time.perf_counter() - started:.2f} s")
    if args.dry_run:
        print("dry run: nothing was written")
    return 0 if report.ok else 1


def site_timezone(root: Path) -> str:
    """The journal's time zone: ``journal.json``'s, else ``journal_timezone`` in ``conf.py`` (read, not executed)."""
    if (root / SETTINGS_FILE).is_file():
        try:
            return load_settings(root / SETTINGS_FILE).timezone
        except SettingsError as error:
            raise SiteError(str(error)) from None
    default = next(value.default for value in CONFIG if value.name == "journal_timezone")
    conf = root / "conf.py"
    if conf.is_file():
        match = re.search(r"""^journal_timezone\s*=\s*["']([^"']+)["']""", conf.read_text(encoding="utf-8"), re.M)
        if match:
            return match.group(1)
    return str(default)

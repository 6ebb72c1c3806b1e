"""Command line: ``python -m journal <command>``.

Each command lives in its own module exposing ``add_arguments(parser)`` and
``run(args) -> int``; this file only lists them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("journal.newpost", "start a new post in posts/YYYY/"),
    "import-jekyll": ("journal.jekyll.cli", "import a Jekyll site's posts"),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m journal", description="The learning journal's tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = {}
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        module.add_arguments(commands.add_parser(name, help=help_text, description=help_text))
        modules[name] = module
    args = parser.parse_args(argv)
    return int(modules[args.command].run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

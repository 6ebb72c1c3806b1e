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
    argv = list(sys.argv[1:] if argv is None else argv)
    # Only the chosen command's module is imported: one command's import error never breaks the others.
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    modules = {}
    for name, (module_name, help_text) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            modules[name] = importlib.import_module(module_name)
            modules[name].add_arguments(command)
    args = parser.parse_args(argv)
    return int(modules[args.command].run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m journal <command>``.

Each command lives in its own module exposing ``add_arguments(parser)`` and
``run(args) -> int``; this file only lists them.

``python -m journal --from-env <command>`` is how the Makefile runs a command: the
arguments are read from ``JOURNAL_*`` environment variables (see :data:`FROM_ENV`)
that ``make`` exports unexpanded (``$(value TITLE)``), so neither make nor a shell
ever interprets what the user typed: a title with backticks, ``$``, quotes or ``;``
arrives as typed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shlex
import sys
from collections.abc import Callable, Mapping, Sequence

#: command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("journal.commands.newpost", "start a new post in posts/YYYY/"),
    "import-jekyll": ("journal.jekyll.cli", "import a Jekyll site's posts"),
    "init": ("journal.commands.init", "make this repository your own journal (settings in journal.json)"),
}


def _new_from_env(env: Mapping[str, str]) -> list[str]:
    # `--tags=...` and `--` keep a value or a title that starts with '-' from being read as an option.
    return [
        f"--tags={env.get('JOURNAL_TAGS', '')}",
        f"--category={env.get('JOURNAL_CATEGORY', '')}",
        "--",
        env.get("JOURNAL_TITLE", ""),
    ]


def _import_jekyll_from_env(env: Mapping[str, str]) -> list[str]:
    try:
        options = shlex.split(env.get("JOURNAL_ARGS", ""))  # split as a shell would, without running one
    except ValueError as error:
        raise ValueError(f"ARGS: {error} in {env.get('JOURNAL_ARGS', '')!r}") from None
    source = env.get("JOURNAL_SRC", "")
    # SRC first (so a stray word in ARGS is reported, not taken for SRC); "./-x" is the folder "-x", not an option.
    return [f"./{source}" if source.startswith("-") else source, *options]


#: `make init` variable -> init's option (JOURNAL_<VARIABLE>); an empty or unset one is not passed.
INIT_FROM_ENV = {
    "TITLE": "--title",
    "DESCRIPTION": "--description",
    "AUTHOR_NAME": "--author-name",
    "AUTHOR_ID": "--author-id",
    "LANG_CODE": "--language",
    "TIMEZONE": "--timezone",
    "RTD_PROJECT": "--rtd-project",
    "REPOSITORY": "--repository",
    "FROM_JEKYLL": "--from-jekyll",
}


def _init_from_env(env: Mapping[str, str]) -> list[str]:
    # `--option=value` keeps a value that starts with '-' a value.
    options = [f"{flag}={env[f'JOURNAL_{name}']}" for name, flag in INIT_FROM_ENV.items() if env.get(f"JOURNAL_{name}")]
    for name, flag in (("KEEP_SAMPLES", "--keep-samples"), ("YES", "--yes")):
        if env.get(f"JOURNAL_{name}", "") not in ("", "0"):
            options.append(flag)
    return options


#: command -> its arguments built from the environment (`make post`, `make import-jekyll`):
#: JOURNAL_TITLE, JOURNAL_TAGS, JOURNAL_CATEGORY; JOURNAL_SRC, JOURNAL_ARGS (split like a shell's words).
FROM_ENV: dict[str, Callable[[Mapping[str, str]], list[str]]] = {
    "new": _new_from_env,
    "import-jekyll": _import_jekyll_from_env,
    "init": _init_from_env,
}


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m journal", description="The learning journal's tools.")
    parser.add_argument(
        "--from-env",
        action="store_true",
        help="take the command's arguments from JOURNAL_* variables (what the Makefile does)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--from-env"]:
        if len(argv) != 2 or argv[1] not in FROM_ENV:
            parser.error(f"--from-env takes one command, one of: {', '.join(FROM_ENV)}")
        try:
            argv = [argv[1], *FROM_ENV[argv[1]](os.environ if environ is None else environ)]
        except ValueError as error:
            print(f"{parser.prog} {argv[1]}: {error}", file=sys.stderr)
            return 2
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

"""Files Sphinx copies into ``_static`` that no page of the site asks for, taken out again.

Sphinx copies every theme's whole ``static`` folder into the output, and the project's
``html_static_path``, at each build. At 1,000 posts that was 7.0 MB of ``_static``, of which
the pages fetch 0.6 MB: the other 6.4 MB was uploaded to Read the Docs and kept there with
every version, for no reader. Taken out at ``build-finished``, after the stylesheet bundle was
made from its inputs:

* the stylesheets inside :mod:`journal.assets.stylesheets`' bundle, and the theme's
  ``styles/theme.css`` (only an ``@import`` of ``basic.css``): no page links them;
* the Font Awesome script and webfonts: the layout never loads the script, and the bundle
  leaves out the webfont rules (:mod:`journal.assets.icons` draws the icons);
* the themes' source maps (``*.map``, 3.5 MB): only a browser's developer tools ask for them,
  to show the theme's minified code unminified;
* what a theme keeps in its ``static`` folder for the build itself: the book theme's message
  catalogs (``locales/``, read from the package) and the Jinja macros ``webpack-macros.html``.

Only copies of theme files and the bundle's inputs are removed; a file of the project's own
``html_static_path`` other than a bundled stylesheet is never touched, and neither are license
files. Sphinx copies everything again at the next build, so each build starts from a complete
``_static`` and the bundle always reads its inputs. ``tests/test_unshipped.py`` checks, on the
built site, that everything the pages and the bundle refer to is there and that what is left
is asked for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sphinx.application import Sphinx

from journal.assets import stylesheets

#: Theme files the layout replaces: the icon script (journal-icons.css draws the icons) and the
#: import stub in front of basic.css (the bundle holds basic.css itself).
REPLACED = ("scripts/fontawesome.js", "vendor/fontawesome", "styles/theme.css")
#: What themes keep in their static folder for the build, not for the browser.
BUILD_TIME = ("locales", "webpack-macros.html", "sbt-webpack-macros.html")
#: Source maps: fetched only by developer tools.
DEVELOPER_ONLY_SUFFIX = ".map"
#: The licenses of the theme's bundled scripts (Font Awesome's among them): kept.
LICENSE_SUFFIX = ".LICENSE.txt"


def remove_unshipped(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: take out of ``_static`` what no page asks for (see the module's doc)."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for name in unshipped_names(app):
        _remove(static, name)


def unshipped_names(app: Sphinx) -> list[str]:
    """The files under ``_static`` that the pages never ask for."""
    theme_copies = set(_theme_static_files(app)) - set(_own_static_files(app))
    names = list(stylesheets.bundled_names(app))
    for name in sorted(theme_copies):
        if name.endswith(LICENSE_SUFFIX):
            continue
        if name.endswith(DEVELOPER_ONLY_SUFFIX) or _under(name, REPLACED + BUILD_TIME):
            names.append(name)
    return list(dict.fromkeys(names))


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + "/") for prefix in prefixes)


def _theme_static_files(app: Sphinx) -> Iterator[str]:
    theme = getattr(app.builder, "theme", None)
    for folder in theme.get_theme_dirs() if theme else ():
        yield from _files_under(Path(folder, "static"))


def _own_static_files(app: Sphinx) -> Iterator[str]:
    for entry in app.config.html_static_path:
        yield from _files_under(Path(app.confdir, entry))


def _files_under(folder: Path) -> Iterator[str]:
    if folder.is_dir():
        for path in folder.rglob("*"):
            if path.is_file():
                yield path.relative_to(folder).as_posix()


def _remove(static: Path, name: str) -> None:
    """Remove the file ``_static/<name>``, then its folders up to ``_static`` once empty."""
    target = static / name
    if target.is_symlink() or not target.is_file():
        return
    target.unlink()
    folder = target.parent
    while folder != static:
        with contextlib.suppress(OSError):  # not empty: something else there is shipped
            folder.rmdir()
        if folder.exists():
            return
        folder = folder.parent

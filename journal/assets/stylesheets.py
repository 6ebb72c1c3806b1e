"""One stylesheet per page instead of ten: ``_static/styles/journal-bundle.css``.

A first view of a page used to wait for ten render-blocking stylesheets, one of them only an
``@import`` of another (``theme.css`` → ``basic.css``), before it could paint anything; on a
phone's connection each costs a round trip. The bundle is their concatenation, in the order the
page listed them, so the cascade is unchanged:

    basic.css, pydata-sphinx-theme.css (the theme's head assets), then every site-wide stylesheet
    of the builder in its order (pygments.css, the book theme's, journal-icons.css, copybutton's,
    journal.css, journal-theme.css …).

Two things leave on the way: the theme's Font Awesome webfont rules (1,970 ``.fa-x{--fa:"…"}``
glyph rules and their ``@font-face``, 19 KB gzipped), since ``journal-icons.css`` draws the icons
(:mod:`journal.assets.icons`); and relative ``url()`` references are rewritten for the bundle's
folder. A stylesheet added for one page only stays a link of its own.

The page links the bundle with ``?v=`` and a digest of everything the bundle is made from
(package versions, theme options, our stylesheets, icon names), known before any page is
written, so a clean build and an incremental one write the same pages; the file itself is
written at ``build-finished``, after the theme rewrote ``pygments.css``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx

from journal.assets import icons
from journal.speed.incremental import write_atomically
from journal.upstream.sphinx_assets import filename_of, site_wide_css

BUNDLE = "styles/journal-bundle.css"
#: The theme's head assets (``_webpack.head_pre_assets``), first in the cascade; theme.css is
#: only ``@import "../basic.css"``.
THEME_HEAD = ("basic.css", "styles/pydata-sphinx-theme.css")
#: What the digest covers besides the files: the packages that write stylesheets.
PACKAGES = ("sphinx", "pydata-sphinx-theme", "sphinx-book-theme", "sphinx-copybutton", "pygments", "ablog")
#: Bump when the way the bundle is made changes.
RECIPE = "2"

_WEBFONT_GLYPH = re.compile(r'[^{}]*\{--fa:"[^"]*"\}')
_WEBFONT_FACE = re.compile(r"@font-face\{[^}]*Font Awesome[^}]*\}")
_URL = re.compile(r"""url\((?P<quote>["']?)(?P<url>[^)"']+)(?P=quote)\)""")


def bundled_names(app: Sphinx) -> list[str]:
    """The stylesheets the bundle holds, as paths under ``_static``, in cascade order."""
    names = list(THEME_HEAD)
    for css in site_wide_css(app.builder):
        filename = filename_of(css)
        if filename and "://" not in filename and filename.startswith("_static/"):
            names.append(filename.removeprefix("_static/"))
    return list(dict.fromkeys(names))


#: Each build's digest, computed once (every page links the bundle with it).
_DIGESTS: WeakKeyDictionary[Sphinx, str] = WeakKeyDictionary()


def digest(app: Sphinx) -> str:
    """A digest of what the bundle is made from, without reading the build's output."""
    if app not in _DIGESTS:
        _DIGESTS[app] = _digest(app)
    return _DIGESTS[app]


def _digest(app: Sphinx) -> str:
    parts = [RECIPE, *bundled_names(app), *(f"{name}={version(name)}" for name in PACKAGES)]
    parts += [repr(sorted((app.config.html_theme_options or {}).items(), key=str))]
    parts += [str(app.config.pygments_style), str(getattr(app.config, "pygments_dark_style", ""))]
    parts += sorted(icons.site_icon_names(app))
    for folder in app.config.html_static_path:
        for path in sorted((Path(app.confdir) / folder).rglob("*.css")):
            parts.append(path.name + ":" + hashlib.sha256(path.read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def use_bundle(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """html-page-context: the page links the bundle; only page-specific stylesheets stay links."""
    if "css_files" not in context:
        return
    bundled = {"_static/" + name for name in bundled_names(app)}
    context["css_files"] = [css for css in context["css_files"] if filename_of(css) not in bundled]
    context["journal_stylesheet"] = f"_static/{BUNDLE}"
    context["journal_stylesheet_version"] = digest(app)


def write_bundle(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: concatenate the stylesheets into the bundle (kept when unchanged)."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    names = [name for name in bundled_names(app) if (static / name).is_file()]
    stamp = f"/* journal-bundle {_input_key(static, names)} */\n"
    target = static / BUNDLE
    if _first_line(target) == stamp:  # made from these very files: stripping the theme's 367 KB took 0.5 s
        return
    # Atomically: a half-written bundle behind a valid stamp would be kept by the next build.
    write_atomically(target, (stamp + "\n".join(_part(static, name) for name in names)).encode("utf-8"))


def _input_key(static: Path, names: list[str]) -> str:
    """A digest of the bundle's inputs: the recipe, and each stylesheet's name and bytes."""
    key = hashlib.sha256(RECIPE.encode())
    for name in names:
        key.update(f"\0{name}\0".encode())
        key.update((static / name).read_bytes())
    return key.hexdigest()[:16]


def _first_line(path: Path) -> str | None:
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as stream:
        return stream.readline()


def _part(static: Path, name: str) -> str:
    text = (static / name).read_text(encoding="utf-8")
    if name == "styles/pydata-sphinx-theme.css":
        text = _WEBFONT_FACE.sub("", _WEBFONT_GLYPH.sub("", text))
    return f"/* {name} */\n" + _rebase(text, posixpath.dirname(name), posixpath.dirname(BUNDLE))


def _rebase(text: str, folder: str, bundle_folder: str) -> str:
    """Relative ``url()`` references of a stylesheet in *folder*, made relative to the bundle's."""

    def rebase(match: re.Match[str]) -> str:
        url = match["url"].strip()
        if url.startswith(("data:", "#", "/")) or "://" in url:
            return match.group(0)
        target = posixpath.normpath(posixpath.join(folder, url))
        return f'url("{posixpath.relpath(target, bundle_folder or ".")}")'

    return _URL.sub(rebase, text)

"""The icons the site shows, as one small stylesheet instead of the 1.5 MB Font Awesome script.

The theme and ABlog write icons as ``<i class="fa-solid fa-bars">``; the theme's script used to
replace each with an inline ``<svg>`` after the page was shown, for 540 KB of gzipped
JavaScript on every first view. ``_static/journal-icons.css`` draws the same icons with CSS
masks (the shape from the theme's own bundle, :mod:`journal.upstream.fontawesome`, painted in
``currentColor``, so dark mode and links follow), for the icon names that the templates and
scripts of the theme, the book theme, ABlog and this project can write, plus those the
configuration names (``icon_links``). Nothing runs in the browser; nothing moves when the page
loads (the placeholders are sized in ``journal-theme.css``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx

from journal.speed.incremental import load_state, save_state
from journal.upstream.fontawesome import BUNDLE_FILE, Icon, icon_packs
from journal.upstream.packages import package_folder

STYLESHEET = "journal-icons.css"
ROOT = Path(__file__).resolve().parents[2]
#: Folders whose templates, scripts and Python code may write an icon's class.
SOURCES = (
    package_folder("pydata_sphinx_theme"),
    package_folder("sphinx_book_theme"),
    package_folder("ablog"),
    ROOT / "_templates",
    ROOT / "_static",
    ROOT / "journal",
)
SOURCE_SUFFIXES = {".html", ".py", ".js"}
_CLASS = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
#: Font Awesome's own size helpers that the script used to add as CSS.
HELPERS = (
    # An icon is an empty element (<i> or <span>): the script used to give it the box of its <svg>.
    ":where(.fa,.fas,.far,.fab,.fa-solid,.fa-regular,.fa-brands){display:var(--fa-display,inline-block);"
    "box-sizing:content-box;width:var(--fa-width,1.25em);height:1em;vertical-align:-.125em}"
    ".fa-fw{--fa-width:1.25em;text-align:center}"
    ".fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.2em}"
    ".fa-xs{font-size:.75em}.fa-sm{font-size:.875em}.fa-2x{font-size:2em}"
)
LICENSE = (
    "/* The icons this site shows, from Font Awesome Free (https://fontawesome.com), "
    "icons CC BY 4.0 (https://fontawesome.com/license/free). Written by journal.assets.icons. */\n"
)


def names_in_sources(folders: Iterable[Path] = SOURCES) -> set[str]:
    """Every ``fa-…`` name written in the templates, scripts and code of *folders*."""
    names: set[str] = set()
    for folder in folders:
        for path in _source_files(folder):
            names.update(_names_in(path))
    return names


def names_in_kept_sources(app: Sphinx) -> set[str]:
    """:func:`names_in_sources`, reading again only the files whose modification time or size
    changed since the previous build (``journal-icon-names.pickle`` beside the doctrees): the
    scan of about 250 files was a tenth of a second of every rebuild."""
    kept: dict[str, tuple[tuple[int, int], frozenset[str]]] = load_state(app, "icon-names")
    current: dict[str, tuple[tuple[int, int], frozenset[str]]] = {}
    for folder in SOURCES:
        for path in _source_files(folder):
            status = path.stat()
            stamp = (status.st_mtime_ns, status.st_size)
            previous = kept.get(str(path))
            current[str(path)] = (stamp, previous[1] if previous and previous[0] == stamp else _names_in(path))
    if current != kept:
        save_state(app, "icon-names", current)
    return set().union(*(names for _, names in current.values()))


def _names_in(path: Path) -> frozenset[str]:
    return frozenset(_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))


def _source_files(folder: Path) -> Iterator[Path]:
    bundle = BUNDLE_FILE.resolve()
    for path in folder.rglob("*"):
        if path.suffix not in SOURCE_SUFFIXES or (path.name == bundle.name and path.resolve() == bundle):
            continue
        if path.is_file():
            yield path


def names_in_config(app: Sphinx) -> set[str]:
    """Icons the configuration names: ``html_theme_options["icon_links"]`` entries' ``icon``."""
    options = app.config.html_theme_options or {}
    names: set[str] = set()
    for link in options.get("icon_links") or []:
        if isinstance(link, dict) and isinstance(link.get("icon"), str):
            names.update(_CLASS.findall(link["icon"]))
    return names


#: Each build's icon names, read once: the stylesheet and the bundle's digest both need them.
_SITE_NAMES: WeakKeyDictionary[Sphinx, frozenset[str]] = WeakKeyDictionary()


def site_icon_names(app: Sphinx) -> frozenset[str]:
    """The icon names this build's site can show: its sources' and its configuration's."""
    if app not in _SITE_NAMES:
        _SITE_NAMES[app] = frozenset(names_in_kept_sources(app) | names_in_config(app))
    return _SITE_NAMES[app]


def stylesheet(names: Iterable[str]) -> str:
    """CSS drawing each known icon among *names* in its solid, regular and brands forms."""
    packs = icon_packs()
    rules: list[tuple[str, Icon]] = []
    for name in sorted(set(names)):
        solid, regular, brand = (packs[prefix].get(name) for prefix in ("fas", "far", "fab"))
        default = solid or brand
        if default is not None:
            rules.append((f".fa-{name}", default))
        if regular is not None:
            rules.append((f".fa-regular.fa-{name},.far.fa-{name}", regular))
        if brand is not None and brand is not default:
            rules.append((f".fa-brands.fa-{name},.fab.fa-{name}", brand))
    masked = ",".join(f".fa-{name}" for name in sorted(set(names)) if _known(name, packs))
    # `--fa: initial` turns off the theme's webfont glyph (`::before { content: var(--fa) }`), so
    # the 115 KB icon font is never fetched; the rule comes after the theme's, at equal specificity.
    shared = (
        f"{masked}{{--fa:initial;background-color:currentColor;"
        "-webkit-mask:var(--journal-icon) center/contain no-repeat;"
        "mask:var(--journal-icon) center/contain no-repeat}\n"
    )
    body = "".join(f'{selector}{{--journal-icon:url("{_data_url(icon)}")}}\n' for selector, icon in rules)
    return LICENSE + HELPERS + "\n" + shared + body


def _known(name: str, packs: dict[str, dict[str, Icon]]) -> bool:
    return any(name in pack for pack in packs.values())


def _data_url(icon: Icon) -> str:
    return "data:image/svg+xml," + quote(icon.svg(), safe=" /:='.,-")


def write_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: ``_static/journal-icons.css`` for the icons the site can show (kept when unchanged)."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / STYLESHEET
    names = site_icon_names(app)
    stamp = f"/* icons: {' '.join(sorted(names))} */\n"
    if target.is_file() and target.read_text(encoding="utf-8").startswith(stamp):
        return  # the same names as last build: the bundle need not be read again
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stamp + stylesheet(names), encoding="utf-8")

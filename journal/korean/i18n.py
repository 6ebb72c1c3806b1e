"""Korean interface text: our message catalogs, compiled at build time.

ABlog ships no Korean catalog (and its wheel has no ``.mo`` files at all), and
pydata-sphinx-theme has none either; both translate through the ``sphinx``
catalog. The book theme's own Korean catalog (``booktheme``) renders the footer's
"By" as a particle. Our ``.po`` files under ``locales/`` fix both.

Only ``.po`` files live in git (``*.mo`` is ignored). At extension setup they are
compiled with Babel (a Sphinx dependency) into ``<doctreedir>/journal-locales``,
a build cache outside the source tree; a ``.mo`` is rewritten only when its bytes
change, so repeated builds are identical and the work tree stays clean.

Order matters: Sphinx merges catalogs of one name as a chain of fallbacks, first
registered first. Sphinx's own ``sphinx`` catalog always comes first (where it
already translates a string, it wins); we register in ``setup`` so that we come
before the book theme, whose extension is loaded later with the theme.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from sphinx.application import Sphinx
from sphinx.config import Config

from journal.korean.language import is_korean

#: Our ``.po`` files: ``locales/<lang>/LC_MESSAGES/<catalog>.po``.
SOURCE_DIR = Path(__file__).parent / "locales"
#: Folder (under the doctree folder) that holds the compiled catalogs.
CACHE_NAME = "journal-locales"
#: Theme options that hold interface text rather than going through a catalog, for a Korean site.
KOREAN_THEME_OPTIONS: dict[str, str] = {"search_bar_text": "검색어 입력…"}


def po_files(source_dir: Path = SOURCE_DIR) -> list[Path]:
    return sorted(source_dir.glob("*/LC_MESSAGES/*.po"))


def compile_po(po_path: Path) -> bytes:
    """The ``.mo`` bytes for *po_path* (fuzzy entries left out); a malformed file raises, naming it."""
    with po_path.open("rb") as source:
        try:
            catalog = read_po(source, abort_invalid=True)
        except PoFileError as error:
            raise ValueError(f"{po_path}: not a valid message catalog: {error}") from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogs(target_dir: Path, source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Compile every ``.po`` under *source_dir* into the same layout under *target_dir*."""
    written = []
    for po_path in po_files(source_dir):
        mo_path = target_dir / po_path.relative_to(source_dir).with_suffix(".mo")
        data = compile_po(po_path)
        if not mo_path.is_file() or mo_path.read_bytes() != data:
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            mo_path.write_bytes(data)
        written.append(mo_path)
    return written


def catalog_names(source_dir: Path = SOURCE_DIR) -> list[str]:
    return sorted({path.stem for path in po_files(source_dir)})


def korean_theme_options(app: Sphinx, config: Config) -> None:
    """Fill in the theme's text options on a Korean site, unless ``conf.py`` sets them."""
    if is_korean(config.language):
        config.html_theme_options = {**KOREAN_THEME_OPTIONS, **config.html_theme_options}


def setup(app: Sphinx) -> None:
    locale_dir = Path(app.doctreedir) / CACHE_NAME
    compile_catalogs(locale_dir)
    for name in catalog_names():
        app.add_message_catalog(name, str(locale_dir))

"""Compiled page templates kept between builds, beside the doctrees.

Sphinx compiles every Jinja template the theme uses (about fifty for sphinx-book-theme,
ABlog and ours) from source on every build: half a second of each incremental rebuild,
however little changed. Jinja's own bytecode cache, given to the environment of Sphinx's
template bridge at ``builder-inited``, keeps them compiled. Jinja checks each template's
source checksum, so an edited template is compiled again; ``make clean`` removes the cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx

#: The cache's folder, under the doctree folder.
FOLDER = "journal-templates"


def keep_compiled_templates(app: Sphinx) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None:  # a builder without templates, or a custom template bridge
        return
    folder = Path(app.doctreedir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", keep_compiled_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

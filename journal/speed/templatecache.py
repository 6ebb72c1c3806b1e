"""Compiled page templates kept between builds, beside the doctrees.

Sphinx compiles every Jinja template the theme uses (about fifty for sphinx-book-theme,
ABlog and ours) from source on every build: half a second of each incremental rebuild,
however little changed. Jinja's own bytecode cache, given to the environment of Sphinx's
template bridge at ``builder-inited``, keeps them compiled. Jinja checks each template's
source checksum, so an edited template is compiled again; ``make clean`` removes the cache.

Each compiled template is written to a temporary file beside it and renamed into place
(:func:`journal.speed.incremental.write_atomically`), so an interrupted build never leaves half a
file; what the cache holds depends on the templates' sources only, not on Sphinx's environment.
"""

from __future__ import annotations

import io
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from sphinx.application import Sphinx

from journal.speed.incremental import write_atomically

#: The cache's folder, under the doctree folder.
FOLDER = "journal-templates"


class AtomicBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file cache, each file written atomically whatever Jinja's version does, and
    keyed by whether the template is compiled with autoescape (:mod:`journal.upstream.templates`):
    Jinja keys compiled code by name and source only, so code compiled under another policy
    (before an upgrade, say) would print front-matter values unescaped."""

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        policy = environment.autoescape
        escaped = policy(name) if callable(policy) else policy
        bucket = Bucket(environment, self.get_cache_key(f"{name}\0autoescape={escaped}", filename), "")
        bucket.checksum = self.get_source_checksum(source)
        self.load_bytecode(bucket)
        return bucket

    def dump_bytecode(self, bucket: Bucket) -> None:
        compiled = io.BytesIO()
        bucket.write_bytecode(compiled)
        write_atomically(Path(self._get_cache_filename(bucket)), compiled.getvalue())


def keep_compiled_templates(app: Sphinx) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None:  # a builder without templates, or a custom template bridge
        return
    folder = Path(app.doctreedir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = AtomicBytecodeCache(str(folder))

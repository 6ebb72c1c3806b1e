"""Per-post facts measured when a post is read, kept in the environment (small values only).

* ``env.journal_reading``: docname -> :class:`~journal.pages.reading_time.ReadingTime`
* ``env.journal_images``: docname -> :class:`~journal.pages.images.FeatureImage`
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from journal.pages import images
from journal.pages.reading_time import measure_doctree
from journal.state import PerDocumentCollector, images_of, posts_of, reading_of
from journal.warnings import JournalWarning, warn


class PostFactsCollector(PerDocumentCollector):
    kept = (reading_of, images_of)  # in this order: the attributes are created in it

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        meta = posts_of(env).get(env.docname)
        if meta is None:
            return
        reading_of(env)[env.docname] = measure_doctree(doctree)
        if meta.image:
            self._feature_image(env, meta.image, meta.image_alt)

    def _feature_image(self, env: BuildEnvironment, image: str, alt: str | None) -> None:
        docname = env.docname
        try:
            found = images.resolve(image, alt, docname, Path(env.srcdir))
        except FileNotFoundError as error:
            source = env.doc2path(docname)
            line = images.image_line(Path(source).read_text(encoding="utf-8"))
            warn(JournalWarning.FRONTMATTER, str(error), location=(docname, line))
            return
        if not found.is_url:
            env.note_dependency(str(Path(env.srcdir) / found.src))
        images_of(env)[docname] = found


def init_env(app: Sphinx) -> None:
    for kept in PostFactsCollector.kept:
        kept(app.env)


def copy_feature_images(app: Sphinx, exception: Exception | None) -> None:
    """Local feature images go to the output at their source-relative path."""
    if exception is not None or app.builder.format != "html":
        return
    for image in sorted(images_of(app.env).values(), key=lambda i: i.src):
        if image.is_url:
            continue
        source, target = Path(app.srcdir) / image.src, Path(app.outdir) / image.src
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def setup(app: Sphinx) -> None:
    app.add_env_collector(PostFactsCollector)

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
from sphinx.environment.collectors import EnvironmentCollector

from journal.pages import images
from journal.pages.reading_time import measure_doctree
from journal.warnings import JournalWarning, warn

_ATTRIBUTES = ("journal_reading", "journal_images")


class PostFactsCollector(EnvironmentCollector):
    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        for name in _ATTRIBUTES:
            getattr(env, name).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
        for name in _ATTRIBUTES:
            ours, theirs = getattr(env, name), getattr(other, name)
            ours.update({d: theirs[d] for d in docnames if d in theirs})

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        meta = getattr(env, "journal_posts", {}).get(env.docname)
        if meta is None:
            return
        env.journal_reading[env.docname] = measure_doctree(doctree)  # type: ignore[attr-defined]
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
        env.journal_images[docname] = found  # type: ignore[attr-defined]


def init_env(app: Sphinx) -> None:
    for name in _ATTRIBUTES:
        if not hasattr(app.env, name):
            setattr(app.env, name, {})


def copy_feature_images(app: Sphinx, exception: Exception | None) -> None:
    """Local feature images go to the output at their source-relative path."""
    if exception is not None or app.builder.format != "html":
        return
    for image in sorted(getattr(app.env, "journal_images", {}).values(), key=lambda i: i.src):
        if image.is_url:
            continue
        source, target = Path(app.srcdir) / image.src, Path(app.outdir) / image.src
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", init_env)
    app.add_env_collector(PostFactsCollector)
    app.connect("build-finished", copy_feature_images)

"""Images whose file names are Korean or have spaces: ``![그림](<캡처 1.png>)`` finds its file.

markdown-it percent-encodes an image's destination (``캡처 1.png`` becomes
``%EC%BA%A1%EC%B2%98%201.png``, as a browser would want it), MyST hands that to docutils as the
image's ``uri``, and Sphinx reads the ``uri`` as a file path: the file is "not readable" and the
strict build fails. :class:`DecodeImagePaths` runs before Sphinx collects the images: a local
``uri`` with a ``%`` escape whose file does not exist, but whose decoded path does, becomes the
decoded path. A file really named ``a%20b.png`` is left as it is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

#: A scheme (``https:``, ``data:``) or ``//``: not a file of the project.
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


class DecodeImagePaths(SphinxTransform):
    """The decoded path of a local image whose percent-encoded path names no file."""

    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        for image in self.document.findall(nodes.image):
            uri = image.get("uri", "")
            if "%" not in uri or _REMOTE.match(uri):
                continue
            decoded = unquote(uri)
            if decoded != uri and not self._exists(uri) and self._exists(decoded):
                image["uri"] = decoded

    def _exists(self, uri: str) -> bool:
        _, path = self.env.relfn2path(uri, self.env.docname)
        return Path(path).is_file()


def setup(app: Sphinx) -> None:
    app.add_transform(DecodeImagePaths)

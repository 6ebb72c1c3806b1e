"""The redirects data file: old URL -> new page, written by the importer, read by ``conf.py``.

``redirects.json`` maps the file an old URL was served from (``2025/04/12/slug.html``,
``posts/slug/index.html``) to the new page, as a path from the site root
(``/posts/2025/04-12-slug.html``); sphinx-reredirects writes a small page at each old
path that forwards there. Keys are explicit paths, never wildcards (those only match
pages that exist). Re-importing merges into the file; it never drops entries.
"""

from __future__ import annotations

import json
from pathlib import Path

FILENAME = "redirects.json"


def load_redirects(path: Path) -> dict[str, str]:
    """The redirects in *path* (``{}`` when there is no file yet), for ``redirects = ...`` in ``conf.py``."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError(f"{path}: expected a JSON object mapping old paths to new pages")
    return data


def merged(existing: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """*existing* plus *new* (new targets win for the same old path), sorted so the file is stable."""
    return dict(sorted({**existing, **new}.items()))


def render(redirects: dict[str, str]) -> str:
    return json.dumps(redirects, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

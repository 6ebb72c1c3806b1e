"""The icons of the theme's Font Awesome bundle, read at build time.

Why this touches upstream: pydata-sphinx-theme ships Font Awesome as one script,
``static/scripts/fontawesome.js`` (1.5 MB, 540 KB gzipped), which holds every free icon and
swaps each ``<i class="fa-solid fa-bars">`` for an ``<svg>`` after the page is shown. A page of
the journal shows about twenty icons. :mod:`journal.assets.icons` writes those few as a small
stylesheet instead, and the page no longer loads the script. The icon shapes come from the same
file, so they stay the theme's: this module reads the bundle's icon packs, which is the
bundle's internal data layout (webpack output, not an API):

* each pack is an object literal ``var b={"bars":[448,512,["navicon"],"f0c9","M0 96C0…"],…}``
  (keys quoted or bare), followed by its registration ``p("fas",b)``;
* an icon is ``[width, height, [aliases…], unicode, path]``; the path is one string (duotone
  icons, not in the free set, would have two).

``tests/test_upstream.py`` fails when the bundle stops looking like this (the packs or an icon
we show cannot be found).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from journal.upstream.packages import package_folder

BUNDLE_FILE = (
    package_folder("pydata_sphinx_theme") / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js"
)
#: The three free packs by the prefix that registers them: solid, regular, brands.
PACKS = ("fas", "far", "fab")

_PACK_START = re.compile(r"var b=\{")
_REGISTRATION = re.compile(r'p\("(fa[a-z]+)",b\)')
_ICON = re.compile(
    r'(?:"(?P<quoted>[a-z0-9-]+)"|(?P<bare>[A-Za-z0-9_$]+)):'
    r'\[(?P<width>\d+),(?P<height>\d+),\[(?P<aliases>[^\]]*)\],"[0-9a-f]*",(?P<path>"[^"]*"|\[[^\]]*\])\]'
)
_ALIAS = re.compile(r'"([a-z0-9-]+)"')


@dataclass(frozen=True)
class Icon:
    width: int
    height: int
    path: str

    def svg(self) -> str:
        """The icon as a standalone SVG document (black: it is used as a mask)."""
        return (
            f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {self.width} {self.height}'>"
            f"<path d='{self.path}'/></svg>"
        )


class BundleChanged(RuntimeError):
    """The theme's Font Awesome bundle no longer has the layout this module reads."""


@cache
def icon_packs(bundle: Path = BUNDLE_FILE) -> dict[str, dict[str, Icon]]:
    """Prefix (``fas``, ``far``, ``fab``) -> icon name or alias -> icon."""
    text = bundle.read_text(encoding="utf-8")
    packs: dict[str, dict[str, Icon]] = {}
    for start in _PACK_START.finditer(text):
        registration = _REGISTRATION.search(text, start.end())
        if registration is None:
            continue
        icons: dict[str, Icon] = {}
        for match in _ICON.finditer(text, start.end(), registration.start()):
            path = match["path"]
            if not path.startswith('"'):
                continue  # a two-tone icon: not in the free packs
            icon = Icon(int(match["width"]), int(match["height"]), path[1:-1])
            for name in (match["quoted"] or match["bare"], *_ALIAS.findall(match["aliases"])):
                icons.setdefault(name, icon)
        packs.setdefault(registration.group(1), icons)
    missing = [prefix for prefix in PACKS if not packs.get(prefix)]
    if missing:
        raise BundleChanged(f"{bundle}: no icon pack registered as {', '.join(missing)}")
    return {prefix: packs[prefix] for prefix in PACKS}

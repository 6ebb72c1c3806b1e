"""Sphinx's English search data, which it keeps in private places: the one door to them.

:mod:`journal.korean.search` searches Korean and English words alike, so its search language
reuses what Sphinx's English one uses: the stop words (``sphinx.search._stopwords.en``, a private
module) and the minified snowball stemmers that ``language_data.js`` embeds (the ``minified-js``
folder beside ``sphinx/search/__init__.py``, no API names it). ``tests/test_upstream.py`` checks
that both are still there and still what Sphinx's English search language uses.
"""

from __future__ import annotations

from pathlib import Path

import sphinx.search
from sphinx.search._stopwords.en import ENGLISH_STOPWORDS

__all__ = ["ENGLISH_STOPWORDS", "STEMMER_JS_FOLDER"]

#: Sphinx's minified snowball stemmers (``base-stemmer.js``, ``english-stemmer.js`` ...).
STEMMER_JS_FOLDER = Path(sphinx.search.__file__).parent / "minified-js"

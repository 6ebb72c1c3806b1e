"""Korean search: a Sphinx search language for ``ko`` with a matching JavaScript stemmer.

Sphinx has no Korean search language; with ``language = "ko"`` it falls back to
English and indexes words whole with their particles. :class:`SearchKorean`
(registered with ``app.add_search_language``) stems with
:func:`journal.korean.stemmer.stem`, and gives ``searchtools.js`` a ``Stemmer``
built from Sphinx's own snowball English stemmer (for Latin words) plus
``static/korean_stemmer.js``, into which the Python suffix table is written, so
the browser and the index apply one set of rules.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

from journal.korean import stemmer
from journal.upstream.sphinx_english import ENGLISH_STOPWORDS, STEMMER_JS_FOLDER

STEMMER_JS = Path(__file__).parent / "static" / "korean_stemmer.js"
#: Sphinx's minified snowball stemmers, which ``language_data.js`` embeds for English.
_SPHINX_JS = STEMMER_JS_FOLDER


@cache
def korean_stemmer_js() -> str:
    """``korean_stemmer.js`` with the suffix table and minimum stem length from :mod:`stemmer`."""
    source = STEMMER_JS.read_text(encoding="utf-8")
    for marker, value in (("/*@SUFFIXES@*/ []", list(stemmer.SUFFIXES)), ("/*@MIN_STEM@*/ 2", stemmer.MIN_STEM)):
        if marker not in source:
            raise RuntimeError(f"{STEMMER_JS}: marker {marker!r} is missing")
        source = source.replace(marker, json.dumps(value, ensure_ascii=False))
    return source


@cache
def stemmer_code() -> str:
    """The JavaScript that defines ``Stemmer`` in ``language_data.js``."""
    parts = [(_SPHINX_JS / name).read_text(encoding="utf-8") for name in ("base-stemmer.js", "english-stemmer.js")]
    return "\n".join([*parts, korean_stemmer_js(), "window.Stemmer = KoreanStemmer;"])


class SearchKorean(SearchLanguage):
    lang = "ko"
    language_name = "Korean"
    stopwords = ENGLISH_STOPWORDS

    @property
    def js_stemmer_code(self) -> str:  # type: ignore[override]  # Sphinx declares a plain class attribute
        return stemmer_code()

    def stem(self, word: str) -> str:
        return stemmer.stem(word)


def setup(app: Sphinx) -> None:
    app.add_search_language(SearchKorean)

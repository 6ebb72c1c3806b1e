"""A dictionary-free Korean stemmer: strip one particle or verb ending from a word.

Korean attaches particles (조사) and endings (어미) to words: ``오픈소스는``,
``인프라를``, ``공부한다``. Indexing whole words means a search for ``공부`` never
finds ``공부한다``. :func:`stem_korean` removes the longest known suffix, once,
and never leaves fewer than :data:`MIN_STEM` characters (so ``평가``, ``결과``,
``속도`` stay whole). It knows no dictionary, so some nouns that happen to end
like a particle lose their last syllable (``고양이`` -> ``고양``); the search
index and the query go through the same rules (``korean_stemmer.js`` gets
:data:`SUFFIXES` and :data:`MIN_STEM` from here), so they still meet.

:func:`stem` is what the search index uses: Korean words are stripped; words
without Hangul, or left without Hangul after stripping (``DevStack으로``), get
Sphinx's English (snowball) stemming.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import snowballstemmer

#: The shortest stem we leave, in characters (Hangul syllables count one each).
MIN_STEM = 2

#: Case particles, auxiliary particles and the copula, as they attach to nouns.
PARTICLES: tuple[str, ...] = (
    # single syllable
    "은", "는", "이", "가", "을", "를", "에", "의", "와", "과", "도", "만", "로", "께", "랑",
    # common particles
    "에서", "으로", "에게", "한테", "까지", "부터", "처럼", "보다", "마다", "조차", "밖에", "께서",
    "이나", "이랑", "이며", "이라고", "이라는", "이란", "이든", "든지", "이든지",
    "로서", "로써", "으로서", "으로써", "에게서", "한테서", "같이", "대로", "뿐",
    # particle + particle
    "에서는", "에서도", "에서의", "에서만", "에서부터", "에게는", "에게도", "으로는", "으로도", "으로만",
    "로는", "로도", "로만", "에는", "에도", "에만", "와는", "과는", "와도", "과도", "와의", "과의",
    "까지는", "까지도", "까지의", "부터는", "부터도", "만은", "만이", "만을", "만의", "도록",
    "보다는", "처럼은", "마다의",
    # copula
    "이다", "였다", "이었다", "입니다", "였습니다", "이었습니다", "이에요", "예요", "이고", "이라서",
)  # fmt: skip

#: Endings of 하다/되다/시키다 verbs and adjectives (``공부한다``, ``설정됐다``, ``간단한``).
VERB_ENDINGS: tuple[str, ...] = (
    # 하다
    "하다", "한다", "했다", "합니다", "했습니다", "해요", "했어요", "하는", "하고", "하며", "하면", "하여",
    "해서", "했고", "했던", "하던", "하기", "하기로", "하기도", "하기에", "하지", "하지만", "하게", "하려고",
    "하려면", "하는데", "했는데", "해야", "해도", "하면서", "했지만", "하거나", "하도록", "했을", "했으면", "하니까",
    "할", "한", "함", "해",
    # 되다
    "되다", "된다", "됐다", "되었다", "됩니다", "되었습니다", "됐습니다", "되는", "되고", "되어", "되면",
    "되지", "되기", "되게", "되면서", "되었고", "됐고", "되거나", "되도록", "된", "될", "돼", "돼서", "되어서",
    # 시키다
    "시킨다", "시켰다", "시키는", "시키고", "시켜", "시켜서", "시킵니다",
)  # fmt: skip

#: A plural ``들`` may come before any particle (``사람들은``).
PLURAL = "들"

#: Every suffix we strip, longest first (ties in code point order): the order both stemmers try.
SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {*PARTICLES, *VERB_ENDINGS, PLURAL, *(PLURAL + particle for particle in PARTICLES)},
        key=lambda suffix: (-len(suffix), suffix),
    )
)

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_english = snowballstemmer.stemmer("english")


def has_hangul(word: str) -> bool:
    return _HANGUL.search(word) is not None


def stem_korean(word: str) -> str:
    """*word* without its longest known suffix, if at least :data:`MIN_STEM` characters remain."""
    for suffix in SUFFIXES:
        if len(word) - len(suffix) >= MIN_STEM and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@cache
def stem(word: str) -> str:
    """The search index's stem of *word* (lower case): Korean rules, then English for Latin words."""
    word = unicodedata.normalize("NFC", word)
    if has_hangul(word):
        word = stem_korean(word)
    if has_hangul(word):
        return word.lower()
    stem: str = _english.stemWord(word.lower())  # snowballstemmer has no type hints
    return stem

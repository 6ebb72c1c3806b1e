"""Reading time that is fair to Korean: Hangul (and other CJK) is counted in characters, the rest in words.

A word-count estimate treats a whole Korean phrase such as ``설정했습니다`` as one word and makes
Korean posts look far shorter than they are; readers of Korean take in roughly 500 syllables a
minute, readers of English roughly 230 words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from docutils import nodes

#: Characters read one by one: Hangul syllables and jamo, CJK ideographs, kana.
CJK_CHARACTER = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
#: Everything else is read word by word.
WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
CHARACTERS_PER_MINUTE = 500
WORDS_PER_MINUTE = 230

#: Text under these nodes is not read as part of the post.
_SKIPPED = (nodes.docinfo, nodes.title, nodes.comment, nodes.raw, nodes.system_message, nodes.substitution_definition)


@dataclass(frozen=True)
class ReadingTime:
    characters: int
    words: int

    @property
    def minutes(self) -> int:
        """Whole minutes, at least one."""
        exact = self.characters / CHARACTERS_PER_MINUTE + self.words / WORDS_PER_MINUTE
        return max(1, math.ceil(exact))

    @property
    def label(self) -> str:
        return f"{self.minutes}분"


def measure(text: str) -> ReadingTime:
    """Count the CJK characters and the other words of *text*."""
    characters = len(CJK_CHARACTER.findall(text))
    words = len(WORD.findall(CJK_CHARACTER.sub(" ", text)))
    return ReadingTime(characters, words)


def measure_doctree(doctree: nodes.Node) -> ReadingTime:
    """Reading time of a post's body: its text without title, front matter fields and comments."""
    return measure(" ".join(_body_text(doctree)))


def _body_text(doctree: nodes.Node) -> Iterable[str]:
    for text in doctree.findall(nodes.Text):
        if not _inside_skipped(text):
            yield text.astext()


def _inside_skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIPPED):
            return True
        parent = parent.parent
    return False

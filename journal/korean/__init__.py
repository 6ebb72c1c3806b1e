"""Korean-first: Korean interface text and dates, CJK-friendly emphasis, Korean search.

One feature (``journal.korean`` in ``journal.FEATURES``) made of small parts; their event
handlers are in the event table of :mod:`journal`, and the three that register something
else (message catalogs, the search language, a transform) have a ``setup(app)``:

* :mod:`journal.korean.i18n` -- message catalogs for ABlog, the theme and the book theme's byline;
* :mod:`journal.korean.ablog_labels` -- ABlog labels stored outside gettext ("Tags", "Posts");
* :mod:`journal.korean.dates` -- ``2025년 4월 12일`` on a Korean site;
* :mod:`journal.korean.emphasis` -- ``**'리뷰'**를`` renders bold (CommonMark CJK-friendly amendment);
* :mod:`journal.korean.imagepaths` -- an image file named ``캡처 1.png`` is found (MyST percent-encodes it);
* :mod:`journal.korean.search` -- a ``ko`` search language with a matching JavaScript stemmer.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from journal.korean import i18n, imagepaths, search

PARTS = (i18n, search, imagepaths)


def setup(app: Sphinx) -> dict[str, bool]:
    for part in PARTS:
        part.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

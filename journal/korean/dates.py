"""Korean dates on a Korean site: ``2025년 4월 12일`` instead of ``12 April 2025``.

ABlog formats every date with ``strftime(post_date_format)`` (English month
names). When the site's language is Korean and ``conf.py`` leaves ABlog's date
formats at their defaults, ``config-inited`` sets Korean ones; a site in another
language, or one that sets its own formats, is left alone.

``%-m``/``%-d`` (no leading zero) are understood by the C library on Linux and
macOS, where the site is built (locally and on Read the Docs).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config

from journal.korean.language import is_korean
from journal.upstream.ablog_state import ABLOG_DEFAULTS

KOREAN_DATE_FORMAT = "%Y년 %-m월 %-d일"
#: ABlog option -> the Korean format used when the option is left at ABlog's default.
KOREAN_FORMATS: dict[str, str] = {
    "post_date_format": KOREAN_DATE_FORMAT,
    "post_date_format_short": KOREAN_DATE_FORMAT,
}


def set_korean_date_formats(app: Sphinx, config: Config) -> None:
    if not is_korean(config.language):
        return
    for name, korean in KOREAN_FORMATS.items():
        if config[name] == ABLOG_DEFAULTS[name]:
            config[name] = korean

"""Where the site lives: the canonical base URL every absolute link is built from, and whose
journal it is (``journal.json``, read by ``conf.py`` through :func:`load_settings`)."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Read the Docs exports the URL of the version being built, e.g. https://p.readthedocs.io/ko/latest/
READTHEDOCS_VARIABLE = "READTHEDOCS_CANONICAL_URL"
#: Lets a local build or another host choose the base URL without editing conf.py.
OVERRIDE_VARIABLE = "JOURNAL_BASEURL"


def with_slash(url: str) -> str:
    """*url* ending in ``/``, as a base URL or a folder's path must for relative links to join it."""
    return url if url.endswith("/") else url + "/"


def canonical_base_url(default: str, environ: Mapping[str, str] | None = None) -> str:
    """The site's base URL, always ending in ``/``: Read the Docs' when set, else ours, else *default*."""
    environ = os.environ if environ is None else environ
    url = environ.get(READTHEDOCS_VARIABLE) or environ.get(OVERRIDE_VARIABLE) or default
    return with_slash(url)


def base_url_source(environ: Mapping[str, str] | None = None) -> str | None:
    """The environment variable that chose the base URL, or None when ``conf.py``'s default applies."""
    environ = os.environ if environ is None else environ
    return next((name for name in (READTHEDOCS_VARIABLE, OVERRIDE_VARIABLE) if environ.get(name)), None)


def served_path(base_url: str, environ: Mapping[str, str] | None = None) -> str:
    """The URL path the site is served under: ``/ko/latest/`` on Read the Docs, ``/`` for a local build.

    A local build (no variable set) is served from its output folder's root, e.g. by
    ``python -m http.server``, whatever default base URL ``conf.py`` names for feeds.
    """
    if base_url_source(environ) is None:
        return "/"
    path = urlparse(base_url).path or "/"
    return with_slash(path)


def is_default_base_url(default: str, environ: Mapping[str, str] | None = None) -> bool:
    """True when no environment variable chose the base URL (a local build)."""
    return canonical_base_url(default, environ) == canonical_base_url(default, {})


# -- The journal's own settings (journal.json) --------------------------------------------------

#: The file ``python -m journal init`` writes at the project root; ``conf.py`` reads it.
SETTINGS_FILE = "journal.json"


@dataclass(frozen=True)
class JournalSettings:
    """Who the journal belongs to; the defaults are the sample journal's."""

    title: str = "배움 일지"
    description: str = "오픈소스에 기여하며 배운 것을 날짜별로 적는 학습 일지"
    #: author id -> display name (ABlog's ``blog_authors``)
    authors: Mapping[str, str] = field(default_factory=lambda: {"bora": "김보라"})
    default_author: str = "bora"
    #: who holds the copyright (Sphinx's ``author``) and since when
    owner: str = "배움 일지 팀"
    since: int = 2025
    language: str = "ko"
    timezone: str = "Asia/Seoul"
    rtd_project: str = "baeum-ilji"
    repository: str = "https://github.com/baeum-ilji/journal"

    @property
    def base_url(self) -> str:
        """Read the Docs' URL of the latest version: ``https://<project>.readthedocs.io/<lang>/latest/``."""
        return f"https://{self.rtd_project}.readthedocs.io/{rtd_language(self.language)}/latest/"

    @property
    def blog_authors(self) -> dict[str, tuple[str, None]]:
        return {key: (name, None) for key, name in self.authors.items()}

    def to_json(self) -> str:
        data = {name: getattr(self, name) for name in SETTINGS_KEYS}
        data["authors"] = dict(self.authors)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


SETTINGS_KEYS = tuple(f.name for f in fields(JournalSettings))


class SettingsError(ValueError):
    """A value in journal.json (or given to ``init``) is not valid; the message names the key."""


_LANGUAGE = re.compile(r"[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*")
_RTD_PROJECT = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_AUTHOR_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def rtd_language(language: str) -> str:
    """Read the Docs' spelling of a language code in URLs: ``pt_BR`` -> ``pt-br``."""
    return language.replace("_", "-").lower()


def _one_line_text(key: str, value: object, *, empty: bool = False, limit: int = 300) -> str:
    if not isinstance(value, str):
        raise SettingsError(f"{key}: expected text, got {type(value).__name__}")
    if not empty and not value.strip():
        raise SettingsError(f"{key}: is empty")
    if value != " ".join(value.split()):
        raise SettingsError(f"{key}: {value!r} must be one line without leading, trailing or repeated spaces")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in value):
        raise SettingsError(f"{key}: {value!r} contains a control or invisible character")
    if len(value) > limit:
        raise SettingsError(f"{key}: is {len(value)} characters long; the limit is {limit}")
    return value


def check_value(key: str, value: object) -> object:
    """*value* for *key* as the journal uses it; SettingsError naming the key when it is not valid."""
    if key in ("title", "owner"):
        return _one_line_text(key, value)
    if key == "description":
        return _one_line_text(key, value, empty=True, limit=2000)
    if key == "authors":
        if not isinstance(value, dict) or not value:
            raise SettingsError('authors: expected a mapping of author id to display name, e.g. {"minsu": "이민수"}')
        for author_id, name in value.items():
            check_value("author id", author_id)
            _one_line_text(f"authors.{author_id}", name, limit=100)
        return dict(value)
    if key in ("default_author", "author id"):
        if not isinstance(value, str) or not _AUTHOR_ID.fullmatch(value):
            raise SettingsError(f"{key}: {value!r} is not an author id; use lowercase letters, digits, '-' or '_'")
        return value
    if key == "since":
        if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
            raise SettingsError(f"since: {value!r} is not a year")
        return value
    if key == "language":
        if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
            raise SettingsError(f"language: {value!r} is not a language code such as 'ko', 'en' or 'pt_BR'")
        return value
    if key == "timezone":
        if not isinstance(value, str) or not value:
            raise SettingsError(f"timezone: {value!r} is not a time zone such as 'Asia/Seoul'")
        try:
            ZoneInfo(value)
        except (ValueError, OSError, ZoneInfoNotFoundError):
            raise SettingsError(f"timezone: {value!r} is not a time zone such as 'Asia/Seoul'") from None
        return value
    if key == "rtd_project":
        if not isinstance(value, str) or not _RTD_PROJECT.fullmatch(value):
            raise SettingsError(
                f"rtd_project: {value!r} is not a Read the Docs project name (lowercase letters, digits and '-')"
            )
        return value
    if key == "repository":
        if not isinstance(value, str):
            raise SettingsError(f"repository: expected text, got {type(value).__name__}")
        parsed = urlparse(value)
        if value and (parsed.scheme not in ("https", "http") or not parsed.netloc or any(c.isspace() for c in value)):
            raise SettingsError(f"repository: {value!r} is not a web address such as 'https://github.com/me/journal'")
        return value
    raise SettingsError(f"{key}: unknown key; the keys are {', '.join(SETTINGS_KEYS)}")


def make_settings(values: Mapping[str, object]) -> JournalSettings:
    """Settings from *values* (missing keys keep the sample's), each checked; SettingsError names a bad one."""
    checked = {key: check_value(key, value) for key, value in values.items()}
    settings = JournalSettings(**checked)  # type: ignore[arg-type]  # each value was checked for its key above
    if settings.default_author not in settings.authors:
        raise SettingsError(
            f"default_author: {settings.default_author!r} is not one of authors ({', '.join(settings.authors)})"
        )
    return settings


def load_settings(path: Path) -> JournalSettings:
    """The journal's settings from *path* (``journal.json``); the sample journal's when there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return JournalSettings()
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot read it ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a JSON object of settings, got {type(data).__name__}")
    try:
        return make_settings(data)
    except SettingsError as error:
        raise SettingsError(f"{path}: {error}") from None

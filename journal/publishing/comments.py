"""Optional comments with giscus (GitHub Discussions), off by default.

Comments appear under published posts once ``journal_giscus_repo``, ``journal_giscus_repo_id``,
``journal_giscus_category`` and ``journal_giscus_category_id`` are all set in ``conf.py`` (the
values giscus.app shows for your repository). Until then no page loads anything from giscus or
GitHub. Setting only some of them is a ``journal.config`` warning naming the missing ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from journal.state import posts_of
from journal.upstream import ablog_state
from journal.warnings import JournalWarning, warn

REQUIRED = ("journal_giscus_repo", "journal_giscus_repo_id", "journal_giscus_category", "journal_giscus_category_id")
CLIENT_URL = "https://giscus.app/client.js"


@dataclass(frozen=True)
class Giscus:
    repo: str
    repo_id: str
    category: str
    category_id: str
    mapping: str
    lang: str
    client: str = CLIENT_URL


def giscus_settings(config: Config) -> Giscus | None:
    """The giscus settings, or None when comments are off."""
    values = _required_values(config)
    if not all(values.values()):
        return None
    return Giscus(
        repo=values["journal_giscus_repo"],
        repo_id=values["journal_giscus_repo_id"],
        category=values["journal_giscus_category"],
        category_id=values["journal_giscus_category_id"],
        mapping=config.journal_giscus_mapping,
        lang=config.journal_giscus_lang,
    )


def _required_values(config: Config) -> dict[str, str]:
    return {name: (getattr(config, name) or "").strip() for name in REQUIRED}


def check_config(app: Sphinx, config: Config) -> None:
    values = _required_values(config)
    missing = [name for name, value in values.items() if not value]
    if missing and len(missing) < len(REQUIRED):
        warn(JournalWarning.CONFIG, f"giscus comments stay off until these are set too: {', '.join(missing)}")


def add_comments(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``journal_giscus`` in the context of published posts' pages when comments are on."""
    settings = giscus_settings(app.config)
    if settings is None or pagename not in posts_of(app.env):
        return
    blog = ablog_state.blog(app)
    post = blog[pagename]  # None when the page is no post
    if post is not None and post.published:
        context["journal_giscus"] = settings

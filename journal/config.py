"""Our configuration values in one table: name, default, rebuild, types, help."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError


class ConfigValue(NamedTuple):
    name: str
    default: Any
    rebuild: Literal["env", "html"]
    types: tuple[type, ...]
    help: str


CONFIG: list[ConfigValue] = [
    ConfigValue("journal_timezone", "Asia/Seoul", "env", (str,), "IANA zone for post dates written without an offset."),
    # Read by `journal new` from conf.py (where to write a post); the build finds posts by ABlog's blog_post_pattern.
    ConfigValue("journal_posts_dir", "posts", "env", (str,), "Folder (under the source folder) holding the posts."),
    ConfigValue(
        "journal_show_drafts",
        False,
        "env",
        (bool,),
        "Build drafts and future posts too (preview: `make html DRAFTS=1`); never for publishing.",
    ),
    ConfigValue(
        "journal_feed_length",
        20,
        "html",
        (int, type(None)),
        "Newest posts per feed (site, tag, category); None or 0 keeps every post.",
    ),
    ConfigValue(
        "journal_feed_fulltext", True, "html", (bool,), "Feeds carry each post's full HTML besides its excerpt."
    ),
    ConfigValue(
        "journal_feed_archives",
        ["tags", "category"],
        "html",
        (list, tuple),
        "ABlog catalogs whose every collection gets its own RSS and Atom feed.",
    ),
    ConfigValue(
        "journal_notes_dir", "notes", "env", (str,), "Folder (under the source folder) holding the notes (not posts)."
    ),
    ConfigValue(
        "journal_listing_page_size",
        20,
        "html",
        (int,),
        "Posts (with their excerpts) per page of the journal index, posts/index (모든 글).",
    ),
    ConfigValue(
        "journal_archive_page_size",
        50,
        "html",
        (int,),
        "Posts (one compact row each) per page of ABlog's archives: all posts, each year, tag, category, author.",
    ),
    ConfigValue(
        "journal_revisit_after_days",
        30,
        "html",
        (int,),
        "A seedling or growing note not updated for this many days is listed by {revisitnotes} (다시 볼 노트).",
    ),
    ConfigValue("journal_related_posts", 3, "html", (int,), "How many related posts (shared tags) a post page lists."),
    ConfigValue("journal_map_posts", 100, "html", (int,), "Posts the garden map draws at most (others: tag counts)."),
    ConfigValue("journal_giscus_repo", "", "html", (str,), "giscus comments: GitHub repository, 'owner/name'."),
    ConfigValue("journal_giscus_repo_id", "", "html", (str,), "giscus comments: the repository id giscus.app shows."),
    ConfigValue("journal_giscus_category", "", "html", (str,), "giscus comments: Discussions category name."),
    ConfigValue("journal_giscus_category_id", "", "html", (str,), "giscus comments: the category id giscus.app shows."),
    ConfigValue("journal_giscus_mapping", "pathname", "html", (str,), "giscus comments: how pages map to discussions."),
    ConfigValue("journal_giscus_lang", "ko", "html", (str,), "giscus comments: language of the comment widget."),
    ConfigValue(
        "journal_cjk_emphasis",
        True,
        "env",
        (bool,),
        "MyST emphasis follows the CommonMark CJK-friendly amendment (`**'리뷰'**를` is bold).",
    ),
    ConfigValue(
        "journal_compact_html",
        True,
        "html",
        (bool,),
        "Pages are written without their templates' indentation and blank lines (journal.assets.htmlspace).",
    ),
    ConfigValue(
        "journal_widget_cache",
        True,
        "html",
        (bool,),
        "Sidebar widgets (navigation, tag cloud...) are rendered once per output folder (journal.speed.widgets).",
    ),
]


#: Numbers that must be at least this much.
MINIMUMS = {
    "journal_listing_page_size": 1,
    "journal_archive_page_size": 1,
    "journal_feed_length": 0,
    "journal_revisit_after_days": 0,
}


def register(app: Sphinx) -> None:
    for value in CONFIG:
        app.add_config_value(value.name, value.default, value.rebuild, value.types, description=value.help)
    check(app.config)


def check(config: Config) -> None:
    """Stop the build on a value of the wrong type, naming it: Sphinx's own check only warns, and goes on with it."""
    for value in CONFIG:
        current = getattr(config, value.name)
        problem = type_problem(current, value.types)
        if problem:
            raise ConfigError(f"journal.config: {value.name} = {_shown(current)}: {problem}")
        least = MINIMUMS.get(value.name)
        if least is not None and current is not None and current < least:
            raise ConfigError(f"journal.config: {value.name} = {current!r}: at least {least}")


def type_problem(value: Any, types: tuple[type, ...]) -> str | None:
    """Why *value* is not one of *types* (True is no int here, and a list holds text), or None."""
    names = " or ".join("None" if kind is type(None) else kind.__name__ for kind in types)
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        return f"expected {names}, got {type(value).__name__}"
    if isinstance(value, (list, tuple)) and not all(isinstance(item, str) for item in value):
        return "expected a list of text"
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"

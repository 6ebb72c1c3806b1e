"""Our configuration values in one table: name, default, rebuild, types, help."""

from __future__ import annotations

from typing import Any, NamedTuple

from sphinx.application import Sphinx


class ConfigValue(NamedTuple):
    name: str
    default: Any
    rebuild: str
    types: tuple[type, ...]
    help: str


CONFIG: list[ConfigValue] = [
    ConfigValue("journal_timezone", "Asia/Seoul", "env", (str,), "IANA zone for post dates written without an offset."),
    ConfigValue("journal_posts_dir", "posts", "env", (str,), "Folder (under the source folder) holding the posts."),
    ConfigValue(
        "journal_show_drafts",
        False,
        "env",
        (bool,),
        "Build drafts and future posts too (preview: `make html DRAFTS=1`); never for publishing.",
    ),
    ConfigValue(
        "journal_feed_length", None, "html", (int, type(None)), "Most recent posts per feed; None keeps every post."
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
    ConfigValue("journal_related_posts", 3, "html", (int,), "How many related posts (shared tags) a post page lists."),
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
        "journal_widget_cache",
        True,
        "html",
        (bool,),
        "Sidebar widgets (navigation, tag cloud...) are rendered once per output folder (journal.speed.widgets).",
    ),
]


def register(app: Sphinx) -> None:
    for value in CONFIG:
        app.add_config_value(value.name, value.default, value.rebuild, value.types, description=value.help)

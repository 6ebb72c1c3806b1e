"""A learning journal on Sphinx: our extension for ABlog + MyST + sphinx-book-theme.

``extensions = [..., "journal"]`` in ``conf.py`` registers every piece below: each feature's
``setup(app)`` (directives, nodes, transforms, collectors, configuration), then every event
handler of ours from one table, :func:`event_table`, with its priority and why. No module
connects an event itself. ARCHITECTURE.md is the map of the package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx

from journal import config
from journal.content import posts

#: Features that register something besides event handlers (directives, nodes, transforms,
#: collectors, patches), each a small Sphinx extension of its own, loaded in this order.
FEATURES: list[str] = [
    "journal.upstream.ablog",
    "journal.speed.incremental",
    "journal.upstream.sphinx_search",
    "journal.upstream.sphinx_parallel",
    "journal.content.notes",
    "journal.content.notelist",
    "journal.content.notefiling",
    "journal.content.wikilinks",
    "journal.content.backlinks",
    "journal.content.previews",
    "journal.pages",
    "journal.pages.heatmap",
    "journal.pages.revisit",
    "journal.korean",
    "journal.content.localfiles",
    "journal.assets",
    "journal.pages.previews",
]

__version__ = "0.1.0"


@dataclass(frozen=True)
class On:
    """One row of the event table: *handler* runs on *event* at *priority* (lower first; Sphinx's
    default is 500; handlers of equal priority run in the table's order)."""

    event: str
    handler: Callable[..., Any]
    priority: int
    why: str


def event_table() -> tuple[On, ...]:
    """Every event handler of the journal, in the order of a build."""
    from journal.assets import htmlspace, icons, scripts, stylesheets, unshipped
    from journal.content import backlinks, localfiles, notefiling, notelist, notes, wikilinks
    from journal.korean import ablog_labels, dates, emphasis, i18n
    from journal.pages import (
        add_page_data,
        bodyimages,
        dependents,
        facts,
        gardenmap,
        navigation,
        pagination,
        series_context,
        series_page,
    )
    from journal.pages import heatmap as heatmap
    from journal.pages import previews as link_previews
    from journal.pages import revisit as revisit
    from journal.publishing import comments, discovery, feeds, redirects
    from journal.speed import gcfreeze, incremental, pagewriters, splice, templatecache, widgets
    from journal.upstream import ablog, notfound, sphinx_doctrees, sphinx_parallel, sphinx_project, templates

    return (
        # -- configuration: which posts exist, which are built -------------------------------
        On("config-inited", comments.check_config, 500, "giscus: all four settings or none"),
        On("config-inited", i18n.korean_theme_options, 500, "Korean labels in the theme's options"),
        On("config-inited", htmlspace.use_squeezing_loader, 500, "pages without template indentation"),
        On("config-inited", dates.set_korean_date_formats, 500, "Korean dates where ABlog's formats are its defaults"),
        On("config-inited", emphasis.register_parser, 500, "MyST with CJK-friendly emphasis"),
        On("config-inited", wikilinks.register_parser, 500, "MyST reads [[wikilinks]] too"),
        On("config-inited", posts.matched_posts_as_set, 550, "after ABlog matched posts (500): as a set"),
        On("config-inited", localfiles.exclude_outside_posts, 560, "posts that are symlinks out are never read"),
        On("config-inited", posts.check_posts, 600, "the post contract; broken, draft and future posts withheld"),
        # -- the builder, before anything is read ----------------------------------------------
        On("builder-inited", gcfreeze.freeze_survivors, 0, "the loaded environment leaves the cycle collector"),
        On("builder-inited", incremental.start_build, 1, "was the last build finished? before any cache is trusted"),
        On("builder-inited", sphinx_project.apply_withheld, 500, "withheld posts left out of discovery"),
        On("builder-inited", templates.escape_template_values, 500, "our and ABlog's templates autoescaped"),
        On("builder-inited", pagewriters.abandon_writers, 500, "writing processes an interrupted build left"),
        On("builder-inited", splice.forget_splices, 500, "no splice planned by an earlier build"),
        On("builder-inited", facts.init_env, 500, "feature images and reading times on the environment"),
        On("builder-inited", templatecache.keep_compiled_templates, 500, "compiled templates kept between builds"),
        On("builder-inited", ablog_labels.translate_blog_labels, 500, "ABlog's labels outside gettext, in Korean"),
        On("builder-inited", localfiles.init_env, 500, "a fresh path guard for this build"),
        On("builder-inited", wikilinks.forget_build_values, 500, "image files and reported wikilinks: afresh"),
        On("builder-inited", discovery.in_process_sitemap_queue, 600, "after sphinx-sitemap's (500): no queue process"),
        On("builder-inited", notfound.patch_not_found_page, 600, "every extension set up: notfound's 404 handler off"),
        # -- reading -----------------------------------------------------------------------------
        On("env-get-outdated", localfiles.drop_outside_documents, 400, "before pages of removed documents are deleted"),
        On("env-get-outdated", notefiling.file_topics, 450, "after localfiles (400): generated topic pages kept"),
        On("env-get-outdated", incremental.remove_deleted_pages, 500, "pages of documents that are gone"),
        On("env-before-read-docs", posts.init_env, 500, "post meta on the environment"),
        On("env-before-read-docs", notes.init_env, 500, "note meta on the environment"),
        On("source-read", posts.read_front_matter, 500, "a post's front matter for ApplyPostContract"),
        On("source-read", notes.read_note, 500, "a note's front matter, its problems at file:line"),
        On("source-read", localfiles.refuse_includes_in_source, 500, "outside {include}s, before MyST opens them"),
        On("include-read", localfiles.refuse_include_read, 500, "included files outside the project refused"),
        On("doctree-read", posts.after_ablog_read, 600, "after ABlog's process_posts (500): excerpt, draft banner"),
        On("doctree-read", ablog.drop_doctree_copies, 900, "ABlog's doctree copy dropped once it is taken"),
        On("doctree-read", localfiles.finish_document, 900, "after journal.pages' collector (500): feature images"),
        On("doctree-read", incremental.remember_excerpt_digest, 950, "after every change to the excerpt"),
        On("env-merge-info", ablog.merge_post_data, 500, "ABlog's post data from each reading process"),
        # -- after reading: what to rewrite --------------------------------------------------------
        On("env-updated", incremental.forget_build_values, 0, "the per-build memo starts empty"),
        On("env-updated", posts.forget_checked_posts, 100, "the front matter parsed for reading is let go"),
        On("env-updated", wikilinks.resolve_wikilinks, 200, "where wikilinks land, before anything digests it"),
        On("env-updated", incremental.register_blog, 400, "ABlog's Blog filled (it waits for a page otherwise)"),
        On("env-updated", ablog.FRAGMENTS.start, 500, "rendered fragments of this build's posts"),
        On("env-updated", dependents.pages_to_rewrite, 500, "pages whose listings or sidebars changed"),
        On("env-updated", feeds.ITEMS.start, 500, "feed items of this build's posts"),
        On("env-updated", notefiling.rewrite_on_new_navigation, 500, "every page when the notes' navigation changed"),
        On("env-updated", gardenmap.notes_to_rewrite, 500, "notes whose local graph changed elsewhere"),
        # -- writing -------------------------------------------------------------------------------
        On("doctree-resolved", sphinx_parallel.start_freed_slots, 0, "a finished writer's slot refilled at once"),
        On("doctree-resolved", pagination.first_page_of_index, 400, "before ABlog fills post lists (500): page 1"),
        On("doctree-resolved", notes.add_note_header, 500, "a note's status, date and tags under its title"),
        On("doctree-resolved", notelist.fill_lists, 500, "{notelist} directives filled"),
        On("doctree-resolved", revisit.fill_lists, 500, "{revisitnotes} directives filled"),
        On("doctree-resolved", backlinks.add_term_uses, 500, "glossary terms list where they are used"),
        On("doctree-resolved", link_previews.mark_preview_links, 500, "links to documents offer a preview card"),
        On("doctree-resolved", feeds.render_entry_early, 900, "feed entries while writing processes write pages"),
        On("doctree-resolved", sphinx_doctrees.forget_pickled_doctree, 1000, "last: every handler used the page"),
        On("html-page-context", widgets.add_widget_function, 400, "before the theme (500) renders every sidebar twice"),
        On("html-page-context", feeds.link_feeds, 450, "after notfound (400), before ABlog sets feed_path"),
        On("html-page-context", discovery.describe_post, 450, "before sphinxext-opengraph (500) reads the meta"),
        On("html-page-context", pagination.page_links, 450, "after the feed links (450): rel prev/next, page links"),
        On("html-page-context", add_page_data, 450, "post header, cards, catalogs (before the theme)"),
        On("html-page-context", bodyimages.add_loading_hints, 450, "after the post header went in: body images lazy"),
        On("html-page-context", comments.add_comments, 450, "before the theme drops empty footer items (500)"),
        On("html-page-context", navigation.chronological_neighbours, 500, "the one prev/next bar: older, newer post"),
        On("html-page-context", notes.tag_archive_context, 500, "a tag's archive lists its notes"),
        On("html-page-context", heatmap.year_archive_context, 500, "a year's archive shows its study heatmap"),
        On("html-page-context", backlinks.page_context, 500, "the pages that link here"),
        On("html-page-context", series_context, 500, "the series index page's data"),
        On("html-page-context", gardenmap.page_context, 500, "the map's data; a note's local graph"),
        On("html-page-context", templates.escape_theme_titles, 900, "after the book theme (500) set its text titles"),
        On("html-page-context", scripts.defer_scripts, 950, "after every extension added its page scripts"),
        On("html-page-context", discovery.describe_every_page, 950, "after sphinxext-opengraph (500) described pages"),
        On("html-page-context", stylesheets.use_bundle, 950, "after every extension added its page stylesheets"),
        On("html-collect-pages", redirects.check_redirects, 400, "before sphinx-reredirects (500) writes them"),
        On("html-collect-pages", ablog.collect_archive_pages, ablog.ABLOG_ARCHIVE_PRIORITY, "in ABlog's place"),
        On("html-collect-pages", notfound.collect_not_found_page, notfound.NOTFOUND_PRIORITY, "in notfound's place"),
        On("html-collect-pages", series_page, 500, "the series index page"),
        On("html-collect-pages", gardenmap.collect_map_page, 500, "the map of the garden (map.html)"),
        On("html-collect-pages", redirects.restore_redirects, 501, "after sphinx-reredirects wrote the checked ones"),
        On("html-collect-pages", feeds.write_feeds, 600, "after ABlog's pages: every feed whose inputs changed"),
        On("html-collect-pages", splice.splice_widgets, 700, "documents written: new widgets into unchanged pages"),
        On("html-collect-pages", pagewriters.join_writers, 999, "last: the second writing process is joined"),
        On("html-collect-pages", splice.splice_listing_widgets, 1000, "after the writers: listing pages' new widgets"),
        # -- after writing ---------------------------------------------------------------------------
        On("build-finished", discovery.complete_sitemap, 450, "before sphinx-sitemap writes (500): unchanged pages"),
        On("build-finished", ablog.FRAGMENTS.save, 500, "rendered fragments kept for the next build"),
        On("build-finished", pagewriters.abandon_writers, 500, "no writing process outlives the build"),
        On("build-finished", feeds.ITEMS.save, 500, "feed items kept for the next build"),
        On("build-finished", discovery.write_robots_txt, 500, "robots.txt pointing at the sitemap"),
        On("build-finished", facts.copy_feature_images, 500, "feature images into _images"),
        On("build-finished", link_previews.write_preview_files, 500, "each document's preview data, _previews/*.json"),
        On("build-finished", icons.write_stylesheet, 500, "the icons the site shows, as _static/journal-icons.css"),
        On("build-finished", stylesheets.write_bundle, 900, "after the theme rewrote pygments.css (500)"),
        On("build-finished", unshipped.remove_unshipped, 950, "after the bundle read its inputs (900)"),
        On("build-finished", incremental.finish_build, 990, "after every writer: this build finished"),
        On("build-finished", gcfreeze.freeze_survivors, 1000, "the process exits with the rest"),
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("ablog")
    config.register(app)
    posts.setup(app)
    for feature in FEATURES:
        app.setup_extension(feature)
    for on in event_table():
        app.connect(on.event, on.handler, priority=on.priority)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}

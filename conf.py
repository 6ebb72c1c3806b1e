"""Sphinx configuration of the learning journal: settings only, grouped by topic.

Logic lives in the ``journal`` package beside this file.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.resolve()))

from journal.jekyll.redirects import load_redirects
from journal.publishing.discovery import not_found_context
from journal.site import SETTINGS_FILE, canonical_base_url, load_settings, served_path

# Whose journal this is: journal.json (written by `make init`), else the sample journal's values.
site = load_settings(Path(__file__).parent / SETTINGS_FILE)

# -- Project -------------------------------------------------------------------
project = site.title
author = site.owner
copyright = f"{site.since}, {site.owner}"
language = site.language
html_title = site.title
html_last_updated_fmt = None

extensions = [
    "myst_parser",
    "ablog",
    "journal",
    "sphinx_copybutton",
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "notfound.extension",
]

# Sphinx reads everything below this folder: keep tooling and docs out.
exclude_patterns = [
    "_build",
    ".venv",
    ".ci",
    ".git",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "tests",
    "journal",
    "README.md",
    "ARCHITECTURE.md",
    "Thumbs.db",
    ".DS_Store",
]
templates_path = ["_templates"]
html_static_path = ["_static"]

# -- Where the site lives ------------------------------------------------------
# Read the Docs sets READTHEDOCS_CANONICAL_URL; JOURNAL_BASEURL overrides locally.
html_baseurl = canonical_base_url(default=site.base_url)  # https://<rtd_project>.readthedocs.io/<language>/latest/

# -- MyST ----------------------------------------------------------------------
myst_enable_extensions = [
    *("colon_fence", "deflist", "linkify", "substitution", "attrs_inline", "attrs_block"),
    # $x$ and $$…$$ (see Math below). Not "amsmath": MyST ids its environments with a random
    # uuid, so a page would change on every build; write \begin{align} inside $$…$$ instead.
    "dollarmath",
]
myst_dmath_allow_space = False  # `$ ls` and `$ cd` in one paragraph stay shell prompts, not math
myst_dmath_allow_digits = False  # `1$x$2` and `$5 or $10` stay text
myst_title_to_header = True  # a post's `title:` is its heading
myst_heading_anchors = 6  # kramdown gives every heading an id; old links may name an h4
myst_linkify_fuzzy_links = False

# -- Math ----------------------------------------------------------------------
# journal.pages.mathml writes formulas as MathML at build time: browsers render it natively and
# no page loads a script from another host. "mathjax" loads MathJax from its CDN instead.
html_math_renderer = "mathml"

# -- Posts (ABlog + the journal's post contract) --------------------------------
blog_path = "blog"
blog_post_pattern = "posts/*/*"
blog_title = site.title
blog_baseurl = html_baseurl
blog_authors = site.blog_authors  # {"bora": ("김보라", None)}
blog_default_author = site.default_author
post_auto_excerpt = 1
post_show_prev_next = False  # the book theme draws its own prev/next bar
fontawesome_included = True  # the theme bundles Font Awesome; set here so builds stay incremental

journal_timezone = site.timezone

# -- Theme ---------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": site.repository,
    "use_repository_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    # Under each post: related posts (journal.pages); comments are added last (see Comments below).
    "article_footer_items": ["journal/related-posts.html"],
}
html_context = {"default_mode": "auto"}  # light/dark follow the reader's system until they choose
html_favicon = "_static/favicon.svg"
html_css_files = ["journal.css", "journal-theme.css"]  # journal-theme.css: cards, chips, series, phone, print
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "icon-links.html",
        "search-button-field.html",
        "sbt-sidebar-nav.html",
        "journal/map-link.html",
        "ablog/postcard.html",
        "ablog/recentposts.html",
        "ablog/tagcloud.html",
        "ablog/categories.html",
        "ablog/archives.html",
        "journal/subscribe.html",
    ],
}

# -- Feeds ---------------------------------------------------------------------
# journal.publishing.feeds writes RSS 2.0 and Atom: blog/rss.xml, blog/atom.xml, and the same two
# files per tag and category (blog/tag/<slug>/rss.xml). ABlog's own Atom writer is off.
blog_feed_templates = {}
blog_feed_archives = False
blog_feed_subtitle = site.description
journal_feed_length = 20  # the newest 20 posts per feed; None (or 0) keeps every post
journal_feed_fulltext = True  # full post HTML as content, the excerpt as summary
journal_feed_archives = ["tags", "category"]

# -- Korean --------------------------------------------------------------------
# journal.korean: Korean labels for ABlog and the theme (journal/korean/locales/*.po, compiled
# at build time), dates as `2025년 4월 12일` while ABlog's post_date_format* stay at their
# defaults, CJK-friendly emphasis in MyST (journal_cjk_emphasis) and a Korean search language.
journal_cjk_emphasis = True

# -- Notes and cross-references ------------------------------------------------
# Notes live in notes/ (journal_notes_dir): pages, not posts. Every page lists the pages
# that link to it ("이 글을 언급한 글/노트") in the article footer.
journal_notes_dir = "notes"
html_theme_options.setdefault("article_footer_items", []).append("journal/backlinks.html")
# Under a note's backlinks, its local graph; map.html draws the whole garden (journal.pages.gardenmap).
html_theme_options.setdefault("article_footer_items", []).append("journal/local-graph.html")

# -- Old URLs (redirects) ------------------------------------------------------
# Old Jekyll URLs -> imported posts; `python -m journal import-jekyll` writes redirects.json.
# load_redirects refuses keys that are not plain paths inside the site (a configuration error
# naming the key); journal.publishing.redirects refuses, at build time, one that would replace a page.
extensions.append("sphinx_reredirects")
redirects = load_redirects(Path(__file__).parent / "redirects.json")
redirect_html_template_file = "_templates/journal/redirect.html"  # utf-8: old URLs may be Korean

# -- Discovery -----------------------------------------------------------------
sitemap_url_scheme = "{link}"  # html_baseurl already holds the language and version
sitemap_excludes = ["search.html", "genindex.html", "blog/drafts.html", "404.html"]
ogp_site_url = html_baseurl
ogp_site_name = project
ogp_type = "website"  # posts get "article", their excerpt and feature image from journal.publishing.discovery
ogp_social_cards = {"enable": False}  # generated cards need matplotlib; builds stay offline and small
# The 404 page links under the path the site is served at: /ko/latest/ on Read the Docs, / locally.
notfound_urls_prefix = served_path(html_baseurl)
notfound_context = not_found_context(notfound_urls_prefix)

# -- Comments (giscus, off by default) -------------------------------------------
# Comments under published posts appear once all four values below are set (giscus.app shows
# them for your repository); until then no page loads anything from giscus or GitHub.
journal_giscus_repo = ""  # "owner/name"
journal_giscus_repo_id = ""
journal_giscus_category = ""
journal_giscus_category_id = ""
html_theme_options.setdefault("article_footer_items", []).append("journal/comments.html")

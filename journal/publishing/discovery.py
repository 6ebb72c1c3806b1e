"""Discovery: what search engines and link previews read, on top of the ecosystem's extensions.

sphinx-sitemap, sphinxext-opengraph and sphinx-notfound-page do the work; their
settings are in ``conf.py``. This module adds what they cannot know about posts:

* ``html-page-context`` (before opengraph): a post page gets ``og:type=article``,
  its excerpt as ``og:description``, its feature image (front matter ``image``,
  resolved and copied by ``journal.pages``) as an absolute ``og:image``, ``article:published_time`` and a Twitter card;
* ``build-finished``: ``robots.txt`` points crawlers at the sitemap (unless the
  project ships its own ``robots.txt`` in ``html_extra_path``), and the sitemap of an
  incremental build still lists the pages that were not rewritten;
* :func:`not_found_context`: the Korean 404 page, linked under the served prefix.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sphinx.application import Sphinx

from journal.contract.frontmatter import PostMeta
from journal.publishing.feeds import base_url
from journal.speed.incremental import filled_blog, site_pages
from journal.state import images_of, posts_of
from journal.upstream.ablog_pages import listing_page_names
from journal.upstream.sitemap import add_page, drain, replace_queue, sitemap_queue

#: Pages the 404 page offers, as (output path, link text); ``blog.html`` is ABlog's list of every post.
NOT_FOUND_LINKS = [("index.html", "첫 페이지"), ("blog.html", "모든 글"), ("search.html", "검색")]


def not_found_context(prefix: str) -> dict[str, str]:
    """``notfound_context`` for sphinx-notfound-page: Korean text, links under *prefix* (e.g. ``/ko/latest/``)."""
    links = ", ".join(f'<a href="{html.escape(prefix + path)}">{text}</a>' for path, text in NOT_FOUND_LINKS)
    body = (
        "<h1>페이지를 찾을 수 없습니다</h1>\n"
        "<p>주소가 바뀌었거나 지워진 페이지입니다. 주소를 다시 확인하거나 "
        f"다음 페이지에서 찾아 보세요: {links}.</p>\n"
    )
    title = "페이지를 찾을 수 없습니다"
    return {"title": title, "pagetitle": title, "body": body}  # the book theme prints `pagetitle`


def post_meta(app: Sphinx, docname: str) -> PostMeta | None:
    return posts_of(app.env).get(docname)


def feature_image(app: Sphinx, docname: str) -> tuple[str, Any] | None:
    """(absolute URL, the image) of a post's feature image, as ``journal.pages`` resolved and copied it."""
    image = images_of(app.env).get(docname)
    if image is None:
        return None
    return (image.src if image.is_url else base_url(app) + quote(image.src)), image


# --- post pages: OpenGraph / Twitter ------------------------------------------------


def excerpt_text(app: Sphinx, pagename: str, meta: PostMeta) -> str:
    if meta.excerpt:
        return meta.excerpt
    post = filled_blog(app)[pagename]
    return " ".join(p.astext() for p in post.excerpt).strip() if post else ""


def describe_post(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Give sphinxext-opengraph (which runs next) the post's own values, and add article tags."""
    meta = post_meta(app, pagename)
    if meta is None or doctree is None or app.builder.format != "html":
        return
    fields = dict(context.get("meta") or {})  # a copy: the environment's metadata stays untouched
    fields["og:type"] = "article"
    description = excerpt_text(app, pagename, meta)
    limit = app.config.ogp_description_length
    if description:
        fields["og:description"] = description if len(description) <= limit else description[: limit - 1] + "…"
    image = feature_image(app, pagename)
    if image is not None:
        url, found = image
        fields["og:image"] = url
        fields["og:image:alt"] = found.alt or meta.title or ""
        if found.width and found.height:
            fields["og:image:width"], fields["og:image:height"] = str(found.width), str(found.height)
    context["meta"] = fields
    tags = [("property", "article:published_time", meta.date.isoformat())] if meta.date else []
    if meta.updated:
        tags.append(("property", "article:modified_time", meta.updated.isoformat()))
    tags += [("property", "article:tag", tag) for tag in meta.tags]
    tags.append(("name", "twitter:card", "summary_large_image" if image is not None else "summary"))
    rendered = [f'<meta {kind}="{name}" content="{html.escape(value)}" />' for kind, name, value in tags]
    context["metatags"] = context.get("metatags", "") + "\n".join(rendered) + "\n"


# --- every page: a description -------------------------------------------------------


def describe_every_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Pages without a description of their own (archives, the index, search) get one.

    sphinxext-opengraph describes the pages Sphinx reads from sources; ABlog's archive pages
    and Sphinx's generated pages have no text it could use, and search engines (Lighthouse's
    SEO audit) then show a snippet of their navigation. Theirs: the page title and the
    journal's own description (``blog_feed_subtitle``, from ``journal.json``).
    """
    metatags = context.get("metatags", "")
    if app.builder.format != "html" or 'name="description"' in metatags:
        return
    title = " ".join(html.unescape(re.sub(r"<[^>]*>", "", str(context.get("title") or ""))).split())
    about = app.config.blog_feed_subtitle or app.config.project
    description = f"{title} · {app.config.project}: {about}" if title else about
    context["metatags"] = metatags + f'<meta name="description" content="{html.escape(description)}" />\n'


# --- sitemap on incremental builds ---------------------------------------------------


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """sphinx-sitemap hears only of pages written in this build: add the unchanged ones before it writes.

    It collects pages in ``html-page-context`` into the queue ``app.sitemap_links`` and writes
    them at ``build-finished`` (priority 500); an incremental rebuild would otherwise list just
    the few pages it rewrote. Every source page, every ABlog archive page and the one-off pages
    (series, map: :func:`journal.speed.incremental.site_pages`) are added through
    sphinx-sitemap's own ``add_html_link`` (same URL scheme and ``sitemap_excludes``).
    """
    links = sitemap_queue(app)
    if exception is not None or links is None or app.builder.format != "html":
        return
    queued = drain(links)
    listed = {link for link, _ in queued}
    suffix = app.config.html_file_suffix or ".html"
    archives = listing_page_names(app)  # ABlog's archive pages, every page of each
    for pagename in sorted(set(app.env.found_docs) | set(archives) | set(site_pages(app))):
        if pagename + suffix not in listed and pagename + "/" not in listed:
            add_page(app, pagename)
    # Sorted, so that an incremental build writes the same bytes as a clean one (write order differs).
    for item in sorted(set(queued + drain(links))):
        links.put(item)


# --- robots.txt -----------------------------------------------------------------------


def write_robots_txt(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not base_url(app):
        return
    if any(Path(app.confdir, extra, "robots.txt").is_file() for extra in app.config.html_extra_path):
        return  # the project's own robots.txt wins
    sitemap = base_url(app) + getattr(app.config, "sitemap_filename", "sitemap.xml")
    Path(app.outdir, "robots.txt").write_text(f"User-agent: *\nDisallow:\n\nSitemap: {sitemap}\n", encoding="utf-8")


def in_process_sitemap_queue(app: Sphinx) -> None:
    """sphinx-sitemap collects pages in a ``multiprocessing.Manager`` queue: a server process and one
    round trip per page (2 s of a 1,000-post rebuild). A plain queue is enough here, because
    :func:`complete_sitemap` adds every page that parallel writing processes wrote."""
    replace_queue(app)

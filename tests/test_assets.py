"""What a first view downloads (journal.assets): one stylesheet, no blocking script, no icon script.

Asserted on the built sample site: the page head, the bundle's content against the stylesheets
it replaces, every ``url()`` of the bundle resolving to a file of the site, and every icon any
page shows drawn by ``journal-icons.css``.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from buildsite import ROOT, Build, copy_project, sphinx_build
from journal.upstream.packages import package_folder

BUNDLE = "_static/styles/journal-bundle.css"
THEME_STATIC = package_folder("pydata_sphinx_theme") / "theme" / "pydata_sphinx_theme" / "static"
#: Stylesheets the bundle replaces, in cascade order (a fragment of each that must be there).
REPLACED = ("basic.css", "styles/pydata-sphinx-theme.css", "styles/sphinx-book-theme.css", "journal-theme.css")


def head_of(site: Build, page: str) -> BeautifulSoup:
    return BeautifulSoup(site.path(page).read_text(encoding="utf-8"), "html.parser").head


def content_pages(site: Build) -> list[Path]:
    return [p for p in site.pages() if "_static" not in p.parts]


def test_every_page_links_one_stylesheet_the_bundle(site: Build) -> None:
    for page in content_pages(site):
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        sheets = [link["href"] for link in head.select('link[rel="stylesheet"]')]
        assert len(sheets) == 1 and sheets[0].split("?v=")[0].endswith(BUNDLE), (page, sheets)


def test_no_script_blocks_the_first_paint(site: Build) -> None:
    """Every script file in the head is deferred, but the 300-byte documentation_options.js.

    The search page keeps Sphinx's order: its searchtools.js runs at once and needs doctools.js.
    """
    for page in ("index.html", "posts/index.html", "blog/tag/openstack.html", "notes/index.html"):
        blocking = [
            script["src"].split("?")[0].rsplit("/", 1)[-1]
            for script in head_of(site, page).select("script[src]")
            if not script.has_attr("defer") and not script.has_attr("async")
        ]
        assert blocking == ["documentation_options.js"], page


def test_no_icon_script_and_no_search_index_on_pages_that_do_not_search(site: Build) -> None:
    for page in content_pages(site):
        text = page.read_text(encoding="utf-8")
        assert "fontawesome.js" not in text, page
        if page.name != "search.html":
            assert "searchindex.js" not in text and "searchtools.js" not in text, page
    search = site.path("search.html").read_text(encoding="utf-8")
    assert "searchindex.js" in search and "searchtools.js" in search


def test_bundle_holds_the_stylesheets_it_replaces_in_their_order(site: Build) -> None:
    bundle = site.path(BUNDLE).read_text(encoding="utf-8")
    positions = [bundle.index(f"/* {name} */") for name in REPLACED]
    assert positions == sorted(positions)
    # A rule of each file, as its source has it (the site ships only the bundle).
    theme = (ROOT / "_static/journal-theme.css").read_text(encoding="utf-8")
    assert ".journal-post-meta {" in theme and ".journal-post-meta {" in bundle
    # The theme's webfont glyph rules and @font-face are gone; its other rules are not.
    pydata = (THEME_STATIC / "styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert '.fa-bars,.fa-navicon{--fa:"' in pydata and '{--fa:"' not in bundle
    assert "fa-solid-900.woff2" not in bundle
    assert ".bd-header" in bundle and ".theme-switch-button" in bundle


def test_every_url_of_the_bundle_is_a_file_of_the_site(site: Build) -> None:
    bundle_path = site.path(BUNDLE)
    urls = re.findall(r"""url\(["']?([^)"']+)["']?\)""", bundle_path.read_text(encoding="utf-8"))
    relative = [u for u in urls if not u.startswith(("data:", "#", "/")) and "://" not in u]
    for url in relative:
        assert (bundle_path.parent / url.split("?")[0].split("#")[0]).resolve().is_file(), url


def test_every_icon_a_page_shows_is_drawn(site: Build) -> None:
    """Each ``fa-<icon>`` class in any page (and the theme's script) has a rule of journal-icons.css
    in the bundle, which is how pages get it."""
    icons_css = site.path(BUNDLE).read_text(encoding="utf-8").split("/* journal-icons.css */", 1)[1]
    drawn = set(re.findall(r"\.fa-([a-z0-9-]+)\{--journal-icon:", icons_css))
    helpers = {"solid", "regular", "brands", "fw", "lg", "xs", "sm", "2x"}
    used: set[str] = set()
    for page in content_pages(site):
        for classes in re.findall(r'<i class="([^"]*)"', page.read_text(encoding="utf-8")):
            used.update(name[3:] for name in classes.split() if name.startswith("fa-"))
    assert used - helpers, "the sample site shows icons"
    assert used - helpers <= drawn, sorted(used - helpers - drawn)


def test_relative_urls_are_rebased_for_the_bundles_folder() -> None:
    from journal.assets.stylesheets import _rebase

    css = 'a{background:url(file.png)} b{src:url("../img/x.svg")} c{mask:url(data:image/svg+xml,%3C)} d{x:url(#m)}'
    rebased = _rebase(css, "", "styles")
    assert 'url("../file.png")' in rebased and 'url("../../img/x.svg")' in rebased
    assert "url(data:image/svg+xml,%3C)" in rebased and "url(#m)" in rebased
    assert _rebase("a{b:url('../vendor/f.woff2')}", "styles", "styles") == 'a{b:url("../vendor/f.woff2")}'


@pytest.mark.parametrize("page", ["index.html", "blog/tag/openstack.html", "search.html", "genindex.html"])
def test_every_page_has_a_description(site: Build, page: str) -> None:
    description = head_of(site, page).select('meta[name="description"]')
    assert len(description) == 1 and description[0]["content"].strip()


def test_bundle_link_is_versioned_by_what_it_is_made_of(site: Build) -> None:
    href = head_of(site, "index.html").select_one('link[rel="stylesheet"]')["href"]
    assert re.fullmatch(r"_static/styles/journal-bundle\.css\?v=[0-9a-f]{12}", href), href
    assert site.path(href.split("?")[0]).is_file()


def test_the_bundle_is_made_again_only_when_a_stylesheet_changed(tmp_path: Path) -> None:
    """Stripping the theme's stylesheet took half a second of every rebuild; the bundle's first
    line names its inputs, and an unchanged bundle is left alone (same file, same bytes)."""
    project = copy_project(tmp_path / "project")
    out = tmp_path / "html"

    def build() -> Path:
        done = sphinx_build(project, out, doctreedir=tmp_path / "doctrees")
        assert done.returncode == 0, done.output[-3000:]
        return out / BUNDLE

    bundle = build()
    stamp, body = bundle.read_text(encoding="utf-8").split("\n", 1)
    assert stamp.startswith("/* journal-bundle ") and ".bd-header" in body
    bundle.write_text(stamp + "\n/* left alone */\n", encoding="utf-8")  # what a rebuild keeps, if it keeps it
    assert build().read_text(encoding="utf-8") == stamp + "\n/* left alone */\n"
    theme = project / "_static" / "journal-theme.css"
    theme.write_text(theme.read_text(encoding="utf-8") + "\n.journal-test-rule { color: red; }\n", encoding="utf-8")
    changed = build().read_text(encoding="utf-8")
    assert ".journal-test-rule { color: red; }" in changed
    assert changed.splitlines()[0] != stamp and ".bd-header" in changed


def test_icon_names_kept_between_builds_are_the_names_in_the_sources(tmp_path: Path):
    """The scan of the sources for icon names reads a file again only when its modification
    time or size changed: a kept entry with the file's stamp is used as it is, one with another
    stamp is read again."""
    from journal.assets import icons

    app = SimpleNamespace(doctreedir=str(tmp_path))
    expected = icons.names_in_sources()
    assert icons.names_in_kept_sources(app) == expected  # every file read
    kept_file = tmp_path / "journal-icon-names.pickle"
    kept = pickle.loads(kept_file.read_bytes())
    path, (stamp, _) = next((p, entry) for p, entry in sorted(kept.items()) if entry[1])
    assert icons.names_in_kept_sources(app) == expected  # every file from what was kept

    kept[path] = (stamp, frozenset({"kept-not-read"}))
    kept_file.write_bytes(pickle.dumps(kept))
    assert "kept-not-read" in icons.names_in_kept_sources(app), "the same stamp: not read again"
    kept[path] = ((0, 0), frozenset({"kept-not-read"}))
    kept_file.write_bytes(pickle.dumps(kept))
    assert icons.names_in_kept_sources(app) == expected, "another stamp: read again"

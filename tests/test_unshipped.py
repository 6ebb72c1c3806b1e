"""``_static`` holds what the pages ask for (journal.assets.unshipped), and everything they ask for.

Oracles: the references of every built page and of the stylesheet bundle (each must be a file of
the site, and each file left must be one of them or named by a shipped script); the installed
themes (each name we take out is still one of their files, so the rule keeps its effect); and a
clean build (after an incremental one, ``_static`` is the same files with the same bytes).
The browser side, every request of every page answered, is in ``test_browser_offline.py``.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from buildsite import Build, copy_project, listing, sphinx_build
from journal.assets.unshipped import BUILD_TIME, REPLACED
from journal.upstream.packages import package_folder

BUNDLE = "styles/journal-bundle.css"
THEMES = {
    "pydata": package_folder("pydata_sphinx_theme") / "theme" / "pydata_sphinx_theme" / "static",
    "book": package_folder("sphinx_book_theme") / "theme" / "sphinx_book_theme" / "static",
}
#: Files left in ``_static`` that no page asks for on the sample site, each with its reason.
KNOWN_LEFT = {
    # The book theme's launch-button logos: a page shows them when html_theme_options has
    # launch_buttons (a project of notebooks); 20 KB, left for that case.
    "images/logo_binder.svg",
    "images/logo_colab.png",
    "images/logo_deepnote.svg",
    "images/logo_jupyterhub.svg",
    "images/logo_jupyterlite.svg",
    # sphinx-copybutton's static folder: its script draws the icons inline and holds the functions.
    "check-solid.svg",
    "copy-button.svg",
    "copybutton_funcs.js",
    # ABlog's static folder: our tag cloud is styled by the bundle.
    "ablog/tagcloud.css",
    # Sphinx's basic theme: an icon of its old stylesheet rules, which our pages do not use.
    "file.png",
}


def static_files(outdir: Path) -> set[str]:
    static = outdir / "_static"
    return {p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}


def page_references(site: Build) -> dict[str, str]:
    """Every ``_static`` file a page links, loads or shows (link, script, img, source), with a page that does."""
    found: dict[str, str] = {}
    static = (site.outdir / "_static").resolve()
    for page in site.pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(["link", "script", "img", "source"]):
            url = element.get("href") or element.get("src")
            if not url or urlsplit(url).scheme or url.startswith(("/", "#")):
                continue
            target = (page.parent / unquote(urlsplit(url).path)).resolve()
            if target.is_relative_to(static):
                found.setdefault(target.relative_to(static).as_posix(), page.relative_to(site.outdir).as_posix())
    return found


def bundle_references(site: Build) -> set[str]:
    text = site.path(f"_static/{BUNDLE}").read_text(encoding="utf-8")
    urls = re.findall(r"""url\(["']?([^)"']+)["']?\)""", text)
    folder = posixpath.dirname(BUNDLE)
    return {
        posixpath.normpath(posixpath.join(folder, url.split("?")[0].split("#")[0]))
        for url in urls
        if not url.startswith(("data:", "#", "/")) and "://" not in url
    }


def test_every_file_a_page_asks_for_is_there(site: Build) -> None:
    references = page_references(site)
    assert {"styles/journal-bundle.css", "scripts/bootstrap.js", "searchtools.js"} <= set(references)
    files = static_files(site.outdir)
    missing = {name: page for name, page in references.items() if name not in files}
    assert missing == {}
    assert bundle_references(site) <= files


def test_what_is_left_in_static_is_asked_for(site: Build) -> None:
    files = static_files(site.outdir)
    asked = set(page_references(site)) | bundle_references(site)
    shipped_scripts = [site.path(f"_static/{name}") for name in asked if name.endswith(".js")]
    scripts = " ".join(script.read_text(encoding="utf-8") for script in shipped_scripts)
    named_by_a_script = {name for name in files if PurePosixPath(name).name in scripts}
    licenses = {name for name in files if name.endswith(".LICENSE.txt")}
    left = files - asked - named_by_a_script - licenses
    assert left == KNOWN_LEFT
    total = sum(site.path(f"_static/{name}").stat().st_size for name in files)
    assert total < 800_000, f"_static is {total} bytes"  # 6.6 MB before, 0.6 MB after


def test_the_themes_still_ship_what_is_taken_out() -> None:
    """Each name taken out is a file or folder of an installed theme (else the list is stale), and
    the themes still ship source maps (the rule that takes them out has something to do)."""
    for name in REPLACED + BUILD_TIME:
        assert any((folder / name).exists() for folder in THEMES.values()), name
    assert any(THEMES["pydata"].rglob("*.map"))


def test_an_incremental_build_ships_what_a_clean_one_does(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    first = sphinx_build(project, tmp_path / "incremental")
    assert first.returncode == 0, first.output[-3000:]
    post = next(project.glob("posts/**/*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\n한 줄 더.\n", encoding="utf-8")
    again = sphinx_build(project, tmp_path / "incremental")
    assert again.returncode == 0, again.output[-3000:]
    clean = sphinx_build(project, tmp_path / "clean")
    assert clean.returncode == 0, clean.output[-3000:]
    incremental, fresh = listing(again.outdir / "_static"), listing(clean.outdir / "_static")
    assert incremental == fresh
    assert BUNDLE in fresh and "styles/pydata-sphinx-theme.css" not in fresh

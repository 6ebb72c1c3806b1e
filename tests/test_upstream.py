"""The upstream code journal/upstream/ depends on is still the code it was written against.

Each pin is a sha256 of an upstream function's source or of an upstream template file. When one
fails, an upgrade changed what we rely on: read the upstream change, check the adapter (or our copy
of the template) named in the message, then update the hash here.
"""

from __future__ import annotations

import hashlib
import inspect
from pathlib import Path

import ablog
import ablog.blog
import ablog.post
import myst_parser.mdit_to_docutils.base
import notfound.extension
import pydata_sphinx_theme
import pytest
import sphinx.builders
import sphinx_book_theme
import sphinx_reredirects
import sphinx_sitemap
from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.project import Project
from sphinx.util.parallel import ParallelTasks

from journal.upstream import (
    ablog_state,
    sphinx_doctrees,
    sphinx_english,
    sphinx_parallel,
    sphinx_project,
    sphinx_search,
)

ROOT = Path(__file__).resolve().parent.parent


def source_hash(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


#: Upstream function -> (its source's sha256, the adapter that depends on it).
FUNCTIONS = {
    "ablog.config_inited": (
        ablog.config_inited,
        "5f2f4d1dfe9cf30185beda5e09d41933425a4998ecad7c1a6d406976f341d8ed",
        "journal/upstream/ablog_state.py: matched_posts, set_matched_posts (config.matched_blog_posts)",
    ),
    "ablog.post.process_posts": (
        ablog.post.process_posts,
        "7e7db666265c3028d7d9f22c783bae6c5ef358142669845527b73bda65c20609",
        "journal/upstream/ablog_state.py: post_infos, set_excerpt, remember (env.ablog_posts' dicts)",
    ),
    "ablog.post.register_posts": (
        ablog.post.register_posts,
        "0c1fce9b3600eece25cf083ef86774377b6ba51b8b1184b1dfe687364b19cfc7",
        "journal/speed/incremental.py: filled_blog (through journal.upstream.ablog_state.register_posts)",
    ),
    "ablog.blog.Blog._init": (
        ablog.blog.Blog._init,
        "7a43c8d79a60e518736e96baaa2a24180cab5f9c213c86e16a333efb98612110",
        "journal/upstream/ablog_state.py: relabel (Blog.references, the posts and drafts collections' name)",
    ),
    "ablog.blog.Collection": (
        ablog.blog.Collection,
        "fa164837ff761c4022a28850f6de6be34a84d34d75e43047027edf84290f6100",
        "journal/upstream/ablog_pages.py: CollectionPage (attributes in __dict__, docname and path properties)",
    ),
    "ablog.post.process_postlist": (
        ablog.post.process_postlist,
        "dbdf907733e22b2b2fb48ee98c8c930e2d63fdf2a5de5cfba809aeefef48bc73",
        "journal/upstream/ablog_pages.py: limit_postlist (the node's length, None for every post)",
    ),
    "ablog.post.PostListDirective.run": (
        ablog.post.PostListDirective.run,
        "97247a5e7d66e4bba7279939d6063d76f7f869a0e224811bb7275d79d80de432",
        "journal/upstream/ablog_pages.py: limit_postlist, POSTLIST_FILTERS (the node's options)",
    ),
    "sphinx_sitemap.record_builder_type": (
        sphinx_sitemap.record_builder_type,
        "466ad5192a92d0ff53b33d691e119566d52aaf0cf71ff010f81156c7a687f058",
        "journal/upstream/sitemap.py: sitemap_queue, replace_queue (app.sitemap_links)",
    ),
    "sphinx_sitemap.add_html_link": (
        sphinx_sitemap.add_html_link,
        "e9a4b0b9b847c01d1885cdfd76b8e0fa34784794336f5d654e74c8ce39cdd338",
        "journal/upstream/sitemap.py: add_page, drain",
    ),
    "sphinx_reredirects.Reredirects.docname_out_path": (
        sphinx_reredirects.Reredirects.docname_out_path,
        "d84a2f5d9b45a67da04eed9840d2e265815c11ead283a08cc334de60e613a1fe",
        "journal/upstream/reredirects.py: out_path_rule",
    ),
    "sphinx_reredirects.Reredirects.__init__": (
        sphinx_reredirects.Reredirects.__init__,
        "de83e4eb6890bd8143d4759bfe35b704b778a9c69b2dc6a8ed5eb2185f8a6a82",
        "journal/upstream/reredirects.py: out_path_rule (Reredirects(app))",
    ),
    "sphinx.project.Project.discover": (
        Project.discover,
        "f09e57155c30c53f9081492e28d6fd8f901413eeb6cf7c16198b8c8c4be03efb",
        "journal/upstream/sphinx_project.py: add_document (docnames and the two path mappings, refilled each build)",
    ),
    "notfound.extension.html_collect_pages": (
        notfound.extension.html_collect_pages,
        "e98361c0aaba1dda9144ea52d7a8894d00ea75916d40d0b87d962470d6174d79",
        "journal/upstream/notfound.py: collect_not_found_page (its pages, left out when unchanged)",
    ),
    "sphinx.environment.BuildEnvironment.find_files": (
        BuildEnvironment.find_files,
        "4cea15aaacce38590227dc95530bf52ab19421b84089f01e48537b28875d4f00",
        "journal/upstream/sphinx_project.py: ProjectWithGenerated.discover (withheld files, by project.discover)",
    ),
    "sphinx.project.Project.doc2path": (
        Project.doc2path,
        "cd9a2fcfee0c883e9e3909feac82e4814aaa5426949b8ca2e9ebd797adef1e51",
        "journal/upstream/sphinx_project.py: ProjectWithGenerated.doc2path (overrides it, falls back to it)",
    ),
    "sphinx.builders.html.StandaloneHTMLBuilder.get_doc_context": (
        StandaloneHTMLBuilder.get_doc_context,
        "323a3bcdaf7e1d256306cc20e99e9ff61c43446f4d136208e59bc221dcb2bee7",
        "journal/upstream/sphinx_project.py: ProjectWithGenerated.doc2path (the source suffix sliced from it)",
    ),
    "sphinx.environment._has_doc_changed": (
        sphinx_project.UPSTREAM["has_doc_changed"],
        "e28d1c42edac42aa43428878341919e8aee7964dc1b59a6479cdefa1fd56f665",
        "journal/upstream/sphinx_project.py: has_changed",
    ),
    "sphinx.search.IndexBuilder.load": (
        sphinx_search.UPSTREAM["load"],
        "f6bda8631cdd8c130a6b65f4d2fad628e015abe99c8e6d8e9a2b82defb59ab59",
        "journal/upstream/sphinx_search.py: load",
    ),
    "sphinx.search.IndexBuilder.prune": (
        sphinx_search.UPSTREAM["prune"],
        "cd9133b0a71ae08953ca84cfd5cde516a52570b8c9471969fa5f95536d730b37",
        "journal/upstream/sphinx_search.py: prune",
    ),
    "sphinx.search.IndexBuilder.freeze": (
        sphinx_search.UPSTREAM["freeze"],
        "e03ca24370523151d691014da355c165b3e6a56bab7160a4e1c4f0b786aa2a6d",
        "journal/upstream/sphinx_search.py: freeze (IndexBuilder._mapping, _title_mapping)",
    ),
    "sphinx.environment.BuildEnvironment.get_doctree": (
        BuildEnvironment.get_doctree,
        "ca8798b5eca5f38168076ebce325cdc36591628952325d6d9c8b5147e076eb9b",
        "journal/upstream/sphinx_doctrees.py: forget_pickled_doctree (_pickled_doctree_cache, refilled from the file)",
    ),
    "sphinx.builders.Builder._write_parallel": (
        sphinx.builders.Builder._write_parallel,
        "3ea209a4e854b6097c4b4441fe96c4583063da9f854004bde8255971aa453fbe",
        "journal/upstream/sphinx_parallel.py: BoundedParallelTasks (the module's ParallelTasks, a chunk a task)",
    ),
    "sphinx.builders.Builder._read_parallel": (
        sphinx_parallel.UPSTREAM["read_parallel"],
        "d9e655ec9d49afee63308c6a0174a8d68fa341b929a4e421ce1d8966dfa2ecab",
        "journal/upstream/sphinx_parallel.py: read_parallel (a copy: each process sends back chunk_environment)",
    ),
    "sphinx.util.parallel.ParallelTasks.add_task": (
        ParallelTasks.add_task,
        "ba83865db00a9d93a6629a6f353f32a815ff770785b9f35ab0f14a653dd56558",
        "journal/upstream/sphinx_parallel.py: BoundedParallelTasks.add_task (_precvs_waiting: queued tasks)",
    ),
    "sphinx.util.parallel.ParallelTasks._join_one": (
        ParallelTasks._join_one,
        "ade547d13de699b721b6f6baafcf45b6409d4a070b6f0980317544f9748eeda7",
        "journal/upstream/sphinx_parallel.py: BoundedParallelTasks.add_task (joins one, starts waiting ones)",
    ),
    "myst_parser.DocutilsRenderer.render_myst_role": (
        myst_parser.mdit_to_docutils.base.DocutilsRenderer.render_myst_role,
        "b9ff16e6b2964269ed1a50f2e7314552895b80b50965f8dcb4bf0b89cd7c39a4",
        "journal/upstream/myst.py: role_token (a myst_role token's meta name, content and map)",
    ),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_upstream_function_we_depend_on_is_unchanged(name: str):
    function, pinned, adapter = FUNCTIONS[name]
    assert source_hash(function) == pinned, f"{name} changed upstream: review {adapter}, then re-pin"


ABLOG = Path(ablog.__file__).parent / "templates"
BOOK = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "components"
PYDATA = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "components"

#: Upstream template -> (its sha256, what of ours copies it or depends on it).
TEMPLATES = {
    ABLOG / "page.html": (
        "5ed13e00200c7b53cae21a6b1fe9eee0d05335f04c69fc8dbc435e651fdac20e",
        "journal/upstream/ablog_state.py: hide_feed_link (context['feed_path'] = None)",
    ),
    ABLOG / "ablog" / "recentposts.html": (
        "60fa0d8dfbe7b455e0fa5809fc5073d695823b85b30e6664018efa7336640b7f",
        "journal/upstream/ablog_state.py: RECENT_POSTS (journal/speed/widgets.py)",
    ),
    ABLOG / "ablog" / "postcard2.html": (
        "1c04613763d73dc417e397ef4532b9a756c7a157415222d56b36dc0977ced96f",
        "our copy _templates/ablog/postcard2.html",
    ),
    ABLOG / "ablog" / "tagcloud.html": (
        "546763e9110e9063dba1be08c86702756f3d20b15ac45d76e3a112427ce36fc1",
        "our copy _templates/journal/tagcloud.html",
    ),
    BOOK / "sbt-sidebar-nav.html": (
        "38342bd744042ee107080378719e7a55892f7c294bffad6f4efc78185edf7ae1",
        "our copy _templates/journal/sidebar-nav.html",
    ),
    BOOK / "toggle-primary-sidebar.html": (
        "316c98ec6677c6568d15dfd809ec20ad0458569110c435480ed87d2af34f13bb",
        "our copy _templates/toggle-primary-sidebar.html",
    ),
    BOOK / "toggle-secondary-sidebar.html": (
        "0cf39e5b61b02a71d94782c433ec6175bf464a593b6b64bdf16bf04a87767204",
        "our copy _templates/toggle-secondary-sidebar.html",
    ),
    PYDATA.parent / "layout.html": (
        "1f98508aa73a49d0afc5f175214cb82c846a2a9f5b95b914e705b292b3dfbce2",
        "our copy _templates/layout.html (its extrahead block, less the search scripts)",
    ),
    PYDATA.parent / "static" / "webpack-macros.html": (
        "ca92b021a603a336886ebb857ae4fa805d61a133ae57bf650e9610a586b8616a",
        "_templates/layout.html: drops the fontawesome.js line, swaps theme.css and pydata-sphinx-theme.css "
        "for journal.assets.stylesheets' bundle",
    ),
    PYDATA / "search-button-field.html": (
        "518dda81dd8cd06ab2268f86b25c8257189f237f1b71836afececaa511f40e69",
        "our copy _templates/search-button-field.html",
    ),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_upstream_template_we_copy_or_depend_on_is_unchanged(template: Path):
    pinned, ours = TEMPLATES[template]
    assert template.is_file(), f"{template} is gone upstream: review {ours}"
    actual = hashlib.sha256(template.read_bytes()).hexdigest()
    assert actual == pinned, f"{template} changed upstream: carry the change into {ours} (or drop it), then re-pin"


def test_every_copied_template_is_pinned():
    """Each of our templates that says it copies or overrides a theme's template names one pinned here."""
    pinned = {ours.split("our copy ", 1)[1] for _, ours in TEMPLATES.values() if ours.startswith("our copy ")}
    for path in ROOT.glob("_templates/**/*.html"):
        text = path.read_text("utf-8")
        copies = "Same " in text.split("-#}", 1)[0] or "the same button" in text.split("-#}", 1)[0]
        if copies:
            assert path.relative_to(ROOT).as_posix() in pinned, f"{path}: a copy of an upstream template, not pinned"


def test_recent_posts_mirrors_ablogs_template():
    text = (ABLOG / "ablog" / "recentposts.html").read_text("utf-8")
    assert f"ablog.recent({ablog_state.RECENT_POSTS}, pagename)" in text


def test_page_template_links_the_feed_only_when_feed_path_is_set():
    assert "{% if feed_path %}" in (ABLOG / "page.html").read_text("utf-8")


def test_ablog_config_tuples_start_with_name_and_default():
    """journal/upstream/ablog_state.py: ABLOG_DEFAULTS reads the first two items of ablog.blog.CONFIG's tuples."""
    assert all(
        isinstance(entry, tuple) and isinstance(entry[0], str) and len(entry) >= 3 for entry in ablog.blog.CONFIG
    )
    assert ablog_state.ABLOG_DEFAULTS["post_date_format"] == "%d %B %Y"
    assert ablog_state.ABLOG_DEFAULTS["post_date_format_short"] == "%d %B"


def test_sphinx_english_search_data_is_where_we_read_it():
    """journal/upstream/sphinx_english.py: the private stop words and the minified stemmers."""
    from sphinx.search.en import SearchEnglish

    assert SearchEnglish.stopwords is sphinx_english.ENGLISH_STOPWORDS
    for name in ("base-stemmer.js", "english-stemmer.js"):
        assert (sphinx_english.STEMMER_JS_FOLDER / name).is_file(), f"{name} moved in Sphinx: review sphinx_english.py"


def test_font_awesome_bundle_still_holds_the_icons_we_show():
    """journal/upstream/fontawesome.py reads the icon packs of the theme's fontawesome.js."""
    from journal.assets import icons
    from journal.upstream import fontawesome

    packs = fontawesome.icon_packs()
    assert len(packs["fas"]) > 1000 and len(packs["far"]) > 100 and len(packs["fab"]) > 300
    shown = {"bars", "magnifying-glass", "sun", "moon", "circle-half-stroke", "tags", "calendar", "list", "xmark"}
    assert shown <= icons.names_in_sources()
    for name in shown:
        icon = packs["fas"][name]
        assert icon.width > 0 and icon.height > 0 and icon.path.startswith("M"), name
    assert packs["fab"]["github"].path.startswith("M")


def test_sphinx_script_objects_take_filename_priority_and_attributes():
    """journal/upstream/sphinx_assets.py copies Sphinx's _JavaScript with one more attribute."""
    from sphinx.builders.html._assets import _JavaScript

    from journal.upstream import sphinx_assets

    script = _JavaScript("_static/doctools.js", priority=200, id="x")
    copy = sphinx_assets.with_attribute(script, "defer", "defer")
    assert (copy.filename, copy.priority, copy.attributes) == (
        "_static/doctools.js",
        200,
        {"id": "x", "defer": "defer"},
    )
    assert sphinx_assets.filename_of(_JavaScript(None, body="1")) is None


def test_html_builder_keeps_the_site_wide_stylesheets_where_we_read_them():
    """journal/upstream/sphinx_assets.site_wide_css reads _orig_css_files (or _css_files)."""
    from sphinx.builders.html import StandaloneHTMLBuilder

    assert "self._orig_css_files = list(" in inspect.getsource(StandaloneHTMLBuilder.prepare_writing)
    assert "self._css_files[:] = self._orig_css_files" in inspect.getsource(StandaloneHTMLBuilder.handle_page)


def test_parallel_tasks_queue_at_most_nproc_and_lose_no_result():
    """The builder creates the bounded class, which never queues more than ``nproc`` tasks besides
    the running ones, and every task's result reaches its callback, in a real fork."""
    import time

    sphinx_parallel.bound_parallel_tasks()
    assert sphinx.builders.ParallelTasks is sphinx_parallel.BoundedParallelTasks
    tasks = sphinx_parallel.BoundedParallelTasks(2)
    results: list[int] = []
    queued: list[int] = []

    def task(number: int) -> int:
        time.sleep(0.05)
        return number * number

    for number in range(12):
        tasks.add_task(task, number, lambda arg, result: results.append(result))
        queued.append(tasks.queued)
    tasks.join()
    assert max(queued) <= 2 and sorted(results) == [n * n for n in range(12)]
    unbounded = ParallelTasks(2)
    for number in range(12):  # the upstream class queues them all: the bound is ours
        unbounded.add_task(task, number)
    assert len(unbounded._precvs_waiting) > 2
    unbounded.join()


def test_a_resolved_pages_pickled_doctree_leaves_the_cache_and_is_read_again(tmp_path: Path):
    """After doctree-resolved the page's bytes are gone from Sphinx's cache; get_doctree then
    reads the same doctree from its file (a real environment's method on a real pickle)."""
    import pickle
    from types import SimpleNamespace

    from docutils.frontend import get_default_settings
    from docutils.utils import new_document

    document = new_document("post.md", get_default_settings())
    document += nodes.paragraph(text="본문")
    document.settings.env = None
    document.reporter = None
    (tmp_path / "post.doctree").write_bytes(pickle.dumps(document))
    env = BuildEnvironment.__new__(BuildEnvironment)
    env.doctreedir = tmp_path
    env._pickled_doctree_cache = {}
    env.project = SimpleNamespace(doc2path=lambda docname, absolute: tmp_path / f"{docname}.md")
    assert env.get_doctree("post").astext() == "본문" and "post" in env._pickled_doctree_cache
    sphinx_doctrees.forget_pickled_doctree(SimpleNamespace(env=env), document, "post")  # type: ignore[arg-type]
    assert env._pickled_doctree_cache == {}
    assert env.get_doctree("post").astext() == "본문"

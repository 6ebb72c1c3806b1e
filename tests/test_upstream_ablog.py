"""Our patches of ABlog's internals still fit the ABlog we run."""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import pickle
import re
import unicodedata
from pathlib import Path

import ablog
import ablog.blog
import ablog.post
import pytest
from hypothesis import given
from hypothesis import strategies as st

from buildsite import Build
from journal.contract import labels
from journal.upstream import ablog as ablog_patches

#: sha256 of ``inspect.getsource`` of each function we patch, for ABlog 0.11.13.
#: When ABlog changes one, re-read it, check the patch still makes sense, then update the hash.
PINNED = {
    "ablog.blog.slugify": "c6d714b290b3b052a9662cdaed51f17a971a9fef69f8c53a4b042e5fe94946a5",
    "ablog.blog.Post.to_html": "ec4e01307af808bf5221df7b452939feeb4d478a54e8ddde99afff03edff41ee",
    "ablog.post.generate_archive_pages": "966cc04cc91db9ecdb75b7c0edd959f81e1f2d2d73ad0581c9746a02a4b62365",
}


def source_hash(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def test_ablog_version_is_the_one_we_patched():
    assert ablog.__version__ == "0.11.13"


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("ablog.blog.slugify", ablog_patches.ABLOG_SLUGIFY),
        ("ablog.blog.Post.to_html", ablog_patches.ABLOG_TO_HTML),
        ("ablog.post.generate_archive_pages", ablog_patches.ABLOG_ARCHIVE_PAGES),
    ],
)
def test_patched_function_is_unchanged_upstream(name, function):
    assert source_hash(function) == PINNED[name], f"{name} changed in ABlog: review journal/upstream/ablog.py"


def test_slugify_is_only_called_where_we_rebind_it():
    """The patch rebinds ``slugify`` in ablog.blog and ablog.post; a new caller elsewhere would be missed."""
    package = Path(ablog.__file__).parent
    callers = {path.name for path in package.glob("*.py") if re.search(r"\bslugify\(", path.read_text("utf-8"))}
    assert callers == {"blog.py", "post.py"}


def test_patch_rebinds_both_modules():
    ablog_patches.patch_nfc_slugify()
    assert ablog.blog.slugify is ablog_patches.label_slug
    assert ablog.post.slugify is ablog_patches.label_slug


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("회고", "회고"),
        ("코드 리딩", "코드-리딩"),
        (unicodedata.normalize("NFD", "오픈소스"), "오픈소스"),
        ("Café Crème", "cafe-creme"),  # ABlog's own folding is kept for Latin letters
        ("OpenStack SDK", "openstack-sdk"),
        ("C++", "c"),
        ("!!!", ""),
    ],
)
def test_label_slug_is_ablogs_slug_in_nfc(label, slug):
    result = ablog_patches.label_slug(label)
    assert result == slug
    assert unicodedata.is_normalized("NFC", result)
    assert unicodedata.normalize("NFC", ablog_patches.ABLOG_SLUGIFY(label)) == result


#: Labels as people write them: Hangul (composed and not), Latin with accents, punctuation, spaces,
#: dashes, digits, compatibility forms (full-width, ligatures), and any other text.
LABELS = st.one_of(
    st.text(alphabet=st.sampled_from("회고오픈스택 코드리딩-_ Café Crème+!.,/\t\nＡｂｃ１ﬁ²①ⅷ가각힣ㄱㅏ"), max_size=30),
    st.text(max_size=30),
)


@given(LABELS)
def test_the_contracts_slug_rule_is_ablogs_slugify_in_nfc(label):
    """The contract owns the rule (journal.contract.labels); ABlog gets it installed. They must agree."""
    expected = unicodedata.normalize("NFC", ablog_patches.ABLOG_SLUGIFY(label))
    assert labels.label_slug(label) == expected
    assert labels.label_slug.__wrapped__(label) == expected  # uncached, too


def test_the_slug_installed_in_ablog_is_the_contracts():
    assert ablog_patches.label_slug is labels.label_slug


def test_new_document_is_rebound_in_ablog_blog_where_to_html_calls_it():
    ablog_patches.patch_new_document()
    assert ablog.blog.new_document is ablog_patches.new_document
    assert 'new_document("")' in inspect.getsource(ablog_patches.ABLOG_TO_HTML)


def settings_as_text(settings) -> dict[str, str]:
    return {name: repr(value) for name, value in vars(settings).items()}  # DependencyList has no ==


def test_new_document_gets_docutils_defaults_fresh_each_time():
    from docutils import frontend

    defaults = settings_as_text(frontend.get_default_settings())
    first, second = ablog_patches.new_document(""), ablog_patches.new_document("")
    assert settings_as_text(first.settings) == defaults
    assert first.settings is not second.settings
    first.settings.record_dependencies.add("changed.txt")
    first.settings.report_level = 5
    assert settings_as_text(ablog_patches.new_document("").settings) == defaults


def test_the_pickled_environment_keeps_no_post_twice(site: Build):
    """ABlog's post data holds neither the doctree copy nor, through its excerpt nodes'
    ``_document``, the original document: the environment would hold every post again."""
    with (site.outdir.parent / "html-doctrees" / "environment.pickle").open("rb") as stream:
        env = pickle.load(stream)  # our own build's environment
    infos = [info for infos in env.ablog_posts.values() for info in infos]
    assert len(infos) >= 10
    excerpt_nodes = [
        node for info in infos for excerpt in info["excerpt"] for node in excerpt.findall(include_self=True)
    ]
    assert excerpt_nodes, "the excerpts are kept"
    assert all(info["doctree"] is None for info in infos)
    assert [node for node in excerpt_nodes if vars(node).get("_document") is not None] == []
    assert all(node.document is None for node in excerpt_nodes)


def test_publication_cutoff_is_the_only_tomorrow_ablog_reads():
    """set_publication_cutoff rebinds ablog.blog.TOMORROW; ABlog must read it there, at call time, and nowhere else."""
    package = Path(ablog.__file__).parent
    readers = {path.name: path.read_text("utf-8").count("< TOMORROW") for path in package.glob("*.py")}
    assert {name: count for name, count in readers.items() if count} == {"blog.py": 2}
    saved = ablog.blog.TOMORROW
    try:
        seoul = dt.timezone(dt.timedelta(hours=9))
        ablog_patches.set_publication_cutoff(dt.datetime(2025, 4, 12, 6, 30, tzinfo=seoul))
        assert dt.datetime(2025, 4, 12, 6, 30) < ablog.blog.TOMORROW < dt.datetime(2025, 4, 12, 6, 30, 1)
    finally:
        ablog.blog.TOMORROW = saved

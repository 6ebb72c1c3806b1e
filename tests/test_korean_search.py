"""Korean search on the built site: Sphinx's real searchtools.js (Node and Chromium) finds posts by their nouns."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from buildsite import Build, require, run_in_browser, source_posts
from journal.korean.stemmer import stem

HARNESS = Path(__file__).parent / "search_harness.js"
QUERIES = ["공부", "오픈소스", "클라우드", "설정", "배포"]
#: Particles and endings written out here on purpose (not imported): an independent view of "with a particle".
ATTACHED = (
    r"(?:은|는|이|가|을|를|에|에서|에서는|으로|로|의|와|과|도|만|까지|부터|한다|했다|하는|하고|했는지|하는지|하다)"
)
PUBLISHED = [post for post in source_posts() if not post.is_draft]


def run_harness(site: Build, mode: str, items: list[str]) -> dict:
    node = require("nodejs", shutil.which("node"))
    done = subprocess.run(
        [node, str(HARNESS), str(site.outdir), mode, json.dumps(items, ensure_ascii=False)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def posts_with_attached(noun: str) -> set[str]:
    """Published posts whose body has *noun* with a particle or ending attached (read from the sources)."""
    pattern = re.compile(rf"(?<![가-힣]){noun}{ATTACHED}(?![가-힣])")
    return {post.docname for post in PUBLISHED if pattern.search(post.path.read_text(encoding="utf-8"))}


def test_sample_posts_use_each_query_with_particles():
    for query in QUERIES:
        assert posts_with_attached(query), f"no sample post has {query!r} with a particle"


def test_the_site_uses_the_korean_search_language(site: Build):
    language_data = site.path("_static/language_data.js").read_text(encoding="utf-8")
    assert "KoreanStemmer" in language_data and "window.Stemmer = KoreanStemmer" in language_data
    index = site.path("searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index[index.index("(") + 1 : index.rindex(")")])["terms"]
    assert "오픈소스" in terms and "클라우드" in terms
    assert not [term for term in terms if re.fullmatch(r"(오픈소스|클라우드)(는|를|에서|가)", term)]


def test_node_search_finds_posts_by_their_nouns(site: Build):
    """The built site's searchtools.js + language_data.js + searchindex.js, run in Node."""
    results = run_harness(site, "search", QUERIES)
    for query in QUERIES:
        found = {docname for docname, _ in results[query]}
        expected = posts_with_attached(query)
        assert expected <= found, (query, sorted(expected - found))


def corpus_words() -> list[str]:
    words = set()
    for post in PUBLISHED:
        words.update(re.findall(r"\w+", post.path.read_text(encoding="utf-8")))
    return sorted(words)


def test_javascript_and_python_stemmers_agree_on_every_word_of_the_sample_posts(site: Build):
    words = corpus_words()
    assert len(words) > 500
    js = run_harness(site, "stem", words)
    mismatches = {word: (stem(word), js[word]) for word in words if stem(word) != js[word]}
    assert mismatches == {}


@pytest.mark.browser
def test_search_page_in_chromium_finds_the_post(site: Build):
    query = "배포"
    expected = posts_with_attached(query)
    hrefs = run_in_browser(
        site.path("search.html").as_uri() + "?q=" + query,
        "document.querySelectorAll('#search-results ul.search li').length > 0",
        "[...document.querySelectorAll('#search-results ul.search li a')].map(a => a.href)",
    )
    found = {href.split("/html/", 1)[1].removesuffix(".html").split("?")[0] for href in hrefs if "/html/" in href}
    assert expected <= found, (expected, hrefs)

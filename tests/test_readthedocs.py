"""A build as Read the Docs runs it: its commands and environment, a separate output folder."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup

from buildsite import ROOT, Build, sphinx_build

BASE = "https://baeum-ilji-test.readthedocs.io/ko/latest/"
RTD_ENV = {
    "READTHEDOCS": "True",
    "READTHEDOCS_PROJECT": "baeum-ilji-test",
    "READTHEDOCS_LANGUAGE": "ko",
    "READTHEDOCS_VERSION": "latest",
    "READTHEDOCS_VERSION_TYPE": "branch",
    "READTHEDOCS_CANONICAL_URL": BASE,
}


def test_config_file_matches_what_we_test():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert config["build"]["tools"]["python"] == "3.11"
    assert config["sphinx"] == {"configuration": "conf.py", "builder": "html", "fail_on_warning": True}
    assert {"requirements": "requirements.txt"} in config["python"]["install"]
    (command,) = config["build"]["jobs"]["build"]["html"]
    assert rtd_arguments() == ["-T", "-W", "--keep-going", "-j", "auto", "-D", "language=ko"], command


def rtd_arguments() -> list[str]:
    """The options of the HTML build command in ``.readthedocs.yaml`` (Read the Docs' own command
    with ``-j auto``), without the builder and the folders, which the tests choose."""
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    (command,) = config["build"]["jobs"]["build"]["html"]
    words = shlex.split(command)
    assert words[:3] == ["python", "-m", "sphinx"] and words[-2:] == [".", "$READTHEDOCS_OUTPUT/html"], command
    options = words[3:-2]
    for option in ("-b", "-d"):  # html, and the doctree folder: the test's own
        index = options.index(option)
        del options[index : index + 2]
    return options


def test_requirements_are_pinned_exactly():
    for name in ("requirements.txt", "requirements-test.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith(("#", "-r")):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=\s]+", line), f"{name}: {line}"


@pytest.fixture(scope="module")
def rtd_build(tmp_path_factory) -> Build:
    out = tmp_path_factory.mktemp("rtd") / "html"
    # the command of .readthedocs.yaml, with the strict options every test build has (-W --keep-going -n)
    build = sphinx_build(ROOT, out, args=rtd_arguments(), env=RTD_ENV | {"READTHEDOCS_OUTPUT": str(out)})
    assert build.returncode == 0, build.output[-4000:]
    return build


def absolute_urls(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".xml":
        return re.findall(r"(?:href=\"|<loc>|<id>|<link>)(https?://[^\"<]+)", text)
    soup = BeautifulSoup(text, "html.parser")
    urls = [link["href"] for link in soup.select('link[rel="canonical"], link[rel="alternate"]')]
    urls += [meta["content"] for meta in soup.select('meta[property="og:url"], meta[property="og:image"]')]
    return urls


def test_canonical_links_use_the_read_the_docs_base(rtd_build: Build):
    for page in rtd_build.pages():
        canonical = page and BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
            'link[rel="canonical"]'
        )
        if page.name in {"404.html"} or page.parent.name == "_static":
            continue
        assert canonical is not None, page
        expected = BASE + page.relative_to(rtd_build.outdir).as_posix()
        assert unquote(canonical["href"]) in {expected, expected.removesuffix("index.html")}, page


def test_every_absolute_url_the_site_emits_uses_the_base(rtd_build: Build):
    own_urls = []
    for path in [*rtd_build.pages(), *rtd_build.outdir.rglob("*.xml")]:
        own_urls += [url for url in absolute_urls(path) if "readthedocs.io" in url or "example" in url]
    assert own_urls, "the build emits absolute URLs (canonical links, sitemap, feeds)"
    assert [url for url in own_urls if not url.startswith(BASE)] == []


def test_sitemap_uses_the_base(rtd_build: Build):
    locs = re.findall(r"<loc>([^<]+)</loc>", rtd_build.path("sitemap.xml").read_text(encoding="utf-8"))
    assert locs and all(loc.startswith(BASE) for loc in locs)

"""Hostile HTML in a post (issue #13): the post page keeps it, no feed carries it.

A small project has a post whose body is the author's raw HTML (allowed in MyST) full of
attacks, beside benign content a reader needs. Every feed (site, tag and category, RSS and
Atom) is read twice: by feedparser (valid, bozo 0) and, independently of feedparser's own
sanitiser and of ours, from the raw XML, with every entry's HTML walked by BeautifulSoup.
The same checker is shown to catch the attacks on the post page and on a feed written
without the sanitiser, so it can fail.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from bs4 import BeautifulSoup

from buildsite import STRICT, Build, build_environment, make_project, post_source, sphinx_build
from journal.publishing import feedsafe

pytestmark = pytest.mark.slow

BASE = "https://baeum-ilji.readthedocs.io/ko/latest/"
TITLE = "</title><script>alert('title')</script> & 제목"
#: Front matter excerpt (the feed summary): markup and a BEL control character, as text.
EXCERPT = "요약 <b>굵게</b> & <script>alert('excerpt')</script> 벨\a끝"

#: The author's raw HTML: every attack once, each in an element of its own.
ATTACKS = """<div class="attacks">
<script>alert("script")</script>
<img src="https://example.org/pixel.png" alt="pixel" onerror="alert('onerror')">
<a href="javascript:alert('js')">plain scheme</a>
<a href="JaVaScRiPt:alert('mixed')">mixed case</a>
<a href="&#106;avascript:alert('entity')">decimal entity</a>
<a href="&#x6A;&#x61;vascript&colon;alert('hex')">hex entity</a>
<a href=" &#09;javascript:alert('space')">leading space</a>
<a href="java&#x09;script:alert('tab')">tab inside</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>
<a href="vbscript:msgbox(1)">vbscript</a>
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+" alt="data image">
<img src="javascript:alert('img')" alt="script image">
<iframe src="https://evil.example/frame"></iframe>
<object data="https://evil.example/x.swf"><param name="movie" value="x.swf"></object>
<embed src="https://evil.example/x.swf">
<form action="https://evil.example/s"><input name="pw"><button formaction="javascript:alert(1)">go</button></form>
<svg onload="alert('svg')"><a href="javascript:alert('svg link')"><text>svg</text></a></svg>
<p style="width: expression(alert('style')); background: url(javascript:alert(1))">styled</p>
<style>p { background: url("javascript:alert('sheet')") }</style>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/x.css">
<p onclick="alert('click')" onmouseover="alert('over')">handlers</p>
<details open ontoggle="alert('toggle')"><summary>더보기</summary>숨김</details>
<math><mtext><table><mglyph><style><img src=x onerror="alert('mxss')"></style></mglyph></table></mtext></math>
<a href="http://[unparsable">unparsable URL</a>
<a href="https://example.org/opener" target="_blank" rel="opener">opener</a>
<p>제어 문자&#1;와 널&#0;</p>
</div>"""
#: The texts of the elements of ATTACKS that are no attack on a reader (an unparsable or an
#: ``opener`` link, control characters: their trouble is a broken build or invalid XML).
NOT_ATTACKS = ("unparsable URL", "opener", "제어 문자")

BODY = f"""첫 문단입니다.

## 안전한 내용

```python
def hello():
    return "<b>hi</b>"
```

| 열 | 값 |
|---|---|
| 가 | 1 |

![도표](diagram.svg)

[다른 글](04-11-benign.md)과 [외부 링크](https://example.org/a?b=1&c=2), 수식 {{math}}`a^2 + b^2`.

{ATTACKS}

마지막 문단입니다.
"""

DIAGRAM = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
ATTACK_POST = "posts/2025/04-12-attack"
FILES = {
    f"{ATTACK_POST}.md": post_source(
        TITLE, body=BODY, tags="[openstack, 보안]", category="기여", excerpt=f'"{EXCERPT}"'.replace("\a", "\\a")
    ),
    "posts/2025/04-11-benign.md": post_source(
        "평범한 글", date="2025-04-11 00:00:00", body="평범한 본문입니다.", tags="[openstack]", category="기여"
    ),
    "posts/2025/diagram.svg": DIAGRAM,
}
#: Every feed the project must have: the site's, and one per tag and per category.
FEED_FOLDERS = ["blog", "blog/tag/openstack", "blog/tag/보안", "blog/category/기여"]

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


# --- the independent checker --------------------------------------------------------

#: Elements no feed entry may hold, whatever the sanitiser's allow-list says.
FORBIDDEN_ELEMENTS = {
    *("script", "style", "link", "meta", "base", "noscript", "template"),
    *("iframe", "frame", "frameset", "object", "embed", "applet", "param"),
    *("form", "input", "button", "textarea", "select", "option", "svg"),
}
#: Attributes that hold a URL (or a list of them) somewhere in HTML, SVG or MathML.
URL_ATTRIBUTES = {
    *("href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc"),
    *("usemap", "ping", "srcset", "xlink:href", "codebase", "archive", "manifest", "icon", "lowsrc", "dynsrc"),
}
SAFE_SCHEMES = {"http", "https", "mailto"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
#: Literal tags that must never appear, whatever a parser makes of the text around them.
_RAW_TAG = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style|svg|form|meta|base|link)\b", re.IGNORECASE)


def url_scheme(value: str) -> str | None:
    """The scheme a browser sees in *value*: HTML entities decoded, controls and spaces removed."""
    match = _SCHEME.match(_INVISIBLE.sub("", html.unescape(value)))
    return match.group(1).lower() if match else None


def unsafe_markup(fragment: str) -> list[str]:
    """What in the HTML *fragment* a feed must not carry (empty when it is safe)."""
    problems = [f"raw tag {m.group(0)!r}" for m in _RAW_TAG.finditer(fragment)]
    for element in BeautifulSoup(fragment, "html.parser").find_all(True):
        if element.name in FORBIDDEN_ELEMENTS:
            problems.append(f"element <{element.name}>")
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.startswith("on"):
                problems.append(f"handler {name} on <{element.name}>")
            elif name == "style":
                problems.append(f"style on <{element.name}>")
            elif name in URL_ATTRIBUTES:
                urls = [u.strip().split(" ")[0] for u in " ".join(values).split(",")] if name == "srcset" else values
                for url in urls:
                    scheme = url_scheme(url)
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        problems.append(f"{scheme}: URL in <{element.name} {name}>")
            elif element.name == "meta" and name == "content" and "url" in " ".join(values).lower():
                problems.append("meta refresh")
    return problems


def test_the_checker_catches_each_attack_on_the_page(built: Build):
    """The checker flags every attack (so an unsanitised feed cannot pass), and nothing benign."""
    attacks = BeautifulSoup(built.path(f"{ATTACK_POST}.html").read_text(encoding="utf-8"), "html.parser")
    div = attacks.find("div", class_="attacks")
    assert div is not None, "the page keeps the author's raw HTML"
    for child in div.find_all(True, recursive=False):
        if not any(text in child.get_text() for text in NOT_ATTACKS):
            assert unsafe_markup(str(child)), f"the checker misses {child}"
    problems = " ".join(unsafe_markup(str(div)))
    for expected in (
        *("<script>", "<iframe>", "<object>", "<embed>", "<form>", "<svg>", "<style>", "<meta>", "<base>", "<link>"),
        *("onerror", "onclick", "onload", "ontoggle", "style on <p>", "javascript:", "data:", "vbscript:"),
    ):
        assert expected in problems, expected
    benign = '<p>코드 <code class="k">x</code> <a href="../a.html#b">상대</a> <a href="mailto:a@b.c">메일</a></p>'
    assert unsafe_markup(benign) == []
    assert unsafe_markup('<img src=" https://example.org/x.png" alt="">') == []


# --- builds ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("hostile-html") / "src", FILES)


@pytest.fixture(scope="module")
def built(project: Path) -> Build:
    build = sphinx_build(project, project.parent / "html")
    assert build.returncode == 0, build.output[-5000:]
    return build


def feed_files(outdir: Path) -> dict[str, bytes]:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.glob("blog/**/*.xml"))}


def expected_feed_files() -> set[str]:
    return {f"{folder}/{name}" for folder in FEED_FOLDERS for name in ("rss.xml", "atom.xml")}


def entry_html(data: bytes) -> list[tuple[str, str]]:
    """(where, HTML) for every HTML field of every entry, read from the raw XML (not from
    feedparser, which sanitises what it returns)."""
    root = ET.fromstring(data)
    pieces = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            for name in ("summary", "content"):
                for element in entry.iter(f"{ATOM}{name}"):
                    assert element.get("type") == "html", name
                    pieces.append((f"{entry.findtext(f'{ATOM}id')} {name}", element.text or ""))
    else:
        for item in root.iter("item"):
            for name in ("description", CONTENT):
                for element in item.iter(name):
                    pieces.append((f"{item.findtext('link')} {name}", element.text or ""))
    return pieces


def attack_content(build: Build, fmt: str = "atom") -> BeautifulSoup:
    root = ET.fromstring(build.path(f"blog/{fmt}.xml").read_bytes())
    if fmt == "atom":
        entry = next(e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith(f"{ATTACK_POST}.html"))
        return BeautifulSoup(entry.findtext(f"{ATOM}content"), "html.parser")
    item = next(i for i in root.iter("item") if i.findtext("link").endswith(f"{ATTACK_POST}.html"))
    return BeautifulSoup(item.findtext(CONTENT), "html.parser")


def test_every_feed_exists_and_parses(built: Build):
    files = feed_files(built.outdir)
    assert set(files) == expected_feed_files()
    for name, data in files.items():
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        assert TITLE in [e.title for e in parsed.entries], name


def test_no_feed_carries_unsafe_html(built: Build):
    checked = 0
    for name, data in feed_files(built.outdir).items():
        for where, fragment in entry_html(data):
            assert unsafe_markup(fragment) == [], (name, where)
            assert "javascript" not in fragment.lower(), (name, where)
            checked += 1
    assert checked >= 2 * 2 * 2 * len(FEED_FOLDERS) - 4, "summary and content of each entry in each feed"


def test_the_post_page_keeps_the_authors_html(built: Build):
    page = built.path(f"{ATTACK_POST}.html").read_text(encoding="utf-8")
    for raw in (
        '<script>alert("script")</script>',
        "onerror=\"alert('onerror')\"",
        '<iframe src="https://evil.example/frame"></iframe>',
        "<a href=\"&#106;avascript:alert('entity')\">",
        "<p onclick=\"alert('click')\"",
    ):
        assert raw in page, raw


def test_a_reader_gets_what_it_needs(built: Build):
    content = attack_content(built)
    assert content.find("h2", string="안전한 내용")
    code = content.find("pre")
    assert code is not None and 'return "<b>hi</b>"' in code.get_text()
    assert "highlight" in " ".join(code.find_parent("div").get("class")), "code block classes are kept"
    assert [td.get_text(strip=True) for td in content.find("table").find_all(["th", "td"])] == ["열", "값", "가", "1"]
    image = content.find("img", alt="도표")
    assert image["src"].startswith(BASE) and image["src"].endswith(".svg")
    links = {a.get_text(strip=True): a for a in content.find_all("a")}
    assert links["다른 글"]["href"] == f"{BASE}posts/2025/04-11-benign.html", "a relative link made absolute"
    assert links["외부 링크"]["href"] == "https://example.org/a?b=1&c=2"
    assert all(a["rel"] == ["noopener", "noreferrer"] for a in links.values())
    assert links["opener"]["href"] == "https://example.org/opener" and not links["opener"].get("target")
    assert content.find("span", class_="math").find("code").get_text() == "a^2 + b^2", "math as its TeX source"
    assert content.find("img", alt="pixel")["src"] == "https://example.org/pixel.png", "only the handler goes"
    assert "handlers" in content.get_text() and "마지막 문단입니다." in content.get_text()
    assert content.find("details").find("summary").get_text() == "더보기"
    assert str(attack_content(built, "rss")) == str(content), "RSS content:encoded is the Atom content"


def test_every_local_url_in_a_feed_points_to_a_built_file(built: Build):
    content = attack_content(built)
    urls = [a["href"] for a in content.find_all("a", href=True)] + [i["src"] for i in content.find_all("img", src=True)]
    local = [u for u in urls if u.startswith(BASE)]
    assert len(local) >= 2
    for url in local:
        assert (built.outdir / unquote(url[len(BASE) :].split("#")[0])).is_file(), url
    assert all(u.startswith(("https://", "http://")) for u in urls), urls


def test_text_fields_stay_text_and_xml_stays_valid(built: Build):
    for fmt in ("rss", "atom"):
        data = built.path(f"blog/{fmt}.xml").read_bytes()
        text = data.decode("utf-8")
        assert not feedsafe.NOT_XML.search(text), "no character XML 1.0 forbids"
        assert "<script>" not in text and "</title><script>" not in text
        parsed = feedparser.parse(data)
        entry = next(e for e in parsed.entries if e.title == TITLE)
        assert entry.title == TITLE, "the title round-trips as text"
        summary = next(html_ for where, html_ in entry_html(data) if ATTACK_POST in where and "content" not in where)
        shown = BeautifulSoup(summary, "html.parser")
        assert shown.find(True) is None, "the excerpt is text: no element"
        assert shown.get_text() == EXCERPT.replace("\a", ""), "shown as the author wrote it, without the BEL"
    content = attack_content(built).get_text()
    assert "제어 문자와 널" in content.replace("\ufffd", ""), "control characters of the body are dropped"


def run_build_without_sanitiser(srcdir: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    """A build as before issue #13 (entry HTML written as the post has it), under another policy."""
    script = (
        "import sys\n"
        "from journal.publishing import feedsafe\n"
        "feedsafe.POLICY = 'no sanitiser'\n"
        "feedsafe.clean = lambda fragment, base=None: feedsafe.xml_text(fragment)\n"
        "feedsafe.text_as_html = feedsafe.xml_text\n"
        "from sphinx.cmd.build import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    doctrees = outdir.parent / (outdir.name + "-doctrees")
    command = [sys.executable, "-c", script, "-b", "html", *STRICT, str(srcdir), str(outdir), "-d", str(doctrees)]
    return subprocess.run(command, capture_output=True, text=True, env=build_environment(), cwd=srcdir, check=False)


def test_feeds_kept_from_a_build_without_the_sanitiser_are_not_reused(built: Build, project: Path):
    """An incremental build over a build made before the sanitiser writes a clean build's feeds."""
    outdir = project.parent / "upgraded" / "html"
    before = run_build_without_sanitiser(project, outdir)
    assert before.returncode == 0, (before.stdout + before.stderr)[-5000:]
    unsafe = [where for data in feed_files(outdir).values() for where, f in entry_html(data) if unsafe_markup(f)]
    assert len(unsafe) >= 2 * len(FEED_FOLDERS), "the checker catches an unsanitised feed"
    after = sphinx_build(project, outdir)
    assert after.returncode == 0, after.output[-5000:]
    assert "updating environment: 0 added, 0 changed, 0 removed" in after.output, "incremental"
    assert feed_files(outdir) == feed_files(built.outdir)


def test_feeds_are_byte_stable_across_clean_and_incremental_builds(built: Build, project: Path, tmp_path: Path):
    again = sphinx_build(project, tmp_path / "again" / "html")
    assert again.returncode == 0, again.output[-5000:]
    assert feed_files(again.outdir) == feed_files(built.outdir), "a second clean build"
    # an edit (another attack and more text) rebuilt incrementally, against a clean build of it
    source = shutil.copytree(project, tmp_path / "edited", ignore=shutil.ignore_patterns("_build"))
    first = sphinx_build(source, tmp_path / "incremental" / "html")
    assert first.returncode == 0, first.output[-5000:]
    post = source / f"{ATTACK_POST}.md"
    edit = '\n<p><a href="jav&#x0A;ascript:alert(\'edit\')" onfocus="alert(1)">고친 곳</a></p>\n\n덧붙인 문단.\n'
    post.write_text(post.read_text(encoding="utf-8") + edit, encoding="utf-8")
    incremental = sphinx_build(source, tmp_path / "incremental" / "html")
    assert incremental.returncode == 0, incremental.output[-5000:]
    assert "updating environment: 0 added, 1 changed, 0 removed" in incremental.output
    clean = sphinx_build(source, tmp_path / "clean" / "html")
    assert clean.returncode == 0, clean.output[-5000:]
    files = feed_files(incremental.outdir)
    assert files == feed_files(clean.outdir)
    assert files != feed_files(built.outdir), "the edit reached the feeds"
    for data in files.values():
        assert all(unsafe_markup(f) == [] for _, f in entry_html(data))
        assert "덧붙인 문단".encode() in data, "the edit is in every feed"


# --- the sanitiser alone ---------------------------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS.splitlines()[1:-1])
def test_each_attack_alone_is_removed(attack: str):
    cleaned = feedsafe.clean(attack, BASE + "posts/x.html")
    assert unsafe_markup(cleaned) == [], cleaned
    assert "javascript" not in cleaned.lower() and "alert" not in cleaned, cleaned


def test_relative_urls_are_resolved_against_the_post():
    cleaned = BeautifulSoup(
        feedsafe.clean(
            '<a href="../tag/%ED%9A%8C%EA%B3%A0.html">태그</a><a href="#절">절</a><img src="../../_images/a.png">'
            '<a href="//cdn.example.org/x">cdn</a><a href="https://[broken">깨짐</a>',
            BASE + "posts/2025/04-12-a.html",
        ),
        "html.parser",
    )
    hrefs = [a.get("href") for a in cleaned.find_all("a")]
    assert hrefs == [
        f"{BASE}posts/tag/%ED%9A%8C%EA%B3%A0.html",
        f"{BASE}posts/2025/04-12-a.html#%EC%A0%88",
        "https://cdn.example.org/x",
        None,
    ]
    assert cleaned.find("img")["src"] == f"{BASE}_images/a.png"


def test_mathml_becomes_its_tex_source_and_stays_sanitised():
    formula = '<math alttext="x &lt; y&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" display="inline"><mi>x</mi></math>'
    cleaned = feedsafe.clean(f"<p>{formula}</p>")
    assert cleaned == '<p><code>x &lt; y"&gt;&lt;img src=x onerror=alert(1)&gt;</code></p>'

"""Pages written without their templates' indentation (journal.assets.htmlspace) are the same
pages: the oracle is the same site built with ``journal_compact_html = False``."""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from buildsite import ROOT, Build, browser_session, differing_pixels, serve, sphinx_build
from journal.assets.htmlspace import LINE_BREAK_RUN, VERBATIM, squeeze, squeezed_text

VERBATIM_TAGS = ("pre", "textarea", "script", "style")


def test_line_break_runs_become_one_line_break():
    assert squeeze("<div>\n    <p>글</p>\n\n\n  </div>  \n") == "<div>\n<p>글</p>\n</div>\n"
    assert squeeze("<p>a  b</p>") == "<p>a  b</p>", "a run without a line break is left as it is"


@pytest.mark.parametrize("tag", VERBATIM_TAGS)
def test_verbatim_elements_keep_their_whitespace(tag):
    inner = "\n    첫 줄\n\n        들여쓴 줄\n  "
    html = f"<div>\n  <{tag} class='x'>{inner}</{tag}>\n  <{tag}>{inner}</{tag.upper()}>\n</div>"
    assert squeeze(html) == f"<div>\n<{tag} class='x'>{inner}</{tag}>\n<{tag}>{inner}</{tag.upper()}>\n</div>"


def test_a_longer_tag_name_is_not_verbatim():
    assert squeeze("<prefix-box>\n   x\n</prefix-box>") == "<prefix-box>\nx\n</prefix-box>"


def test_the_line_by_line_squeeze_is_the_pattern():
    """squeezed_text, written line by line for speed, is LINE_BREAK_RUN's substitution: random
    texts of the characters where they could part (the pattern's ``\\s`` and ``str.lstrip``
    take Unicode spaces; the run's part before a line break takes only four characters)."""
    alphabet = [" ", "\t", "\r", "\f", "\n", "\v", "\xa0", "\u3000", "\x1c", "\u2028", "a", "글", "<"]
    rng = random.Random(11)
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert squeezed_text(text) == LINE_BREAK_RUN.sub("\n", text), repr(text)


def test_squeezing_a_fragment_first_changes_nothing():
    """A widget squeezed on its own, then put into a page, gives the squeezed page: what
    journal.speed.splice relies on. Random pages, cut anywhere outside verbatim elements."""
    rng = random.Random(7)
    parts = ["<div>", "</div>", " ", "  ", "\n", "\n  ", "\t", "글", "<pre>\n  a\n</pre>", "<script>\n x\n</script>"]
    for _ in range(500):
        page = "".join(rng.choice(parts) for _ in range(rng.randint(1, 30)))
        cuts = sorted(rng.sample(range(len(page) + 1), 2))
        inside = [m.span() for m in VERBATIM.finditer(page)]
        if any(start < cut < end for cut in cuts for start, end in inside):
            continue
        head, middle, tail = page[: cuts[0]], page[cuts[0] : cuts[1]], page[cuts[1] :]
        assert squeeze(head + squeeze(middle) + tail) == squeeze(page), repr(page)
        assert squeeze(squeeze(page)) == squeeze(page)


# --- the sample site, squeezed and not -------------------------------------------------------


@pytest.fixture(scope="module")
def loose(tmp_path_factory) -> Build:
    outdir = tmp_path_factory.mktemp("loose") / "html"
    build = sphinx_build(ROOT, outdir, args=["-D", "journal_compact_html=0"])
    assert build.returncode == 0, build.output[-5000:]
    return build


def pages(build: Build) -> dict[str, str]:
    return {p.relative_to(build.outdir).as_posix(): p.read_text(encoding="utf-8") for p in build.pages()}


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text()).strip()


def verbatim(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [str(element) for element in soup.find_all(VERBATIM_TAGS)]


def structure(html: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    soup = BeautifulSoup(html, "html.parser")
    return [(tag.name, tuple(sorted((k, str(v)) for k, v in tag.attrs.items()))) for tag in soup.find_all(True)]


def test_every_page_is_the_same_page_smaller(site, loose):
    squeezed, plain = pages(site), pages(loose)
    assert sorted(squeezed) == sorted(plain)
    for name, html in squeezed.items():
        assert structure(html) == structure(plain[name]), name
        assert verbatim(html) == verbatim(plain[name]), name
        assert visible_text(html) == visible_text(plain[name]), name
    before = sum(len(html.encode()) for html in plain.values())
    after = sum(len(html.encode()) for html in squeezed.values())
    assert after < 0.95 * before, (after, before)
    assert all(not re.search(r"\n[ \t]", VERBATIM.sub("", html)) for html in squeezed.values())


@pytest.mark.parametrize("page", ["index.html", "posts/2025/05-03-sdk-proxy-layer.html", "blog/tag/openstack.html"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_browser_draws_both_alike(site, loose, page, width):
    assert (site.outdir / page).is_file(), page
    shots = []
    with browser_session() as browser:
        for build in (site, loose):
            with serve(build.outdir) as url:
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="light")
                tab = context.new_page()
                tab.goto(url + page, wait_until="networkidle")
                tab.evaluate("() => document.fonts.ready")
                tab.evaluate(EVERY_IMAGE_DECODED)
                shots.append(settled_screenshot(tab))
                context.close()
    assert differing_pixels(*shots) == 0


#: Lazy images load when a full-page screenshot grows the viewport: on a loaded machine one
#: build's screenshot once had an image the other's lacked (2,651 pixels apart). Every image is
#: loaded and decoded first, in both builds alike.
EVERY_IMAGE_DECODED = """() => Promise.all([...document.images].map((image) => {
    image.loading = "eager";
    return image.decode().catch(() => null);
}))"""


#: The left sidebar is left out of the pixels (painted over alike in both builds): on a loaded
#: machine its text came out some thousand pixels apart between two builds whose sidebars
#: look the same to the eye (the theme scrolls it to the current page's entry after loading;
#: resetting that scroll did not settle it). Its markup and text are compared above, page by page.
SIDEBAR = ".bd-sidebar-primary"


def settled_screenshot(tab) -> bytes:
    """A screenshot once two in a row agree: the first one of a fresh tab may still lack a
    decoded image or a font (seen on the same page of the same build)."""

    def screenshot() -> bytes:
        return tab.screenshot(full_page=True, animations="disabled", mask=[tab.locator(SIDEBAR)])

    previous = screenshot()
    for _ in range(5):
        shot = screenshot()
        # Agreeing as the comparison below agrees: under load, two screenshots of one tab
        # differ by one step of anti-aliasing in a few pixels (measured: 21, none by more than 2).
        if shot == previous or differing_pixels(shot, previous) == 0:
            return shot
        previous = shot
    raise AssertionError("the page kept changing")


def test_a_project_with_its_own_template_bridge_keeps_it():
    from journal.assets.htmlspace import LOADER, use_squeezing_loader

    ours = SimpleNamespace(journal_compact_html=True, template_bridge=None)
    theirs = SimpleNamespace(journal_compact_html=True, template_bridge="mine.Loader")
    off = SimpleNamespace(journal_compact_html=False, template_bridge=None)
    for config in (ours, theirs, off):
        use_squeezing_loader(None, config)  # type: ignore[arg-type]  # the handler reads these two values
    assert (ours.template_bridge, theirs.template_bridge, off.template_bridge) == (LOADER, "mine.Loader", None)

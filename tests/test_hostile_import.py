"""Hostile Jekyll sites and redirects (issue #13): nothing is read or written outside its folder.

Each case writes a small Jekyll site of its own into a temporary folder, imports it into a
temporary project (and, where it matters, builds that strictly), then checks the exit
status, the report line (``file:line: refused: ...``), and that nothing outside the
project and its build output changed: a listing (path, size, mtime) of the temporary
folder before and after must be equal, apart from the project and build folders.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from buildsite import Build, make_project, post_source, sphinx_build
from journal.commands.cli import main
from journal.jekyll import redirects
from journal.jekyll.liquid import MAX_ITERATIONS
from journal.jekyll.yamlload import MAX_VALUES

CONFIG = 'title: 시험용 블로그\nurl: "https://old.example.kr"\ntimezone: Asia/Seoul\n'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def jekyll_post(front: str, body: str = "본문 한 줄.") -> str:
    return f"---\n{front.strip()}\n---\n\n{body}\n"


def write_site(
    folder: Path, posts: dict[str, str], config: str = CONFIG, files: dict[str, bytes] | None = None
) -> Path:
    (folder / "_posts").mkdir(parents=True, exist_ok=True)
    (folder / "_config.yml").write_text(config, encoding="utf-8")
    for name, text in posts.items():
        (folder / "_posts" / name).write_text(text, encoding="utf-8")
    for relative, data in (files or {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    return folder


class Sandbox:
    """A temporary folder holding a Jekyll site (``src``), a project and its build output."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.src = base / "src"
        self.project = base / "project"
        self.outdir = base / "project-html"
        self._before: dict[str, tuple[int, int]] | None = None

    def listing(self) -> dict[str, tuple[int, int]]:
        """Every path under the temporary folder (and the /tmp/escape... the cases aim at) but the project and build."""
        skip = {self.project, self.outdir, self.outdir.parent / (self.outdir.name + "-doctrees")}
        found: dict[str, tuple[int, int]] = {}
        for folder, dirs, files in os.walk(self.base):
            dirs[:] = [d for d in dirs if Path(folder, d) not in skip]
            for name in dirs + files:
                path = Path(folder, name)
                info = path.lstat()
                found[path.relative_to(self.base).as_posix()] = (info.st_size, info.st_mtime_ns)
        for outside in ("/tmp/escape", "/tmp/tmp/escape", "/tmp/escape-posts"):
            if os.path.lexists(outside):
                found[outside] = (0, 0)
        return found

    def start(self, files: dict[str, str] | None = None) -> None:
        make_project(self.project, files or {})
        self._before = self.listing()

    def unchanged_outside(self) -> None:
        assert self._before is not None
        assert self.listing() == self._before

    def run(self, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
        code = main(["import-jekyll", str(self.src), "--root", str(self.project), "--timezone", "Asia/Seoul", *args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return code, captured.out + captured.err

    def build(self) -> Build:
        return sphinx_build(self.project, self.outdir)

    def redirects(self) -> dict[str, str]:
        path = self.project / "redirects.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


# --- 1. old URLs: permalink and redirect_from -------------------------------------------


def test_permalink_climbing_out_is_refused_and_the_build_writes_nothing_outside(
    box: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(
        box.src,
        {
            "2025-04-12-탈출.md": jekyll_post("title: 탈출\npermalink: /../../../../tmp/escape/"),
            "2025-04-13-옆집.md": jekyll_post("title: 옆집\npermalink: /../outside/escape/"),
        },
    )
    box.start()
    code, out = box.run(capsys)
    assert code == 1
    assert "_posts/2025-04-12-탈출.md:3: refused: permalink: '/../../../../tmp/escape/' climbs out of the site" in out
    assert "_posts/2025-04-13-옆집.md:3: refused: permalink: '/../outside/escape/' climbs out" in out
    assert box.redirects() == {}
    assert (box.project / "posts/2025/04-12-탈출.md").is_file()  # the post itself is imported
    build = box.build()
    assert build.returncode == 0, build.output[-3000:]
    box.unchanged_outside()


def test_redirect_from_onto_a_project_template_is_refused(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    front = "title: 템플릿\ntags: [시험]\nredirect_from:\n  - /../../_templates/journal/subscribe.html\n  - /옛-주소/"
    write_site(box.src, {"2025-04-12-템플릿.md": jekyll_post(front)})
    box.start()
    template = box.project / "_templates/journal/subscribe.html"
    before = template.read_bytes()
    code, out = box.run(capsys)
    assert code == 1
    assert "_posts/2025-04-12-템플릿.md:4: refused: redirect_from: '/../../_templates/journal/subscribe.html'" in out
    assert box.redirects() == {
        "2025/04/12/템플릿.html": "/posts/2025/04-12-템플릿.html",
        "옛-주소/index.html": "/posts/2025/04-12-템플릿.html",
    }
    build = box.build()
    assert build.returncode == 0, build.output[-3000:]
    assert template.read_bytes() == before
    assert (box.outdir / "옛-주소/index.html").is_file()
    box.unchanged_outside()


@pytest.mark.parametrize(
    ("permalink", "reason"),
    [
        ("/index.html", "would replace index.md, a page the site builds"),
        ("/Index.html", "would replace index.md, a page the site builds"),  # one file on case-blind disks
        ("/about.html", "would replace about.md, a page the site builds"),
        ("/posts/2025/04-13-다른-글.html", "would replace posts/2025/04-13-다른-글.md, a page the site builds"),
        ("/blog/tag/시험.html", "one of ABlog's archive pages"),
        ("/genindex.html", "a page Sphinx writes"),
        ("/_static/journal.css", "a folder Sphinx writes"),
    ],
)
def test_an_old_url_onto_a_page_of_the_site_is_refused(
    box: Sandbox, capsys: pytest.CaptureFixture[str], permalink: str, reason: str
) -> None:
    write_site(
        box.src,
        {
            "2025-04-12-홈-덮기.md": jekyll_post(f"title: 홈 덮기\ntags: [시험]\npermalink: {permalink}"),
            "2025-04-13-다른-글.md": jekyll_post("title: 다른 글"),
        },
    )
    box.start({"about.md": "# 소개\n\n소개 글.\n"})
    code, out = box.run(capsys)
    assert code == 1
    assert re.search(rf"_posts/2025-04-12-홈-덮기\.md:4: refused: old URL '{re.escape(permalink)}' .*{reason}", out)
    assert permalink.lstrip("/") not in box.redirects()


def test_the_home_page_stays_the_home_page(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    write_site(box.src, {"2025-04-12-홈.md": jekyll_post("title: 홈\npermalink: /index.html")})
    box.start()
    assert box.run(capsys)[0] == 1
    build = box.build()
    assert build.returncode == 0, build.output[-3000:]
    home = (box.outdir / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in home and "시험 일지" in home
    box.unchanged_outside()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("https://evil.example/x.html", "is an address on another site"),
        ("//evil.example/x.html", "is an address on another site"),
        ("javascript:alert(1)", "is an address on another site"),
        ("/old?p=12", "has a query or fragment"),
        ("/old#top", "has a query or fragment"),
        ("/a%00b.html", "contains a control character or a backslash"),
        ("'/a\\\\b.html'", "contains a control character or a backslash"),
        ("/%2e%2e/%2e%2e/x.html", "climbs out of the site"),
        ("''", "is empty"),
        ("{a: 1}", "expected a URL path"),
        ("/a*b.html", "contains a wildcard"),
    ],
)
def test_unsafe_redirect_from_values_are_refused(
    box: Sandbox, capsys: pytest.CaptureFixture[str], value: str, reason: str
) -> None:
    write_site(box.src, {"2025-04-12-값.md": jekyll_post(f"title: 값\nredirect_from: [{value}]")})
    box.start()
    code, out = box.run(capsys)
    assert code == 1
    assert re.search(rf"_posts/2025-04-12-값\.md:3: refused: .*{re.escape(reason)}", out), out
    assert box.redirects() == {"2025/04/12/값.html": "/posts/2025/04-12-값.html"}
    box.unchanged_outside()


def test_old_urls_are_normalised_and_the_old_sites_own_address_accepted(
    box: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    front = "title: 정리\npermalink: /a/./b/../c/\nredirect_from:\n  - https://old.example.kr/d//e.html\n  - /f/g/.."
    write_site(box.src, {"2025-04-12-정리.md": jekyll_post(front)})
    box.start()
    code, out = box.run(capsys)
    assert code == 0, out
    page = "/posts/2025/04-12-정리.html"
    assert box.redirects() == {"a/c/index.html": page, "d/e.html": page, "f/index.html": page}


def test_a_permalink_from_config_is_refused_at_its_line(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    write_site(box.src, {"2025-04-12-설정.md": jekyll_post("title: 설정")}, CONFIG + "permalink: /../:title/\n")
    box.start()
    code, out = box.run(capsys)
    assert code == 1
    assert "_config.yml:4: refused: _posts/2025-04-12-설정.md: permalink: '/../설정/' climbs out of the site" in out
    assert box.redirects() == {}


def test_a_redirect_from_in_defaults_is_refused_at_its_line(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    config = CONFIG + "defaults:\n  - scope: {path: ''}\n    values:\n      redirect_from: /../up.html\n"
    write_site(box.src, {"2025-04-12-기본값.md": jekyll_post("title: 기본값")}, config)
    box.start()
    code, out = box.run(capsys)
    assert code == 1
    assert "_config.yml:7: refused: _posts/2025-04-12-기본값.md: redirect_from: '/../up.html' climbs out" in out


# --- 1b. redirects.json: loaded by conf.py, checked at build time ----------------------


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("../../escape.html", "'.' or '..' segments"),
        ("a/../../b.html", "'.' or '..' segments"),
        ("/etc/passwd", "starts with '/'"),
        ("a\\b.html", "backslash"),
        ("a\x00.html", "control character"),
        ("a\n.html", "control character"),
        ("a.html?x=1", "query or fragment"),
        ("a.html#x", "query or fragment"),
        ("https://evil.example/a.html", "is an address"),
        ("C:/x.html", "is an address"),
        ("", "is empty"),
        ("*", "wildcard"),
        ("a//b.html", "empty segment"),
    ],
)
def test_a_hand_edited_redirects_json_with_a_bad_key_fails_loading(tmp_path: Path, key: str, reason: str) -> None:
    path = tmp_path / "redirects.json"
    path.write_text(json.dumps({"fine.html": "/index.html", key: "/index.html"}), encoding="utf-8")
    with pytest.raises(redirects.RedirectsError) as error:
        redirects.load_redirects(path)
    assert f"key {key!r}" in str(error.value) and reason in str(error.value)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    "target",
    ['/a.html"><script>alert(1)</script>', "javascript:alert(1)", "", "//evil.example/", "relative.html", 5],
)
def test_a_bad_redirect_target_fails_loading(tmp_path: Path, target: object) -> None:
    path = tmp_path / "redirects.json"
    path.write_text(json.dumps({"old.html": target}), encoding="utf-8")
    with pytest.raises(redirects.RedirectsError, match=r"key 'old\.html': its target"):
        redirects.load_redirects(path)


def test_the_strict_build_stops_on_an_escaping_key(box: Sandbox) -> None:
    box.start({"posts/2025/04-12-글.md": post_source("글")})
    (box.project / "redirects.json").write_text(
        json.dumps({"../outside/escape.html": "/posts/2025/04-12-글.html"}), encoding="utf-8"
    )
    box._before = box.listing()
    build = box.build()
    assert build.returncode != 0
    assert "redirects.json" in build.output and "key '../outside/escape.html'" in build.output
    box.unchanged_outside()


def test_a_redirect_onto_an_existing_page_fails_the_strict_build(box: Sandbox) -> None:
    box.start({"posts/2025/04-12-글.md": post_source("글"), "about.md": "# 소개\n\n소개 글.\n"})
    entries = {
        "about.html": "/posts/2025/04-12-글.html",
        "index.html": "/posts/2025/04-12-글.html",
        "blog/tag.html": "/posts/2025/04-12-글.html",
        "old/fine.html": "/posts/2025/04-12-글.html",
        "old/nowhere.html": "/posts/2025/없는-글.html",
    }
    (box.project / "redirects.json").write_text(json.dumps(entries, indent=2), encoding="utf-8")
    box._before = box.listing()
    build = box.build()
    assert build.returncode != 0
    warnings = "\n".join(build.warnings)
    assert re.search(
        r"redirects\.json:2: WARNING: redirects\.json: redirect 'about\.html' would replace about\.html", warnings
    )
    assert "redirect 'index.html' would replace index.html, the page of index.md" in warnings
    assert "redirect 'blog/tag.html' would replace blog/tag.html, one of ABlog's pages" in warnings
    assert "redirect 'old/nowhere.html' -> '/posts/2025/없는-글.html': the target is not a page" in warnings
    assert "[journal.redirects]" in warnings and "old/fine.html" not in warnings
    for page in ("index.html", "about.html"):
        assert 'http-equiv="refresh"' not in (box.outdir / page).read_text(encoding="utf-8"), page
    assert 'http-equiv="refresh"' in (box.outdir / "old/fine.html").read_text(encoding="utf-8")
    box.unchanged_outside()


def test_a_redirect_through_a_symlink_in_the_output_is_refused(box: Sandbox) -> None:
    box.start({"posts/2025/04-12-글.md": post_source("글")})
    (box.base / "elsewhere").mkdir()
    box.outdir.mkdir()
    (box.outdir / "old").symlink_to(box.base / "elsewhere")
    (box.project / "redirects.json").write_text(
        json.dumps({"old/a.html": "/posts/2025/04-12-글.html"}), encoding="utf-8"
    )
    box._before = box.listing()
    build = box.build()
    assert build.returncode != 0
    assert "redirect 'old/a.html' would write" in build.output and "outside the output folder" in build.output
    assert list((box.base / "elsewhere").iterdir()) == []
    box.unchanged_outside()


def test_the_importer_leaves_a_bad_redirects_json_alone(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    write_site(box.src, {"2025-04-12-글.md": jekyll_post("title: 글")})
    box.start()
    bad = json.dumps({"../x.html": "/a.html"})
    (box.project / "redirects.json").write_text(bad, encoding="utf-8")
    code, out = box.run(capsys)
    assert code == 1
    assert "redirects.json:1: refused:" in out and "key '../x.html'" in out
    assert (box.project / "redirects.json").read_text(encoding="utf-8") == bad


# --- 2. files: assets, symlinks, --dest, --root ----------------------------------------------


def test_assets_are_copied_to_where_they_really_are(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    box = Sandbox(tmp_path)
    box.src = tmp_path / "blog"  # so that /x/../../blog/assets/img.png names a file of the source
    body = "![위](/x/../../blog/assets/img.png)\n\n![옆](/x/../assets/img.png)\n\n[설정](/conf.py) [깃](/.git/config)"
    write_site(
        box.src,
        {"2025-04-12-그림.md": jekyll_post("title: 그림", body)},
        files={"assets/img.png": PNG, "conf.py": b"import os\n", ".git/config": b"[core]\n", "_data/x.png": PNG},
    )
    box.start()
    code, out = box.run(capsys)
    assert code == 1
    assert (
        "_posts/2025-04-12-그림.md:5: refused: '/x/../../blog/assets/img.png' climbs above the old site's root; "
        "read as /blog/assets/img.png" in out
    )
    assert (box.project / "assets/img.png").read_bytes() == PNG  # from the second, harmless link
    text = (box.project / "posts/2025/04-12-그림.md").read_text(encoding="utf-8")
    assert "![옆](/assets/img.png)" in text
    assert "https://old.example.kr/conf.py" in text and "https://old.example.kr/.git/config" in text
    assert not (box.project / ".git").exists()
    assert (box.project / "conf.py").read_bytes() != b"import os\n"
    box.unchanged_outside()


def test_a_link_climbing_out_never_reaches_the_post(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """Without the old site's url the link is kept, but as the browser reads it: never above the root."""
    body = "[열쇠](/../../../../etc/hostname) ![그림](/%2e%2e/%2e%2e/etc/x.png)"
    post = jekyll_post("title: 위로\nimage: /../../etc/cover.png", body)
    write_site(box.src, {"2025-04-12-위로.md": post}, "title: 주소 없음\n")
    box.start()
    code, out = box.run(capsys)
    assert code == 1
    assert "_posts/2025-04-12-위로.md:3: refused: '/../../etc/cover.png' climbs above the old site's root" in out
    assert "_posts/2025-04-12-위로.md:6: refused: '/../../../../etc/hostname' climbs above the old site's root" in out
    assert "refused: '/%2e%2e/%2e%2e/etc/x.png' climbs above the old site's root; read as /etc/x.png" in out
    text = (box.project / "posts/2025/04-12-위로.md").read_text(encoding="utf-8")
    # Nothing resolves it on a site without url: a plain HTML link (MyST would take it for a
    # missing cross-reference), clamped to the root as a browser reads it.
    assert '<a href="/etc/hostname">열쇠</a>' in text and "/../" not in text and "\nimage: /etc/cover.png\n" in text
    assert "\\!\\[그림\\](/%2e%2e" in text  # no image to show: kept as text, not as an image


def test_an_asset_symlinked_out_of_the_source_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    box = Sandbox(tmp_path)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret/key.png").write_bytes(b"not for the web")
    write_site(
        box.src, {"2025-04-12-링크.md": jekyll_post("title: 링크\nimage: /assets/key.png", "![열쇠](/assets/key.png)")}
    )
    (box.src / "assets").mkdir()
    (box.src / "assets/key.png").symlink_to(tmp_path / "secret/key.png")
    box.start()
    code, out = box.run(capsys)
    assert code == 1
    assert f"_posts/2025-04-12-링크.md:6: refused: '/assets/key.png' resolves to {tmp_path}/secret/key.png" in out
    assert "outside the Jekyll source; not copied" in out
    assert not (box.project / "assets").exists()
    box.unchanged_outside()


def test_an_asset_symlinked_inside_the_source_is_copied_from_its_real_path(
    box: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(box.src, {"2025-04-12-별칭.md": jekyll_post("title: 별칭", "![별칭](/assets/alias.png)")})
    (box.src / "media").mkdir()
    (box.src / "media/real.png").write_bytes(PNG)
    (box.src / "assets").mkdir()
    (box.src / "assets/alias.png").symlink_to(box.src / "media/real.png")
    box.start()
    code, out = box.run(capsys)
    assert code == 0, out
    assert (box.project / "media/real.png").read_bytes() == PNG and not (box.project / "assets").exists()
    assert "![별칭](/media/real.png)" in (box.project / "posts/2025/04-12-별칭.md").read_text(encoding="utf-8")


def test_a_post_symlinked_out_of_the_source_is_not_read(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    secret = box.base / "private.md"
    secret.write_text(jekyll_post("title: 비밀", "남에게 보이면 안 되는 내용."), encoding="utf-8")
    write_site(box.src, {"2025-04-12-보통.md": jekyll_post("title: 보통")})
    (box.src / "_posts/2025-04-13-비밀.md").symlink_to(secret)
    (box.base / "more").mkdir()
    (box.base / "more/2025-04-14-폴더.md").write_text(jekyll_post("title: 폴더"), encoding="utf-8")
    (box.src / "_posts/more").symlink_to(box.base / "more")
    box.start()
    code, out = box.run(capsys)
    assert code == 1
    assert f"_posts/2025-04-13-비밀.md: failed: refused: a symlink to {secret}, outside the Jekyll source" in out
    assert "_posts/more: failed: refused: a symlink to" in out
    written = "".join(p.read_text(encoding="utf-8") for p in (box.project / "posts").rglob("*.md"))
    assert "보통" in written and "남에게" not in written and "폴더" not in written
    box.unchanged_outside()


@pytest.mark.parametrize("dest", ["../outside", "/tmp/escape-posts", "posts/../../outside", ".git", "_templates"])
def test_dest_outside_the_project_is_refused(box: Sandbox, capsys: pytest.CaptureFixture[str], dest: str) -> None:
    write_site(box.src, {"2025-04-12-글.md": jekyll_post("title: 글")})
    box.start()
    code, out = box.run(capsys, "--dest", dest)
    assert code == 2
    assert f"import-jekyll: --dest {dest!r}:" in out
    box.unchanged_outside()


def test_a_posts_folder_linked_out_of_the_project_is_refused(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    write_site(box.src, {"2025-04-12-글.md": jekyll_post("title: 글")})
    box.start()
    (box.base / "elsewhere").mkdir()
    (box.project / "posts").symlink_to(box.base / "elsewhere")
    box._before = box.listing()
    code, out = box.run(capsys)
    assert code == 2
    assert "--dest 'posts': resolves to" in out and "outside the project" in out
    box.unchanged_outside()


def test_root_must_be_a_journal_project(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    write_site(box.src, {"2025-04-12-글.md": jekyll_post("title: 글")})
    box.project.mkdir()
    box._before = box.listing()
    code, out = box.run(capsys)
    assert code == 2
    assert "no conf.py, so not a journal project" in out
    assert list(box.project.iterdir()) == []


# --- 3. malformed _config.yml and front matter: clear errors, no traceback -----------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('defaults: [{scope: "x", values: [1]}]', "_config.yml:1: defaults[0].scope: expected a mapping"),
        ("defaults: [{scope: {path: ''}, values: [1]}]", "_config.yml:1: defaults[0].values: expected a mapping"),
        ("defaults:\n  - 5", "_config.yml:2: defaults[0]: expected a mapping"),
        ("defaults: {a: 1}", "_config.yml:1: defaults: expected a list"),
        ("defaults: [{scope: {path: [a]}}]", "defaults[0].scope: path: expected text, got a list"),
        ("defaults: [{scope: {type: 1}}]", "defaults[0].scope: type: expected text, got a number"),
        ("defaults: [{values: {permalink: [x]}}]", "defaults[0].values.permalink: expected a style"),
        ("permalink: [a, b]", "_config.yml:1: permalink: expected a style"),
        ("permalink: {a: 1}", "_config.yml:1: permalink: expected a style"),
        ("timezone: [Asia/Seoul]", "_config.yml:1: timezone: expected an IANA time zone"),
        ("timezone: 9", "_config.yml:1: timezone: expected an IANA time zone"),
        ("timezone: ../../../etc/passwd", "is not an IANA time zone"),
        ("timezone: /etc/localtime", "is not an IANA time zone"),
        ("timezone: Nowhere/City", "is not an IANA time zone"),
        ("baseurl: [a]", "_config.yml:1: baseurl: expected text, got a list"),
        ("baseurl: https://evil.example", "is a full address"),
        ("url: javascript:alert(1)", "is not an http(s) address"),
        ("url: {a: 1}", "url: expected text, got a mapping"),
        ("collections: 5", "collections: expected a mapping or a list"),
        ("collections: {posts: [a]}", "collections.posts: expected a mapping"),
        ("collections: {posts: {permalink: 5}}", "collections.posts.permalink: expected a style"),
        ("- a\n- b", "_config.yml:1: expected a mapping of 'key: value' settings, got a list"),
        ("just text", "expected a mapping of 'key: value' settings"),
        ("a: [1, 2", "_config.yml:2: invalid YAML"),
        ("a: !!python/object/apply:os.system [echo hi]", "invalid YAML"),
        ("? [a, b]\n: c", "invalid YAML (found unhashable key)"),
        (BOMB, "expand to more than"),
        ("a: &a [*a]", "an alias (*name) is used inside its own anchor"),
        ("a: " + "[" * 5000 + "]" * 5000, "invalid YAML"),
    ],
)
def test_a_malformed_config_is_one_clear_error(
    box: Sandbox, capsys: pytest.CaptureFixture[str], config: str, message: str
) -> None:
    write_site(box.src, {"2025-04-12-글.md": jekyll_post("title: 글")}, config + "\n")
    box.start()
    code, out = box.run(capsys)
    assert code == 2, out
    assert message in out
    assert not (box.project / "posts").exists()


@pytest.mark.parametrize(
    "data",
    [
        "title: 보라\nauthor: 5".encode("euc-kr"),
        b"\xff\xfe\x00t\x00i",
        b"title: a\x00b",
        b"a: b\n" * 500_000,
    ],
)
def test_a_config_that_is_not_text_is_one_clear_error(
    box: Sandbox, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    write_site(box.src, {"2025-04-12-글.md": jekyll_post("title: 글")})
    (box.src / "_config.yml").write_bytes(data)
    box.start()
    code, out = box.run(capsys)
    assert code == 2
    assert re.search(r"import-jekyll: _config\.yml: (not UTF-8 text|contains NUL|larger than)", out), out


@pytest.mark.parametrize(
    "author",
    ["[보라, 민수]", "{name: 보라, url: 'https://bora.example.kr'}", "7", "true", "null", "[[a], {b: 1}]"],
)
def test_site_author_of_any_shape_imports(box: Sandbox, capsys: pytest.CaptureFixture[str], author: str) -> None:
    body = "글쓴이: {{ site.author }} / {{ site.author.name }}"
    write_site(box.src, {"2025-04-12-글.md": jekyll_post("title: 글", body)}, CONFIG + f"author: {author}\n")
    box.start()
    code, out = box.run(capsys)
    assert code == 0, out
    assert (box.project / "posts/2025/04-12-글.md").is_file()


FRONT_MATTER_SHAPES = [
    "title: [가, 나]",
    "title: {a: 1}",
    "date: [2025, 4]",
    "date: {y: 2025}",
    "date: 2025-13-45",
    "date: 99999-01-01",
    "tags: {a: 1}",
    "tags: [[a, b], {c: d}]",
    "categories: 5.5",
    "category: [null]",
    "author: {name: [x]}",
    "authors: [{a: 1}]",
    "author-id: 3",
    "image: [a.png]",
    "image: {path: {x: 1}}",
    "image: {alt: 대체}",
    "feature-img: 5",
    "excerpt: {a: 1}",
    "published: maybe",
    "published: [false]",
    "lang: [ko]",
    "last_modified_at: [x]",
    "permalink: [x]",
    "permalink: 5",
    "redirect_from: {a: 1}",
    "redirect_from: [[a]]",
    "media_subpath: [../..]",
    "img_path: {a: 1}",
    "render_with_liquid: [false]",
    "layout: &x [*x]",
    "? [a]\n: b",
    "1: one",
    "null: nothing",
    "tags: [a, b",
    "title: '열린 따옴표",
    "\tfoo: tab",
    "!!python/name:os.system : x",
    BOMB.strip(),
]


@pytest.mark.parametrize("shape", FRONT_MATTER_SHAPES)
def test_malformed_front_matter_never_raises(box: Sandbox, capsys: pytest.CaptureFixture[str], shape: str) -> None:
    write_site(
        box.src,
        {
            "2025-04-12-이상한-글.md": jekyll_post(f"title: 이상한 글\n{shape}" if "title" not in shape else shape),
            "2025-04-13-멀쩡한-글.md": jekyll_post("title: 멀쩡한 글"),
        },
    )
    box.start()
    code, out = box.run(capsys)
    assert code in (0, 1)
    assert (box.project / "posts/2025/04-13-멀쩡한-글.md").is_file()
    if code == 1:
        assert re.search(r"_posts/2025-04-12-이상한-글\.md(:\d+)?: (failed|refused|.*refused)", out), out
    box.unchanged_outside()


def test_aliases_in_front_matter_are_bounded(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    write_site(box.src, {"2025-04-12-폭탄.md": jekyll_post("title: 폭탄\n" + BOMB)})
    box.start()
    code, out = box.run(capsys)
    assert code == 1
    assert f"_posts/2025-04-12-폭탄.md: failed: line 8: its aliases (*name) expand to more than {MAX_VALUES:,}" in out


def test_nested_liquid_loops_are_bounded(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    config = CONFIG + "many: [" + ", ".join(str(n) for n in range(100)) + "]\n"
    loops = (
        "{% for a in site.many %}{% for b in site.many %}{% for c in site.many %}x{% endfor %}{% endfor %}{% endfor %}"
    )
    write_site(box.src, {"2025-04-12-반복.md": jekyll_post("title: 반복", loops)}, config)
    box.start()
    code, out = box.run(capsys)
    assert code == 0
    assert f"more than {MAX_ITERATIONS:,} loop passes in this post; kept as text" in out
    assert (box.project / "posts/2025/04-12-반복.md").stat().st_size < 200_000


def test_control_characters_in_file_names_are_escaped_in_the_report(
    box: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(box.src, {"2025-04-12-\x1b[2J지움.md": "앞머리 없는 글\n"})
    box.start()
    code, out = box.run(capsys)
    assert code == 0
    assert "_posts/2025-04-12-\\x1b[2J지움.md: ignored: line 1: no front matter" in out
    assert "\x1b" not in out

"""The Jekyll importer without a build: front matter, body conversion, files, report, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from journal.commands.cli import main
from journal.contract.frontmatter import parse_post
from journal.jekyll import liquid, permalinks
from journal.jekyll.front_matter import parse_jekyll_date
from journal.jekyll.site import JekyllSite

FIXTURES = Path(__file__).parent / "fixtures" / "jekyll"
SEOUL = ZoneInfo("Asia/Seoul")


def run_import(source: Path, root: Path, *args: str) -> int:
    """Import into *root*, made a journal project first (the importer writes only into one: a conf.py)."""
    root.mkdir(parents=True, exist_ok=True)
    if not (root / "conf.py").exists():
        (root / "conf.py").write_text("# a journal project for the importer's tests\n", encoding="utf-8")
    return main(["import-jekyll", str(source), "--root", str(root), "--timezone", "Asia/Seoul", *args])


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    assert run_import(FIXTURES / "blog", tmp_path) == 0
    return tmp_path, capsys.readouterr().out


def summary(out: str) -> dict[str, int]:
    """The summary table the command prints: label -> number."""
    table = out.rsplit("summary\n", 1)[-1]
    rows = (re.match(r"^  (.+?)\s+(\d+)$", line) for line in table.splitlines())
    return {row.group(1): int(row.group(2)) for row in rows if row}


def post(root: Path, relative: str) -> tuple[dict, str]:
    text = (root / "posts" / relative).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


# --- front matter -------------------------------------------------------------------


def test_front_matter_of_a_post_like_the_users_own(imported: tuple[Path, str]) -> None:
    root, _ = imported
    meta, _ = post(root, "2025/04-12-오픈스택-첫걸음.md")
    assert meta["title"] == "[OSSCA] 오픈스택 첫걸음 (SDK/CLI)"
    assert meta["date"] == dt.datetime(2025, 4, 12, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert meta["tags"] == ["ossca"]
    assert meta["author"] == "bora"  # the id of _data/authors.yml; journal.json's authors give its name
    assert meta["image"] == "https://images.example.kr/openstack/cover.png"
    assert meta["jekyll"] == {"layout": "post", "comments": True}  # defaults: and unknown keys kept


def test_front_matter_strings_offsets_and_mappings(imported: tuple[Path, str]) -> None:
    root, _ = imported
    meta, _ = post(root, "2025/04-20-두번째-기록.md")
    # "2025-04-20 11:33:00 +0800" (a string to PyYAML) is 12:33 in Seoul
    assert meta["date"] == dt.datetime(2025, 4, 20, 12, 33, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert meta["tags"] == ["회고", "오픈소스"]  # space-separated string, as Jekyll splits it
    assert meta["category"] == ["기여", "회고"]
    assert meta["author"] == ["bora", "minsu"]
    assert json.loads((root / "journal.json").read_text(encoding="utf-8"))["authors"] == {
        "bora": "김보라",
        "minsu": "이민수",
    }
    assert meta["image"] == "/assets/img/diagram.png"
    assert meta["image_alt"] == "구조도 미리보기"
    assert meta["excerpt"] == "두 번째 주의 짧은 정리."
    assert meta["jekyll"]["pin"] is True
    assert meta["jekyll"]["image"]["lqip"].startswith("data:image/webp")  # nothing lost
    assert (root / "assets/img/diagram.png").read_bytes() == (FIXTURES / "blog/assets/img/diagram.png").read_bytes()


def test_title_and_date_from_the_file_name(imported: tuple[Path, str]) -> None:
    meta, _ = post(imported[0], "2025/05-02-제목-없는-글.md")
    assert meta["title"] == "제목 없는 글"
    assert meta["date"].date() == dt.date(2025, 5, 2)
    assert meta["category"] == "메모"


def test_unpublished_and_drafts_become_drafts_without_redirects(imported: tuple[Path, str]) -> None:
    root, out = imported
    meta, _ = post(root, "2025/05-03-숨긴-글.md")
    assert meta["draft"] is True
    drafts = [p for p in (root / "posts").rglob("*쓰는-중.md")]
    assert len(drafts) == 1 and post(root, drafts[0].relative_to(root / "posts").as_posix())[0]["draft"] is True
    redirects = json.loads((root / "redirects.json").read_text(encoding="utf-8"))
    assert not any("숨긴" in key or "쓰는" in key for key in redirects)
    assert summary(out)["drafts"] == 2


def test_every_written_post_passes_the_post_contract(imported: tuple[Path, str]) -> None:
    for path in (imported[0] / "posts").rglob("*.md"):
        parsed = parse_post(path.read_text(encoding="utf-8"), SEOUL)
        assert parsed.problems == [], path


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-08-08 11:33:00 +0800", dt.datetime(2019, 8, 8, 12, 33, tzinfo=SEOUL)),
        ("2013-05-08 23:46:11 +0200", dt.datetime(2013, 5, 9, 6, 46, 11, tzinfo=SEOUL)),
        ("2025-04-12", dt.datetime(2025, 4, 12, tzinfo=SEOUL)),
        ("2025-04-12 21:30", dt.datetime(2025, 4, 12, 21, 30, tzinfo=SEOUL)),
        ("2016-05-20 21:01:15 UTC", dt.datetime(2016, 5, 21, 6, 1, 15, tzinfo=SEOUL)),
    ],
)
def test_dates_as_ruby_reads_them(value: str, expected: dt.datetime) -> None:
    assert parse_jekyll_date(value, SEOUL) == expected


# --- body -----------------------------------------------------------------------------


def test_liquid_is_converted(imported: tuple[Path, str]) -> None:
    _, body = post(imported[0], "2025/04-12-오픈스택-첫걸음.md")
    assert "```{code-block} python\n:linenos:\n:emphasize-lines: 2\n\nimport openstack" in body
    assert "{% highlight" not in body and "{% raw" not in body and "{%raw" not in body
    assert "`{{ page.title }}`처럼" in body and "`{% if %}`처럼" in body
    assert "[두 번째 기록](/posts/2025/04-20-두번째-기록.md)" in body
    assert "[여기](https://bora.example.kr/categories/)" in body  # {{ site.baseurl }} then the old site
    assert "[저기](https://bora.example.kr/tags/)" in body  # | relative_url
    assert "저장소: https://github.com/bora/notes" in body
    assert 'src="https://www.youtube-nocookie.com/embed/abcDEF12345"' in body
    assert "<!-- {% include 내-배너.html %} -->" in body  # unknown include without text: hidden, not lost (reported)


def test_kramdown_is_converted(imported: tuple[Path, str]) -> None:
    _, body = post(imported[0], "2025/04-12-오픈스택-첫걸음.md")
    assert "# [OSSCA]" not in body  # the H1 repeating the title is not doubled
    assert '![구조도](/assets/img/diagram.png){width="600" .shadow}' in body
    assert "![빠진 그림](https://bora.example.kr/assets/img/없는-그림.png)" in body
    assert "{.prompt-tip}\n> 처음에는" in body
    assert "`clouds.yaml`{.filepath}" in body
    assert "{math}`e^{i\\pi} + 1 = 0`" in body
    assert "```{math}\n\\sum_{n=1}" in body
    assert "| `openstack server list` | 서버 목록 |" in body and "[^1]: 공식 문서를" in body
    assert "<details>\n<summary>접은 내용</summary>" in body


def test_heading_levels_close_jumps_and_link_tags(imported: tuple[Path, str]) -> None:
    _, body = post(imported[0], "2025/04-20-두번째-기록.md")
    assert "[첫걸음](/posts/2025/04-12-오픈스택-첫걸음.md)" in body  # {% link _posts/... %}
    assert "\n## 세 번째 단계 제목\n" in body  # ### right under the title would skip a level


def test_render_with_liquid_false_is_left_untouched(imported: tuple[Path, str]) -> None:
    meta, body = post(imported[0], "2025/05-01-리퀴드-끔.md")
    # Liquid is not run; `{%` is only escaped so MyST shows it as text (inline code needs nothing)
    assert "이 글의 \\{% raw %} 표기는 그대로 남아야 한다: `{% highlight %}`." in body
    assert meta["tags"] == ["ossca", "메모"]  # comma-separated string


def test_report_names_file_line_and_kind(imported: tuple[Path, str]) -> None:
    _, out = imported
    assert "_posts/2025-04-12-오픈스택-첫걸음.md:41: include: {% include 내-배너.html %}" in out
    assert "_posts/2025-04-12-오픈스택-첫걸음.md:30: image: /assets/img/없는-그림.png is missing" in out
    table = summary(out)
    assert table["imported"] == 6 and table["failed"] == 0
    assert table["warnings: include"] == 1 and table["warnings: image"] == 1


# --- files: idempotence, no overwrite, dry run, broken input ------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_reimport_is_identical_and_unchanged(imported: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = imported
    before = snapshot(root)
    assert run_import(FIXTURES / "blog", root) == 0
    assert snapshot(root) == before
    assert summary(capsys.readouterr().out)["unchanged"] == 6


def test_existing_files_are_not_overwritten_without_force(
    imported: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = imported
    edited = root / "posts/2025/04-20-두번째-기록.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n내가 덧붙인 문장.\n", encoding="utf-8")
    mine = edited.read_bytes()
    assert run_import(FIXTURES / "blog", root) == 1
    assert edited.read_bytes() == mine
    assert "04-20-두번째-기록.md exists and differs; --force overwrites it" in capsys.readouterr().out
    assert run_import(FIXTURES / "blog", root, "--force") == 0
    assert "내가 덧붙인" not in edited.read_text(encoding="utf-8")


def test_redirects_are_merged_not_clobbered(imported: tuple[Path, str]) -> None:
    root, _ = imported
    path = root / "redirects.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["old/page.html"] = "/about.html"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run_import(FIXTURES / "blog", root) == 0
    merged = json.loads(path.read_text(encoding="utf-8"))
    assert merged["old/page.html"] == "/about.html"
    assert merged["2025/04/12/오픈스택-첫걸음.html"] == "/posts/2025/04-12-오픈스택-첫걸음.html"


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_import(FIXTURES / "blog", tmp_path, "--dry-run") == 0
    assert list(tmp_path.iterdir()) == [tmp_path / "conf.py"]
    assert "dry run: nothing was written" in capsys.readouterr().out


def test_broken_files_are_reported_and_the_rest_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    shutil.copytree(FIXTURES / "broken", source)
    (source / "_posts/2025-06-04-그림.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    root = tmp_path / "site"
    assert run_import(source, root) == 1
    out = capsys.readouterr().out
    assert "_posts/2025-06-01-잘못된-yaml.md: failed: line 4: invalid YAML" in out
    assert "_posts/2025-06-04-그림.md: failed: not UTF-8 text" in out
    assert (root / "posts/2025/06-03-멀쩡한-글.md").is_file()
    assert summary(out)["failed"] == 2
    assert summary(out)["imported"] == 1
    # Jekyll does not publish a file without front matter either: left out, said so, not a failure
    assert "_posts/2025-06-02-머리말-없음.md: ignored: line 1: no front matter" in out
    assert summary(out)["ignored"] == 1


def test_files_without_front_matter_alone_do_not_fail_the_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "src"
    shutil.copytree(FIXTURES / "broken", source)
    (source / "_posts/2025-06-01-잘못된-yaml.md").unlink()
    (source / "_posts/2025-06-05-닫히지-않음.md").write_text("---\ntitle: 열기만\n\n본문\n", encoding="utf-8")
    assert run_import(source, tmp_path / "site") == 0
    out = capsys.readouterr().out
    assert "_posts/2025-06-05-닫히지-않음.md: ignored: line 1: front matter is not closed by '---'" in out
    assert summary(out)["ignored"] == 2 and summary(out)["imported"] == 1


def test_a_missing_source_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_import(tmp_path / "nowhere", tmp_path) == 2
    assert "nowhere: not a folder" in capsys.readouterr().err


def test_labels_that_would_share_an_archive_page_become_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """ABlog's page of 'next.js' is tag/nextjs.html, that of 'nextjs' too: one spelling (the most
    used) per page, each change reported at its line; a label without letters is left out."""
    source = tmp_path / "src" / "_posts"
    source.mkdir(parents=True)
    front = {"01": "[next.js, Python, '#']", "02": "[nextjs, python]", "03": "[python, C++, c]"}
    for day, tags in front.items():
        text = f"---\ntitle: 글 {day}\nauthor: bora\ntags: {tags}\n---\n\n본문\n"
        (source / f"2025-04-{day}-post.md").write_text(text, encoding="utf-8")
    assert run_import(source.parent, tmp_path / "site") == 0
    out = capsys.readouterr().out
    posts = {day: post(tmp_path / "site", f"2025/04-{day}-post.md")[0]["tags"] for day in front}
    assert posts == {"01": ["next.js", "python"], "02": ["next.js", "python"], "03": ["python", "C++"]}
    assert "2025-04-01-post.md:4: front-matter: tags: 'Python' written as 'python'" in out
    assert "2025-04-01-post.md:4: front-matter: tags: '#' has no letter or digit" in out
    assert "2025-04-02-post.md:4: front-matter: tags: 'nextjs' written as 'next.js': " in out
    assert (
        "2025-04-03-post.md:4: front-matter: tags: 'c' written as 'C++': they share one archive page, tag/c.html" in out
    )


# --- permalinks -------------------------------------------------------------------------

DATE = dt.datetime(2025, 4, 12, 21, 30, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("pattern", "categories", "expected"),
    [
        (None, [], "/2025/04/12/오픈스택-첫걸음.html"),
        ("date", ["기여", "OpenStack"], "/기여/openstack/2025/04/12/오픈스택-첫걸음.html"),
        ("pretty", [], "/2025/04/12/오픈스택-첫걸음/"),
        ("ordinal", [], "/2025/102/오픈스택-첫걸음.html"),
        ("none", ["메모"], "/메모/오픈스택-첫걸음.html"),
        ("/posts/:title/", ["x"], "/posts/오픈스택-첫걸음/"),
        ("/:categories/:year-:i_month-:i_day/:slug", [], "/2025-4-12/오픈스택-첫걸음"),
    ],
)
def test_old_urls_follow_jekyll_permalinks(pattern: str | None, categories: list[str], expected: str) -> None:
    """As ``_config.yml``'s ``permalink``, where a style name is expanded."""
    assert permalinks.old_url(permalinks.site_pattern(pattern), DATE, "오픈스택-첫걸음", categories) == expected


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("/2025/04/12/a.html", "2025/04/12/a.html"),
        ("/posts/a/", "posts/a/index.html"),
        ("/2025-4-12/a", "2025-4-12/a.html"),
    ],
)
def test_redirect_sources_are_the_files_old_urls_were_served_from(url: str, source: str) -> None:
    assert permalinks.redirect_source(url) == source


# --- hazards of real blogs (the sites of fixtures/jekyll/hazards, without a build) ------------

HAZARDS = FIXTURES / "hazards"


def liquid_output(template: str, config: dict[str, str]) -> str:
    site = JekyllSite(root=Path(), config=config)
    ctx = liquid.LiquidContext(
        site=config,
        page={},
        baseurl=site.baseurl,
        url=site.url,
        post_link=lambda _: None,
        page_link=lambda _: None,
        warn=lambda *_: None,
    )
    return liquid.render(template, ctx)


#: What Jekyll 4.3 wrote for each expression (url https://site.example), by baseurl
JEKYLL_URLS = {
    '{{ "/2018/07/06/x.html" | absolute_url }}': {
        "/": "https://site.example/2018/07/06/x.html",
        "": "https://site.example/2018/07/06/x.html",
        "/blog/": "https://site.example/blog/2018/07/06/x.html",
    },
    '{{ "/assets/x.png" | relative_url }}': {"/": "/assets/x.png", "": "/assets/x.png", "/blog/": "/blog/assets/x.png"},
    '{{ "assets/x.png" | relative_url }}': {"/": "/assets/x.png", "": "/assets/x.png", "/blog/": "/blog/assets/x.png"},
    '{{ "" | relative_url }}': {"/": "", "": "", "/blog/": "/blog"},
    '{{ "/" | relative_url }}': {"/": "/", "": "/", "/blog/": "/blog/"},
    '{{ "" | absolute_url }}': {
        "/": "https://site.example/",
        "": "https://site.example/",
        "/blog/": "https://site.example/blog",
    },
    '{{ "https://e.org/a" | relative_url }}': {
        "/": "https://e.org/a",
        "": "https://e.org/a",
        "/blog/": "https://e.org/a",
    },
    # Jekyll writes `//assets/x.png` and `/blog//assets/x.png` here: the slash of a baseurl "/" or "/blog/"
    # is what relative_url drops, and what the author meant (`//assets` is a link to the host "assets")
    "{{ site.baseurl }}/assets/x.png": {"/": "/assets/x.png", "": "/assets/x.png", "/blog/": "/blog/assets/x.png"},
}


@pytest.mark.parametrize("baseurl", ["/", "", "/blog/"])
@pytest.mark.parametrize("template", list(JEKYLL_URLS))
def test_site_urls_as_jekyll_joins_them(template: str, baseurl: str) -> None:
    config = {"url": "https://site.example", "baseurl": baseurl}
    assert liquid_output(template, config) == JEKYLL_URLS[template][baseurl]


def test_absolute_urls_of_old_posts_point_at_the_imported_post(tmp_path: Path) -> None:
    assert run_import(HAZARDS / "absolute-url", tmp_path) == 0
    _, body = post(tmp_path, "2018/08-01-placement.md")
    assert body.count("](/posts/2018/07-06-nova-scheduler.md)") == 4  # absolute_url, relative_url, no slash, site.url
    assert "[about](https://old.example.org/about/)" in body and "[여기](https://old.example.org/)" in body


def test_a_baseurl_of_slash_is_no_second_slash(tmp_path: Path) -> None:
    assert run_import(HAZARDS / "baseurl-slash", tmp_path) == 0
    _, body = post(tmp_path, "2019/03-02-keystone-token.md")
    assert "![token 발급 흐름](/assets/img/keystone-flow.png)" in body
    assert "![token 예시](/assets/img/token.png)" in body
    assert "[여기](/assets/img/keystone-flow.png)" in body
    assert "[Glance 이미지](/posts/2019/03-09-glance-image.md)" in body
    assert (tmp_path / "assets/img/keystone-flow.png").is_file() and (tmp_path / "assets/img/token.png").is_file()
    assert json.loads((tmp_path / "redirects.json").read_text(encoding="utf-8"))[
        "openstack/2019/03/02/keystone-token/index.html"
    ]


def test_a_relative_feature_image_is_the_sites(tmp_path: Path) -> None:
    assert run_import(HAZARDS / "feature-img-relative", tmp_path) == 0
    for name, image in [
        ("2020/02-11-neutron-port.md", "/assets/img/neutron-cover.png"),  # feature-img
        ("2020/02-15-git-rebase.md", "/assets/img/git-cover.png"),  # image
        ("2020/02-20-python-venv.md", "/assets/img/python-cover.png"),  # image: path
    ]:
        meta, _ = post(tmp_path, name)
        assert meta["image"] == image
        assert (tmp_path / image.lstrip("/")).is_file()


def test_image_includes_become_images_and_unknown_ones_their_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_import(HAZARDS / "lightbox-include", tmp_path) == 0
    out = capsys.readouterr().out
    _, body = post(tmp_path, "2021/05-09-devstack.md")
    assert "{.jekyll-include}\n![Horizon 첫 화면](/assets/img/devstack-dashboard.png)\n" in body  # lightbox title=
    assert (
        "![Cinder volume 목록](/assets/img/cinder-volume.png)\\\nCinder volume 목록" in body
    )  # image url= description=
    assert "![git log --graph](/assets/img/git-graph.png)\\\nfeature 브랜치를 rebase 하기 전" in body  # figure file=
    assert '<span class="jekyll-include">이 글의 목차</span>' in body
    assert "<!-- {% include adsense-banner.html %} -->" in body  # hidden, not lost
    assert not re.search(r"^[^<]*\{%", body, re.M)  # no Liquid left visible
    assert (tmp_path / "assets/img/git-graph.png").is_file()
    assert "2021-05-09-devstack.md:22: include: {% include adsense-banner.html %} is not known" in out


def test_links_to_another_posts_anchor_reach_it_or_the_post(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_import(HAZARDS / "anchor-other-post", tmp_path) == 0
    _, body = post(tmp_path, "2024/05-02-linker.md")
    other = "/posts/2024/05-01-other-post.md"
    assert body.count(f"]({other}#filter)") == 2  # an old URL and post_url
    assert f"]({other}#규칙-확인하기)" in body  # relative
    assert f"[비교]({other}#nova----neutron-비교)" in body  # kramdown's id is nova--neutron-비교
    assert '<a href="05-01-other-post.html#raw-note">raw 단락</a>' in body
    assert f"[옛 링크]({other})" in body and f"[없는 절]({other})" in body
    assert "has no anchor #no-such-section" in capsys.readouterr().out


def test_link_targets_with_spaces_without_url_stay_plain_links(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(HAZARDS / "link-spaces", site)
    (site / "_config.yml").write_text("title: no url\n", encoding="utf-8")
    assert run_import(site, tmp_path / "project") == 0
    _, body = post(tmp_path / "project", "2024/05-04-spaces.md")
    assert "[문서](</assets/docs/my notes.pdf>)" in body and "[퍼센트로](/assets/docs/my%20notes.pdf)" in body
    assert "[진짜 대상](/posts/2024/05-03-target-page.md)" in body
    assert '<a href="/about%20me/index.html">소개 페이지</a>' in body
    assert (tmp_path / "project/assets/some path/archive.zip").is_file()


def test_undefined_variable_shows_nothing_as_in_jekyll() -> None:
    """Jekyll renders a variable no post has (`{{ category_name }}` pasted from a theme) as nothing."""
    from journal.jekyll import liquid

    warnings: list[tuple[int, str]] = []
    ctx = liquid.LiquidContext(
        site={},
        page={},
        baseurl="",
        url="",
        post_link=lambda name: None,
        page_link=lambda path: None,
        warn=lambda kind, line, message: warnings.append((line, message)),
    )
    text = 'id="{{ category_name }}" {{ page.title }} {{ missing | default: "x" }} {{ paginator.page }}'
    out = liquid.render(text, ctx)
    # nil shows as nothing; what we cannot know (a filter on nil, Jekyll's own globals) stays as text
    assert out == 'id="" {{ page.title }} {{ missing | default: "x" }} {{ paginator.page }}'
    assert any("'category_name' is not defined in a post; Jekyll showed nothing" in m for _, m in warnings)
    assert any("'category_name' is not defined in a post; Jekyll showed nothing" in m for _, m in warnings)

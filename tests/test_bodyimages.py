"""Images load lazily and keep their place: body images (journal.pages.bodyimages), cards and feature images."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildsite import Build, make_project, png, post_source, sphinx_build
from journal.pages.bodyimages import hinted

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><rect width="640" height="360"/></svg>\n'
BODY = """본문 그림들.

![화면](shot.png)

![구성도](diagram.svg)

```{image} shot.png
:alt: 절반 크기
:width: 50%
```

<img src="https://example.invalid/x.png" alt="밖" loading="eager">

![크기를 모르는 그림](nosize.svg)
"""
INDEX = """# 시험 일지

```{postcards} 6
```

```{toctree}
:glob:
:hidden:

posts/*/*
```
"""


@pytest.fixture(scope="module")
def pictured(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Four posts with a feature image (the home page's cards) and an older one with body images."""
    posts = {
        f"posts/2025/0{n}-01-card-{n}.md": post_source(f"카드 {n}", date=f"2025-0{n}-01 00:00:00", image="cover.svg")
        for n in range(1, 5)
    }
    posts["posts/2024/12-01-pictures.md"] = post_source("그림 글", date="2024-12-01 00:00:00", body=BODY)
    src = make_project(tmp_path_factory.mktemp("pictures") / "src", posts, index=INDEX)
    (src / "posts/2024/shot.png").write_bytes(png(320, 200))
    (src / "posts/2024/diagram.svg").write_text(SVG, encoding="utf-8")
    (src / "posts/2025/cover.svg").write_text(SVG, encoding="utf-8")
    (src / "posts/2024/nosize.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")
    build = sphinx_build(src, src.parent / "html")
    assert build.returncode == 0, build.output[-3000:]
    return build


def body_images(build: Build, page: str) -> dict[str, dict[str, str]]:
    article = build.html(page).select_one("article.bd-article")
    return {
        img["alt"]: dict(img.attrs)
        for img in article.find_all("img")
        if "journal-card-image" not in img.get("class", [])
    }


def test_body_images_load_lazily_with_their_size(pictured: Build):
    images = body_images(pictured, "posts/2024/12-01-pictures")
    assert images["화면"]["src"].startswith("../../_images/"), "Sphinx still copies and names its images"
    for alt, size in (("화면", ("320", "200")), ("구성도", ("640", "360"))):
        assert (images[alt]["width"], images[alt]["height"]) == size, alt
        assert (images[alt]["loading"], images[alt]["decoding"]) == ("lazy", "async"), alt
    assert images["크기를 모르는 그림"]["loading"] == "lazy"
    assert "width" not in images["크기를 모르는 그림"], "no size where the file gives none"


def test_an_image_sized_by_its_author_or_told_how_to_load_keeps_that(pictured: Build):
    images = body_images(pictured, "posts/2024/12-01-pictures")
    assert "width: 50%" in images["절반 크기"]["style"] and "width" not in images["절반 크기"]
    assert images["절반 크기"]["loading"] == "lazy"
    assert images["밖"]["loading"] == "eager" and "decoding" not in images["밖"]


def test_the_first_cards_load_at_once_the_rest_lazily(pictured: Build):
    cards = pictured.html("index").select("img.journal-card-image")
    assert len(cards) == 4
    assert [c["loading"] for c in cards] == ["eager", "eager", "lazy", "lazy"]
    assert [c.get("fetchpriority") for c in cards] == ["high", None, None, None]
    assert all((c["width"], c["height"], c["decoding"]) == ("640", "360", "async") for c in cards)


def test_a_posts_feature_image_loads_first(pictured: Build):
    feature = pictured.html("posts/2025/04-01-card-4").select_one(".journal-feature-image img")
    assert feature["fetchpriority"] == "high" and "loading" not in feature
    assert (feature["width"], feature["height"], feature["decoding"]) == ("640", "360", "async")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        (
            '<img alt="a" src="a.png" />',
            '<img alt="a" src="a.png" width="3" height="2" loading="lazy" decoding="async" />',
        ),
        ('<img src="a.png">', '<img src="a.png" width="3" height="2" loading="lazy" decoding="async">'),
        ('<img src="a.png" width="9">', '<img src="a.png" width="9" loading="lazy" decoding="async">'),
        ('<img src="a.png" decoding="sync">', '<img src="a.png" decoding="sync">'),
        ("<img src='a.png' LOADING=eager>", "<img src='a.png' LOADING=eager>"),
    ],
)
def test_hints_are_added_once(tag: str, expected: str):
    assert hinted(tag, (3, 2)) == expected
    assert hinted(expected, (3, 2)) == expected


def test_unreadable_files_have_no_size(tmp_path: Path):
    from journal.pages.images import image_size

    (tmp_path / "x.png").write_bytes(b"not a png")
    assert image_size(tmp_path / "x.png") is None
    assert image_size(tmp_path / "missing.png") is None
    (tmp_path / "y.png").write_bytes(png(7, 5))
    assert image_size(tmp_path / "y.png") == (7, 5)

"""The reader benchmark's own parts (no Lighthouse run here: `make bench-web` is a script, not a test)."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from journal.commands import benchweb


def small_site(root: Path) -> Path:
    for path, size in {
        "index.html": 10,
        "posts/index.html": 20,
        "posts/2025/a.html": 300,
        "posts/2025/b.html": 5,
        "posts/page/2.html": 900,  # a page of the journal index: heavier, but not a post
        "blog/tag/x.html": 40,
        "blog/tag/y.html": 30,
        "notes/n.html": 7,
        "notes/index.html": 9,
        "blog/rss.xml": 2_000,
        "blog/atom.xml": 1_000,
        "blog/tag/x/rss.xml": 3_000,
    }.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("<p>배움</p>" + "x" * size, encoding="utf-8")
    return root


def test_server_compresses_text_as_a_production_host_does(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with benchweb.serve(site) as base:
        request = urllib.request.Request(base + "posts/2025/a.html", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            body = response.read()
        assert gzip.decompress(body) == (site / "posts/2025/a.html").read_bytes()
        assert int(response.headers["Content-Length"]) == len(body) < 300
        with urllib.request.urlopen(base + "posts/2025/a.html") as plain:  # no Accept-Encoding: as it is
            assert plain.headers["Content-Encoding"] is None
            assert plain.read() == (site / "posts/2025/a.html").read_bytes()


def test_measured_pages_are_the_five_kinds_and_the_heaviest_post_and_tag(tmp_path: Path) -> None:
    pages = benchweb.pages_of(small_site(tmp_path))
    assert pages == {
        "home": "index.html",
        "post": "posts/2025/a.html",
        "journal index": "posts/index.html",
        "tag page": "blog/tag/x.html",
        "note": "notes/n.html",
    }


def test_the_map_of_the_garden_is_measured_when_the_site_has_one(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    (site / "map.html").write_text("<p>지도</p>", encoding="utf-8")
    assert benchweb.pages_of(site)["map"] == "map.html"


def test_weight_table_names_the_largest_pages_feeds_and_the_ratio(tmp_path: Path) -> None:
    ours = small_site(tmp_path / "ours")
    floor = tmp_path / "floor"
    floor.mkdir()
    (floor / "index.html").write_bytes(b"x" * 3_000)
    table = benchweb.weight_table(ours, floor)
    lines = table.splitlines()
    assert lines[2].startswith("| `posts/page/2.html` |")
    assert "| HTML pages over 250 KB | 0 |" in lines
    assert "| largest of 3 feeds | 3 KB |" in lines
    total = sum(p.stat().st_size for p in ours.rglob("*") if p.is_file())
    assert f"({total / 3_000:.2f}x the floor's" in lines[-1]

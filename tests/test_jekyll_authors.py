"""``make init`` then ``make import-jekyll``: the journal shows the Jekyll site's authors, never the sample's.

Authors come from ``_config.yml``'s ``author``, ``_data/authors.yml`` and each post's
``author``/``authors``/``author-id``, and are written to ``journal.json``. Every test works on
a copy of the repository's tracked files (as ``tests/test_init.py`` does).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from buildsite import ROOT, SAMPLE_AUTHOR, Build, copy_project, init, listing, sphinx_build
from journal.jekyll.authors import Authors, site_author, spelled_id
from journal.site import JournalSettings

SITE = Path(__file__).parent / "fixtures" / "jekyll" / "authors"
USER = [
    "--title=My journal",
    "--author-name=Jane Doe",
    "--author-id=jane",
    "--rtd-project=jane-journal",
    "--timezone=America/New_York",
    "--language=en",
    "--yes",
]


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m journal`` in *root*, with the journal package of *root* (a copy), else this repository's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_", "READTHEDOCS"))}
    env["PYTHONPATH"] = str(root if (root / "journal").is_dir() else ROOT)
    command = [sys.executable, "-m", "journal", *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def settings(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / "journal.json").read_text(encoding="utf-8"))
    return data


def front(root: Path, name: str) -> dict[str, object]:
    path = next((root / "posts").rglob(f"*{name}.md"))
    data: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
    return data


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build, dict[str, str]]:
    """init (the user's own name), import the two-author site, import again; built strictly."""
    root = copy_project(tmp_path_factory.mktemp("journal"))
    done = init(root, *USER)
    assert done.returncode == 0, done.stderr
    done = run(root, "import-jekyll", str(SITE), "--root", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    before = listing(root)
    again = run(root, "import-jekyll", str(SITE), "--root", str(root))
    assert again.returncode == 0, again.stdout + again.stderr
    assert listing(root) == before, "a second import changed files"
    return root, sphinx_build(root, tmp_path_factory.mktemp("out") / "html"), before


def test_authors_are_the_sites_and_merge_into_journal_json(journal: tuple[Path, Build, object]) -> None:
    root, build, _ = journal
    assert build.returncode == 0, build.output[-3000:]
    assert build.warnings == []
    data = settings(root)
    assert data["authors"] == {"jane": "Jane Doe", "ravi": "Ravi Kumar", "mina-park": "Mina Park"}
    assert data["default_author"] == "jane"  # init's author, who is also _config.yml's


def test_each_post_is_credited_as_on_the_old_site(journal: tuple[Path, Build, object]) -> None:
    root, _, _ = journal
    assert front(root, "seed-trays")["author"] == "jane"  # no author: _config.yml's, never the sample's
    assert front(root, "compost-bin")["author"] == "ravi"  # author-id through _data/authors.yml
    assert front(root, "watering")["author"] == ["jane", "ravi"]
    assert front(root, "guest")["author"] == "mina-park"  # a name of no _data entry keeps its name


def test_no_trace_of_the_sample_author_anywhere(journal: tuple[Path, Build, object]) -> None:
    _, build, _ = journal
    for path in build.outdir.rglob("*"):
        if path.suffix in (".html", ".xml", ".js", ".txt", ".inv", ".json") and "_static" not in path.parts:
            text = path.read_bytes().decode("utf-8", "replace")
            assert not SAMPLE_AUTHOR.search(text), path.relative_to(build.outdir)


def test_pages_feeds_and_archives_show_the_sites_authors(journal: tuple[Path, Build, object]) -> None:
    _, build, _ = journal
    rss = build.path("blog/rss.xml").read_text(encoding="utf-8")
    assert rss.count("<item>") == 5  # four imported posts and init's welcome post
    for name in ("Jane Doe", "Ravi Kumar", "Mina Park"):
        assert f"<dc:creator>{name}</dc:creator>" in rss
    atom = build.path("blog/atom.xml").read_text(encoding="utf-8")
    assert "<name>Ravi Kumar</name>" in atom and "<name>Jane Doe</name>" in atom
    home = build.html("index").get_text()
    assert "Seed trays on the windowsill" in home
    authors = {p.stem for p in build.path("blog/author").glob("*.html")}
    assert authors == {"jane-doe", "ravi-kumar", "mina-park"}
    text = build.path("blog/author/ravi-kumar.html").read_text(encoding="utf-8")
    assert "A compost bin from two buckets" in text and "Watering by the clock" in text


def test_import_into_the_sample_journal_makes_the_site_author_the_default(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    done = run(root, "import-jekyll", str(SITE), "--root", str(root), "--adopt-config")
    assert done.returncode == 0, done.stdout + done.stderr
    data = settings(root)
    assert data["default_author"] == "jane"  # the sample author is nobody's: the site's author takes over
    assert data["authors"] == {"bora": "김보라", "jane": "Jane Doe", "ravi": "Ravi Kumar", "mina-park": "Mina Park"}
    assert data["title"] == "Jane's Garden Notes"
    assert data["description"] == "What I learn while growing vegetables on a balcony"
    assert front(root, "seed-trays")["author"] == "jane"


def test_without_adopt_config_the_title_stays(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert init(root, *USER).returncode == 0
    assert run(root, "import-jekyll", str(SITE), "--root", str(root)).returncode == 0
    assert settings(root)["title"] == "My journal"


def test_init_from_jekyll_takes_the_sites_answers(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    done = init(root, f"--from-jekyll={SITE}", "--rtd-project=garden", "--yes")
    assert done.returncode == 0, done.stderr
    data = settings(root)
    assert data["title"] == "Jane's Garden Notes"
    assert data["description"] == "What I learn while growing vegetables on a balcony"
    assert data["authors"] == {"jane": "Jane Doe"}
    assert data["default_author"] == "jane"
    assert data["timezone"] == "America/New_York"
    flags = init(root, f"--from-jekyll={SITE}", "--rtd-project=garden", "--title=Mine", "--yes")
    assert flags.returncode == 0, flags.stderr
    assert settings(root)["title"] == "Mine"  # a flag wins over the site


def test_make_init_passes_from_jekyll_without_a_shell(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_", "READTHEDOCS"))}
    env |= {"JOURNAL_FROM_JEKYLL": str(SITE), "JOURNAL_RTD_PROJECT": "garden", "JOURNAL_YES": "1"}
    env["PYTHONPATH"] = str(root)
    command = [sys.executable, "-m", "journal", "--from-env", "init"]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert settings(root)["title"] == "Jane's Garden Notes"


# -- the rules, without a build ------------------------------------------------------------


def test_ids_of_names() -> None:
    assert spelled_id("Jane Doe") == "jane-doe"
    assert spelled_id("이민수").startswith("author-") and spelled_id("이민수") == spelled_id("이민수")
    people = Authors({"lee": {"name": "이민수"}}, {"minsu": "이민수"})
    assert people.resolve("lee") == ("minsu", "이민수")  # the journal's id for a name it knows
    assert people.resolve("이민수") == ("minsu", "이민수")
    clash = Authors({}, {"jane-doe": "Jane Q. Doe"})
    assert clash.resolve("Jane Doe") == ("jane-doe-2", "Jane Doe")  # never renames a journal author


def test_site_author_forms() -> None:
    assert site_author({"author": "Jane"}, {}) == "Jane"
    assert site_author({"author": {"name": "Jane Doe", "email": "x@y"}}, {}) == "Jane Doe"
    assert site_author({}, {}) == ""
    assert JournalSettings().default_author == "bora"  # the sample journal the importer recognises


def _site(tmp_path: Path, config: str, posts: dict[str, str]) -> Path:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(config, encoding="utf-8")
    for name, head in posts.items():
        (site / "_posts" / name).write_text(f"---\n{head}---\n\n본문.\n", encoding="utf-8")
    return site


def _journal(tmp_path: Path, authors: dict[str, str], default: str) -> Path:
    root = tmp_path / "journal"
    root.mkdir()
    (root / "conf.py").write_text("# a journal project\n", encoding="utf-8")
    data = {"authors": authors, "default_author": default}
    (root / "journal.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return root


def test_a_korean_name_the_journal_knows_keeps_its_id(tmp_path: Path) -> None:
    site = _site(tmp_path, "title: 기록\nauthor: 이민수\n", {"2024-01-02-a.md": "title: 가\n"})
    root = _journal(tmp_path, {"minsu": "이민수"}, "minsu")
    done = run(root, "import-jekyll", str(site), "--root", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    assert front(root, "a")["author"] == "minsu"
    assert settings(root)["authors"] == {"minsu": "이민수"}


def test_without_a_site_author_the_journals_own_author_is_credited(tmp_path: Path) -> None:
    site = _site(tmp_path, "title: 기록\n", {"2024-01-02-a.md": "title: 가\n"})
    root = _journal(tmp_path, {"minsu": "이민수", "old": "옛 글쓴이"}, "minsu")
    assert run(root, "import-jekyll", str(site), "--root", str(root)).returncode == 0
    assert front(root, "a")["author"] == "minsu"
    assert settings(root)["authors"] == {"minsu": "이민수", "old": "옛 글쓴이"}  # nobody dropped


def test_without_any_author_the_post_is_reported_never_the_samples(tmp_path: Path) -> None:
    site = _site(tmp_path, "title: 기록\n", {"2024-01-02-a.md": "title: 가\n"})
    root = tmp_path / "journal"
    root.mkdir()
    (root / "conf.py").write_text("# the sample journal: no journal.json\n", encoding="utf-8")
    done = run(root, "import-jekyll", str(site), "--root", str(root))
    assert "no author in the post" in done.stdout
    assert "author" not in front(root, "a")
    assert not (root / "journal.json").exists()


def test_a_dry_run_leaves_journal_json(tmp_path: Path) -> None:
    site = _site(tmp_path, "author: Jane Doe\n", {"2024-01-02-a.md": "title: a\n"})
    root = _journal(tmp_path, {"minsu": "이민수"}, "minsu")
    before = (root / "journal.json").read_text(encoding="utf-8")
    done = run(root, "import-jekyll", str(site), "--root", str(root), "--dry-run")
    assert done.returncode == 0 and "journal.json: author jane-doe (Jane Doe)" in done.stdout
    assert (root / "journal.json").read_text(encoding="utf-8") == before

"""``python -m journal init``: turn this repository into the user's own journal in one step.

Settings (title, description, author, language, time zone, Read the Docs project, repository)
come from the flags, else from an existing ``journal.json``, else are asked when stdin is a
terminal. They are written to ``journal.json`` (read by ``conf.py`` through
:func:`journal.site.load_settings`), never into ``conf.py``.

The sample journal is known by content (:mod:`journal.commands.samples`): every sample post,
note and image whose bytes still match the manifest is removed, and the home page, about page,
glossary and notes index are rewritten for the user while they are still the samples (or what
``init`` itself wrote). A file the user edited and a file not in the manifest are never deleted
or overwritten; they are reported. A welcome post is written when the journal has no post of the
user's yet. Running it again with the same values changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import sphinx.locale

from journal.commands import samples
from journal.commands.newpost import Refused, front_matter
from journal.contract.frontmatter import PostMeta, time_zone
from journal.contract.postfiles import post_path, slugify
from journal.jekyll.authors import Authors, is_spelled_from_hash, site_author
from journal.jekyll.site import SiteError, load_site
from journal.site import SETTINGS_FILE, JournalSettings, SettingsError, check_value, load_settings, make_settings

POSTS_DIR = "posts"
#: Sphinx's message catalogs, one folder per language it translates (``ko``, ``pt_BR``, …).
_SPHINX_LOCALES = Path(sphinx.locale.__file__).parent
WELCOME_TITLE = "일지를 시작합니다"

#: flag -> (question, settings key); the order questions are asked in.
QUESTIONS: dict[str, tuple[str, str]] = {
    "title": ("일지 제목 (journal title)", "title"),
    "description": ("한 줄 소개 (description)", "description"),
    "author_name": ("글쓴이 이름 (author's display name)", "author_name"),
    "author_id": ("글쓴이 아이디, 영문 소문자 (author id)", "author_id"),
    "language": ("언어 코드 (language)", "language"),
    "timezone": ("시간대 (time zone)", "timezone"),
    "rtd_project": ("Read the Docs 프로젝트 이름 (→ https://<이름>.readthedocs.io/)", "rtd_project"),
    "repository": ("저장소 주소, 없으면 빈칸 (repository URL)", "repository"),
}
#: What a value left out becomes when it is not asked; None: it must be given.
SUGGESTED: dict[str, str | None] = {
    "title": None,
    "description": "",
    "author_name": None,
    "author_id": None,
    "language": "ko",
    "timezone": "Asia/Seoul",
    "rtd_project": None,
    "repository": "",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    for name in QUESTIONS:
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, dest=name, help=QUESTIONS[name][0])
    parser.add_argument(
        "--from-jekyll",
        metavar="SRC",
        type=Path,
        help="a Jekyll site: its title, description, author, language and time zone are the defaults of the questions",
    )
    parser.add_argument("--keep-samples", action="store_true", help="keep the sample posts, notes and pages")
    parser.add_argument("--yes", "-y", action="store_true", help="ask nothing: missing values are errors or defaults")
    parser.add_argument("--root", type=Path, default=Path(), help="the site's folder, holding conf.py (default: .)")


class InitError(Exception):
    """Something init refuses; the message is one line."""

    #: the exit status
    status = 2


class Interrupted(InitError):
    """Ctrl-C at a question: the shell's status for SIGINT, nothing written."""

    status = 130


@dataclass
class Plan:
    settings: JournalSettings
    #: path -> new text (None: delete)
    writes: dict[str, str | None] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    try:
        if not (root / "conf.py").is_file():
            raise InitError(f"--root: {str(root)!r} holds no conf.py; run init in the journal's folder")
        previous = _previous_settings(root)
        site = jekyll_defaults(args.from_jekyll) if args.from_jekyll is not None else {}
        values = gather(args, previous, interactive=not args.yes and sys.stdin.isatty(), site=site)
        settings = settings_from(values, keep_samples=args.keep_samples)
        plan = make_plan(root, settings, previous, keep_samples=args.keep_samples)
    except InitError as error:
        print(f"journal init: {error}", file=sys.stderr)
        return error.status
    for path in plan.kept:
        print(f"kept {path}")
    if not plan.writes:
        print("nothing changed: this is already your journal")
        return 0
    for path, text in plan.writes.items():
        target = root / path
        if text is None:
            target.unlink()
            _remove_empty_parents(root, target.parent)
            print(f"removed {path}")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, text)
            print(f"wrote {path}")
    print("next: `make html`, then open _build/html/index.html")
    return 0


def _previous_settings(root: Path) -> JournalSettings | None:
    if not (root / SETTINGS_FILE).exists():
        return None
    try:
        return load_settings(root / SETTINGS_FILE)
    except SettingsError as error:
        raise InitError(f"{error}; fix or remove it") from None


def _current(previous: JournalSettings | None, name: str) -> str | None:
    """The value *previous* settings hold for the question *name*."""
    if previous is None:
        return None
    if name == "author_name":
        return previous.authors[previous.default_author]
    if name == "author_id":
        return previous.default_author
    return str(getattr(previous, name))


def gather(
    args: argparse.Namespace,
    previous: JournalSettings | None,
    *,
    interactive: bool,
    ask: Callable[[str], str] = input,
    site: dict[str, str] | None = None,
) -> dict[str, str]:
    """Every question's answer: the flag, else journal.json's value, else asked (or suggested).

    *site* holds the Jekyll site's answers (``--from-jekyll``): the suggestion when asking, the
    answer without a terminal (the user named the site, so it is no guess).
    """
    site = site or {}
    values: dict[str, str] = {}
    for name, (question, _key) in QUESTIONS.items():
        given = getattr(args, name)
        if given is not None:
            values[name] = given
            continue
        current = _current(previous, name)
        if current is not None:
            values[name] = current
            continue
        suggested = site.get(name) or _suggestion(name, values)
        if name in site and not interactive:
            _check_answer(name, site[name], values)
            values[name] = site[name]
        elif interactive:
            while True:
                shown = f" [{suggested}]" if suggested else ""
                answer = _ask(ask, f"{question}{shown}: ", name).strip()
                answer = answer or (suggested or "")
                try:
                    _check_answer(name, answer, values)
                except InitError as error:
                    print(error, file=sys.stderr)
                    continue
                values[name] = answer
                break
        elif SUGGESTED[name] is not None:  # without a terminal only the fixed defaults, never a guess
            values[name] = SUGGESTED[name] or ""
        else:
            raise InitError(f"--{name.replace('_', '-')}: missing (no terminal to ask on; give it as a flag)")
    return values


def _ask(ask: Callable[[str], str], prompt: str, name: str) -> str:
    """*ask*'s answer; the end of input (Ctrl-D) or Ctrl-C stops init, before it wrote anything."""
    flag = "--" + name.replace("_", "-")
    try:
        return ask(prompt)
    except (EOFError, KeyboardInterrupt) as stop:
        print(file=sys.stdout, flush=True)  # the prompt's line is still open
        if isinstance(stop, KeyboardInterrupt):
            raise Interrupted(f"stopped at {flag} (Ctrl-C); nothing was written") from None
        raise InitError(f"stopped at {flag}: no answer (end of input); nothing was written") from None


def jekyll_defaults(source: Path) -> dict[str, str]:
    """Init's answers a Jekyll site gives: title, description, author (name and id), time zone and
    language (``lang``, ``language`` or ``locale``: ``ko-KR`` is ``ko``)."""
    try:
        site = load_site(source)
    except SiteError as error:
        raise InitError(f"--from-jekyll: {error}") from None
    found: dict[str, str] = {}
    for key in ("title", "description"):
        value = site.config.get(key)
        if isinstance(value, (str, int, float)) and " ".join(str(value).split()):
            found[key] = " ".join(str(value).split())
    label = site_author(site.config, site.authors)
    if label:
        author_id, name = Authors(site.authors, {}).resolve(label)
        found["author_name"] = name
        if not is_spelled_from_hash(author_id):
            found["author_id"] = author_id
    if site.timezone is not None:
        found["timezone"] = site.timezone.key
    locales = (site.config.get(key) for key in ("lang", "language", "locale"))
    language = next((code for code in map(sphinx_language, locales) if code), None)
    if language:
        found["language"] = language
    return found


#: A locale as Jekyll themes write it: ``ko``, ``ko-KR``, ``ko_KR``, ``en_US.UTF-8``, ``sr@latin``.
_LOCALE = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z0-9]{2,8}))?(?:[-_][A-Za-z0-9]{2,8})*(?:\.[\w-]+)?(?:@\w+)?")


def sphinx_language(locale: object) -> str | None:
    """The Sphinx ``language`` of a site's locale: the language (``ko-KR`` -> ``ko``, ``en-US`` -> ``en``),
    with its region only where Sphinx has a catalog for that region (``pt-BR`` -> ``pt_BR``,
    ``zh-TW`` -> ``zh_TW``); None when *locale* is not one."""
    match = _LOCALE.fullmatch(locale.strip()) if isinstance(locale, str) else None
    if not match:
        return None
    language, region = match.group(1).lower(), match.group(2)
    regional = f"{language}_{region.upper()}" if region else ""
    return regional if regional and (_SPHINX_LOCALES / regional).is_dir() else language


def _suggestion(name: str, values: dict[str, str]) -> str | None:
    if name == "rtd_project" and values.get("author_id"):
        return f"{values['author_id']}-journal"
    return SUGGESTED[name]


def _check_answer(name: str, answer: str, values: dict[str, str]) -> None:
    settings_from({**_placeholder(), **values, name: answer}, keep_samples=False)


def _placeholder() -> dict[str, str]:
    return {"title": "t", "author_name": "n", "author_id": "n", "rtd_project": "p", "language": "ko"} | {
        "description": "",
        "timezone": "UTC",
        "repository": "",
    }


def settings_from(values: dict[str, str], *, keep_samples: bool) -> JournalSettings:
    """The settings the answers make; InitError names the flag of a bad value."""
    author_id, author_name = values["author_id"], values["author_name"]
    try:
        check_value("author id", author_id)
    except SettingsError as error:
        raise InitError(f"--author-id: {str(error).split(': ', 1)[1]}") from None
    authors = {author_id: author_name}
    sample_id, sample_name = samples.SAMPLE_AUTHOR
    if keep_samples and author_id != sample_id:
        authors[sample_id] = sample_name  # the sample posts name their author
    data: dict[str, object] = {
        "title": values["title"],
        "description": values["description"],
        "authors": authors,
        "default_author": author_id,
        "owner": author_name,
        "since": dt.datetime.now(_zone(values["timezone"])).year,
        "language": values["language"],
        "timezone": values["timezone"],
        "rtd_project": values["rtd_project"],
        "repository": values["repository"],
    }
    try:
        return make_settings(data)
    except SettingsError as error:
        key, _, why = str(error).partition(": ")
        flag = {"authors." + author_id: "author-name", "owner": "author-name"}.get(key, key.replace("_", "-"))
        raise InitError(f"--{flag}: {why}") from None


def _zone(name: str) -> dt.tzinfo:
    try:
        return time_zone(name)
    except ValueError as error:
        raise InitError(f"--timezone: {error}") from None


def sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_plan(root: Path, settings: JournalSettings, previous: JournalSettings | None, *, keep_samples: bool) -> Plan:
    previous_since = previous.since if previous is not None else None
    if previous_since is not None and previous is not None and _same_but_year(previous, settings):
        settings = replace(settings, since=previous_since)  # a second run next year is still no change
    plan = Plan(settings)
    json_text = settings.to_json()
    if _read(root / SETTINGS_FILE) != json_text:
        plan.writes[SETTINGS_FILE] = json_text
    if not keep_samples:
        for path, digest in samples.REMOVED.items():
            found = sha256(root / path)
            if found is None:
                continue
            if found == digest:
                plan.writes[path] = None
            else:
                plan.kept.append(f"{path} (a sample you edited; remove it yourself if you no longer want it)")
        for path, digest in samples.REPLACED.items():
            text = PAGES[path](settings)
            found = sha256(root / path)
            ours_before = {PAGES[path](previous)} if previous is not None else set()
            if found is None or found == digest or found in {_digest(t) for t in ours_before}:
                if found != _digest(text):
                    plan.writes[path] = text
            elif found != _digest(text):
                plan.kept.append(f"{path} (edited; init leaves it as it is)")
        for path in _stray_sample_neighbours(root):
            plan.kept.append(f"{path} (not a sample)")
    if not _user_posts(root, settings):
        welcome = welcome_post(settings)
        plan.writes[welcome[0]] = welcome[1]
    return plan


def _same_but_year(a: JournalSettings, b: JournalSettings) -> bool:
    return replace(a, since=0) == replace(b, since=0)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _stray_sample_neighbours(root: Path) -> list[str]:
    """Files in the samples' folders that are not samples: never deleted, so reported."""
    folders = {str(Path(path).parent) for path in samples.REMOVED}
    known = set(samples.REMOVED) | set(samples.REPLACED)
    found = []
    for folder in sorted(folders):
        directory = root / folder
        if not directory.is_dir():
            continue
        for child in sorted(directory.iterdir()):
            relative = child.relative_to(root).as_posix()
            if child.is_file() and relative not in known:
                found.append(relative)
    return found


def _user_posts(root: Path, settings: JournalSettings) -> list[Path]:
    """Posts that are not samples: the welcome post, imported or written ones."""
    posts = root / POSTS_DIR
    if not posts.is_dir():
        return []
    return [
        path
        for path in posts.rglob("*.md")
        if path.relative_to(root).as_posix() not in samples.REMOVED and path != posts / "index.md"
    ]


def _remove_empty_parents(root: Path, folder: Path) -> None:
    root = root.resolve()
    folder = folder.resolve()
    while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.init-tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


# -- The pages init writes ---------------------------------------------------------------------

_MARKDOWN_SPECIAL = set("\\`*_{}[]<>()#+-.!|~$&:%@^=\"'")


def md_text(text: str) -> str:
    """*text* as literal Markdown inline text: every ASCII punctuation character backslash-escaped."""
    return "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in text)


def home_page(settings: JournalSettings) -> str:
    intro = (
        md_text(settings.description) if settings.description else f"{md_text(_author(settings))}의 학습 일지입니다."
    )
    return f"""# {md_text(settings.title)}

{intro}
그날그날 배운 것은 [글](posts/index.md)로 남기고, 오래 두고 볼 정리는 [노트](notes/index.md)로 모읍니다.

## 최근 글

```{{postcards}} 6
```

## 공부 기록

```{{studyheatmap}}
```

## 최근에 다듬은 노트

```{{notelist}} 5
```

## 다시 볼 노트

```{{revisitnotes}} 5
```

[모든 노트 보기](notes/index.md) · [용어집](glossary.md)

```{{toctree}}
:hidden:
:maxdepth: 1

posts/index
notes/index
glossary
about
```
"""


def about_page(settings: JournalSettings) -> str:
    return f"""# 소개

{md_text(settings.title)}은(는) {md_text(_author(settings))}의 학습 일지입니다.

## 글쓴이

{md_text(_author(settings))}({md_text(settings.default_author)}). 자기소개는 이 파일(`about.md`)에 적어 주세요.
"""


def glossary_page(settings: JournalSettings) -> str:
    return """# 용어집

일지와 노트에 자주 나오는 낱말을 짧게 풀어 두는 곳입니다. 아직 용어가 없습니다.

용어를 더하려면 이 파일(`glossary.md`)에 아래처럼 `glossary` 블록을 적고, 글과 노트에서는
`` {term}`용어` ``로 가리킵니다.

````markdown
```{glossary}
:sorted:

용어
  뜻풀이.
```
````
"""


def notes_index(settings: JournalSettings) -> str:
    return """# 노트

날짜별 [글](../posts/index.md)이 "그날 무엇을 했는지"의 기록이라면, 노트는 "그래서 무엇을 알게 되었는지"를
주제별로 모아 두고 새로 배울 때마다 고쳐 쓰는 정리입니다. 아직 노트가 없습니다.

노트는 `notes/<주제>/` 폴더에 `.md` 파일로 씁니다. 목차는 손대지 않아도 채워집니다: 노트는 주제의
`index.md`에, 주제는 아래 목차에 저절로 들어가고, `index.md`가 없는 주제에는 목차 페이지가 만들어집니다.
낯선 낱말은 {doc}`/glossary`에 풀어 둡니다.

```{toctree}
:maxdepth: 2
```
"""


PAGES: dict[str, Callable[[JournalSettings], str]] = {
    "index.md": home_page,
    "about.md": about_page,
    "glossary.md": glossary_page,
    "notes/index.md": notes_index,
}


def _author(settings: JournalSettings) -> str:
    return settings.authors[settings.default_author]


def welcome_post(settings: JournalSettings) -> tuple[str, str]:
    """The first post: path (relative to the root) and text, dated now in the journal's time zone."""
    tz = time_zone(settings.timezone)
    now = dt.datetime.now(tz).replace(microsecond=0)
    meta = PostMeta(title=WELCOME_TITLE, date=now, tags=["시작"], author=[settings.default_author])
    try:
        head = front_matter(meta, tz)
    except Refused as refusal:  # pragma: no cover - the title and labels are ours
        raise InitError(str(refusal)) from None
    body = f"""
{md_text(_author(settings))}의 학습 일지, {md_text(settings.title)}의 첫 글입니다.
첫 문단은 글 목록과 피드에 요약으로 쓰입니다.

## 다음에 할 일

- 새 글은 `make post TITLE="오늘 배운 것"`으로 시작합니다.
- 오래 두고 볼 정리는 `notes/` 아래에 노트로 씁니다.
- 이 글은 지우거나 고쳐 써도 됩니다.
"""
    path = post_path(Path(POSTS_DIR), now.date(), slugify(WELCOME_TITLE))
    return path.as_posix(), head + body

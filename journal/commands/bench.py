"""Build-speed benchmark: ``make bench`` / ``python -m journal.commands.bench --posts 200``.

Generates N deterministic synthetic posts (Korean and English prose, code blocks,
1-3 tags) into a temporary copy of the project, then measures, for each
configuration side by side, the median of several runs of:

* full build (empty output and doctree folders),
* no-change rebuild,
* edit-one-post rebuild,
* add-one-post rebuild,
* retitle-one-post rebuild (the edited post gets a new title),
* delete-one-post rebuild (the added post is deleted),
* peak RSS of the build process (``wait4``'s ``ru_maxrss``),
* with ``make livehtml``'s sphinx-autobuild running: the time from saving an edited post, and
  from saving a new post, to the end of the rebuild autobuild starts (its post-build command
  stamps the moment; the browser's reload comes after and is not counted).

The configurations take turns within each round (a drifting machine slows them alike).
Configurations: ``plain`` (Sphinx + MyST + book theme, no blog: the floor),
``ablog`` (stock ABlog with per-archive full-text feeds: the naive baseline),
``journal`` (this project's real ``conf.py``). Ratios are printed against
``plain`` measured in the same run, since the machine is noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: What the benchmark copies of the project (the sample posts are replaced by synthetic ones).
SKIP = {".git", ".venv", "_build", "tests", "node_modules", "test-artifacts", ".pytest_cache", ".ruff_cache"}
MEMORY_CAP = 8 * 1024**3  # a runaway build fails instead of exhausting the machine

_COMMON_CONF = """
project = "bench"
language = "ko"
html_theme = "sphinx_book_theme"
html_context = {"default_mode": "auto"}
myst_title_to_header = True
exclude_patterns = ["_build", "README.md", "journal"]  # the same pages as the journal, notes included
"""
CONFIGS: dict[str, str | None] = {
    "plain": _COMMON_CONF + 'extensions = ["myst_parser"]\n',
    "ablog": _COMMON_CONF
    + """
extensions = ["myst_parser", "ablog"]
blog_post_pattern = "posts/*/*-post-*"  # the synthetic posts: stock ABlog cannot read the sample's `image:`
blog_baseurl = "https://bench.invalid/"
blog_feed_archives = True
blog_feed_fulltext = True
fontawesome_included = True
""",
    "journal": None,  # the project's own conf.py
}

KOREAN = (
    "오늘은 오픈스택 SDK의 프록시 계층을 읽었다 리뷰어가 남긴 의견을 반영해서 패치를 다시 올렸다 "
    "테스트가 실패한 이유는 환경 설정이 달랐기 때문이다 데브스택을 처음부터 다시 설치했다 "
    "클라우드 인프라를 공부하면서 네트워크 구조가 가장 어려웠다 작은 기여도 꾸준히 쌓으면 의미가 있다"
).split()
ENGLISH = (
    "the proxy layer wraps every service call and the resource classes describe each field "
    "reviewers asked for a unit test so I added one and rebased the change on master"
).split()
TAGS = [f"tag{n}" for n in range(12)] + ["오픈스택", "회고", "테스트", "리뷰", "파이썬", "클라우드"]
CODE = "```python\nfrom openstack import connection\n\nconn = connection.Connection(cloud='devstack')\n" + (
    "for server in conn.compute.servers():\n    print(server.name)\n```\n"
)


def synthetic_post(index: int, rng: random.Random) -> tuple[str, str]:
    """(relative path, text) of post number *index*; the same index and seed give the same post."""
    year = 2019 + index % 7
    month, day = 1 + (index // 7) % 12, 1 + (index // 84) % 28
    tags = rng.sample(TAGS, rng.randint(1, 3))
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        words = KOREAN if rng.random() < 0.7 else ENGLISH
        paragraphs.append(" ".join(rng.choice(words) for _ in range(rng.randint(25, 60))) + ".")
    body = "\n\n".join(paragraphs[:2]) + "\n\n## 정리\n\n" + CODE + "\n" + "\n\n".join(paragraphs[2:])
    text = (
        f'---\ntitle: "합성 글 {index}: {rng.choice(KOREAN)} {rng.choice(ENGLISH)}"\n'
        f"date: {year}-{month:02d}-{day:02d} {index % 24:02d}:{index % 60:02d}:00\n"
        f"tags: [{', '.join(tags)}]\ncategory: {rng.choice(['기여', '회고', '환경설정'])}\nauthor: bora\n---\n\n"
        f"{body}\n"
    )
    return f"posts/{year}/{month:02d}-{day:02d}-post-{index:05d}.md", text


def make_workspace(target: Path, posts: int, seed: int = 2025) -> Path:
    """A copy of the project (sample posts and notes included) plus *posts* synthetic posts."""
    shutil.copytree(ROOT, target, ignore=lambda d, names: [n for n in names if n in SKIP or n == "__pycache__"])
    rng = random.Random(seed)
    for index in range(posts):
        relative, text = synthetic_post(index, rng)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(text, encoding="utf-8")
    for name, conf in CONFIGS.items():
        if conf is not None:
            (target / f"conf-{name}").mkdir()
            (target / f"conf-{name}" / "conf.py").write_text(conf, encoding="utf-8")
    return target


@dataclass
class Runner:
    workspace: Path
    config: str
    jobs: str
    warnings: list[str] = field(default_factory=list)  # the last build's

    @property
    def out(self) -> Path:
        return self.workspace / "_build" / self.config

    @property
    def confdir(self) -> Path:
        return self.workspace if CONFIGS[self.config] is None else self.workspace / f"conf-{self.config}"

    def clean(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)

    def build(self) -> tuple[float, int, float]:
        """Run one build; (wall-clock seconds, peak RSS in MB, CPU seconds)."""
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", self.jobs, "-c", str(self.confdir)]
        command += [str(self.workspace), str(self.out / "html"), "-d", str(self.out / "doctrees")]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("READTHEDOCS_CANONICAL_URL", None)
        log = self.out / "build.log"  # a file, not a pipe: a full pipe would block a chatty build
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as output:
            start = time.perf_counter()
            process = subprocess.Popen(command, env=env, stdout=output, stderr=output, preexec_fn=_cap_memory)
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
        text = log.read_text(encoding="utf-8", errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{self.config} build failed:\n{text[-3000:]}")
        self.warnings = warning_lines(text)
        return elapsed, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


class LiveSession:
    """sphinx-autobuild on the runner's workspace and output, as ``make livehtml`` runs it."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self.stamp = runner.out / "rebuilt.stamp"
        self.log = runner.out / "livehtml.log"

    def command(self) -> list[str]:
        runner = self.runner
        stamp = f"import pathlib, time; pathlib.Path({str(self.stamp)!r}).write_text(repr(time.time()))"
        command = [sys.executable, "-m", "sphinx_autobuild", "-b", "html", "-q", "-j", runner.jobs]
        command += ["-c", str(runner.confdir), "--no-initial", "--host", "127.0.0.1", "--port", "0"]
        command += ["--ignore", f"{runner.workspace / '_build'}/*", "--post-build", f"{sys.executable} -c {stamp!r}"]
        return [*command, str(runner.workspace), str(runner.out / "html"), "-d", str(runner.out / "doctrees")]

    @contextlib.contextmanager
    def running(self) -> Iterator[LiveSession]:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("READTHEDOCS_CANONICAL_URL", None)
        with self.log.open("wb") as output:
            process = subprocess.Popen(self.command(), env=env, stdout=output, stderr=output, start_new_session=True)
            try:
                self._wait_for(lambda: b"Waiting to detect changes" in self.log.read_bytes(), "the file watcher")
                time.sleep(0.5)  # the watcher is set up as it says so
                yield self
            finally:
                os.killpg(process.pid, 15)
                process.wait(timeout=60)

    def save(self, path: Path, text: str | None) -> float:
        """Seconds from saving *text* into *path* (``None``: deleting it) to the end of the
        rebuild that starts."""
        self.stamp.unlink(missing_ok=True)
        saved = time.time()
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
        self._wait_for(self.stamp.exists, "the rebuild")
        time.sleep(0.05)  # the stamp is written, then closed
        return float(self.stamp.read_text(encoding="utf-8")) - saved

    def _wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 900) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise RuntimeError(f"livehtml: no sign of {what} in {timeout:.0f} s:\n{tail}")
            time.sleep(0.02)


def warning_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "WARNING" in line]


def warning_kind(line: str) -> str:
    """A warning's type and subtype (``[toc.not_included]``), or its text when it has none."""
    kind = re.search(r"\[[\w.-]+\]$", line)
    return kind[0] if kind else line.split("WARNING:", 1)[-1].strip()


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@dataclass
class Figures:
    """Per measurement, the wall-clock seconds of each run (``cpu``: the CPU seconds)."""

    full: list[float] = field(default_factory=list)
    nochange: list[float] = field(default_factory=list)
    edit: list[float] = field(default_factory=list)
    add: list[float] = field(default_factory=list)
    retitle: list[float] = field(default_factory=list)
    delete: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    live_edit: list[float] = field(default_factory=list)  # livehtml: save of an edit -> rebuilt
    live_add: list[float] = field(default_factory=list)  # livehtml: save of a new post -> rebuilt
    cpu: dict[str, list[float]] = field(default_factory=dict)

    def record(self, name: str, run: tuple[float, int, float]) -> None:
        getattr(self, name).append(run[0])
        self.cpu.setdefault(name, []).append(run[2])

    def median(self, name: str, cpu: bool = False) -> float:
        values: list[float] = self.cpu[name] if cpu else getattr(self, name)
        return statistics.median(values)


def retitled(text: str, prefix: str) -> str:
    """*text* (a synthetic post) with *prefix* put in front of its quoted title."""
    assert '\ntitle: "' in text, "synthetic posts have a quoted title"
    return text.replace('\ntitle: "', f'\ntitle: "{prefix} ', 1)


def measure_round(
    runner: Runner, figures: Figures, round_number: int, edit_target: Path, log: Callable[[str], None], live: bool
) -> None:
    """One round of every figure for *runner*'s configuration, recorded into *figures*."""
    original = edit_target.read_text(encoding="utf-8")
    added = edit_target.with_name("12-31-bench-added.md")
    expected: list[str] = []

    def step(name: str) -> None:
        """Build, and refuse a step that made the build warn in a way its full build did not (a
        broken post is withheld, so the step would not measure the change it names). Plain
        Sphinx warns of every post outside a toctree, the new one too: kinds are compared."""
        figures.record(name, runner.build())
        new = sorted(w for w in runner.warnings if warning_kind(w) not in {warning_kind(e) for e in expected})
        if new:
            raise RuntimeError(f"{runner.config}: the {name} step made the build warn: {new[:3]}")

    runner.clean()
    full = runner.build()
    expected = runner.warnings
    figures.record("full", full)
    figures.rss.append(full[1])
    step("nochange")
    edited = original + f"\n편집 {round_number}: 한 문단을 더했다.\n"
    edit_target.write_text(edited, encoding="utf-8")
    step("edit")
    added.write_text(retitled(original, "추가된"), encoding="utf-8")
    step("add")
    edit_target.write_text(retitled(edited, f"새 제목 {round_number}"), encoding="utf-8")
    step("retitle")
    added.unlink()
    step("delete")
    if live:
        with LiveSession(runner).running() as session:
            current = edit_target.read_text(encoding="utf-8")  # its title stays: an edit, not a retitle
            figures.live_edit.append(session.save(edit_target, current + f"\n저장 {round_number}.\n"))
            figures.live_add.append(session.save(added, retitled(original, "새로 저장한")))
            session.save(added, None)
    edit_target.write_text(original, encoding="utf-8")
    log(f"  {runner.config} round {round_number + 1}: full {full[0]:.1f}s, peak {full[1]} MB")


def measure(
    runners: list[Runner], repeat: int, edit_target: Path, log: Callable[[str], None], live: bool = True
) -> dict[str, Figures]:
    """*repeat* rounds, the configurations taking turns within each round (plain, journal,
    plain, journal, …): a machine whose speed drifts during the run slows them alike, where
    running every round of one configuration before the next would put the drift in the ratios."""
    results = {runner.config: Figures() for runner in runners}
    for round_number in range(repeat):
        for runner in runners:
            measure_round(runner, results[runner.config], round_number, edit_target, log, live)
    return results


def table(results: dict[str, Figures], floor: str = "plain", cpu: bool = False) -> str:
    rows = ["full", "nochange", "edit", "add", "retitle", "delete"]
    rows += [] if cpu else [row for row in ("live_edit", "live_add") if all(getattr(f, row) for f in results.values())]
    rows += [] if cpu else ["rss"]
    labels = {
        "full": "full build (s)",
        "nochange": "no-change rebuild (s)",
        "edit": "edit one post (s)",
        "add": "add one post (s)",
        "retitle": "retitle one post (s)",
        "delete": "delete one post (s)",
        "rss": "peak RSS (MB)",
        "live_edit": "livehtml: edit saved (s)",
        "live_add": "livehtml: post added (s)",
    }
    names = list(results)
    header = f"| {'median CPU s' if cpu else 'median of runs':24} | " + " | ".join(f"{n:>16}" for n in names) + " |"
    lines = [header, "|" + "---|" * (len(names) + 1)]
    for row in rows:
        cells = []
        for name in names:
            value = results[name].median(row, cpu and row != "rss")
            base = results[floor].median(row, cpu and row != "rss") if floor in results else 0
            ratio = value / base if base else 0
            cells.append(f"{value:8.1f} ({ratio:4.2f}x)" if name != floor else f"{value:16.1f}")
        lines.append(f"| {labels[row]:24} | " + " | ".join(f"{c:>16}" for c in cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m journal.commands.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=int(os.environ.get("N", 200)), help="synthetic posts (200)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; medians are reported (3)")
    parser.add_argument("--jobs", default="2", help="sphinx-build -j for every configuration (2, the targets' setting)")
    parser.add_argument("--configs", default="plain,ablog,journal", help="comma-separated: plain, ablog, journal")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    parser.add_argument("--no-livehtml", action="store_true", help="skip the livehtml (sphinx-autobuild) rows")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.configs.split(",") if name.strip()]
    unknown = set(names) - set(CONFIGS)
    if unknown:
        parser.error(f"unknown configuration(s): {', '.join(sorted(unknown))}")
    workdir = Path(tempfile.mkdtemp(prefix="journal-bench-"))
    try:
        workspace = make_workspace(workdir / "site", args.posts)
        edit_target = sorted((workspace / "posts").glob("*/*.md"))[len(list((workspace / "posts").glob("*/*.md"))) // 2]
        print(f"{args.posts} posts, -j {args.jobs}, {args.repeat} runs each, workspace {workspace}", flush=True)
        runners = [Runner(workspace, name, args.jobs) for name in names]
        results = measure(runners, args.repeat, edit_target, print, live=not args.no_livehtml)
        print()
        print(table(results))
        print()
        print(table(results, cpu=True))
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``journal init``'s answers: taken from a Jekyll site (``--from-jekyll``) and asked on a terminal.

The questions are driven twice: through :func:`journal.commands.init.gather`'s ``ask`` (fast,
every rule) and through a real pseudo-terminal (``pty``), as a user at a terminal meets them:
the defaults shown, an empty answer taking the default, a bad answer asked again with its
reason, Ctrl-D and Ctrl-C ending with a message and a status, and nothing written before the
last answer.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from buildsite import ROOT, listing
from journal.commands import init
from journal.commands.cli import main

# -- the language of a Jekyll site ---------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("ko", "ko"),
        ("ko-KR", "ko"),
        ("ko_KR", "ko"),
        ("KO", "ko"),
        ("en-US", "en"),
        ("en_US.UTF-8", "en"),
        ("pt-BR", "pt_BR"),  # Sphinx has a Brazilian catalog
        ("zh-tw", "zh_TW"),
        ("한국어", None),
        ("English", None),
        ("", None),
        (["ko"], None),
    ],
)
def test_sphinx_language_of_a_locale(locale: object, language: str | None) -> None:
    assert init.sphinx_language(locale) == language


def jekyll_site(tmp_path: Path, config: str) -> Path:
    site = tmp_path / "jekyll"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(config, encoding="utf-8")
    return site


@pytest.mark.parametrize(
    ("config", "language"),
    [
        ("lang: ko-KR\n", "ko"),
        ("language: en-US\n", "en"),
        ("locale: ko_KR\n", "ko"),
        ("lang: en\nlocale: ko_KR\n", "en"),  # lang first
        ("lang: 한국어\nlocale: ko_KR\n", "ko"),  # a lang that is no code is passed over
        ("title: 일지\n", None),
    ],
)
def test_init_from_jekyll_takes_the_language(tmp_path: Path, config: str, language: str | None) -> None:
    assert init.jekyll_defaults(jekyll_site(tmp_path, config)).get("language") == language


def test_init_from_jekyll_writes_the_sites_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = jekyll_site(tmp_path, "title: My notes\nauthor: Jane Doe\nlang: en-US\n")
    root = tmp_path / "journal"
    root.mkdir()
    (root / "conf.py").write_text("# a journal\n", encoding="utf-8")
    assert main(["init", "--root", str(root), "--from-jekyll", str(site), "--rtd-project=jane", "--yes"]) == 0
    assert init.load_settings(root / "journal.json").language == "en"
    flag = ["--language=ko", "--from-jekyll", str(site), "--rtd-project=jane", "--yes"]
    assert main(["init", "--root", str(root), *flag]) == 0
    assert init.load_settings(root / "journal.json").language == "ko"  # a flag wins over the site
    capsys.readouterr()


# -- the questions, through gather's ask ---------------------------------------------------


def no_flags(**given: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    init.add_arguments(parser)
    args = parser.parse_args([])
    for name, value in given.items():
        setattr(args, name, value)
    return args


class Answers:
    """Answers given in turn; the prompts asked are kept."""

    def __init__(self, *answers: str | type[BaseException]) -> None:
        self.answers: Iterator[str | type[BaseException]] = iter(answers)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        answer = next(self.answers)
        if isinstance(answer, type):
            raise answer()
        return answer


def test_defaults_are_shown_and_an_empty_answer_takes_them(capsys: pytest.CaptureFixture[str]) -> None:
    ask = Answers("민수의 일지", "", "이민수", "minsu", "", "", "", "")
    values = init.gather(no_flags(), None, interactive=True, ask=ask)
    assert values == {
        "title": "민수의 일지",
        "description": "",
        "author_name": "이민수",
        "author_id": "minsu",
        "language": "ko",
        "timezone": "Asia/Seoul",
        "rtd_project": "minsu-journal",  # suggested from the author id
        "repository": "",
    }
    assert ask.prompts == [
        "일지 제목 (journal title): ",
        "한 줄 소개 (description): ",
        "글쓴이 이름 (author's display name): ",
        "글쓴이 아이디, 영문 소문자 (author id): ",
        "언어 코드 (language) [ko]: ",
        "시간대 (time zone) [Asia/Seoul]: ",
        "Read the Docs 프로젝트 이름 (→ https://<이름>.readthedocs.io/) [minsu-journal]: ",
        "저장소 주소, 없으면 빈칸 (repository URL): ",
    ]
    assert capsys.readouterr().err == ""


def test_a_jekyll_sites_answers_are_the_defaults_shown(tmp_path: Path) -> None:
    site = init.jekyll_defaults(jekyll_site(tmp_path, "title: Old blog\nauthor: Jane Doe\nlang: en-US\n"))
    ask = Answers("", "", "", "", "", "", "", "")
    values = init.gather(no_flags(), None, interactive=True, ask=ask, site=site)
    assert ask.prompts[0] == "일지 제목 (journal title) [Old blog]: "
    assert ask.prompts[4] == "언어 코드 (language) [en]: "
    assert (values["title"], values["author_id"], values["language"]) == ("Old blog", "jane-doe", "en")


def test_a_bad_answer_is_asked_again_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    ask = Answers(
        " ", "일지", "", "이민수", "Minsu Lee", "minsu", "한국어", "", "Mars/Base", "", "Minsu_J", "", "ftp://x", ""
    )
    values = init.gather(no_flags(), None, interactive=True, ask=ask)
    assert (values["author_id"], values["timezone"], values["rtd_project"]) == ("minsu", "Asia/Seoul", "minsu-journal")
    assert [prompt.split(" (")[0] for prompt in ask.prompts] == [
        *["일지 제목"] * 2,
        "한 줄 소개",
        "글쓴이 이름",
        *["글쓴이 아이디, 영문 소문자"] * 2,
        *["언어 코드"] * 2,
        *["시간대"] * 2,
        *["Read the Docs 프로젝트 이름"] * 2,
        *["저장소 주소, 없으면 빈칸"] * 2,
    ]
    assert capsys.readouterr().err.splitlines() == [
        "--title: is empty",
        "--author-id: 'Minsu Lee' is not an author id; use lowercase letters, digits, '-' or '_'",
        "--language: '한국어' is not a language code such as 'ko', 'en' or 'pt_BR'",
        "--timezone: 'Mars/Base' is not an IANA time zone such as 'Asia/Seoul'",
        "--rtd-project: 'Minsu_J' is not a Read the Docs project name (lowercase letters, digits and '-')",
        "--repository: 'ftp://x' is not a web address such as 'https://github.com/me/journal'",
    ]


@pytest.mark.parametrize(("stop", "says"), [(EOFError, "no answer (end of input)"), (KeyboardInterrupt, "Ctrl-C")])
def test_stopping_at_a_question_is_a_one_line_error(stop: type[BaseException], says: str) -> None:
    with pytest.raises(init.InitError, match=f"stopped at --author-name.*{re.escape(says)}.*nothing was written"):
        init.gather(no_flags(), None, interactive=True, ask=Answers("일지", "", stop))


# -- the questions on a real terminal ------------------------------------------------------

needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def _as_a_terminal_session(ioctl: Any, set_controlling_terminal: int) -> None:
    """In the child: the pty becomes its terminal, and Ctrl-C interrupts it as in a shell. A
    runner started in the background of a script ignores SIGINT, and its children inherit that
    (Python then installs no KeyboardInterrupt handler): ``make test &`` failed here."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    ioctl(0, set_controlling_terminal, 0)


class Terminal:
    """``python -m journal init`` with a pseudo-terminal as its controlling terminal."""

    def __init__(self, root: Path, *args: str) -> None:
        import fcntl
        import pty
        import termios

        self.master, slave = pty.openpty()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_", "READTHEDOCS"))}
        env["PYTHONPATH"] = str(ROOT)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "journal", "init", "--root", str(root), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=root,
            env=env,
            start_new_session=True,  # its own session, with the pty as its terminal: Ctrl-C reaches it
            preexec_fn=lambda: _as_a_terminal_session(fcntl.ioctl, termios.TIOCSCTTY),
        )
        os.close(slave)
        self.output = b""

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace").replace("\r\n", "\n")

    def _read(self, timeout: float) -> bool:
        """Read what is there within *timeout* seconds; False at the end of the output."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: the process closed the terminal
            return False
        self.output += chunk
        return bool(chunk)

    def expect(self, prompt: str, timeout: float = 30) -> None:
        """Wait until the last line shown is *prompt*, a question waiting for its answer."""
        deadline = time.monotonic() + timeout
        while not self.text.endswith(prompt):
            assert time.monotonic() < deadline, f"no prompt {prompt!r} in {self.text!r}"
            assert self._read(0.2), f"ended before {prompt!r}: {self.text!r}"

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def interrupt(self) -> None:
        """Ctrl-C, once the process waits in its read of the terminal: a signal that comes between
        the prompt and the read only marks the signal, and the read still waits for a line."""
        wchan = Path(f"/proc/{self.process.pid}/wchan")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and wchan.is_file() and wchan.read_text() != "wait_woken":
            time.sleep(0.05)  # Linux: n_tty_read waits in wait_woken
        time.sleep(0.2)
        self.type("\x03")

    def finish(self, timeout: float = 60) -> int:
        """The exit status, once everything shown is read."""
        deadline = time.monotonic() + timeout
        while self._read(0.2) and (self.process.poll() is None or self._pending()):
            assert time.monotonic() < deadline, f"still running: {self.text!r}"
        status = self.process.wait(timeout=5)
        os.close(self.master)
        return status

    def _pending(self) -> bool:
        return bool(select.select([self.master], [], [], 0)[0])


@pytest.fixture
def empty_journal(tmp_path: Path) -> Path:
    """A folder init accepts (it has a conf.py) holding nothing else."""
    (tmp_path / "conf.py").write_text("# a journal\n", encoding="utf-8")
    return tmp_path


@needs_pty
def test_a_conversation_on_a_terminal(empty_journal: Path) -> None:
    terminal = Terminal(empty_journal)
    for prompt, answer in [
        ("일지 제목 (journal title): ", "민수의 일지"),
        ("한 줄 소개 (description): ", ""),
        ("글쓴이 이름 (author's display name): ", "이민수"),
        ("글쓴이 아이디, 영문 소문자 (author id): ", "Minsu"),
        ("글쓴이 아이디, 영문 소문자 (author id): ", "minsu"),  # asked again
        ("언어 코드 (language) [ko]: ", ""),
        ("시간대 (time zone) [Asia/Seoul]: ", "Mars/Base"),
        ("시간대 (time zone) [Asia/Seoul]: ", ""),
        ("Read the Docs 프로젝트 이름 (→ https://<이름>.readthedocs.io/) [minsu-journal]: ", "Minsu_J"),
        ("Read the Docs 프로젝트 이름 (→ https://<이름>.readthedocs.io/) [minsu-journal]: ", ""),
    ]:
        terminal.expect(prompt)
        assert not (empty_journal / "journal.json").exists()  # nothing before the last answer
        terminal.type(answer + "\n")
    terminal.expect("저장소 주소, 없으면 빈칸 (repository URL): ")
    assert listing(empty_journal) == {"conf.py": listing(empty_journal)["conf.py"]}
    terminal.type("\n")
    assert terminal.finish() == 0, terminal.text
    assert "'Minsu' is not an author id" in terminal.text
    assert "'Mars/Base' is not an IANA time zone" in terminal.text
    assert "'Minsu_J' is not a Read the Docs project name" in terminal.text
    assert "wrote journal.json" in terminal.text
    settings = init.load_settings(empty_journal / "journal.json")
    assert (settings.title, settings.default_author, settings.timezone) == ("민수의 일지", "minsu", "Asia/Seoul")
    assert (settings.language, settings.rtd_project) == ("ko", "minsu-journal")


@needs_pty
@pytest.mark.parametrize(
    ("key", "status", "message"),
    [
        ("\x04", 2, "journal init: stopped at --author-name: no answer (end of input); nothing was written"),
        ("\x03", 130, "journal init: stopped at --author-name (Ctrl-C); nothing was written"),
    ],
    ids=["ctrl-d", "ctrl-c"],
)
def test_ctrl_d_or_ctrl_c_at_a_question_ends_cleanly(empty_journal: Path, key: str, status: int, message: str) -> None:
    before = listing(empty_journal)
    terminal = Terminal(empty_journal)
    terminal.expect("일지 제목 (journal title): ")
    terminal.type("민수의 일지\n")
    terminal.expect("한 줄 소개 (description): ")
    terminal.type("\n")
    terminal.expect("글쓴이 이름 (author's display name): ")
    if key == "\x03":
        terminal.interrupt()
    else:
        terminal.type(key)
    assert terminal.finish() == status, terminal.text
    assert terminal.text.rstrip("\n").splitlines()[-1] == message  # on a line of its own, after the prompt's
    assert "Traceback" not in terminal.text
    assert listing(empty_journal) == before

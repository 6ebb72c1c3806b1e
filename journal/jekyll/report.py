"""What the importer did: per-file warnings (with line numbers) and a summary table.

Names and messages come from the Jekyll source (file names, URLs, front matter), so the
report escapes control characters: a file name cannot move the cursor or clear the terminal.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    """Kinds of import warnings; the summary counts them by kind."""

    FRONT_MATTER = "front-matter"
    LIQUID = "liquid"
    INCLUDE = "include"
    KRAMDOWN = "kramdown"
    CODE = "code"
    LINK = "link"
    IMAGE = "image"
    REDIRECT = "redirect"
    #: Input that would make the importer read or write outside its folders, or replace a page:
    #: not carried over, and the exit code is 1.
    REFUSED = "refused"
    ERROR = "error"


class Status(StrEnum):
    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"
    #: Not a post for Jekyll either (no front matter): left out, not an error.
    IGNORED = "ignored"


@dataclass(frozen=True)
class Issue:
    """One thing the importer could not carry over exactly, at a line of the source file (1-based)."""

    kind: Kind
    line: int
    message: str


@dataclass
class FileResult:
    source: Path
    status: Status = Status.IMPORTED
    target: Path | None = None
    draft: bool = False
    reason: str = ""
    issues: list[Issue] = field(default_factory=list)

    def warn(self, kind: Kind, line: int, message: str) -> None:
        self.issues.append(Issue(kind, line, message))


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)
    #: Issues in the site's own files (``_config.yml``), listed first, counted in no status.
    site_files: list[FileResult] = field(default_factory=list)

    def site_file(self, path: Path) -> FileResult:
        for result in self.site_files:
            if result.source == path:
                return result
        self.site_files.append(FileResult(path))
        return self.site_files[-1]

    def count(self, status: Status) -> int:
        return sum(1 for result in self.files if result.status == status)

    @property
    def drafts(self) -> int:
        return sum(1 for result in self.files if result.draft and result.status != Status.FAILED)

    def warnings_by_kind(self) -> Counter[str]:
        results = self.site_files + self.files
        return Counter(issue.kind.value for result in results for issue in result.issues)

    @property
    def ok(self) -> bool:
        if any(result.status in (Status.FAILED, Status.SKIPPED) for result in self.files):
            return False
        return not any(issue.kind == Kind.REFUSED for r in self.site_files + self.files for issue in r.issues)

    def lines(self, root: Path | None = None, *, dry_run: bool = False) -> list[str]:
        """The report as text: per-file warnings first, then the summary table."""
        out: list[str] = []
        for result in self.site_files + self.files:
            name = _relative(result.source, root)
            if result.status in (Status.FAILED, Status.SKIPPED, Status.IGNORED):
                out.append(f"{name}: {result.status.value}: {result.reason}")
            for issue in sorted(result.issues, key=lambda i: i.line):
                out.append(f"{name}:{issue.line}: {issue.kind.value}: {issue.message}")
        out.append("")
        out.append("would import (dry run)" if dry_run else "summary")
        rows = [
            ("imported", self.count(Status.IMPORTED)),
            ("unchanged", self.count(Status.UNCHANGED)),
            ("skipped", self.count(Status.SKIPPED)),
            ("failed", self.count(Status.FAILED)),
            ("ignored", self.count(Status.IGNORED)),
            ("drafts", self.drafts),
        ]
        rows += [(f"warnings: {kind}", n) for kind, n in sorted(self.warnings_by_kind().items())]
        width = max(len(label) for label, _ in rows)
        out += [f"  {label:<{width}}  {n:>5}" for label, n in rows]
        return [printable(line) for line in out]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """*text* with control characters (and bidirectional overrides) shown as escapes."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()

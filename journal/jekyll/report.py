"""What the importer did: per-file warnings (with line numbers) and a summary table."""

from __future__ import annotations

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
    ERROR = "error"


class Status(StrEnum):
    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


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

    def count(self, status: Status) -> int:
        return sum(1 for result in self.files if result.status == status)

    @property
    def drafts(self) -> int:
        return sum(1 for result in self.files if result.draft and result.status != Status.FAILED)

    def warnings_by_kind(self) -> Counter[str]:
        return Counter(issue.kind.value for result in self.files for issue in result.issues)

    @property
    def ok(self) -> bool:
        return not any(result.status in (Status.FAILED, Status.SKIPPED) for result in self.files)

    def lines(self, root: Path | None = None, *, dry_run: bool = False) -> list[str]:
        """The report as text: per-file warnings first, then the summary table."""
        out: list[str] = []
        for result in self.files:
            name = _relative(result.source, root)
            if result.status in (Status.FAILED, Status.SKIPPED):
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
            ("drafts", self.drafts),
        ]
        rows += [(f"warnings: {kind}", n) for kind, n in sorted(self.warnings_by_kind().items())]
        width = max(len(label) for label, _ in rows)
        out += [f"  {label:<{width}}  {n:>5}" for label, n in rows]
        return out


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()

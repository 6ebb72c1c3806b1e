"""Archive and tag pages that are easy to scan: posts grouped by year and month, counts per label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from journal.pages.cards import Link, iso_date


@dataclass(frozen=True)
class ArchiveEntry:
    title: str
    url: str
    date: dt.datetime | None

    @property
    def day_label(self) -> str:
        return f"{self.date.month}월 {self.date.day}일" if self.date else "날짜 없음"

    @property
    def date_iso(self) -> str:
        return iso_date(self.date)


@dataclass(frozen=True)
class MonthGroup:
    year: int | None
    month: int | None
    entries: tuple[ArchiveEntry, ...]

    @property
    def label(self) -> str:
        return f"{self.year}년 {self.month}월" if self.year else "날짜 없음"


@dataclass(frozen=True)
class CatalogSection:
    """One label of a catalog page (a tag, a category, a year) with its newest posts by month."""

    label: Link  # the label's name, its archive page, and how many posts it has
    anchor: str
    months: tuple[MonthGroup, ...]  # its newest posts (label.count says how many it has)

    @property
    def shown(self) -> int:
        return sum(len(month.entries) for month in self.months)


def group_by_month(entries: Iterable[ArchiveEntry]) -> tuple[MonthGroup, ...]:
    """Newest month first, newest post first within a month; undated posts last."""
    groups: dict[tuple[int, int], list[ArchiveEntry]] = {}
    undated: list[ArchiveEntry] = []
    for entry in entries:
        if entry.date is None:
            undated.append(entry)
        else:
            groups.setdefault((entry.date.year, entry.date.month), []).append(entry)
    result = [
        MonthGroup(year, month, tuple(sorted(groups[(year, month)], key=_newest_first)))
        for year, month in sorted(groups, reverse=True)
    ]
    if undated:
        result.append(MonthGroup(None, None, tuple(undated)))
    return tuple(result)


def _newest_first(entry: ArchiveEntry) -> tuple[float, str]:
    return (-entry.date.timestamp() if entry.date else 0.0, entry.title)

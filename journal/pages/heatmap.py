"""잔디, the study heatmap: one square per day, shaded by the posts published and notes updated.

``{studyheatmap}`` on a page (the home page) shows the twelve months ending at the build's
"today" (:func:`journal.content.posts.build_date`: the date of the publication cutoff, so
``SOURCE_DATE_EPOCH`` pins both) with the current and the longest streak. Each year archive
(``blog/2025``, page 1) shows its whole year, Monday 1 January to 31 December, with that
year's longest streak: it never depends on "today", only on the posts and notes.

A day's activity is its published posts (by their date in ``journal_timezone``) plus the notes
whose ``updated`` falls on it (a note counts once, on its latest update). The SVG is written at
build time (:func:`heatmap`, rendered by ``_templates/journal/studyheatmap.html``); its colours
are the theme's CSS variables (``_static/journal-theme.css``), so dark mode follows the theme.

Incremental builds: the home page depends on "today" as well as on the posts and notes, so
:class:`HeatmapCollector` keeps (today, activity) on the environment and rewrites the pages
holding a heatmap when it changed; a rebuild on a new day rewrites the home page, as a clean
build would. Year archives are fingerprinted with the notes' dates too
(:func:`journal.speed.incremental.site_digest`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from journal.content.posts import build_date, build_time, site_timezone
from journal.contract.pagination import page_name
from journal.speed.incremental import PagesHoldingCollector
from journal.state import notes_of, posts_of, swap_heatmap_state
from journal.upstream.ablog_state import Blog

TEMPLATE = "journal/studyheatmap.html"
WEEKDAYS = "월화수목금토일"  # Monday first
#: Rows labelled on the left (Monday, Wednesday, Friday), as GitHub does.
LABELLED_WEEKDAYS = (0, 2, 4)
CELL, PITCH, LEFT, TOP = 10, 13, 20, 14
#: Activity counts from this up share the darkest shade.
TOP_LEVEL = 4


# --- the calendar (pure) ------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    date: dt.date
    posts: tuple[str, ...] = ()  # docnames, newest first
    notes: int = 0

    @property
    def count(self) -> int:
        return len(self.posts) + self.notes

    @property
    def title(self) -> str:
        return f"{self.date:%Y-%m-%d} · 글 {len(self.posts)}편, 노트 {self.notes}개"


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    level: int
    day: Day
    url: str | None


@dataclass(frozen=True)
class Label:
    x: int
    y: int
    text: str


@dataclass(frozen=True)
class MonthRow:
    label: str
    days: int  # days with activity
    posts: int
    notes: int


@dataclass(frozen=True)
class Heatmap:
    start: dt.date
    end: dt.date
    cells: tuple[Cell, ...]
    months: tuple[Label, ...]
    weekdays: tuple[Label, ...]
    rows: tuple[MonthRow, ...]
    width: int
    height: int
    current_streak: int | None  # None where the calendar does not end today (a year archive)
    longest_streak: int
    posts: int
    notes: int
    active_days: int

    @property
    def summary(self) -> str:
        period = f"{self.start:%Y-%m-%d}부터 {self.end:%Y-%m-%d}까지"
        return f"{period} 공부한 날 {self.active_days}일: 글 {self.posts}편, 노트 {self.notes}개"

    @property
    def streaks(self) -> str:
        parts = [] if self.current_streak is None else [f"연속 {self.current_streak}일"]
        return " · ".join([*parts, f"가장 긴 연속 기록 {self.longest_streak}일"])


def activity(posts: Mapping[str, dt.date], notes: Iterable[dt.date]) -> dict[dt.date, Day]:
    """Day -> its activity, from each post's date (*posts* newest first) and each note's update."""
    posted: dict[dt.date, list[str]] = {}
    for docname, day in posts.items():
        posted.setdefault(day, []).append(docname)
    noted: dict[dt.date, int] = {}
    for day in notes:
        noted[day] = noted.get(day, 0) + 1
    return {day: Day(day, tuple(posted.get(day, ())), noted.get(day, 0)) for day in sorted(posted.keys() | noted)}


def current_streak(active: Iterable[dt.date], today: dt.date) -> int:
    """Days in a row with activity ending today, or yesterday when today has none yet."""
    days = set(active)
    day = today if today in days else today - dt.timedelta(days=1)
    streak = 0
    while day in days:
        streak, day = streak + 1, day - dt.timedelta(days=1)
    return streak


def longest_streak(active: Iterable[dt.date], start: dt.date, end: dt.date) -> int:
    """The most days in a row with activity between *start* and *end* (both included)."""
    longest = run = 0
    previous: dt.date | None = None
    for day in sorted(d for d in set(active) if start <= d <= end):
        run = run + 1 if previous is not None and day - previous == dt.timedelta(days=1) else 1
        longest, previous = max(longest, run), day
    return longest


def last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the day after this date a year ago to *today*."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + dt.timedelta(days=1), today


def level(count: int) -> int:
    return min(count, TOP_LEVEL)


def layout(
    days: Mapping[dt.date, Day],
    start: dt.date,
    end: dt.date,
    url: Any,
    today: dt.date | None = None,
) -> Heatmap:
    """The calendar from *start* to *end*: weeks as columns (Monday on top); *url(day)* links a day."""
    first_monday = start - dt.timedelta(days=start.weekday())
    cells, months = [], []
    day = start
    while day <= end:
        found = days.get(day, Day(day))
        week = (day - first_monday).days // 7
        x, y = LEFT + week * PITCH, TOP + day.weekday() * PITCH
        cells.append(Cell(x, y, level(found.count), found, url(found) if found.posts else None))
        if day.day == 1 or (day == start and day.day < 8):
            months.append(Label(x, TOP - 4, f"{day.month}월"))
        day += dt.timedelta(days=1)
    weeks = (end - first_monday).days // 7 + 1
    weekdays = tuple(Label(0, TOP + row * PITCH + CELL - 1, WEEKDAYS[row]) for row in LABELLED_WEEKDAYS)
    shown = [found for found in days.values() if start <= found.date <= end]
    return Heatmap(
        start=start,
        end=end,
        cells=tuple(cells),
        months=tuple(months),
        weekdays=weekdays,
        rows=month_rows(shown, start, end),
        width=LEFT + weeks * PITCH,
        height=TOP + 7 * PITCH,
        current_streak=current_streak(days, today) if today is not None else None,
        longest_streak=longest_streak(days, start, end),
        posts=sum(len(found.posts) for found in shown),
        notes=sum(found.notes for found in shown),
        active_days=sum(1 for found in shown if found.count),
    )


def month_rows(shown: list[Day], start: dt.date, end: dt.date) -> tuple[MonthRow, ...]:
    """One row a month of the calendar (the text alternative's table)."""
    rows = []
    month = start.replace(day=1)
    while month <= end:
        inside = [found for found in shown if (found.date.year, found.date.month) == (month.year, month.month)]
        label = f"{month.year}년 {month.month}월"
        rows.append(MonthRow(label, len(inside), sum(len(f.posts) for f in inside), sum(f.notes for f in inside)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return tuple(rows)


# --- the site's activity ---------------------------------------------------------------


def site_activity(app: Sphinx) -> dict[dt.date, Day]:
    """Every day with a published post or a note update, in ``journal_timezone``."""
    tz = site_timezone(app.config.journal_timezone)
    now = build_time(app.config)
    published = [(meta.date, docname) for docname, meta in posts_of(app.env).items() if meta.is_published(now)]
    published.sort(key=lambda item: (item[0], item[1]), reverse=True)  # newest first
    posts = {docname: date.astimezone(tz).date() for date, docname in published if date is not None}
    notes = [meta.updated.astimezone(tz).date() for meta in notes_of(app.env).values() if meta.updated]
    return activity(posts, notes)


def day_link(app: Sphinx, pagename: str) -> Any:
    """*url(day)*: the post of a day with one post; for several, the year archive page listing the
    first (an ABlog archive: ``journal_archive_page_size`` posts a page)."""
    blog, page_size = Blog(app), app.config.journal_archive_page_size

    def url(day: Day) -> str | None:
        if len(day.posts) == 1:
            return str(app.builder.get_relative_uri(pagename, day.posts[0]))
        archive: Any = getattr(blog[day.posts[0]], "archive", None)  # the post's year (ABlog's Collection)
        if archive is None or not getattr(archive, "docname", None):
            return str(app.builder.get_relative_uri(pagename, day.posts[0]))
        listed = [entry.docname for entry in archive]
        first = min(listed.index(docname) for docname in day.posts if docname in listed)
        target = page_name(archive.docname, first // page_size + 1)
        return str(app.builder.get_relative_uri(pagename, target)) or "#"  # this very page: its top

    return url


def render(app: Sphinx, pagename: str, heatmap: Heatmap, heading: str) -> Markup:
    html: str = app.builder.templates.render(TEMPLATE, {"heatmap": heatmap, "heading": heading})
    return Markup(html)  # noqa: S704 - our autoescaped template's output


def home_heatmap(app: Sphinx, pagename: str) -> Heatmap:
    today = build_date(app.config)
    start, end = last_twelve_months(today)
    link = day_link(app, pagename)
    return layout(site_activity(app), start, end, link, today)


def year_heatmap(app: Sphinx, pagename: str, year: int) -> Heatmap:
    link = day_link(app, pagename)
    return layout(site_activity(app), dt.date(year, 1, 1), dt.date(year, 12, 31), link)


# --- the directive and the year archives ------------------------------------------------


class studyheatmap(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """Placeholder for the heatmap, rendered when the page is written (all posts known)."""


class StudyHeatmapDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        node = studyheatmap()
        self.set_source_info(node)
        return [node]


def visit_studyheatmap_html(translator: Any, node: studyheatmap) -> None:
    app = translator.builder.app
    pagename = translator.builder.current_docname
    translator.body.append(render(app, pagename, home_heatmap(app, pagename), "최근 1년 공부 기록"))
    raise nodes.SkipNode


def skip(translator: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def year_archive_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Give page 1 of ABlog's archive of a year its heatmap (``journal_heatmap``)."""
    collection = context.get("collection")
    catalog = getattr(collection, "catalog", None)
    if collection is None or getattr(catalog, "name", None) != "archive":
        return
    if context.get("journal_page_number", 1) != 1 or not isinstance(collection.name, int):
        return
    year = collection.name
    context["journal_heatmap"] = render(app, pagename, year_heatmap(app, pagename, year), f"{year}년 공부 기록")


class HeatmapCollector(PagesHoldingCollector):
    """Which pages hold a ``studyheatmap`` (``env.journal_heatmaps``); they are rewritten when
    what the heatmap shows (today and every day's activity) changed since the last build."""

    node_class = studyheatmap
    attribute = "journal_heatmaps"

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        current = (build_date(app.config), sorted(site_activity(app).items()))
        previous = swap_heatmap_state(env, current)
        return sorted(self.pages(env)) if previous != current else []


def setup(app: Sphinx) -> dict[str, Any]:
    others: dict[str, Any] = {fmt: (skip, None) for fmt in ("latex", "text", "man", "texinfo")}
    app.add_node(studyheatmap, html=(visit_studyheatmap_html, None), **others)
    app.add_directive("studyheatmap", StudyHeatmapDirective)
    app.add_env_collector(HeatmapCollector)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

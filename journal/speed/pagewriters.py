"""Extension pages written by a second process under ``-j N``.

Sphinx writes documents on ``N - 1`` worker processes, but every page an extension returns
from ``html-collect-pages`` is written afterwards by the main process alone. ABlog's archive
pages (every tag, category, year and author, each listing its posts with excerpts) are the
biggest of those: at 1,000 posts, about 5 s of one core while the other waits.

:func:`share_pages` forks one writing process (Sphinx's own ``ParallelTasks``, like its
document writers) for about half of the pages, by cost, and returns the other half for the
main process to write meanwhile, followed by the pages of later collectors (feeds...).
:func:`join_writers`, the last ``html-collect-pages`` collector, waits for the process,
replays its log (warnings still fail a ``-W`` build) and hands what it sends back to the
caller's *merge* (e.g. rendering caches, so the next build finds them). A build that fails
or is interrupted before that leaves no process behind for a later build in the same process
(:func:`abandon_writers`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from sphinx.application import Sphinx
from sphinx.util.parallel import ParallelTasks, parallel_available

if TYPE_CHECKING:
    from sphinx.builders.html import StandaloneHTMLBuilder

PageTuple = tuple[str, dict[str, Any], str]
#: Fewer pages than this are not worth a process.
MIN_SHARED_PAGES = 8

_RUNNING: list[ParallelTasks] = []


def share_pages(
    app: Sphinx,
    pages: Sequence[PageTuple],
    cost: Callable[[PageTuple], int],
    send_back: Callable[[], Any],
    merge: Callable[[Any], None],
) -> list[PageTuple]:
    """Start writing part of *pages* in another process; return the part left to the caller.

    *send_back* runs in the writing process after its pages (its result must pickle);
    *merge* receives that result in the main process.
    """
    if not _parallel_writing(app) or len(pages) < MIN_SHARED_PAGES:
        return list(pages)
    mine, theirs = split_by_cost(pages, cost)

    def write(assigned: list[PageTuple]) -> Any:
        for pagename, context, template in assigned:
            cast("StandaloneHTMLBuilder", app.builder).handle_page(pagename, context, template)
        return send_back()

    tasks = ParallelTasks(1)
    tasks.add_task(write, theirs, lambda _, result: merge(result))
    _RUNNING.append(tasks)
    return mine


def split_by_cost(
    pages: Sequence[PageTuple], cost: Callable[[PageTuple], int]
) -> tuple[list[PageTuple], list[PageTuple]]:
    """Two lists of about equal total cost, each in the original order."""
    buckets: tuple[list[int], list[int]] = ([], [])
    totals = [0, 0]
    for index in sorted(range(len(pages)), key=lambda i: -cost(pages[i])):
        lighter = 0 if totals[0] <= totals[1] else 1
        buckets[lighter].append(index)
        totals[lighter] += cost(pages[index])
    return [pages[i] for i in sorted(buckets[0])], [pages[i] for i in sorted(buckets[1])]


def join_writers(app: Sphinx) -> Iterator[PageTuple]:
    """``html-collect-pages``, last: wait for the writing processes (their pages are written)."""
    while _RUNNING:
        _RUNNING.pop().join()
    yield from ()


def abandon_writers(app: Sphinx, exception: Exception | None = None) -> None:
    """``builder-inited`` and ``build-finished``: stop writing processes that an earlier build, or
    this failed one, did not join (their pages and results belong to a build that did not finish)."""
    while _RUNNING:
        _RUNNING.pop().terminate()


def _parallel_writing(app: Sphinx) -> bool:
    """Sphinx writes documents in parallel in this build (``-j N``, every extension write-safe)."""
    return parallel_available and app.parallel > 1 and bool(getattr(app.builder, "parallel_ok", False))

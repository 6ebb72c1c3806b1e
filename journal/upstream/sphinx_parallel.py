"""Sphinx's parallel writing holds at most a few chunks of resolved pages at once.

Reason (Sphinx 9.0.4): under ``-j N``, ``Builder._write_parallel`` (``sphinx/builders/__init__.py``)
resolves the doctrees of one chunk of pages in the main process, then hands the chunk to
``ParallelTasks.add_task``, which forks a writing process when one of the N slots is free and
otherwise queues it, with its doctrees, and returns at once. Resolving is several times faster
than writing, so the main process resolves every chunk of the build before the writers have
taken the third one: at 1,000 posts it held about 850 resolved doctrees, 28 MB of its 158 MB
peak, which is the build's peak (the writing processes are forked from it). A queued chunk's
doctrees are only let go when its process starts (``multiprocessing`` drops a process's
arguments at ``start``).

The workaround: the builder module's ``ParallelTasks`` is a subclass whose ``add_task`` first
waits, joining finished tasks as ``join`` does, while N tasks are already queued. Every slot
still has a chunk ready when it frees. The main process now resolves the next chunk while the
writers write, and Sphinx starts a queued task only when the main process calls into
``ParallelTasks``: once per chunk, so a writer that finished early would wait for the whole
next chunk to be resolved (measured: a full build 10 % slower). So each resolved page
(``doctree-resolved``, emitted in the main process) also starts what a finished writer left
free. Reading uses the same class (its chunks are only document names, and the main process
merges their results as it waits).

Output is unchanged: the same chunks, written by the same code, in an order that never
mattered (``-j 2`` equals serial builds, ``tests/test_parallel.py``). ``tests/test_upstream.py``
pins ``_write_parallel``, ``add_task`` and ``_join_one``, and checks the bound.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import Any

import sphinx.builders
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.parallel import ParallelTasks

#: Polling interval while waiting for a slot: ParallelTasks.join's own.
POLL_SECONDS = 0.02


class BoundedParallelTasks(ParallelTasks):
    """``ParallelTasks`` that queues at most ``nproc`` tasks besides the running ones."""

    def __init__(self, nproc: int) -> None:
        super().__init__(nproc)
        _LIVE.add(self)

    def add_task(
        self,
        task_func: Callable[[Any], Any] | Callable[[], Any],
        arg: Any = None,
        result_func: Callable[[Any, Any], Any] | None = None,
    ) -> None:
        while len(self._precvs_waiting) >= self.nproc:
            if not self.start_freed_slots():
                time.sleep(POLL_SECONDS)
        super().add_task(task_func, arg, result_func)

    def start_freed_slots(self) -> bool:
        """Join a finished task, if any, and start queued ones in the free slots; whether one was joined."""
        try:
            return self._join_one()
        except Exception:
            self.terminate()  # as add_task does when a task failed: no process outlives it
            raise

    @property
    def queued(self) -> int:
        """Tasks added and not started yet."""
        return len(self._precvs_waiting)


#: The bounded task sets alive in this process (one per parallel phase of a build).
_LIVE: weakref.WeakSet[BoundedParallelTasks] = weakref.WeakSet()


def start_freed_slots(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: a writing process that finished gets the next queued chunk now, not
    once the main process has resolved its whole current chunk."""
    for tasks in list(_LIVE):
        if tasks.queued:
            tasks.start_freed_slots()


def bound_parallel_tasks() -> None:
    sphinx.builders.ParallelTasks = BoundedParallelTasks  # type: ignore[attr-defined]  # a module global, not exported


def setup(app: Sphinx) -> dict[str, Any]:
    bound_parallel_tasks()
    return {"parallel_read_safe": True, "parallel_write_safe": True}

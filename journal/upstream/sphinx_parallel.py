"""Sphinx's parallel builds: writing holds at most a few chunks of resolved pages at once, and
each reading process sends back only what it read.

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

Reading. Reason (Sphinx 9.0.4): ``Builder._read_parallel`` forks a reading process per chunk of
documents, and each sends back ``pickle.dumps(self.env)``: its whole environment, inherited
from the main process at the fork, which by then holds every chunk merged so far (and, on a
rebuild, every document of the last build). The main process unpickles all of it and merges
the chunk's documents (``merge_info_from``). At 5,000 posts, about 32 chunks, the last
processes sent back nearly the whole environment (up to 20 MB, a million objects); unpickling
it all was the reading phase's peak memory and much of the main process's time, and grows
with the square of the site.

The workaround: :func:`read_parallel` replaces ``_read_parallel`` with a copy that differs in
what a reading process returns (and uses the bounded task class directly): a fresh environment
into which it merged its own chunk, with the same ``merge_info_from``
(:func:`chunk_environment`). What the main process merges from it is what it merged from the
whole environment, since every merge (Sphinx's collectors and domains, ours, ABlog's in
:mod:`journal.upstream.ablog`) copies the merged documents' entries; ``-j 2`` equals serial
builds, clean (``tests/test_parallel.py``) and incremental (``tests/test_incremental.py``).
``tests/test_upstream.py`` pins ``_read_parallel``.
"""

from __future__ import annotations

import pickle
import time
import weakref
from collections.abc import Callable
from typing import Any

import sphinx.builders
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.display import status_iterator
from sphinx.util.parallel import ParallelTasks, make_chunks

logger = logging.getLogger(__name__)

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


def purge(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Clear *docnames* from *env*, as ``_read_parallel`` does before reading them."""
    for docname in docnames:
        app.events.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)


def chunk_environment(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> BuildEnvironment:
    """A new environment holding what merging *docnames* from *env* takes, and nothing else."""
    chunk = BuildEnvironment(app)
    # Purged first, as the main process's was: some domains create their data when purging
    # (the citations) and their merge expects to find it.
    purge(app, chunk, docnames)
    chunk.merge_info_from(docnames, env, app)
    return chunk


def read_parallel(self: Builder, docnames: list[str], nproc: int) -> None:
    """``Builder._read_parallel`` (Sphinx 9.0.4), each process sending back :func:`chunk_environment`."""
    chunks = make_chunks(docnames, nproc)

    # create a status_iterator to step progressbar after reading a document
    # (see: ``merge()`` function)
    progress = status_iterator(chunks, __("reading sources... "), "purple", len(chunks), self.config.verbosity)

    # clear all outdated docs at once
    purge(self._app, self.env, docnames)

    def read_process(docs: list[str]) -> bytes:
        self.env._app = self._app
        for docname in docs:
            self.read_doc(docname, _cache=False)
        # allow pickling self to send it back: only what the main process merges of it (ours)
        return pickle.dumps(chunk_environment(self._app, self.env, docs), pickle.HIGHEST_PROTOCOL)

    def merge(docs: list[str], otherenv: bytes) -> None:
        env = pickle.loads(otherenv)  # noqa: S301 - our own reading process, as upstream
        self.env.merge_info_from(docs, env, self._app)

        next(progress)

    tasks = BoundedParallelTasks(nproc)
    for chunk in chunks:
        tasks.add_task(read_process, chunk, merge)

    # make sure all threads have finished
    tasks.join()
    logger.info("")


#: Sphinx's own, before :func:`send_back_read_chunks_only` (pinned by ``tests/test_upstream.py``).
UPSTREAM: dict[str, Callable[..., Any]] = {"read_parallel": Builder._read_parallel}


def send_back_read_chunks_only() -> None:
    Builder._read_parallel = read_parallel  # type: ignore[method-assign]  # a private method


def setup(app: Sphinx) -> dict[str, Any]:
    bound_parallel_tasks()
    send_back_read_chunks_only()
    return {"parallel_read_safe": True, "parallel_write_safe": True}

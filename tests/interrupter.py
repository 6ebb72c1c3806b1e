"""Test-only Sphinx extension: interrupt the build at a chosen point, like Ctrl-C would.

``JOURNAL_TEST_INTERRUPT=<event>[:<name>]`` names the point:

* ``doctree-read:<docname>``: while reading *docname* (in a reading process under ``-j N``);
* ``html-page-context:<pagename>``: while writing *pagename* (a document, in a writing
  process under ``-j N``, or an archive page);
* ``html-collect-pages``: once our feeds are written, and the main process's share of ABlog's
  archive pages (a collector after :mod:`journal.publishing.feeds`, before :mod:`journal.speed.pagewriters`
  joins the process writing the other share);
* ``build-finished``: among the ``build-finished`` handlers, after ``searchindex.js`` and our
  sitemap completion, before the sitemap, ``robots.txt``, feature images and rendering caches
  are written.

The whole process group gets ``SIGINT`` (what a terminal's Ctrl-C sends), so the main process
and every forked reading or writing process are interrupted together. The tests start the
build in a session of its own. Without the variable the extension does nothing, so a build
with it gives the same bytes as one without.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from typing import Any

from sphinx.application import Sphinx

VARIABLE = "JOURNAL_TEST_INTERRUPT"


def interrupt() -> None:
    print(f"{VARIABLE}: SIGINT at {os.environ[VARIABLE]}", file=sys.stderr, flush=True)
    os.killpg(os.getpgid(0), signal.SIGINT)
    time.sleep(5)  # the signal arrives (KeyboardInterrupt) long before this returns
    raise AssertionError("SIGINT did not interrupt the build")


def setup(app: Sphinx) -> dict[str, Any]:
    event, _, name = os.environ.get(VARIABLE, "").partition(":")

    if event == "doctree-read":

        def on_read(app: Sphinx, doctree: Any) -> None:
            if app.env.docname == name:
                interrupt()

        app.connect("doctree-read", on_read)
    elif event == "html-page-context":

        def on_page(app: Sphinx, pagename: str, *args: Any) -> None:
            if pagename == name:
                interrupt()

        app.connect("html-page-context", on_page, priority=900)
    elif event == "html-collect-pages":

        def on_collect(app: Sphinx) -> Iterator[Any]:
            interrupt()
            yield from ()

        app.connect("html-collect-pages", on_collect, priority=700)
    elif event == "build-finished":

        def on_finished(app: Sphinx, exception: Exception | None) -> None:
            interrupt()

        app.connect("build-finished", on_finished, priority=480)
    elif event:
        raise ValueError(f"{VARIABLE}: unknown point {event!r}")
    return {"parallel_read_safe": True, "parallel_write_safe": True}

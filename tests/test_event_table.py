"""journal's one event table: every handler of ours is connected there, once, with a reason."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.events import core_events

from buildsite import ROOT
from journal import event_table

#: Events the HTML builder adds to Sphinx's core events.
EXTENSION_EVENTS = {"html-page-context", "html-collect-pages"}


def test_no_module_connects_an_event_itself():
    connecting = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "journal").rglob("*.py"))
        if path != ROOT / "journal" / "__init__.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bapp\.connect\(|priority=", line)
    ]
    assert connecting == [], "connect in journal/__init__.py's event_table()"


def test_each_row_is_a_known_event_a_handler_and_a_reason():
    rows = event_table()
    assert len({(row.event, row.handler) for row in rows}) == len(rows), "a handler connected twice to one event"
    for row in rows:
        assert row.event in core_events or row.event in EXTENSION_EVENTS, row
        assert callable(row.handler) and row.why.strip(), row


def test_rows_are_in_build_order_and_by_priority_within_an_event():
    order = list(dict.fromkeys(row.event for row in event_table()))
    build = [
        "config-inited",
        "builder-inited",
        "env-get-outdated",
        "env-before-read-docs",
        "source-read",
        "include-read",
        "doctree-read",
        "env-merge-info",
        "env-updated",
        "doctree-resolved",
        "html-page-context",
        "html-collect-pages",
        "build-finished",
    ]
    assert order == [event for event in build if event in order]
    for event in order:
        priorities = [row.priority for row in event_table() if row.event == event]
        assert priorities == sorted(priorities), event


def test_architecture_names_the_table():
    assert "event_table" in Path(ROOT, "ARCHITECTURE.md").read_text(encoding="utf-8")

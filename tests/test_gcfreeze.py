"""journal.speed.gcfreeze: objects frozen by one build are collected when the next build starts."""

from __future__ import annotations

import gc
import weakref

from journal.speed import gcfreeze


class Node:
    """A stand-in for a doctree node: part of a reference cycle."""

    def __init__(self) -> None:
        self.me = self


def test_frozen_objects_are_skipped_until_the_next_build_releases_them():
    gc.collect()
    node = Node()
    alive = weakref.ref(node)
    gcfreeze.freeze_survivors()  # as at build-finished: the cycle is still referenced
    try:
        del node
        gc.collect()
        assert alive() is not None, "a frozen cycle is not collected"
        assert gc.get_freeze_count() > 0
        gcfreeze.release_earlier_builds()  # what the next build's setup does first
        assert gc.get_freeze_count() == 0
        assert alive() is None, "released and collected"
    finally:
        gc.unfreeze()


def test_a_process_that_never_froze_anything_pays_no_collection():
    gc.unfreeze()
    started: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    enabled = gc.isenabled()
    gc.disable()  # only a collection release_earlier_builds asks for is seen
    gc.callbacks.append(seen)
    try:
        gcfreeze.release_earlier_builds()
    finally:
        gc.callbacks.remove(seen)
        if enabled:
            gc.enable()
    assert started == [], "nothing was frozen, so there is nothing to give back and no full collection to run"

"""Another extension's event handler taken out, so that one of ours can take its place.

Sphinx has no way to filter the pages another extension yields at ``html-collect-pages``, so
where we must (ABlog's archive pages, sphinx-notfound-page's 404 page) its handler is
disconnected and ours, in the event table at the same priority, calls it. Registered
listeners are Sphinx's internals (``app.events.listeners``): this is the one place that reads
them, and it refuses loudly when the handler is not where it was when we wrote the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx


def disconnect(app: Sphinx, event: str, handler: Callable[..., Any], priority: int, owner: str) -> None:
    """Disconnect *handler* from *event*; it must be connected at *priority* (*owner*, our
    module that replaces it, is named in the error otherwise)."""
    name = getattr(handler, "__qualname__", repr(handler))
    for listener in list(app.events.listeners.get(event, [])):
        if listener.handler is handler:
            if listener.priority != priority:
                raise RuntimeError(f"{name} is connected at {listener.priority}, not {priority}: review {owner}")
            app.disconnect(listener.id)
            return
    raise RuntimeError(f"{name} is not connected to {event}: {owner} needs a review")

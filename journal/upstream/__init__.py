"""Every touch of another package's internals, each module with its reason at the top and a test that
fails when the upstream code it relies on changes (``tests/test_upstream.py``, ``tests/test_upstream_ablog.py``,
``tests/test_korean_emphasis.py``, ``tests/test_interrupt.py``).

* :mod:`.ablog` -- our patches of ABlog's functions (slug, rendering, archive pages, parallel reading);
* :mod:`.ablog_state` -- ABlog's objects and state as the features read and write them (features import
  ABlog's classes from here, never from ``ablog``);
* :mod:`.myst` -- MyST's ``parse``, repeated so that a markdown-it plugin can be added;
* :mod:`.reredirects` -- sphinx-reredirects' rule for the file a redirect is written to;
* :mod:`.sitemap` -- sphinx-sitemap's page queue;
* :mod:`.sphinx_search` -- Sphinx's ``IndexBuilder`` internals (search index on incremental builds);
* :mod:`.sphinx_english` -- Sphinx's private English stop words and minified stemmers;
* :mod:`.templates` -- autoescape for our templates and ABlog's.

Copied templates (``_templates/…``) name the theme template they follow; ``tests/test_upstream.py``
pins each of those upstream files. ``lint-imports`` (``make lint``) keeps ``ablog``, ``myst_parser``,
``sphinx_sitemap``, ``sphinx_reredirects`` and the themes' packages out of every other journal module.
"""

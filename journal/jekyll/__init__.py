"""Bring a Jekyll blog over: ``python -m journal import-jekyll SRC``.

The importer reads a Jekyll site (``_config.yml``, ``_posts/``, ``_drafts/``,
``_data/authors.yml``, front matter ``defaults:``), converts each post's front
matter into our post contract (:mod:`journal.contract.frontmatter`) and its body from
Liquid + kramdown into MyST Markdown, copies local images, and records every
post's old URL in ``redirects.json`` so old links keep working.

Modules, in the order data flows through them:

* :mod:`.site` — find the site's configuration, posts, drafts and authors;
* :mod:`.front_matter` — Jekyll front matter -> :class:`~journal.contract.frontmatter.PostMeta`;
* :mod:`.permalinks` — the URL Jekyll gave each post;
* :mod:`.liquid` — Liquid tags and output (``{% highlight %}``, ``{% raw %}``, ...);
* :mod:`.kramdown` — kramdown-only Markdown (attribute lists, ``$$`` math, headings, links, images);
* :mod:`.redirects` — the redirects data file read by ``conf.py``;
* :mod:`.report` — what happened, per file and in total;
* :mod:`.importer` — runs the above for every post; :mod:`.cli` is the command.
"""

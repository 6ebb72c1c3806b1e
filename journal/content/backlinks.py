"""Backlinks: each page lists the posts and notes that link to it; each glossary term, where it is used.

* Reading (:class:`LinkCollector`, an environment collector, so it is purged and
  merged per document on incremental and parallel builds): the cross-references
  a page makes (``{doc}``, ``{ref}``, ``{term}``, Markdown links to pages, ``[[wikilinks]]``) are
  kept *unresolved* in ``env.journal_links``, read from its ``pending_xref`` nodes.
* After reading (``env-get-updated``): every kept link is resolved against the
  current standard domain, exactly as Sphinx will resolve it, giving
  ``env.journal_backlinks`` (page -> :class:`Backlink`\\ s) and
  ``env.journal_term_uses`` (glossary page -> term anchor -> backlinks). A page
  whose backlinks changed (a link added or removed elsewhere, a linking page
  renamed or deleted) is returned to be rewritten, so an incremental build
  writes what a clean build would.
* Writing: ``html-page-context`` hands ``journal_backlinks`` to the template
  ``journal/backlinks.html``; ``doctree-resolved`` adds "쓰인 곳" under each
  glossary term.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import docname_join

from journal.content import wikilinks
from journal.content.notes import doc_title
from journal.state import PerDocumentCollector, backlinks_of, links_of, notes_of, posts_of, swap_backlinks, term_uses_of

#: Order of the kinds of linking pages in a list of backlinks.
KIND_ORDER = {"post": 0, "note": 1, "page": 2}


class Link(NamedTuple):
    """An outgoing cross-reference as written: ``kind`` is ``doc``, ``label`` or ``term``."""

    kind: str
    target: str


@dataclass(frozen=True, order=True)
class Backlink:
    """A page that links to another, as shown in the other's list."""

    sort_key: tuple[Any, ...]
    docname: str
    title: str
    kind: str
    date: str | None = None
    iso_date: str | None = None


# --- reading ------------------------------------------------------------------


def outgoing_link(node: addnodes.pending_xref, docname: str) -> Link | None:
    domain, reftype, target = node.get("refdomain"), node.get("reftype"), node.get("reftarget")
    if not target:
        return None
    if domain == "doc" and reftype == "myst":  # [text](other.md): MyST stores the absolute docname
        return Link("doc", target)
    if domain == "std" and reftype == "doc":
        return Link("doc", docname_join(node.get("refdoc", docname), target))
    if domain == "std" and reftype in ("ref", "numref"):
        return Link("label", target)
    if domain == "std" and reftype == "term":
        return Link("term", target)
    if not domain and reftype == "myst":  # [text](label)
        return Link("label", target)
    if not domain and reftype == wikilinks.REFTYPE:  # [[page]]: resolved once every page is read
        return Link("wiki", target)
    return None


class LinkCollector(PerDocumentCollector):
    """``env.journal_links``: docname -> the links its page makes, unresolved."""

    kept = (links_of,)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        docname = app.env.docname
        found = {link for node in doctree.findall(addnodes.pending_xref) if (link := outgoing_link(node, docname))}
        links_of(app.env)[docname] = tuple(sorted(found))

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        backlinks, term_uses = compute(app, env)
        before = swap_backlinks(env, (backlinks, term_uses))
        if before[0] is None or before[1] is None:  # first build, or an environment from before this feature
            return sorted((backlinks.keys() | term_uses.keys()) & env.all_docs.keys())
        changed = {d for d in backlinks.keys() | before[0].keys() if backlinks.get(d) != before[0].get(d)}
        changed |= {d for d in term_uses.keys() | before[1].keys() if term_uses.get(d) != before[1].get(d)}
        return sorted(changed & env.all_docs.keys())


# --- resolving ----------------------------------------------------------------


class Resolver:
    """Where a :class:`Link` lands, by the standard domain's own tables."""

    def __init__(self, env: BuildEnvironment) -> None:
        std = env.domains.standard_domain
        self.all_docs = env.all_docs
        self.labels = {name: entry[0] for name, entry in std.anonlabels.items()}
        self.labels.update({name: entry[0] for name, entry in std.labels.items()})
        self.terms = {name: entry for (objtype, name), entry in std.objects.items() if objtype == "term"}
        self.terms_lower = {name.lower(): entry for name, entry in self.terms.items()}
        self.wikilinks = wikilinks.Resolver(env)

    def page(self, link: Link) -> str | None:
        if link.kind == "doc":
            return link.target if link.target in self.all_docs else None
        if link.kind == "label":
            return self.labels.get(link.target)
        if link.kind == "wiki":
            return self.wikilinks.page(link.target)
        return None

    def term(self, link: Link) -> tuple[str, str] | None:
        if link.kind != "term":
            return None
        return self.terms.get(link.target) or self.terms_lower.get(link.target.lower())


def compute(
    app: Sphinx, env: BuildEnvironment
) -> tuple[dict[str, tuple[Backlink, ...]], dict[str, dict[str, tuple[Backlink, ...]]]]:
    """Backlinks of every page, and the uses of every glossary term, from the links of every page."""
    resolver = Resolver(env)
    pages: dict[str, set[str]] = {}
    terms: dict[tuple[str, str], set[str]] = {}
    for source, links in links_of(env).items():
        for link in links:
            target = resolver.page(link)
            if target is not None and target != source:
                pages.setdefault(target, set()).add(source)
            term = resolver.term(link)
            if term is not None and term[0] != source:
                terms.setdefault(term, set()).add(source)
    describe = _Describer(app, env)
    backlinks = {target: describe.all(sources) for target, sources in sorted(pages.items())}
    term_uses: dict[str, dict[str, tuple[Backlink, ...]]] = {}
    for (docname, anchor), sources in sorted(terms.items()):
        term_uses.setdefault(docname, {})[anchor] = describe.all(sources)
    return backlinks, term_uses


class _Describer:
    def __init__(self, app: Sphinx, env: BuildEnvironment) -> None:
        self.env = env
        self.posts = posts_of(env)
        self.notes = notes_of(env)
        self.date_format = getattr(app.config, "post_date_format_short", "%Y-%m-%d")

    def all(self, docnames: set[str]) -> tuple[Backlink, ...]:
        return tuple(sorted(self.one(docname) for docname in docnames))

    def one(self, docname: str) -> Backlink:
        title = doc_title(self.env, docname)
        post = self.posts.get(docname)
        if post is not None:
            moment = post.date.timestamp() if post.date else float("inf")  # a previewed draft: first
            key = (KIND_ORDER["post"], -moment, title, docname)
            if post.date is None:
                return Backlink(key, docname, title, "post")
            date = post.date.strftime(self.date_format)
            return Backlink(key, docname, title, "post", date, post.date.isoformat())
        kind = "note" if docname in self.notes else "page"
        return Backlink((KIND_ORDER[kind], 0, title, docname), docname, title, kind)


# --- writing ------------------------------------------------------------------


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if doctree is not None:
        context["journal_backlinks"] = backlinks_of(app.env).get(pagename, ())


def add_term_uses(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    uses = term_uses_of(app.env).get(docname)
    if not uses:
        return
    for item in doctree.findall(nodes.definition_list_item):
        anchors = [anchor for term in item.findall(nodes.term) for anchor in term["ids"]]
        sources = next((uses[anchor] for anchor in anchors if anchor in uses), None)
        definition = next(iter(item.findall(nodes.definition)), None)
        if sources and definition is not None:
            definition += _uses_paragraph(app, docname, sources)


def _uses_paragraph(app: Sphinx, docname: str, sources: tuple[Backlink, ...]) -> nodes.paragraph:
    paragraph = nodes.paragraph("", "쓰인 곳: ", classes=["journal-term-uses", "no-search"])
    for index, source in enumerate(sources):
        if index:
            paragraph += nodes.Text(", ")
        uri = app.builder.get_relative_uri(docname, source.docname)
        paragraph += nodes.reference(source.title, source.title, internal=True, refuri=uri)
    return paragraph


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_env_collector(LinkCollector)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""A page per paper (``pubs_paper_pages = True``) and the metadata search engines read.

Each entry that an indexed list shows gets a page, ``papers/<key>.html`` by default
(:confval:`pubs_paper_pages_dir`), written by the HTML builders through the
``html-collect-pages`` event: the full entry (every author, the abstract shown, the
links and the BibTeX), a link back to the list, Highwire Press ``citation_*`` meta
tags and schema.org ``ScholarlyArticle`` JSON-LD.  Pages with lists carry an
``ItemList`` of their entries.  ``singlehtml`` writes one page only, so it skips them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinx_pubs.config import pubs_config
from sphinx_pubs.core import markup
from sphinx_pubs.core.model import Publication, key_slug, plain
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.export import scholar
from sphinx_pubs.sphinx_ext.domain import PubDomain, Target
from sphinx_pubs.sphinx_ext.nodes import entry_record, pub_entry, pubs_entries, pubs_list
from sphinx_pubs.sphinx_ext.render import (
    IGNORE_CLASSES,
    LIST_CLASSES,
    inert_html,
    inert_nodes,
    inline_nodes,
    make_inert,
)
from sphinx_pubs.sphinx_ext.state import pubs_state
from sphinx_pubs.view.options import ListOptions
from sphinx_pubs.warnings import warn

logger = logging.getLogger(__name__)

#: builders that write one page each and can write paper pages
PAPER_BUILDERS = frozenset({"html", "dirhtml"})


def paper_pagename(key: str, folder: str) -> str:
    """The page of the paper with citation key *key*: ``papers/<key>``.  A key with
    characters that are not safe in a file name (or very long) is written safely and
    given a short hash of the key, so that two keys never share a page
    (:func:`sphinx_pubs.core.model.key_slug`)."""
    safe = key_slug(key, unique=True)
    folder = folder.strip("/")
    return f"{folder}/{safe}" if folder else safe


def writes_papers(builder: Any) -> bool:
    """Whether *builder* writes paper pages (and so entries link to them)."""
    return pubs_config(builder).paper_pages and builder.name in PAPER_BUILDERS


def note_builder(app: Sphinx) -> None:
    """Say so when paper pages are asked for and this HTML builder cannot write them."""
    builder = app.builder
    if pubs_config(app).paper_pages and builder.format == "html" and not writes_papers(builder):
        logger.info(
            f"sphinx-pubs: the {builder.name} builder writes no paper pages "
            "(pubs_paper_pages); the entries are not linked to them"
        )


def _absolute(app: Sphinx, pagename_uri: str) -> str:
    """The page's address under ``html_baseurl``; the relative address without one."""
    base = str(app.config.html_baseurl or "")
    if not base:
        return ""
    return base.rstrip("/") + "/" + pagename_uri.lstrip("/")


def _entry_node(
    app: Sphinx, place: Target, doctrees: dict[str, dict[str, pub_entry]]
) -> pub_entry | None:
    """The entry node at *place*.  *doctrees* keeps, per document, its entries by
    anchor: each document is read and walked once, however many entries it lists."""
    anchors = doctrees.get(place.docname)
    if anchors is None:
        anchors = {}
        for node in app.env.get_doctree(place.docname).findall(pub_entry):
            if node["ids"]:
                anchors.setdefault(node["ids"][0], node)
        doctrees[place.docname] = anchors
    return anchors.get(place.anchor)


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The paper pages, for ``html-collect-pages``."""
    if not writes_papers(app.builder):
        return
    domain = app.env.domains["pub"]
    assert isinstance(domain, PubDomain)
    doctrees: dict[str, dict[str, pub_entry]] = {}
    folder = pubs_config(app).paper_pages_dir
    for key in sorted(domain.entries):
        place = domain.target(key)
        if place is None:
            continue
        pagename = paper_pagename(key, folder)
        if pagename in app.env.all_docs:
            warn(
                f"sphinx-pubs: the paper page of {key!r} would replace the document "
                f"{pagename!r}; not written",
                Subtype.PAPER,
            )
            continue
        node = _entry_node(app, place, doctrees)
        if node is None:
            continue
        yield pagename, paper_context(app, pagename, place, node), "page.html"


def paper_context(app: Sphinx, pagename: str, place: Target, node: pub_entry) -> dict[str, Any]:
    """The template context of one paper page."""
    builder: Any = app.builder
    record = entry_record(node, pubs_state(app.env).find)
    list_uri = builder.get_target_uri(place.docname)
    here = builder.get_target_uri(pagename)
    list_title = plain_title(app, place.docname)
    back = relative_uri(here, list_uri) + "#" + place.anchor
    section = _paper_section(record, node, back, list_title)
    body = _render_on_page(builder, pagename, section)
    has_math = _has_math(record)
    if has_math:
        _note_math(app, pagename)
    title = " ".join(plain(record.title).split()) or record.key
    # templates put "title" and the parents' titles into pages as HTML (Sphinx's
    # own titles are rendered markup), some of them in the page's body (breadcrumbs),
    # where MathJax reads: the text is escaped and made inert here
    return {
        "title": inert_html(title),
        "body": body,
        "metatags": _metatags(app, record, node, here),
        "pubs_paper": True,
        "has_maths_elements": has_math,
        "display_toc": False,
        "toc": "",
        "sourcename": "",
        "parents": [{"link": relative_uri(here, list_uri), "title": inert_html(list_title)}],
        "meta": {},
    }


def _full_entry(node: pub_entry) -> pub_entry:
    """A copy of the entry node that shows everything: all authors, the abstract
    open, the BibTeX; no number, no title (the page's heading) and no link to
    itself."""
    options: ListOptions = node["options"]
    entry = node.deepcopy()
    entry.children = []
    entry["options"] = replace(
        options,
        max_authors=0,
        abstracts="expanded",
        bibtex="all",
        numbering="",
        title_link="",
    )
    entry["paper"] = ""
    entry["number"] = 0
    entry["hide_title"] = True
    entry.attributes.pop("view", None)
    return entry


def _paper_section(
    record: Publication, node: pub_entry, back: str, list_title: str
) -> nodes.section:
    """The page's body: the title as heading, the full entry, the link back to the
    list (*back*, the list's page titled *list_title*)."""
    # The heading is the entry's title, outside the list: closed to MathJax too, and
    # its text (but for the vetted math) split so that no math delimiter is found
    section = nodes.section(ids=["pubs-paper"], classes=["pubs-paper", *IGNORE_CLASSES])
    heading = nodes.title("", "", *inline_nodes(record.title or (record.key,)))
    section += make_inert(heading)
    wrapper = pubs_list(ids=[], classes=[*LIST_CLASSES, "pubs-paper-entry"])
    entries = pubs_entries(classes=["pubs-entries"])
    entries += _full_entry(node)
    wrapper += entries
    section += wrapper
    para = nodes.paragraph(classes=["pubs-paper-back"])
    para += nodes.reference("", "", *inert_nodes("↩ " + list_title), refuri=back, internal=True)
    section += para
    return section


def _render_on_page(builder: Any, pagename: str, section: nodes.section) -> str:
    """*section* as HTML, written as the builder writes the page *pagename*.

    What the builder sets before it writes a document, which its translator reads,
    is set for this page (links to copied files are relative to it) and put back.
    When no document was written in this build, none of it is set yet."""
    here = builder.get_target_uri(pagename)
    page_state: dict[str, object] = {
        "current_docname": pagename,
        "dlpath": relative_uri(here, "_downloads"),
        "imgpath": relative_uri(here, "_images"),
        "fignumbers": {},
        "secnumbers": {},
    }
    missing = object()
    saved: dict[str, object] = {name: getattr(builder, name, missing) for name in page_state}
    for name, state in page_state.items():
        setattr(builder, name, state)
    try:
        return str(builder.render_partial(section)["fragment"])
    finally:
        for name, state in saved.items():
            if state is missing:
                delattr(builder, name)
            else:
                setattr(builder, name, state)


def _metatags(app: Sphinx, record: Publication, node: pub_entry, here: str) -> str:
    """Highwire Press meta tags (with the copied PDF, when the entry has one) and
    schema.org ScholarlyArticle JSON-LD of the paper page at *here*."""
    pdf = ""
    downloads = node.get("downloads") or {}
    if "pdf" in downloads:
        pdf_path = posixpath.join("_downloads", downloads["pdf"])
        pdf = _absolute(app, pdf_path) or relative_uri(here, pdf_path)
    language = str(app.config.language or "")
    metatags = scholar.meta_html(scholar.highwire_tags(record, pdf, language))
    article = scholar.scholarly_article(record, _absolute(app, here))
    return metatags + scholar.json_ld_html({"@context": "https://schema.org", **article})


def _note_math(app: Sphinx, pagename: str) -> None:
    """Say that the page has math: Sphinx's MathJax extension loads MathJax on pages
    that say so (Sphinx 8 and later read the context value ``has_maths_elements``,
    7.4 the math domain's record)."""
    try:
        math = app.env.domains["math"]
    except KeyError:
        math = None
    if math is not None and isinstance(math.data.get("has_equations"), dict):
        math.data["has_equations"][pagename] = True


def _has_math(record: Publication) -> bool:
    """Whether the paper page shows math (title, text fields or abstract)."""
    return any(
        markup.has_math(rich) for rich in (record.title, *record.text.values(), *record.abstract)
    )


def plain_title(app: Sphinx, docname: str) -> str:
    title = app.env.titles.get(docname)
    return title.astext() if title is not None else docname


def list_json_ld(app: Sphinx, pagename: str, doctree: nodes.document) -> str:
    """JSON-LD (schema.org ``ItemList``) of the entries a page lists, once each."""
    builder: Any = app.builder
    find = pubs_state(app.env).find
    here = builder.get_target_uri(pagename)
    items = []
    seen: set[str] = set()
    papers = writes_papers(app.builder)
    for node in doctree.findall(pub_entry):
        if node["key"] in seen:
            continue
        seen.add(node["key"])
        record = entry_record(node, find)
        if papers and node.get("paper"):
            url = _absolute(app, builder.get_target_uri(node["paper"]))
        else:
            url = _absolute(app, here + "#" + node["ids"][0])
        items.append(scholar.scholarly_article(record, url, brief=True))
    return scholar.json_ld_html(scholar.item_list(items), compact=True) if items else ""

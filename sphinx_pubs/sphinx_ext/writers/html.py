"""HTML visitors: semantic markup, ``<details>`` toggles that need no JavaScript.

Every text and attribute value is escaped (the translator's ``encode`` and
``attval``), and links are written only for vetted URLs, so no field of a
bibliography can inject markup.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any
from urllib.parse import quote

from docutils import nodes
from sphinx.util.osutil import relative_uri

from sphinx_pubs.core.model import RichText, clean_text, plain
from sphinx_pubs.sphinx_ext.nodes import (
    entry_record,
    pub_entry,
    pubs_entries,
    pubs_group,
    pubs_list,
    pubs_list_end,
    pubs_list_start,
)
from sphinx_pubs.sphinx_ext.papers import writes_papers
from sphinx_pubs.sphinx_ext.render import inline_nodes, view_of
from sphinx_pubs.sphinx_ext.state import pubs_state
from sphinx_pubs.sphinx_ext.writers.downloads import list_entries, list_files
from sphinx_pubs.view.authors import AuthorsView, Pieces
from sphinx_pubs.view.entry import Badge, EntryView, Href, LinkButton
from sphinx_pubs.view.links import safe_url

Translator = Any  # sphinx.writers.html5.HTML5Translator


def visit_list(self: Translator, node: pubs_list | pubs_list_start) -> None:
    attributes = _search_attributes(node)
    entries = list_entries(node)
    if _has_cards(self, entries):
        attributes["CLASS"] = "pubs-cards"
        for entry in entries:
            entry["pubs_cards"] = True  # read by visit_entry
    self.body.append(self.starttag(node, "div", **attributes))
    _download_links(self, node)
    if isinstance(node, pubs_list_start):
        raise nodes.SkipNode


def _search_attributes(node: pubs_list | pubs_list_start) -> dict[str, str]:
    """The list's configuration for sphinx-pubs-search.js, which draws the search
    box, when the list has one."""
    search = node.get("search")
    if not search:
        return {}
    labels = node["labels"]
    config = {
        "facets": search["facets"],
        "types": search["types"],
        "labels": {
            "search": labels.search,
            "placeholder": labels.search_placeholder,
            "count": labels.search_count,
            "none": labels.search_none,
            "year": labels.search_year,
            "type": labels.search_type,
            "undated": labels.undated,
        },
    }
    return {"data-pubs-search": json.dumps(config, ensure_ascii=False, sort_keys=True)}


def _has_cards(self: Translator, entries: list[pub_entry]) -> bool:
    """Whether an entry of a list has a badge or a thumbnail: then every entry of
    the list keeps a left column for them (``div.pubs.pubs-cards``), so the entries
    line up whether or not they have one."""
    find = pubs_state(self.builder.env).find
    for entry in entries:
        record = entry_record(entry, find)
        if record.fields.get("abbr", "").strip() or record.fields.get("preview", "").strip():
            return True
    return False


def _download_links(self: Translator, node: pubs_list | pubs_list_start) -> None:
    """The links to the files the list offers (written by
    :func:`sphinx_pubs.sphinx_ext.writers.downloads.write_list_files`)."""
    files = list_files(node)
    if not files:
        return
    here = self.builder.get_target_uri(self.builder.current_docname)
    labels = node["labels"]
    links = [
        f'<a class="pub-button pubs-download pubs-download-{self.attval(file.format)}" download '
        f'href="{self.attval(quote(relative_uri(here, file.path)))}">'
        f"{self.encode(file.label or labels.bibtex)}</a>"
        for file in files
    ]
    self.body.append(
        '<div class="pubs-downloads"><span class="pubs-downloads-label">'
        + self.encode(labels.download)
        + "</span> "
        + " ".join(links)
        + "</div>\n"
    )


def depart_list(self: Translator, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def visit_list_end(self: Translator, node: nodes.Element) -> None:
    self.body.append("</div>\n")
    raise nodes.SkipNode


def visit_group(self: Translator, node: pubs_group) -> None:
    self.body.append(self.starttag(node, "div"))


def visit_entries(self: Translator, node: pubs_entries) -> None:
    self.body.append(self.starttag(node, "ol"))


def depart_entries(self: Translator, node: pubs_entries) -> None:
    self.body.append("</ol>\n")


def visit_entry(self: Translator, node: pub_entry) -> None:
    start = len(self.body)
    view = view_of(node, pubs_state(self.builder.env).find)
    write_entry(self, view, node.get("pubs_cards", False))
    # a guard: records come without control characters (model.clean_record)
    self.body[start:] = [clean_text(part) for part in self.body[start:]]
    raise nodes.SkipNode  # the children are for search and math detection only


def write_entry(self: Translator, view: EntryView, cards: bool = False) -> None:
    """One ``<li class="pub">``: title, authors, venue, note, abstract toggle.  In
    a list of *cards* (an entry has a badge or a thumbnail) the badge and thumbnail
    are in ``div.pub-side`` and the rest in ``div.pub-body``; elsewhere the parts
    are the ``li``'s own children."""
    _open_item(self, view)
    _side(self, view)
    if cards:
        self.body.append('<div class="pub-body">\n')
    _title(self, view)
    if view.authors is not None:
        _authors(self, view, view.authors)
    if view.annotation:  # a note on the author line, also as a tooltip
        self.body.append(
            f'<div class="pub-annotation" title="{self.attval(plain(view.annotation))}">'
        )
        _rich(self, view.annotation)
        self.body.append("</div>\n")
    if view.venue:
        _part(self, "venue", view.venue)
    if view.note:
        _part(self, "note", view.note)
    if view.buttons:
        _buttons(self, view)
    self.body.append("</div>\n</li>\n" if cards else "</li>\n")


def _open_item(self: Translator, view: EntryView) -> None:
    """The ``<li>`` (its number, its search data) and the number as text."""
    attval = self.attval
    selected = " pub-selected" if view.selected else ""
    value = f' value="{view.number}"' if view.number else ""
    for name, data in view.data:
        value += f' data-{name}="{attval(data)}"'
    self.body.append(
        f'<li class="pub pub-type-{attval(view.type)}{selected}" id="{attval(view.id)}"{value}>\n'
    )
    if view.number:
        # the number as text: an <li> that is a flow root shows no list marker
        self.body.append(f'<span class="pub-number">{view.number}.</span>\n')


def _side(self: Translator, view: EntryView) -> None:
    """The left column (al-folio's): the badge, then the thumbnail."""
    if view.badge is None and view.preview is None:
        return
    self.body.append('<div class="pub-side">\n')
    if view.badge is not None:
        _badge(self, view.badge)
    if view.preview is not None:
        src = _href(self, view.preview)
        self.body.append(
            f'<div class="pub-preview"><img alt="{self.attval(plain(view.title))}" '
            f'loading="lazy" src="{self.attval(src)}"></div>\n'
        )
    self.body.append("</div>\n")


def _title(self: Translator, view: EntryView) -> None:
    """The title, a link to its pubs_title_link target or to the paper's page."""
    if not view.title:
        return  # a paper page, whose heading is the title
    if view.title_link is not None:
        href = _href(self, view.title_link)
    else:
        href = _paper_href(self, view.paper)
    if href:
        self.body.append(
            f'<div class="pub-title"><a class="pub-title-link" href="{self.attval(href)}">'
        )
        _rich(self, view.title)
        self.body.append("</a></div>\n")
    else:
        _part(self, "title", view.title)


def _authors(self: Translator, view: EntryView, authors: AuthorsView) -> None:
    """The author line and, when names are hidden, the full list.  The "more" control
    is a link to the full list: CSS shows it as the :target with no JavaScript;
    sphinx-pubs.js makes it an in-place toggle."""
    body, encode = self.body, self.encode
    body.append('<div class="pub-authors">')
    _names(self, authors.lead)
    full_id = self.attval(view.authors_id)
    if authors.more:
        body.append(
            f'<a aria-controls="{full_id}" aria-expanded="false" '
            f'class="pub-more-authors" href="#{full_id}" role="button">'
            + encode(authors.more)
            + "</a>"
        )
    body.append(encode(authors.suffix) + "</div>\n")
    if not authors.more:
        return
    body.append(f'<div class="pub-authors-all" id="{full_id}">')
    _names(self, authors.everyone)
    body.append(
        encode(authors.suffix) + f' <a aria-controls="{full_id}" aria-expanded="true" '
        f'class="pub-fewer-authors" href="#{self.attval(view.id)}" role="button">'
        + encode(view.labels.show_fewer)
        + "</a></div>\n"
    )


def _buttons(self: Translator, view: EntryView) -> None:
    """The row under the venue line: link buttons and toggles, in the view's order."""
    self.body.append('<div class="pub-buttons">\n')
    for button in view.buttons:
        if isinstance(button, LinkButton):
            _link_button(self, button)
        elif button.kind == "award":
            _award(self, view)
        elif button.kind == "abstract":
            _abstract(self, view)
        else:
            _bibtex(self, view)
    self.body.append("</div>\n")


def _badge(self: Translator, badge: Badge) -> None:
    """The venue badge (``abbr``); its colour comes from pubs_venues, checked there."""
    style, light = "", ""
    if badge.color:
        style = f' style="background-color: {badge.color}"'
        light = " pub-abbr-light" if badge.light else ""
    self.body.append(f'<div class="pub-abbr{light}"{style}>')
    if badge.url:
        self.body.append(f'<a href="{self.attval(badge.url)}">')
    _rich(self, badge.text)
    self.body.append(("</a>" if badge.url else "") + "</div>\n")


def _names(self: Translator, pieces: Pieces) -> None:
    """Names and separators; an owner's name is ``span.pub-author-self``, a name with
    a homepage a link, marks are superscripts (the full list keeps all of it)."""
    body = self.body
    for piece in pieces:
        if isinstance(piece, str):
            body.append(self.encode(piece))
            continue
        name = self.encode(piece.name)
        url = safe_url(piece.url) if piece.url else None
        if url:
            name = f'<a class="pub-author-link" href="{self.attval(url)}">{name}</a>'
        if piece.own:
            name = f'<span class="pub-author-self">{name}</span>'
        body.append(name)
        if piece.mark:
            body.append(f'<sup class="pub-author-mark">{self.encode(piece.mark)}</sup>')


def _toggle(
    self: Translator, view: EntryView, kind: str, label: str, opened: bool, extra: str = ""
) -> None:
    self.body.append(
        f'<details class="pub-toggle pub-{kind}{extra}"'
        + (' open="open">\n' if opened else f"{_group(self, view)}>\n")
        + '<summary class="pub-toggle-label">'
        + self.encode(label)
        + '</summary>\n<div class="pub-toggle-body">\n'
    )


def _group(self: Translator, view: EntryView) -> str:
    """The ``name`` that makes an entry's closed toggles one group: the browser
    keeps at most one of them open (an abstract shown open from the start is not
    in it, and stays open)."""
    return f' name="{self.attval(view.id)}-panels"'


def _abstract(self: Translator, view: EntryView) -> None:
    # Sphinx's search skips elements of class "no-search"
    _toggle(
        self,
        view,
        "abstract",
        view.labels.abstract,
        view.abstract_open,
        "" if view.search_abstract else " no-search",
    )
    for paragraph in view.abstract:
        self.body.append("<p>")
        _rich(self, paragraph)
        self.body.append("</p>\n")
    self.body.append("</div>\n</details>\n")


def _award(self: Translator, view: EntryView) -> None:
    self.body.append(
        f'<details class="pub-toggle pub-award"{_group(self, view)}>\n'
        '<summary class="pub-toggle-label">'
    )
    _rich(self, view.award_name or (view.labels.award,))
    self.body.append('</summary>\n<div class="pub-toggle-body">\n<p>')
    _rich(self, view.award)
    self.body.append("</p>\n</div>\n</details>\n")


def _bibtex(self: Translator, view: EntryView) -> None:
    # Selectable text with no script; sphinx-pubs.js shows the copy button.
    _toggle(self, view, "bibtex", view.labels.bibtex, False, " no-search")
    self.body.append(
        '<pre class="pub-bibtex-text">'
        + self.encode(view.bibtex)
        + '</pre>\n<button class="pub-copy" hidden="hidden" type="button">'
        + self.encode(view.labels.copy)
        + "</button>\n</div>\n</details>\n"
    )


def _href(self: Translator, href: Href) -> str:
    """The web address, or the address of a project file Sphinx copied into
    _downloads/."""
    return href.url or posixpath.join(self.builder.dlpath, quote(href.download))


def _paper_href(self: Translator, paper: str) -> str:
    """The address of the paper's own page, when this builder writes paper pages."""
    builder = getattr(self, "builder", None)  # None: a plain docutils writer
    if not paper or builder is None or not writes_papers(builder):
        return ""
    return str(builder.get_relative_uri(builder.current_docname, paper))


def _link_button(self: Translator, button: LinkButton) -> None:
    url = _href(self, button.href)
    self.body.append(
        f'<a class="pub-button pub-button-{self.attval(button.field)}" href="{self.attval(url)}">'
        + self.encode(button.label)
        + "</a>\n"
    )


def _part(self: Translator, name: str, rich: RichText) -> None:
    self.body.append(f'<div class="pub-{name}">')
    _rich(self, rich)
    self.body.append("</div>\n")


def _rich(self: Translator, rich: RichText) -> None:
    """Write *rich*: plain text directly, markup and math through Sphinx's own
    visitors (so math goes to whichever renderer the project uses)."""
    if len(rich) == 1 and isinstance(rich[0], str):
        self.body.append(self.encode(rich[0]))
        return
    holder = nodes.inline()  # inline visitors expect a text element as parent
    holder += inline_nodes(rich)
    for child in holder.children:
        child.walkabout(self)


HANDLERS: dict[type[nodes.Element], tuple[Any, Any]] = {
    pubs_list: (visit_list, depart_list),
    pubs_list_start: (visit_list, None),
    pubs_list_end: (visit_list_end, None),
    pubs_group: (visit_group, depart_list),
    pubs_entries: (visit_entries, depart_entries),
    pub_entry: (visit_entry, None),
}

"""HTML visitors: semantic markup, ``<details>`` toggles that need no JavaScript.

Every text and attribute value is escaped (the translator's ``encode`` and
``attval``), and links are written only for vetted URLs, so no field of a
bibliography can inject markup.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import quote

from docutils import nodes
from sphinx.util.osutil import relative_uri

from sphinx_pubs.core.model import Publication, RichText, clean_text, plain
from sphinx_pubs.export.bibtex import to_bibtex
from sphinx_pubs.export.csl import to_csl_json
from sphinx_pubs.sphinx_ext.nodes import (
    pub_entry,
    pubs_entries,
    pubs_group,
    pubs_list,
    pubs_list_end,
    pubs_list_start,
)
from sphinx_pubs.sphinx_ext.papers import writes_papers
from sphinx_pubs.sphinx_ext.render import EntryView, Pieces, inline_nodes, view_of
from sphinx_pubs.sphinx_ext.state import pubs_state
from sphinx_pubs.view.links import safe_url

Translator = Any  # sphinx.writers.html5.HTML5Translator


def visit_list(self: Translator, node: pubs_list | pubs_list_start) -> None:
    search = node.get("search")
    if search:
        # read by sphinx-pubs-search.js, which draws the search box
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
        attributes = {"data-pubs-search": json.dumps(config, ensure_ascii=False, sort_keys=True)}
    else:
        attributes = {}
    entries = _list_entries(node)
    if _has_cards(self, entries):
        attributes["CLASS"] = "pubs-cards"
        for entry in entries:
            entry["pubs_cards"] = True  # read by visit_entry
    self.body.append(self.starttag(node, "div", **attributes))
    if node.get("downloads"):
        write_downloads(self, node)
    if isinstance(node, pubs_list_start):
        raise nodes.SkipNode


#: the files a list may offer: option value -> (file extension, link label)
DOWNLOAD_FORMATS = {"bib": (".bib", ""), "csl-json": (".json", "CSL-JSON")}


def _list_entries(node: pubs_list | pubs_list_start) -> list[pub_entry]:
    """The entries of the list that *node* opens (or holds)."""
    if isinstance(node, pubs_list):
        return list(node.findall(pub_entry))
    found: list[pub_entry] = []
    parent = node.parent
    for sibling in parent.children[parent.index(node) + 1 :]:
        if isinstance(sibling, pubs_list_end):
            break
        if isinstance(sibling, nodes.Element):
            found.extend(sibling.findall(pub_entry))
    return found


def _has_cards(self: Translator, entries: list[pub_entry]) -> bool:
    """Whether an entry of a list has a badge or a thumbnail: then every entry of
    the list keeps a left column for them (``div.pubs.pubs-cards``), so the entries
    line up whether or not they have one."""
    find = pubs_state(self.builder.env).find
    for entry in entries:
        record = entry.get("record") or find(entry["bibfile"], entry["key"])
        if record.fields.get("abbr", "").strip() or record.fields.get("preview", "").strip():
            return True
    return False


def write_downloads(self: Translator, node: pubs_list | pubs_list_start) -> None:
    """Write the list's entries as files in the output (``_pubs/<document>/``) and
    the links to them: one ``.bib`` (and a CSL-JSON file), in the list's order,
    each entry once, page-only fields left out."""
    builder = self.builder
    find = pubs_state(builder.env).find
    records: list[Publication] = []
    seen: set[str] = set()
    hidden: frozenset[str] = frozenset()
    for entry in _list_entries(node):
        if entry["key"] in seen:
            continue  # listed in several groups
        seen.add(entry["key"])
        records.append(entry.get("record") or find(entry["bibfile"], entry["key"]))
        hidden = entry["options"].bibtex_hidden
    if not records:
        return
    hidden = hidden - {"abstract"}
    docname = node.get("docname") or builder.current_docname
    stem = posixpath.basename(docname) or "publications"
    if node.get("ordinal", 1) > 1:
        stem += f"-{node['ordinal']}"
    here = builder.get_target_uri(builder.current_docname)
    labels = node["labels"]
    links = []
    for name in node["downloads"]:
        if name not in DOWNLOAD_FORMATS:
            continue
        suffix, label = DOWNLOAD_FORMATS[name]
        path = f"_pubs/{docname}/{stem}{suffix}"
        text = to_bibtex(records, hidden) if name == "bib" else to_csl_json(records, hidden)
        target = Path(builder.outdir, *path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        href = quote(relative_uri(here, path))
        links.append(
            f'<a class="pub-button pubs-download pubs-download-{self.attval(name)}" download '
            f'href="{self.attval(href)}">{self.encode(label or labels.bibtex)}</a>'
        )
    if links:
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
    attval, body = self.attval, self.body
    entry_id = attval(view.id)
    selected = " pub-selected" if view.selected else ""
    value = f' value="{view.number}"' if view.number else ""
    for name, data in view.data:
        value += f' data-{name}="{attval(data)}"'
    body.append(f'<li class="pub pub-type-{attval(view.type)}{selected}" id="{entry_id}"{value}>\n')
    if view.number:
        # the number as text: an <li> that is a flow root shows no list marker
        body.append(f'<span class="pub-number">{view.number}.</span>\n')
    download, url = view.preview
    if view.badge or download or url:
        # the left column (al-folio's): the badge, then the thumbnail
        body.append('<div class="pub-side">\n')
        if view.badge:
            _badge(self, view)
        if download or url:
            src = _href(self, download, url)
            body.append(
                f'<div class="pub-preview"><img alt="{attval(plain(view.title))}" '
                f'loading="lazy" src="{attval(src)}"></div>\n'
            )
        body.append("</div>\n")
    if cards:
        body.append('<div class="pub-body">\n')
    download, url = view.title_link
    href = _href(self, download, url) if download or url else _paper_href(self, view.paper)
    if not view.title:
        pass  # a paper page, whose heading is the title
    elif href:
        body.append(f'<div class="pub-title"><a class="pub-title-link" href="{attval(href)}">')
        _rich(self, view.title)
        body.append("</a></div>\n")
    else:
        _part(self, "title", view.title)
    authors = view.authors
    if authors is not None:
        body.append('<div class="pub-authors">')
        _names(self, authors.lead)
        if authors.more:
            # A link to the full list: CSS shows it as the :target with no
            # JavaScript; sphinx-pubs.js makes it an in-place toggle.
            full_id = attval(view.authors_id)
            body.append(
                f'<a aria-controls="{full_id}" aria-expanded="false" '
                f'class="pub-more-authors" href="#{full_id}" role="button">'
                + self.encode(authors.more)
                + "</a>"
            )
        body.append(self.encode(authors.suffix) + "</div>\n")
        if authors.more:
            body.append(f'<div class="pub-authors-all" id="{full_id}">')
            _names(self, authors.everyone)
            body.append(
                self.encode(authors.suffix) + f' <a aria-controls="{full_id}" aria-expanded="true" '
                f'class="pub-fewer-authors" href="#{entry_id}" role="button">'
                + self.encode(view.labels.show_fewer)
                + "</a></div>\n"
            )
    if view.annotation:  # a note on the author line, also as a tooltip
        body.append(f'<div class="pub-annotation" title="{attval(plain(view.annotation))}">')
        _rich(self, view.annotation)
        body.append("</div>\n")
    if view.venue:
        _part(self, "venue", view.venue)
    if view.note:
        _part(self, "note", view.note)
    if view.buttons:
        body.append('<div class="pub-buttons">\n')
        for button in view.buttons:
            if button[0] == "award":
                _award(self, view)
            elif button[0] == "abstract":
                _abstract(self, view)
            elif button[0] == "bibtex":
                _bibtex(self, view)
            else:
                _link_button(self, *button[1:])
        body.append("</div>\n")
    body.append("</div>\n</li>\n" if cards else "</li>\n")


def _badge(self: Translator, view: EntryView) -> None:
    """The venue badge (``abbr``); its colour comes from pubs_venues, checked there."""
    style, light = "", ""
    if view.badge_color:
        style = f' style="background-color: {view.badge_color}"'
        light = " pub-abbr-light" if is_light(view.badge_color) else ""
    self.body.append(f'<div class="pub-abbr{light}"{style}>')
    if view.badge_url:
        self.body.append(f'<a href="{self.attval(view.badge_url)}">')
    _rich(self, view.badge)
    self.body.append(("</a>" if view.badge_url else "") + "</div>\n")


#: the CSS colour names on which black text reads better than white (relative
#: luminance above 0.179, where both give 4.58:1), as Chromium draws them
LIGHT_COLOR_NAMES = frozenset(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque blanchedalmond burlywood
    cadetblue chartreuse chocolate coral cornflowerblue cornsilk cyan darkcyan darkgoldenrod
    darkgray darkgrey darkkhaki darkorange darksalmon darkseagreen darkturquoise deeppink
    deepskyblue dodgerblue floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod
    gray greenyellow grey honeydew hotpink indianred ivory khaki lavender lavenderblush
    lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray
    lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray
    lightslategrey lightsteelblue lightyellow lime limegreen linen magenta mediumaquamarine
    mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen
    mediumturquoise mintcream mistyrose moccasin navajowhite oldlace olive olivedrab orange
    orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip
    peachpuff peru pink plum powderblue red rosybrown salmon sandybrown seagreen seashell
    silver skyblue slategray slategrey snow springgreen steelblue tan thistle tomato
    turquoise violet wheat white whitesmoke yellow yellowgreen""".split()
)


def is_light(color: str) -> bool:
    """Whether black text has more contrast than white on *color* (a colour of
    pubs_venues: ``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa`` or a name; the
    alpha is not counted).  The better of the two always reaches 4.58:1."""
    if not color.startswith("#"):
        return color.lower() in LIGHT_COLOR_NAMES
    digits = color[1:]
    if len(digits) in (3, 4):
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] > 0.179


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


def _href(self: Translator, download: str, url: str) -> str:
    """*url*, or the address of a project file Sphinx copied into _downloads/."""
    return url or posixpath.join(self.builder.dlpath, quote(download))


def _paper_href(self: Translator, paper: str) -> str:
    """The address of the paper's own page, when this builder writes paper pages."""
    builder = getattr(self, "builder", None)  # None: a plain docutils writer
    if not paper or builder is None or not writes_papers(builder):
        return ""
    return str(builder.get_relative_uri(builder.current_docname, paper))


def _link_button(self: Translator, field: str, label: str, url: str, download: str) -> None:
    url = _href(self, download, url)
    self.body.append(
        f'<a class="pub-button pub-button-{self.attval(field)}" href="{self.attval(url)}">'
        + self.encode(label)
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

"""HTML visitors: semantic markup, ``<details>`` toggles that need no JavaScript.

Every attribute value and text goes through the translator's escaping
(``starttag`` and ``encode``), so no field of a bibliography can inject markup.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes

from ..nodes import (
    pub_entry,
    pub_more,
    pub_part,
    pub_record,
    pub_toggle,
    pubs_entries,
    pubs_group,
    pubs_list,
    pubs_list_end,
    pubs_list_start,
)

Translator = Any  # sphinx.writers.html5.HTML5Translator


def visit_list(self: Translator, node: pubs_list | pubs_list_start) -> None:
    self.body.append(self.starttag(node, "div"))
    if isinstance(node, pubs_list_start):
        raise nodes.SkipNode


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
    self.body.append(self.starttag(node, "li"))


def depart_entry(self: Translator, node: pub_entry) -> None:
    self.body.append("</li>\n")


def visit_part(self: Translator, node: pub_part) -> None:
    self.body.append(self.starttag(node, "div", suffix=""))


def depart_part(self: Translator, node: pub_part) -> None:
    if node.get("part") == "authors-all":
        back = node["back"]
        self.body.append(
            " "
            + self.starttag(
                nodes.Element(),
                "a",
                suffix="",
                href=f"#{back}",
                role="button",
                CLASS="pub-fewer-authors",
                **{"aria-expanded": "true", "aria-controls": node["ids"][0]},
            )
            + self.encode(node["less"])
            + "</a>"
        )
    self.body.append("</div>\n")


def visit_more(self: Translator, node: pub_more) -> None:
    # A link to the full list: CSS shows it as the :target with no JavaScript;
    # sphinx-pubs.js turns it into an in-place toggle with aria-expanded.
    self.body.append(
        self.starttag(
            node,
            "a",
            suffix="",
            href=f"#{node['target']}",
            role="button",
            **{"aria-expanded": "false", "aria-controls": node["target"]},
        )
    )


def depart_more(self: Translator, node: pub_more) -> None:
    self.body.append("</a>")


def visit_toggle(self: Translator, node: pub_toggle) -> None:
    attributes = {"open": "open"} if node.get("open") else {}
    self.body.append(self.starttag(node, "details", **attributes))
    self.body.append(
        '<summary class="pub-toggle-label">' + self.encode(node["label"]) + "</summary>\n"
    )
    self.body.append('<div class="pub-toggle-body">\n')


def depart_toggle(self: Translator, node: pub_toggle) -> None:
    self.body.append("</div>\n</details>\n")


def visit_record(self: Translator, node: pub_record) -> None:
    # Entries are expanded in ``doctree-resolved``; a builder that writes a doctree
    # without resolving it still gets the entry.
    from ..render import expand_entries

    holder = nodes.Element()
    holder += node.deepcopy()
    expand_entries(holder)
    holder[0].walkabout(self)
    raise nodes.SkipNode


def _end_div(self: Translator, node: nodes.Element) -> None:
    self.body.append("</div>\n")


HANDLERS: dict[type[nodes.Element], tuple[Any, Any]] = {
    pubs_list: (visit_list, depart_list),
    pubs_list_start: (visit_list, None),
    pubs_list_end: (visit_list_end, None),
    pubs_group: (visit_group, _end_div),
    pubs_entries: (visit_entries, depart_entries),
    pub_entry: (visit_entry, depart_entry),
    pub_record: (visit_record, None),
    pub_part: (visit_part, depart_part),
    pub_more: (visit_more, depart_more),
    pub_toggle: (visit_toggle, depart_toggle),
}

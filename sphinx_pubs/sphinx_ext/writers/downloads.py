"""The files a list offers its entries in (``:downloads: bib csl-json``).

One ``.bib`` and one CSL-JSON file per list, in ``_pubs/<document>/``, in the list's
order, each entry once, page-only fields left out.  They are written by a build step,
:func:`write_list_files` (``doctree-resolved``, which Sphinx emits in the main process
for every page it writes, also with ``-j``); the HTML writer only links to them
(:func:`sphinx_pubs.sphinx_ext.writers.html.visit_list`), at :func:`list_files`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from sphinx_pubs.core.model import Publication
from sphinx_pubs.export.bibtex import to_bibtex
from sphinx_pubs.export.csl import to_csl_json
from sphinx_pubs.sphinx_ext.nodes import (
    Find,
    entry_record,
    pub_entry,
    pubs_list,
    pubs_list_end,
    pubs_list_start,
)
from sphinx_pubs.sphinx_ext.state import pubs_state
from sphinx_pubs.sphinx_ext.writers.fallback import needs_fallback

#: the files a list may offer: option value -> (file extension, link label; "": the
#: BibTeX label)
DOWNLOAD_FORMATS = {"bib": (".bib", ""), "csl-json": (".json", "CSL-JSON")}


@dataclass(frozen=True)
class ListFile:
    """One file a list offers: its format (``bib``, ``csl-json``), its path in the
    output folder (``/``-separated) and the label of its link ("": the list's word
    for BibTeX)."""

    format: str
    path: str
    label: str


def list_entries(node: pubs_list | pubs_list_start) -> list[pub_entry]:
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


def list_files(node: pubs_list | pubs_list_start) -> list[ListFile]:
    """The files the list *node* offers (none when it has no entries), named after
    the document that holds it and numbered from its second list."""
    if not node.get("downloads") or not list_entries(node):
        return []
    docname = node["docname"]
    stem = posixpath.basename(docname) or "publications"
    if node.get("ordinal", 1) > 1:
        stem += f"-{node['ordinal']}"
    files = []
    for name in node["downloads"]:
        if name in DOWNLOAD_FORMATS:
            suffix, label = DOWNLOAD_FORMATS[name]
            files.append(ListFile(name, f"_pubs/{docname}/{stem}{suffix}", label))
    return files


def list_records(
    node: pubs_list | pubs_list_start, find: Find
) -> tuple[list[Publication], frozenset[str]]:
    """The records of the list *node*, each once (an entry may be listed in several
    groups), and the fields the files leave out."""
    records: list[Publication] = []
    seen: set[str] = set()
    hidden: frozenset[str] = frozenset()
    for entry in list_entries(node):
        if entry["key"] in seen:
            continue
        seen.add(entry["key"])
        records.append(entry_record(entry, find))
        hidden = entry["options"].bibtex_hidden
    return records, hidden - {"abstract"}


def write_list_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Write the files the lists of a page offer, for ``doctree-resolved``: for the
    builders that get interactive HTML (the others show no links to them)."""
    builder = app.builder
    if needs_fallback(builder.name, builder.format):
        return
    find = pubs_state(app.env).find
    for node in doctree.findall(nodes.Element):
        if not isinstance(node, (pubs_list, pubs_list_start)):
            continue
        files = list_files(node)
        if not files:
            continue
        records, hidden = list_records(node, find)
        for file in files:
            writer = to_bibtex if file.format == "bib" else to_csl_json
            target = Path(builder.outdir, *file.path.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(writer(records, hidden), encoding="utf-8", newline="\n")

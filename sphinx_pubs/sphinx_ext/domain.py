"""The ``pub`` domain: link to a listed publication from anywhere in the site.

Every entry a ``publications`` list shows is registered here under its citation key,
with the page and anchor that show it, its title and its short citation.  Roles:

- ``:pub:`key``` -- a link to the entry, its title as the text;
- ``:pub:`text <key>``` -- the same with the text given;
- ``:pub:short:`key``` -- the short citation as the text ("Ko et al., 2025").

The entries are the domain's objects, so they go into the ``objects.inv`` inventory
and other projects can link to them with intersphinx.  A key that no list shows is a
warning at the role (``ref.pub`` / ``ref.short``).

A reference is resolved when its page is written, from what the lists registered
when their pages were read; :func:`changed_references` tells Sphinx which pages to
write again when a list (and so an entry's title or page) changed.

The domain is also the one owner of what the extension keeps between builds: the
parsed bibliography files and which documents list them
(:class:`~sphinx_pubs.sphinx_ext.state.PubsState`) and the ``:cite:`` bridge's
record (:class:`~sphinx_pubs.sphinx_ext.state.Bridge`).  Sphinx purges them per
document (:meth:`PubDomain.clear_doc`), merges what parallel readers learnt
(:meth:`PubDomain.merge_domaindata`) and starts afresh when
:attr:`PubDomain.data_version` changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import make_refnode, split_explicit_title

from sphinx_pubs.core.model import clean_text, key_name
from sphinx_pubs.sphinx_ext.render import IGNORE_CLASSES, inert_nodes, inert_text
from sphinx_pubs.sphinx_ext.state import Bridge, PubsState

_ = get_translation("sphinx_pubs")


class Target(NamedTuple):
    """Where a listed entry is, and the texts a reference to it can show."""

    docname: str
    anchor: str
    title: str
    short: str


class PubRole(SphinxRole):
    """``:pub:`key``` and ``:pub:short:`key``` (and ``text <key>``)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "pub" (the title) or "short" (the short citation)

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        explicit, text, key = split_explicit_title(self.text)
        key = key.strip()
        node = pending_xref(
            self.rawtext,
            refdomain="pub",
            reftype=self.kind,
            reftarget=key,
            refexplicit=explicit,
            refwarn=True,
            refdoc=self.env.docname,
        )
        node += nodes.inline(text, text, classes=["xref", "pub", f"pub-{self.kind}"])
        self.set_source_info(node)
        domain = self.env.domains["pub"]
        assert isinstance(domain, PubDomain)
        domain.note_reference(self.env.docname, key)
        return [node], []


class PubDomain(Domain):
    """Publications listed by ``publications`` directives."""

    name = "pub"
    label = "Publications"
    object_types = {"publication": ObjType("publication", "pub", "short")}
    roles = {"pub": PubRole("pub"), "short": PubRole("short")}
    initial_data = {
        # key -> the entries' places, in the order their pages registered them
        "entries": {},
        # docname -> the keys its roles refer to
        "references": {},
        # the parsed files, the documents that list them, their problems to report
        "state": PubsState(),
        # what the :cite: bridge added to sphinxcontrib-bibtex's data
        "cite": Bridge(),
    }
    dangling_warnings = {
        "pub": "publication %(target)r is not shown by any publications list",
        "short": "publication %(target)r is not shown by any publications list",
    }
    #: the extension's one version number, also its ``env_version`` (see ``setup()``):
    #: bumped whenever what the domain keeps changes shape, records included
    #: (:class:`~sphinx_pubs.core.model.Publication` is pickled in the parsed files);
    #: a build that finds another version reads every document again.
    #: 4: Publication.field_lines; the parsed files and the cite bridge moved here
    #: from attributes of the environment (whose domain data had version 1)
    data_version = 4

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        #: the places of each key as they were before this build changed them, to
        #: tell which references need their pages written again
        self.before: dict[str, list[Target]] = {}

    def _snapshot(self, key: str) -> None:
        if key not in self.before:
            self.before[key] = list(self.entries.get(key, ()))

    @property
    def entries(self) -> dict[str, list[Target]]:
        return self.data["entries"]  # type: ignore[no-any-return]

    @property
    def references(self) -> dict[str, set[str]]:
        return self.data["references"]  # type: ignore[no-any-return]

    @property
    def state(self) -> PubsState:
        return self.data["state"]  # type: ignore[no-any-return]

    # -- registration ----------------------------------------------------------------
    def note_entry(self, key: str, target: Target) -> None:
        """Register an entry a list shows (the first place on a page wins)."""
        self._snapshot(key)
        places = self.entries.setdefault(key, [])
        if not any(place.docname == target.docname for place in places):
            places.append(target)

    def note_reference(self, docname: str, key: str) -> None:
        self.references.setdefault(docname, set()).add(key)

    def target(self, key: str) -> Target | None:
        """Where a reference to *key* goes: of the pages that show it, the first by
        name (pages are read in any order, and in parallel; the answer must not
        depend on it).  Keys match exactly, else regardless of case."""
        places = self.entries.get(key)
        if not places:
            folded = key.casefold()
            places = next(
                (
                    found
                    for name, found in sorted(self.entries.items())
                    if name.casefold() == folded
                ),
                None,
            )
        return _first(places)

    # -- the environment ---------------------------------------------------------------
    def clear_doc(self, docname: str) -> None:
        for key, places in list(self.entries.items()):
            kept = [place for place in places if place.docname != docname]
            if len(kept) != len(places):
                self._snapshot(key)
                if kept:
                    self.entries[key] = kept
                else:
                    del self.entries[key]
        self.references.pop(docname, None)
        self.state.purge(docname)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for key, places in otherdata["entries"].items():
            for place in places:
                if place.docname in wanted:
                    self.note_entry(key, place)
        for docname, keys in otherdata["references"].items():
            if docname in wanted:
                self.references[docname] = set(keys)
        self.state.merge(wanted, otherdata["state"])

    # -- resolving ----------------------------------------------------------------------
    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        place = self.target(target)
        if place is None:
            return None
        if not node.get("refexplicit"):
            # the entry's own words, on any page (which may load MathJax): split so
            # that no math delimiter is found, and closed to MathJax in HTML
            text = place.short if typ == "short" else place.title
            classes: list[str] = list(contnode.get("classes", []))
            if builder.format == "html":
                classes += IGNORE_CLASSES
            contnode = nodes.inline(text, "", *inert_nodes(text), classes=classes)
        title = place.title if typ == "short" else place.short
        return make_refnode(builder, fromdocname, place.docname, place.anchor, contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        found = self.resolve_xref(env, fromdocname, builder, "pub", target, node, contnode)
        return [("pub:pub", found)] if found is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """The entries for ``objects.inv``: one line each, whatever the key holds.  The
        name is :func:`~sphinx_pubs.core.model.key_name` of the key (no whitespace or
        control character, which would end the inventory's line and forge others;
        such keys were warned about as ``pubs.key``), made unique with ``-2``...;
        the title is on one line, with no math delimiter another site's MathJax could
        typeset (:func:`~sphinx_pubs.sphinx_ext.render.inert_text`)."""
        taken = {key for key in self.entries if key_name(key) == key}
        used: set[str] = set()
        counters: dict[str, int] = {}  # per name, the next number to try: linear
        for key in sorted(self.entries):
            place = self.target(key)
            if place is None:
                continue
            name = base = key_name(key)
            if name != key or name in used:
                number = counters.get(base, 2)
                while name in used or name in taken:
                    name, number = f"{base}-{number}", number + 1
                counters[base] = number
            used.add(name)
            title = inert_text(" ".join(clean_text(place.title).split())) or name
            yield name, title, "publication", place.docname, place.anchor, 1


def _first(places: list[Target] | None) -> Target | None:
    return min(places, key=lambda place: place.docname) if places else None


def changed_references(env: BuildEnvironment) -> list[str]:
    """The pages whose references to publications may read differently now: those
    that refer to an entry whose page, anchor, title or citation changed in this
    read (a list or its bibliography file was edited, a page was removed), or that
    is listed for the first time."""
    domain = env.domains["pub"]
    assert isinstance(domain, PubDomain)
    changed = {
        key.casefold()
        for key, before in domain.before.items()
        if _first(before) != _first(domain.entries.get(key))
    }
    domain.before = {}
    if not changed:
        return []
    return sorted(
        docname
        for docname, keys in domain.references.items()
        if any(key.casefold() in changed for key in keys)
    )

"""``:cite:`` roles of sphinxcontrib-bibtex that link to publications lists.

When sphinxcontrib-bibtex is loaded too, a ``:cite:p:``, ``:cite:t:`` (any of its
``:cite:`` roles) to a key that a publications list shows links to that entry, with
the label and text sphinxcontrib-bibtex formats itself.

sphinxcontrib-bibtex has no public interface for this.  Its roles are resolved from
``BibtexDomain.citations``, which it computes at ``env-updated`` from
``BibtexDomain.bibliographies``: one record per ``.. bibliography::`` directive.
Before it does (priority 400, it runs at 500), :func:`inject` adds one record of
our own per page that lists publications, holding the keys that page is the target
of, and with no node in any document, so nothing is shown for it.  After it
(priority 600), :func:`verify` checks that the citations it computed are the ones
expected, and tells Sphinx which pages cite a key whose target or text changed.

That uses internals, so :func:`internals` only allows the versions this was tested
with and checks the shapes it relies on; anything else is one warning
(``pubs.bibtex``) and sphinxcontrib-bibtex works as if we were not there.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from sphinx_pubs.config import pubs_config
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.sphinx_ext.domain import PubDomain
from sphinx_pubs.sphinx_ext.state import cite_bridge
from sphinx_pubs.sphinx_ext.transforms import PREPARE_PRIORITY
from sphinx_pubs.warnings import warn

EXTENSION = "sphinxcontrib.bibtex"

#: the versions of sphinxcontrib-bibtex this was tested with, [low, high)
TESTED = ((2, 5), (2, 8))

#: ``id_`` prefix of the bibliography records we add
PREFIX = "sphinx-pubs-"

#: the pybtex style we register for our records: the configured one, with labels
#: made once for all our records (see :func:`_labels`)
STYLE_PREFIX = "sphinx-pubs-"

#: a citation as resolved: (docname, anchor, label, text)
Resolved = tuple[str, str, str, str]

BIBLIOGRAPHY_KEY_FIELDS = ("docname", "id_")
BIBLIOGRAPHY_VALUE_FIELDS = (
    "line",
    "bibfiles",
    "style",
    "list_",
    "enumtype",
    "start",
    "labelprefix",
    "keyprefix",
    "filter_",
    "citation_nodes",
    "keys",
)
CITATION_FIELDS = {"citation_id", "bibliography_key", "key", "formatted_entry"}
#: a citation reference has a document and its keys: ``targets`` (of ``.key``)
#: since 2.6, plain ``keys`` before
CITATION_REF_FIELDS = ({"docname", "targets"}, {"docname", "keys"})


def _warn(reason: str) -> None:
    warn(f"sphinx-pubs: {reason}; :cite: roles will not link to publications", Subtype.BIBTEX)


def bibtex_version(app: Sphinx) -> str:
    extension = app.extensions.get(EXTENSION)
    return str(getattr(extension, "version", "") or "")


def _parse_version(text: str) -> tuple[int, int] | None:
    parts = text.split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return None


def internals(app: Sphinx) -> tuple[Any, Any] | str:
    """sphinxcontrib-bibtex's ``(BibliographyKey, BibliographyValue)``, or why they
    cannot be used."""
    text = bibtex_version(app)
    parsed = _parse_version(text)
    if parsed is None or not TESTED[0] <= parsed < TESTED[1]:
        low, high = (".".join(map(str, v)) for v in TESTED)
        return (
            f"sphinxcontrib-bibtex {text or '(of unknown version)'} is not one of the"
            f" tested versions ({low} to before {high})"
        )
    try:
        from sphinxcontrib.bibtex.directives import BibliographyKey, BibliographyValue
        from sphinxcontrib.bibtex.domain import BibtexDomain, Citation
        from sphinxcontrib.bibtex.roles import CitationRef
    except ImportError as error:
        return f"sphinxcontrib-bibtex {text} cannot be read ({error})"
    if (
        tuple(getattr(BibliographyKey, "_fields", ())) != BIBLIOGRAPHY_KEY_FIELDS
        or tuple(getattr(BibliographyValue, "_fields", ())) != BIBLIOGRAPHY_VALUE_FIELDS
        or not set(getattr(Citation, "_fields", ())) >= CITATION_FIELDS
        or not any(set(getattr(CitationRef, "_fields", ())) >= f for f in CITATION_REF_FIELDS)
        or not all(
            isinstance(getattr(BibtexDomain, name, None), property)
            for name in ("bibliographies", "citations", "citation_refs", "bibdata")
        )
        or not callable(getattr(BibtexDomain, "get_filtered_entries", None))
    ):
        return f"sphinxcontrib-bibtex {text} changed its internals"
    return BibliographyKey, BibliographyValue


def _pybtex_style(name: str) -> Any:
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.style.formatting", name)


def _labels(style_name: str, entries: list[Any], offset: int) -> str:
    """Register (again) a pybtex style that is *style_name* but labels *entries*
    together, so that two pages do not both get "[1]" or "[Ko25]", and numbers
    continue after those of the real bibliographies (*offset*, their largest size).
    Returns the style's name."""
    from pybtex.plugin import register_plugin

    base = _pybtex_style(style_name)
    style = base()
    ordered = list(style.sort(entries))
    labels = [str(label) for label in style.format_labels(ordered)]
    if labels and all(label.isdigit() for label in labels):
        labels = [str(int(label) + offset) for label in labels]
    by_key = {entry.key: label for entry, label in zip(ordered, labels, strict=True)}

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, *args, **kwargs)
        fallback = self.format_labels

        def format_labels(sorted_entries: Iterable[Any]) -> Iterable[str]:
            sorted_entries = list(sorted_entries)
            own = list(fallback(sorted_entries))
            for entry, label in zip(sorted_entries, own, strict=False):
                yield by_key.get(entry.key, label)

        self.format_labels = format_labels

    name = STYLE_PREFIX + style_name
    register_plugin(
        "pybtex.style.formatting", name, type("PubsStyle", (base,), {"__init__": __init__}), True
    )
    return name


def inject(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``, before sphinxcontrib-bibtex's: a bibliography record of ours
    per page that is the target of listed keys sphinxcontrib-bibtex knows."""
    if EXTENSION not in app.extensions:
        return
    bridge = cite_bridge(env)
    bridge.expected = {}
    domain: Any = env.get_domain("cite")
    bibliographies = domain.data.get("bibliographies", {})
    for key in [key for key in bibliographies if str(getattr(key, "id_", "")).startswith(PREFIX)]:
        del bibliographies[key]  # last build's
    if not pubs_config(app).cite_links:
        return
    classes = internals(app)
    if isinstance(classes, str):
        _warn(classes)
        return
    try:
        _add_records(env, domain, *classes)
    except Exception as error:  # internals that changed all the same: no links
        _warn(f"sphinxcontrib-bibtex's data cannot be extended ({error!r})")
        bridge.expected = {}
        for key in [key for key in bibliographies if str(key.id_).startswith(PREFIX)]:
            del bibliographies[key]


def _add_records(
    env: BuildEnvironment, domain: Any, bibliography_key: Any, bibliography_value: Any
) -> None:
    """Into sphinxcontrib-bibtex's *domain*: a bibliography record per page that is
    the target of listed keys, labelled together (see :func:`_labels`)."""
    taken, largest = _taken(domain)
    known = domain.bibdata.data.entries
    per_page = _anchors_by_page(env, taken, known)
    if not per_page:
        return
    style = _labels(
        env.config.bibtex_default_style,
        [known[key] for anchors in per_page.values() for key in anchors],
        largest,
    )
    bibfiles = list(domain.bibdata.bibfiles)
    bridge = cite_bridge(env)
    for docname, anchors in sorted(per_page.items()):
        domain.bibliographies[bibliography_key(docname=docname, id_=PREFIX + "entries")] = (
            bibliography_value(
                line=0,
                bibfiles=bibfiles,
                style=style,
                list_="citation",
                enumtype="arabic",
                start=1,
                labelprefix="",
                keyprefix="",
                filter_=ast.parse("False"),  # only the keys listed next
                citation_nodes={key: nodes.citation(ids=[a]) for key, a in anchors.items()},
                keys=list(anchors),
            )
        )
        bridge.expected.update((key, (docname, anchor)) for key, anchor in anchors.items())


def _taken(domain: Any) -> tuple[set[str], int]:
    """The keys that real bibliographies list (theirs: two would be a duplicate), and
    how many the largest lists."""
    taken: set[str] = set()
    largest = 0
    with logging.suppress_logging():  # its own warnings come when it runs itself
        for key, value in list(domain.bibliographies.items()):
            if value.list_ == "citation":
                shown = [found for found, _ in domain.get_filtered_entries(key)]
                taken.update(shown)
                largest = max(largest, len(shown))
    return taken, largest


def _anchors_by_page(
    env: BuildEnvironment, taken: set[str], known: Any
) -> dict[str, dict[str, str]]:
    """Page -> key -> anchor of the listed keys that sphinxcontrib-bibtex knows (in
    *known*, under that very key) and no real bibliography lists (*taken*)."""
    pubs = env.get_domain("pub")
    assert isinstance(pubs, PubDomain)
    per_page: dict[str, dict[str, str]] = defaultdict(dict)
    for key in sorted(pubs.entries):
        target = pubs.target(key)
        if target is None or key in taken or key not in known or known[key].key != key:
            continue
        per_page[target.docname][key] = target.anchor
    return per_page


def verify(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``, after sphinxcontrib-bibtex's: check its citations are ours as
    added, and return the pages that cite a key whose target or text changed."""
    if EXTENSION not in app.extensions:
        return []
    bridge = cite_bridge(env)
    domain: Any = env.get_domain("cite")
    resolved = _resolved(domain, bridge.expected) if bridge.expected else {}
    changed = {
        key
        for key in set(resolved) | set(bridge.resolved)
        if resolved.get(key) != bridge.resolved.get(key)
    }
    bridge.resolved = resolved
    if not changed:
        return []
    try:
        return sorted(
            {ref.docname for ref in domain.citation_refs if not changed.isdisjoint(_keys(ref))}
        )
    except Exception:  # the internals check said why already
        return []


def _resolved(domain: Any, expected: dict[str, tuple[str, str]]) -> dict[str, Resolved]:
    """Our records' citations as sphinxcontrib-bibtex resolved them, by key; a
    warning when they are not the ones *expected* (or cannot be read: then none)."""
    try:
        resolved = {
            citation.key: (
                citation.bibliography_key.docname,
                citation.citation_id,
                str(citation.formatted_entry.label),
                citation.formatted_entry.text.render_as("text"),
            )
            for citation in domain.citations
            if str(citation.bibliography_key.id_).startswith(PREFIX)
        }
    except Exception as error:
        _warn(f"sphinxcontrib-bibtex's citations cannot be read ({error})")
        return {}
    got = {key: place[:2] for key, place in resolved.items()}
    if got != expected:
        _warn(
            "sphinxcontrib-bibtex did not take the citations as expected"
            f" ({sorted(got.items())} instead of {sorted(expected.items())})"
        )
    return resolved


def _keys(ref: Any) -> list[str]:
    """The keys a citation reference of sphinxcontrib-bibtex names."""
    targets = getattr(ref, "targets", None)
    if targets is not None:
        return [target.key for target in targets]
    return list(ref.keys)


class LaTeXTargets(SphinxPostTransform):
    """sphinxcontrib-bibtex links a citation in LaTeX with
    ``\\hyperlink{cite.<page>:<id>}``, which hyperref defines for its own
    ``\\bibitem``; our entries get the target.  Runs on LaTeX's one big tree, after
    the entries became plain nodes (:class:`~sphinx_pubs.sphinx_ext.transforms.PlainEntries`)."""

    default_priority = PREPARE_PRIORITY + 10
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        expected = cite_bridge(self.env).expected
        if not expected:  # also when sphinxcontrib-bibtex is not loaded
            return
        wanted = set(expected.values())
        for item, page in _items_by_page(self.document, self.env.docname):
            for anchor in item["ids"]:
                if (page, anchor) in wanted:
                    target = f"cite.{page}:{anchor}"
                    raw = nodes.raw("", f"\\hypertarget{{{target}}}{{}}", format="latex")
                    item.insert(0, raw)


def _items_by_page(node: nodes.Element, page: str) -> Iterable[tuple[nodes.list_item, str]]:
    """The entries of LaTeX's one big tree, with the document each came from
    (top down: the pages' nodes are children of ``start_of_file`` nodes that are
    not their parents)."""
    from sphinx import addnodes

    for child in node.children:
        if not isinstance(child, nodes.Element):
            continue
        if isinstance(child, nodes.list_item) and "pub" in child["classes"]:
            yield child, page
        else:
            inner = str(child["docname"]) if isinstance(child, addnodes.start_of_file) else page
            yield from _items_by_page(child, inner)


def setup(app: Sphinx) -> None:
    app.connect("env-updated", inject, priority=400)
    app.connect("env-updated", verify, priority=600)
    app.add_post_transform(LaTeXTargets)

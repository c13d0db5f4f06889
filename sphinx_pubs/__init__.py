"""sphinx-pubs: a publications page from a bibliography, in any Sphinx site.

Data flows one way: :mod:`~sphinx_pubs.sources` reads files into records,
:mod:`~sphinx_pubs.select.group` groups them, :mod:`~sphinx_pubs.sphinx_ext.render` makes nodes and
:mod:`~sphinx_pubs.sphinx_ext.writers` gives each builder its output.  This module wires the
stages into Sphinx.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_pubs.config import pubs_config
from sphinx_pubs.config import register as register_config
from sphinx_pubs.sphinx_ext import papers
from sphinx_pubs.sphinx_ext.citebridge import setup as setup_cite_links
from sphinx_pubs.sphinx_ext.directive import PublicationsDirective, report_problems
from sphinx_pubs.sphinx_ext.domain import PubDomain, PubRole, changed_references
from sphinx_pubs.sphinx_ext.nodes import ALL_NODES, pubs_entries, pubs_list, pubs_list_start
from sphinx_pubs.sphinx_ext.options import MESSAGE_CATALOG
from sphinx_pubs.sphinx_ext.state import pubs_state
from sphinx_pubs.sphinx_ext.transforms import (
    EntriesForHTML,
    GroupsOutsideSections,
    PlainEntries,
    interactive,
)
from sphinx_pubs.sphinx_ext.writers import downloads, html

__version__ = "0.1.0"

STATIC_DIR = Path(__file__).parent / "static"
CSS_FILE = "sphinx-pubs.css"
JS_FILE = "sphinx-pubs.js"
SEARCH_JS_FILE = "sphinx-pubs-search.js"


def _is_list(node: nodes.Node) -> bool:
    return isinstance(node, (pubs_list, pubs_list_start))


def _get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The documents listing a bibliography whose content changed (by hash, not by
    modification time)."""
    return sorted(pubs_state(env).outdated() - added - changed - removed)


def _env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    state = pubs_state(env)
    report_problems(state)  # once each, whichever process read which document
    state.prune()
    # pages whose :pub: references read differently now are written again
    return changed_references(env)


def _interactive(app: Sphinx) -> bool:
    return interactive(app.builder.name, app.builder.format)


def _note_outdir(app: Sphinx) -> None:
    # link fields never copy the build's output (see view.files.project_file)
    pubs_state(app.env).outdir = str(app.outdir)


def _add_static_path(app: Sphinx) -> None:
    # Appended after the builder computed its config hash, so it causes no rebuild;
    # the builder copies the folder with the project's own static files.
    if _interactive(app) and str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load the stylesheet and script only on pages that show a list (or a paper),
    and give a page with a list the JSON-LD of its entries."""
    if not _interactive(app):
        return
    if context.get("pubs_paper"):
        app.add_css_file(CSS_FILE)
        app.add_js_file(JS_FILE, defer="defer")
        return
    if doctree is None or next(iter(doctree.findall(pubs_entries)), None) is None:
        return
    app.add_css_file(CSS_FILE)
    app.add_js_file(JS_FILE, defer="defer")
    if any(node.get("search") for node in doctree.findall(_is_list)):
        app.add_js_file(SEARCH_JS_FILE, defer="defer")
    json_ld = pubs_config(app).json_ld
    if json_ld is None:  # the default: with the paper pages
        json_ld = pubs_config(app).paper_pages
    if json_ld:
        context["metatags"] = context.get("metatags", "") + papers.list_json_ld(
            app, pagename, doctree
        )


def setup(app: Sphinx) -> dict[str, Any]:
    register_config(app)  # the pubs_* settings (config.PubsConfig)

    for node_class in ALL_NODES:
        handlers = html.HANDLERS.get(node_class)
        if handlers is not None:
            app.add_node(node_class, html=handlers)
        else:
            app.add_node(node_class)
    app.add_directive("publications", PublicationsDirective)
    app.add_domain(PubDomain)
    app.add_role("pub", PubRole("pub"))
    app.add_transform(GroupsOutsideSections)
    app.add_post_transform(EntriesForHTML)
    app.add_post_transform(PlainEntries)
    app.add_message_catalog(MESSAGE_CATALOG, str(Path(__file__).parent / "locale"))

    app.connect("builder-inited", _add_static_path)
    app.connect("builder-inited", _note_outdir)
    app.connect("env-get-outdated", _get_outdated)
    app.connect("env-updated", _env_updated)
    app.connect("doctree-resolved", downloads.write_list_files)  # the lists' files
    app.connect("html-page-context", _page_context)
    setup_cite_links(app)  # :cite: of sphinxcontrib-bibtex to listed entries
    app.connect("html-collect-pages", papers.collect_pages)
    app.connect("builder-inited", papers.note_builder)
    return {
        "version": __version__,
        # what the extension keeps between builds is the pub domain's, versioned by it
        "env_version": PubDomain.data_version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

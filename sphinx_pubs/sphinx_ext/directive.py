"""The ``publications`` directive."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from sphinx_pubs.config import PubsConfig, pubs_config
from sphinx_pubs.config.values import (
    ABSTRACT_MODES,
    DOWNLOAD_ALIASES,
    DOWNLOADS,
    FACETS,
    FIELD_NAME,
    HEADING_MODES,
    pick,
)
from sphinx_pubs.core.model import Problem, Publication, Source, plain
from sphinx_pubs.core.names import parse_name, split_mark
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.core.vocab import TYPE_NAMES
from sphinx_pubs.select.group import (
    Group,
    by_keys,
    group_records,
    limit_groups,
    merge,
    only_selected,
    without_keys,
)
from sphinx_pubs.select.query import QueryError, compile_filter
from sphinx_pubs.select.sort import SortKey, parse_sort, sort_records
from sphinx_pubs.sources import load_all
from sphinx_pubs.sources.crossref import resolve_crossrefs
from sphinx_pubs.sphinx_ext.domain import PubDomain, Target
from sphinx_pubs.sphinx_ext.nodes import pub_entry, pubs_list_end
from sphinx_pubs.sphinx_ext.papers import paper_pagename
from sphinx_pubs.sphinx_ext.render import Renderer
from sphinx_pubs.sphinx_ext.state import PubsState, pubs_state
from sphinx_pubs.view.files import PublishRules, file_dirs, project_file
from sphinx_pubs.view.format import short_citation
from sphinx_pubs.view.links import LINK_FIELDS
from sphinx_pubs.view.options import Labels, ListOptions
from sphinx_pubs.warnings import warn

MESSAGE_CATALOG = "sphinx_pubs"

_ = get_translation(MESSAGE_CATALOG)

BIBTEX_MODES = ("all", "marked", "none")


def _bibtex_mode(argument: str | None) -> str:
    """``:bibtex:`` alone means every entry's BibTeX."""
    if argument is None or not argument.strip():
        return "all"
    return str(directives.choice(argument.strip().lower(), BIBTEX_MODES))


def _on_off(argument: str | None) -> bool:
    """A flag that may also be turned off: ``:search:``, ``:search: off``."""
    value = (argument or "").strip().lower()
    if value in ("", "on", "yes", "true"):
        return True
    if value in ("off", "no", "false", "none"):
        return False
    raise ValueError(f"{argument!r}: give no value, or on or off")


def _key_list(argument: str | None) -> list[str]:
    """Citation keys separated by commas, spaces or new lines."""
    keys = [key for key in re.split(r"[\s,]+", argument or "") if key]
    if not keys:
        raise ValueError("give at least one citation key")
    return keys


def marks_legend(records: list[Publication], legend: dict[str, str]) -> nodes.paragraph | None:
    """A line explaining the author marks (``*`` ...) the list's entries use, from
    ``pubs_marks_legend``; None when none is used."""
    used = {
        mark
        for record in records
        for person in record.authors + record.editors
        for mark in split_mark(person)[1]
    }
    shown = [(mark, text) for mark, text in legend.items() if mark in used]
    if not shown:
        return None
    para = nodes.paragraph(classes=["pubs-legend"])
    for index, (mark, text) in enumerate(shown):
        if index:
            para += nodes.Text("; ")
        para += nodes.superscript(mark, mark)
        para += nodes.Text(f" {text}")
    return para


def labels(overrides: dict[str, str] | None = None) -> Labels:
    """The words a list shows, translated, then as ``pubs_labels`` overrides them
    (by Labels attribute, e.g. ``abstract``, or by link field, e.g. ``pdf``)."""
    overrides = overrides or {}
    words = Labels(
        abstract=_("Abstract"),
        in_word=_("In"),
        and_word=_("and"),
        more_author=_("1 more author"),
        more_authors=_("{n} more authors"),
        editor=_("editor"),
        editors=_("editors"),
        et_al=_("et al."),
        show_fewer=_("show fewer"),
        bibtex=_("BibTeX"),
        award=_("Award"),
        copy=_("Copy"),
        download=_("Download"),
        search=_("Search the publications"),
        search_placeholder=_("Title, author, venue, year …"),
        search_count=_("{shown} of {total}"),
        search_none=_("No publication matches."),
        search_year=_("Year"),
        search_type=_("Type"),
        undated=_("Undated"),
        buttons=tuple((field, _(label)) for field, label in LINK_FIELDS),
    )
    names = {f.name for f in fields(Labels)} - {"buttons"}
    return replace(
        words,
        **{name: str(overrides[name]) for name in names if name in overrides},
        buttons=tuple((field, str(overrides.get(field, label))) for field, label in words.buttons),
    )


def report_problems(state: PubsState) -> None:
    """Emit the problems the lists read since the last call found, as Sphinx warnings
    ``pubs.<subtype>``: each once, sorted by file and line.

    A problem with a line is reported at ``file.bib:LINE``; one about a whole file
    (not found, not readable, not UTF-8) at the directive that named the file.
    """
    for problem, directive in state.take_reports():
        if problem.source.line:
            location = str(problem.source)
            message = problem.message
        else:
            location = directive
            message = f"{problem.source.path}: {problem.message}"
        warn(message, Subtype(problem.subtype), location)


class PublicationsDirective(SphinxDirective):
    """``.. publications:: [file.bib ...]`` -- a publications list grouped by year."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "max-authors": directives.nonnegative_int,
        "abstracts": lambda arg: directives.choice(arg, ABSTRACT_MODES),
        "headings": lambda arg: directives.choice(arg, HEADING_MODES),
        "undated-label": directives.unchanged_required,
        "class": directives.class_option,
        "selected": directives.flag,
        "filter": directives.unchanged_required,
        "sort": directives.unchanged_required,
        "group-by": directives.unchanged_required,
        "group-order": directives.unchanged_required,
        "limit": directives.positive_int,
        "keys": _key_list,
        "exclude": _key_list,
        "bibtex": _bibtex_mode,
        "numbered": directives.flag,
        "reversed-numbering": directives.flag,
        "no-index": directives.flag,
        "downloads": directives.unchanged,
        "search": _on_off,
        "facets": directives.unchanged,
        "noindex": directives.flag,
    }

    def bib_paths(self) -> list[str]:
        """Absolute paths of the files to read (argument, else the config values)."""
        if self.arguments:
            names = self.arguments[0].split()
            return [self.env.relfn2path(name, self.env.docname)[1] for name in names]
        names = list(pubs_config(self.env).bibfiles)
        if not names:
            names = list(getattr(self.config, "bibtex_bibfiles", None) or [])
        # config values are relative to the source directory, or absolute paths
        return [
            os.path.normpath(name)
            if os.path.isabs(name) and os.path.exists(name)
            else self.env.relfn2path("/" + name.lstrip("/"))[1]
            for name in names
        ]

    def report(self, problem: Problem) -> None:
        """Have *problem* reported as a Sphinx warning ``pubs.<subtype>``, once per
        build however many lists find it (see :func:`report_problems`)."""
        pubs_state(self.env).note_problem(self.env.docname, problem, self.get_location())

    def run(self) -> list[nodes.Node]:
        paths = self.bib_paths()
        if not paths:
            self.directive_problem(
                "publications: no bibliography file given (name one as the directive's "
                "argument, or set pubs_bibfiles)",
                "bibfile",
            )
            return []
        state = pubs_state(self.env)
        encoding = pubs_config(self.env).bib_encoding
        per_file = []
        # no env.note_dependency: the files are compared by content (PubsState.outdated)
        for bibfile, _parsed_now in load_all(paths, encoding, state.cache):
            state.note_use(self.env.docname, bibfile)
            for problem in bibfile.problems:
                self.report(problem)
            per_file.append(bibfile.records)
        merged, problems = merge(per_file)
        resolved, more = resolve_crossrefs(merged)
        for problem in problems + more:
            self.report(problem)
        choice = self.choose(resolved)
        if choice is None:
            return []  # a bad option, reported
        records, groups = choice
        # the nodes name their records, which state.find() looks up in the cache of
        # parsed files; a record that is not there (a child completed from a parent in
        # another file, a file read with another file's macros) is carried by its node
        derived = {
            id(record)
            for record in records
            if state.find(record.source.path, record.key) is not record
        }
        options = self.settings().options
        document = self.state.document
        renderer = Renderer(options, set(document.ids), self.report, derived, self.add_download)
        result = renderer.render(groups, self.options.get("class", []))
        legend = marks_legend(records, pubs_config(self.env).marks_legend)
        if legend is not None:
            # inside the list, before its end (the end marker, or the wrapper's end)
            last = result[-1]
            if isinstance(last, pubs_list_end):
                result.insert(len(result) - 1, legend)
            elif isinstance(last, nodes.Element):
                last += legend
        for node in result:
            if isinstance(node, nodes.Element):
                self.set_source_info(node)
                for element in node.findall(nodes.Element):
                    for node_id in element["ids"]:
                        document.ids.setdefault(node_id, element)
        if "no-index" not in self.options and "noindex" not in self.options:
            self.register(result, records, options.labels)
        if options.downloads and result and isinstance(result[0], nodes.Element):
            # the downloads are named after the page, and numbered from its second list
            ordinal = int(self.env.temp_data.get("pubs_lists") or 0) + 1
            self.env.temp_data["pubs_lists"] = ordinal
            result[0]["docname"] = self.env.docname
            result[0]["ordinal"] = ordinal
        return result

    def register(self, result: list[nodes.Node], records: list[Publication], words: Labels) -> None:
        """Make the list's entries targets of ``:pub:`` references (and of the
        inventory), by key."""
        domain = self.env.domains["pub"]
        assert isinstance(domain, PubDomain)
        by_key = {record.key: record for record in records}
        for node in result:
            if not isinstance(node, nodes.Element):
                continue
            for entry in node.findall(pub_entry):
                record = by_key.get(entry["key"])
                if record is None:
                    continue
                title = plain(record.title) or record.key
                short = short_citation(record, words.and_word, words.et_al)
                domain.note_entry(
                    record.key, Target(self.env.docname, entry["ids"][0], title, short)
                )
                if pubs_config(self.env).paper_pages:
                    folder = pubs_config(self.env).paper_pages_dir
                    entry["paper"] = paper_pagename(record.key, folder)

    def directive_problem(self, message: str, subtype: str) -> None:
        """Report a problem of the directive itself, at its line, with the others."""
        source, line = self.get_source_info()
        self.report(Problem(Source(str(source), line or 1), message, subtype))

    def option_problem(self, option: str, message: str, subtype: str = "option") -> None:
        self.directive_problem(f"publications: :{option}: {message}", subtype)

    def settings(self) -> ListSettings:
        """The list's settings (its options over the project's), computed once."""
        merged: ListSettings | None = getattr(self, "_settings", None)
        if merged is None:
            merged = list_settings(self.options, pubs_config(self.env), self.option_problem)
            self._settings = merged
        return merged

    def choose(self, records: list[Publication]) -> tuple[list[Publication], list[Group]] | None:
        """The entries the options choose, and their groups in display order; None
        (and a warning) when an option cannot be used."""
        options = self.options
        try:
            keep = compile_filter(options["filter"]) if "filter" in options else None
        except QueryError as error:
            self.option_problem("filter", f"{error}; the list is left out", "filter")
            return None
        settings = self.settings()
        if not settings.usable:
            return None
        by = settings.group_by
        order = options.get("group-order", "")
        if by == "none" and order.strip():
            self.option_problem("group-order", "has no effect with :group-by: none")

        if "keys" in options:
            records, missing = by_keys(records, options["keys"])
            for key in missing:
                self.option_problem("keys", f"no entry with key {key!r}", "key")
        if "exclude" in options:
            records, missing = without_keys(records, options["exclude"])
            for key in missing:
                self.option_problem("exclude", f"no entry with key {key!r}", "key")
        if "selected" in options:
            records = only_selected(records)
        if keep is not None:
            try:
                records = [record for record in records if keep(record)]
            except Exception as error:  # a filter must never break a build
                self.option_problem(
                    "filter", f"could not be applied ({error}); the list is left out", "filter"
                )
                return None
        if settings.sort:
            records = sort_records(records, list(settings.sort))
        groups = group_records(
            records,
            by,
            order,
            undated_label=settings.undated_label,
            other_label=_("Other"),
            type_names=dict(settings.options.type_names),
            type_order=list(settings.type_order),
        )
        if "limit" in options:
            groups = limit_groups(groups, options["limit"])
        shown = {id(record) for group in groups for record in group.records}
        return [record for record in records if id(record) in shown], groups

    def add_download(
        self, record: Publication, field: str, path: str, read: str = ""
    ) -> str | None:
        """Have the build copy the project file that link *field* names, as
        ``:download:`` does; the name of the copy, or None and a warning.

        The path is relative to the .bib file's folder (then to the folders of
        ``pubs_file_dirs``, al-folio's by default), or to the source folder when
        it starts with ``/``; *read* is the field the value was read from.  What
        may not be published (outside the source folder, hidden, version control,
        conf.py, the build's output, excluded: see
        :func:`~sphinx_pubs.view.files.project_file`) is never copied.
        """

        rules = PublishRules(
            outputs=(pubs_state(self.env).outdir, str(self.env.doctreedir)),
            exclude_patterns=tuple(str(pattern) for pattern in self.config.exclude_patterns),
            link_exclude=tuple(pubs_config(self.env).link_exclude),
        )
        config = pubs_config(self.env)
        full = project_file(
            record, field, path, str(self.env.srcdir), rules, file_dirs(config.file_dirs), read
        )
        if full is None:  # a web address without https://: the button links to it
            return None
        if isinstance(full, Problem):
            self.report(full)
            return None
        srcdir = os.path.realpath(self.env.srcdir)
        return str(self.env.dlfiles.add_file(self.env.docname, os.path.relpath(full, srcdir)))


@dataclass(frozen=True)
class ListSettings:
    """What one list does: its directive options over the project's settings."""

    options: ListOptions
    #: ``year``, ``type``, ``none`` or a field name
    group_by: str = "year"
    sort: tuple[SortKey, ...] = ()
    #: the heading of the undated group
    undated_label: str = "Undated"
    #: the order of the type groups (pubs_type_order)
    type_order: tuple[str, ...] = ()
    #: False when an option cannot be used (reported): the list is left out
    usable: bool = True


def list_settings(
    options: dict[str, Any], config: PubsConfig, problem: Callable[[str, str], None]
) -> ListSettings:
    """A list's settings: each directive option over its ``pubs_*`` setting.

    The settings were checked when the project's config was read (one warning per
    bad setting, see :mod:`sphinx_pubs.config`); here only the options are, and a
    bad one is reported with *problem* (option name, message) at the directive.
    """
    usable = True
    sort: list[SortKey] = []
    sort_text = options.get("sort", config.sort)
    try:
        sort = parse_sort(sort_text) if sort_text.strip() else []
    except QueryError as error:
        problem("sort", f"{error}; the list is left out")
        usable = False
    default_by = "none" if "keys" in options else config.group_by
    by = str(options.get("group-by", default_by) or "year").strip().lower()
    if by not in ("year", "type", "none") and not FIELD_NAME.match(by):
        if usable:
            problem(
                "group-by",
                f"{by!r} is not a field name (use year, type, none or a field such as "
                "keywords); the list is left out",
            )
        usable = False

    facets = config.search_facets
    if "facets" in options:
        facets, unknown = pick(re.split(r"[\s,]+", options["facets"] or ""), FACETS)
        for name in unknown:
            problem("facets", f"unknown facet {name!r} (year, type or none)")
    downloads = config.downloads
    if "downloads" in options:
        downloads, unknown = pick(
            re.split(r"[\s,]+", options["downloads"] or ""), DOWNLOADS, DOWNLOAD_ALIASES
        )
        for name in unknown:
            problem("downloads", f"unknown format {name!r} (bib, csl-json or none)")

    undated = str(options.get("undated-label", config.undated_label))
    type_names = {
        **{name: _(label) for name, label in TYPE_NAMES.items()},
        **config.type_names,
    }
    # Where sections cannot stand (in a list, an admonition ...), the transform
    # GroupsOutsideSections gives the groups rubric headings instead.
    headings = options.get("headings", config.headings)
    list_options = ListOptions(
        max_authors=options.get("max-authors", config.max_authors),
        abstracts=options.get("abstracts", config.abstracts),
        headings="none" if by == "none" else headings,
        search_abstracts=config.search_abstracts,
        bibtex=options.get("bibtex", "all" if config.bibtex_show else "marked"),
        downloads=tuple(downloads),
        search=options.get("search", config.search),
        facets=tuple(facets),
        type_names=tuple(type_names.items()),
        numbering=(
            "down" if "reversed-numbering" in options else "up" if "numbered" in options else ""
        ),
        bibtex_hidden=frozenset(config.bibtex_hidden_fields),
        link_fields=tuple(config.link_fields.items()),
        highlight=tuple(
            key for key in map(parse_name, config.highlight_authors) if key is not None
        ),
        author_links=tuple(
            (key, url)
            for key, url in ((parse_name(name), url) for name, url in config.author_links.items())
            if key is not None
        ),
        venues=tuple(
            (abbr, spec.get("url", ""), spec.get("color", ""))
            for abbr, spec in config.venues.items()
        ),
        title_link=config.title_link,
        labels=labels(config.labels),
    )
    return ListSettings(
        options=list_options,
        group_by=by,
        sort=tuple(sort),
        # translated when it is the default
        undated_label=_("Undated") if undated == "Undated" else undated,
        type_order=tuple(config.type_order),
        usable=usable,
    )

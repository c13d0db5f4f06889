"""The ``publications`` directive: read the files (the pipeline of :mod:`sphinx_pubs.vet`),
choose and group the entries its options ask for, render them and register them as
targets of ``:pub:`` references.  Its options and settings are in
:mod:`sphinx_pubs.sphinx_ext.options`."""

from __future__ import annotations

import os
from typing import Any, ClassVar

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from sphinx_pubs.config import pubs_config
from sphinx_pubs.core.model import Problem, Publication, Source, plain
from sphinx_pubs.core.names import split_mark
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.select.group import (
    Group,
    by_keys,
    group_records,
    limit_groups,
    only_selected,
    without_keys,
)
from sphinx_pubs.select.query import QueryError, compile_filter
from sphinx_pubs.select.sort import sort_records
from sphinx_pubs.sphinx_ext.domain import PubDomain, Target
from sphinx_pubs.sphinx_ext.nodes import pub_entry, pubs_list_end
from sphinx_pubs.sphinx_ext.options import (
    MESSAGE_CATALOG,
    OPTION_SPEC,
    ListSettings,
    list_settings,
)
from sphinx_pubs.sphinx_ext.papers import paper_pagename
from sphinx_pubs.sphinx_ext.render import Renderer
from sphinx_pubs.sphinx_ext.state import PubsState, pubs_state
from sphinx_pubs.vet import read_list
from sphinx_pubs.view.files import PublishRules, file_dirs, project_file
from sphinx_pubs.view.format import short_citation
from sphinx_pubs.view.options import Labels
from sphinx_pubs.warnings import warn

_ = get_translation(MESSAGE_CATALOG)


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
    option_spec: ClassVar[dict[str, Any]] = OPTION_SPEC

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
        records = self.read()
        if records is None:
            return []  # no file given, reported
        choice = self.choose(records)
        if choice is None:
            return []  # a bad option, reported
        records, groups = choice
        result = self.render(records, groups)
        options = self.settings().options
        if "no-index" not in self.options and "noindex" not in self.options:
            self.register(result, records, options.labels)
        if options.downloads and result and isinstance(result[0], nodes.Element):
            self.name_downloads(result[0])
        return result

    def read(self) -> list[Publication] | None:
        """The entries of the files the list names, read by the one pipeline
        (:func:`~sphinx_pubs.vet.read_list`), its problems reported; None (and a
        warning) when no file is named."""
        paths = self.bib_paths()
        if not paths:
            self.directive_problem(
                "publications: no bibliography file given (name one as the directive's "
                "argument, or set pubs_bibfiles)",
                Subtype.BIBFILE,
            )
            return None
        state = pubs_state(self.env)
        read = read_list(paths, pubs_config(self.env).bib_encoding, state.cache)
        # no env.note_dependency: the files are compared by content (PubsState.outdated)
        for bibfile in read.files:
            state.note_use(self.env.docname, bibfile)
        for problem in read.problems:
            self.report(problem)
        return read.records

    def render(self, records: list[Publication], groups: list[Group]) -> list[nodes.Node]:
        """The list's nodes (with the marks legend), their ids taken in the document."""
        state = pubs_state(self.env)
        # the nodes name their records, which state.find() looks up in the cache of
        # parsed files; a record that is not there (a child completed from a parent in
        # another file, a file read with another file's macros) is carried by its node
        derived = {
            id(record)
            for record in records
            if state.find(record.source.path, record.key) is not record
        }
        document = self.state.document
        renderer = Renderer(
            self.settings().options, set(document.ids), self.report, derived, self.add_download
        )
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
        return result

    def name_downloads(self, first: nodes.Element) -> None:
        """Name the list's download files after the page, numbered from its second
        list (on the list's first node)."""
        ordinal = int(self.env.temp_data.get("pubs_lists") or 0) + 1
        self.env.temp_data["pubs_lists"] = ordinal
        first["docname"] = self.env.docname
        first["ordinal"] = ordinal

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

    def directive_problem(self, message: str, subtype: Subtype) -> None:
        """Report a problem of the directive itself, at its line, with the others."""
        source, line = self.get_source_info()
        self.report(Problem(Source(str(source), line or 1), message, subtype))

    def option_problem(self, option: str, message: str, subtype: Subtype = Subtype.OPTION) -> None:
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
            self.option_problem("filter", f"{error}; the list is left out", Subtype.FILTER)
            return None
        settings = self.settings()
        if not settings.usable:
            return None
        if settings.group_by == "none" and options.get("group-order", "").strip():
            self.option_problem("group-order", "has no effect with :group-by: none")
        records = self.by_key(records)
        if keep is not None:
            try:
                records = [record for record in records if keep(record)]
            except Exception as error:  # a filter must never break a build
                self.option_problem(
                    "filter",
                    f"could not be applied ({error}); the list is left out",
                    Subtype.FILTER,
                )
                return None
        if settings.sort:
            records = sort_records(records, list(settings.sort))
        groups = self.group(records)
        shown = {id(record) for group in groups for record in group.records}
        return [record for record in records if id(record) in shown], groups

    def by_key(self, records: list[Publication]) -> list[Publication]:
        """The entries ``:keys:``, ``:exclude:`` and ``:selected:`` leave (a key
        that is not there is reported)."""
        options = self.options
        if "keys" in options:
            records, missing = by_keys(records, options["keys"])
            for key in missing:
                self.option_problem("keys", f"no entry with key {key!r}", Subtype.KEY)
        if "exclude" in options:
            records, missing = without_keys(records, options["exclude"])
            for key in missing:
                self.option_problem("exclude", f"no entry with key {key!r}", Subtype.KEY)
        if "selected" in options:
            records = only_selected(records)
        return records

    def group(self, records: list[Publication]) -> list[Group]:
        """The groups of *records*, in display order, as many as ``:limit:`` keeps."""
        settings = self.settings()
        groups = group_records(
            records,
            settings.group_by,
            self.options.get("group-order", ""),
            undated_label=settings.undated_label,
            other_label=_("Other"),
            type_names=dict(settings.options.type_names),
            type_order=list(settings.type_order),
        )
        if "limit" in self.options:
            groups = limit_groups(groups, self.options["limit"])
        return groups

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

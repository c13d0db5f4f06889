"""The ``publications`` directive."""

from __future__ import annotations

import os
import re
from dataclasses import fields, replace
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .domain import PubDomain, Target
from .format import short_citation
from .links import LINK_FIELDS, PublishRules, project_file, safe_url
from .model import Problem, Publication, plain, printable
from .names import parse_name, split_mark
from .nodes import pub_entry, pubs_list_end
from .papers import paper_pagename
from .query import QueryError, compile_filter, parse_sort, sort_records
from .render import Labels, ListOptions, Renderer
from .select import (
    TYPE_NAMES,
    Group,
    by_keys,
    group_records,
    limit_groups,
    merge,
    only_selected,
    without_keys,
)
from .sources import load_all
from .sources.crossref import resolve_crossrefs
from .state import pubs_state

logger = logging.getLogger(__name__)

MESSAGE_CATALOG = "sphinx_pubs"

#: colours pubs_venues may give a badge: #rgb(a), #rrggbb(aa) or a CSS colour name
_COLOR = re.compile(r"^(?:#[0-9A-Fa-f]{3,4}|#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{8}|[A-Za-z]{3,20})$")
_ = get_translation(MESSAGE_CATALOG)

ABSTRACT_MODES = ("collapsed", "expanded", "hidden")
HEADING_MODES = ("section", "rubric", "none")
BIBTEX_MODES = ("all", "marked", "none")
_FIELD_NAME = re.compile(r"^[A-Za-z_][\w.:-]*$")


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
        names = list(self.config.pubs_bibfiles or [])
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
        """Emit *problem* as a Sphinx warning ``pubs.<subtype>``.

        A problem with a line is reported at ``file.bib:LINE``; one about a whole file
        (not found, not readable, not UTF-8) at the directive that named the file.
        """
        if problem.source.line:
            location = str(problem.source)
            message = problem.message
        else:
            location = self.get_location()
            message = f"{problem.source.path}: {problem.message}"
        logger.warning(printable(message), location=location, type="pubs", subtype=problem.subtype)

    def run(self) -> list[nodes.Node]:
        paths = self.bib_paths()
        if not paths:
            logger.warning(
                "publications: no bibliography file given (name one as the directive's "
                "argument, or set pubs_bibfiles)",
                location=self.get_location(),
                type="pubs",
                subtype="bibfile",
            )
            return []
        state = pubs_state(self.env)
        encoding = self.config.pubs_bib_encoding
        per_file = []
        for path in paths:
            self.env.note_dependency(path)
            state.note_use(self.env.docname, path)
        for bibfile, parsed_now in load_all(paths, encoding, state.cache):
            if parsed_now:
                # reported once per parse: a cached file's problems were shown then
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
        options = self.list_options()
        if self.group_by() == "none":
            options = replace(options, headings="none")
        document = self.state.document
        renderer = Renderer(options, set(document.ids), self.report, derived, self.add_download)
        result = renderer.render(groups, self.options.get("class", []))
        legend = marks_legend(records, self.config.pubs_marks_legend or {})
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
                if self.config.pubs_paper_pages:
                    entry["paper"] = paper_pagename(record.key, self.config.pubs_paper_pages_dir)

    def option_problem(self, option: str, message: str, subtype: str = "option") -> None:
        logger.warning(
            printable(f"publications: :{option}: {message}"),
            location=self.get_location(),
            type="pubs",
            subtype=subtype,
        )

    def group_by(self) -> str:
        default = "none" if "keys" in self.options else self.config.pubs_group_by
        return str(self.options.get("group-by", default) or "year").strip().lower()

    def choose(self, records: list[Publication]) -> tuple[list[Publication], list[Group]] | None:
        """The entries the options choose, and their groups in display order; None
        (and a warning) when an option cannot be used."""
        options = self.options
        try:
            keep = compile_filter(options["filter"]) if "filter" in options else None
        except QueryError as error:
            self.option_problem("filter", f"{error}; the list is left out", "filter")
            return None
        sort_text = options.get("sort", self.config.pubs_sort)
        try:
            sort_keys = parse_sort(sort_text) if sort_text and sort_text.strip() else []
        except QueryError as error:
            self.option_problem("sort", f"{error}; the list is left out")
            return None
        by = self.group_by()
        if by not in ("year", "type", "none") and not _FIELD_NAME.match(by):
            self.option_problem(
                "group-by",
                f"{by!r} is not a field name (use year, type, none or a field such as "
                "keywords); the list is left out",
            )
            return None
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
        if sort_keys:
            records = sort_records(records, sort_keys)
        groups = group_records(
            records,
            by,
            order,
            undated_label=self.undated_label(),
            other_label=_("Other"),
            type_names=self.type_names(),
            type_order=[str(item) for item in self.config.pubs_type_order or ()],
        )
        if "limit" in options:
            groups = limit_groups(groups, options["limit"])
        shown = {id(record) for group in groups for record in group.records}
        return [record for record in records if id(record) in shown], groups

    def add_download(self, record: Publication, field: str, path: str) -> str | None:
        """Have the build copy the project file that link *field* names, as
        ``:download:`` does; the name of the copy, or None and a warning.

        The path is relative to the .bib file's folder, or to the source folder when
        it starts with ``/``; what may not be published (outside the source folder,
        hidden, version control, conf.py, the build's output, excluded: see
        :func:`~sphinx_pubs.links.project_file`) is never copied.
        """

        def patterns(value: Any) -> tuple[str, ...]:
            # a single pattern given as a string (Sphinx warns of its type) is one
            return (value,) if isinstance(value, str) else tuple(str(p) for p in value or ())

        rules = PublishRules(
            outputs=(pubs_state(self.env).outdir, str(self.env.doctreedir)),
            exclude_patterns=patterns(self.config.exclude_patterns),
            link_exclude=patterns(self.config.pubs_link_exclude),
        )
        full = project_file(record, field, path, str(self.env.srcdir), rules)
        if isinstance(full, Problem):
            self.report(full)
            return None
        srcdir = os.path.realpath(self.env.srcdir)
        return str(self.env.dlfiles.add_file(self.env.docname, os.path.relpath(full, srcdir)))

    def list_options(self) -> ListOptions:
        config = self.config
        # Where sections cannot stand (in a list, an admonition ...), the transform
        # GroupsOutsideSections gives the groups rubric headings instead.
        headings = self.options.get("headings", config.pubs_headings)
        abstracts = self.options.get("abstracts", config.pubs_abstracts)
        if abstracts not in ABSTRACT_MODES:
            abstracts = "collapsed"
        return ListOptions(
            max_authors=self.options.get("max-authors", config.pubs_max_authors),
            abstracts=abstracts,
            headings=headings if headings in HEADING_MODES else "section",
            search_abstracts=bool(config.pubs_search_abstracts),
            bibtex=self.options.get("bibtex", "all" if config.pubs_bibtex_show else "marked"),
            downloads=self.downloads(),
            search=self.options.get("search", bool(config.pubs_search)),
            facets=self.facets(),
            type_names=tuple(self.type_names().items()),
            numbering=(
                "down"
                if "reversed-numbering" in self.options
                else "up"
                if "numbered" in self.options
                else ""
            ),
            bibtex_hidden=frozenset(name.lower() for name in config.pubs_bibtex_hidden_fields),
            link_fields=tuple(
                (name.lower(), label) for name, label in config.pubs_link_fields.items()
            ),
            highlight=tuple(
                key for key in map(parse_name, config.pubs_highlight_authors) if key is not None
            ),
            author_links=tuple(
                (key, url)
                for key, url in (
                    (parse_name(name), url) for name, url in config.pubs_author_links.items()
                )
                if key is not None
            ),
            venues=self.venues(),
            title_link=str(config.pubs_title_link or "").lower(),
            labels=labels(config.pubs_labels),
        )

    def undated_label(self) -> str:
        """The heading of the undated group: ``:undated-label:``, else
        ``pubs_undated_label``, translated when it is the default."""
        label = str(self.options.get("undated-label", self.config.pubs_undated_label))
        return _("Undated") if label == "Undated" else label

    def type_names(self) -> dict[str, str]:
        """Entry type -> group name: the built-in names, translated, then
        ``pubs_type_names``."""
        return {
            **{name: _(label) for name, label in TYPE_NAMES.items()},
            **(self.config.pubs_type_names or {}),
        }

    def facets(self) -> tuple[str, ...]:
        """The facet buttons of the search box (``:facets:``, else
        ``pubs_search_facets``): ``year``, ``type``."""
        if "facets" in self.options:
            names = re.split(r"[\s,]+", self.options["facets"] or "")
        else:
            names = [str(name) for name in self.config.pubs_search_facets or ()]
        wanted: list[str] = []
        for name in (name.strip().lower() for name in names):
            if not name or name == "none" or name in wanted:
                continue
            if name not in ("year", "type"):
                self.option_problem("facets", f"unknown facet {name!r} (year, type or none)")
                continue
            wanted.append(name)
        return tuple(wanted)

    def downloads(self) -> tuple[str, ...]:
        """The files the list offers (``:downloads:``, else ``pubs_downloads``):
        ``bib``, ``csl-json``; ``none`` for none."""
        if "downloads" in self.options:
            names = re.split(r"[\s,]+", self.options["downloads"] or "")
        else:
            names = [str(name) for name in self.config.pubs_downloads or ()]
        wanted = []
        for name in (name.strip().lower() for name in names):
            if not name or name == "none":
                continue
            if name in ("json", "csl"):
                name = "csl-json"
            if name not in ("bib", "csl-json"):
                self.option_problem("downloads", f"unknown format {name!r} (bib, csl-json or none)")
                continue
            if name not in wanted:
                wanted.append(name)
        return tuple(wanted)

    def venues(self) -> tuple[tuple[str, str, str], ...]:
        """pubs_venues as (abbreviation, url, colour), unsafe URLs and colours left out."""
        out = []
        for abbr, spec in (self.config.pubs_venues or {}).items():
            spec = spec if isinstance(spec, dict) else {}
            url = safe_url(str(spec.get("url", ""))) or ""
            color = str(spec.get("color", ""))
            if not _COLOR.match(color):
                color = ""
            out.append((str(abbr), url, color))
        return tuple(out)

"""``sphinx-pubs alfolio SITE``: an al-folio site's settings as ``conf.py`` lines.

An al-folio (Jekyll) site keeps what its publications page needs besides
``_bibliography/papers.bib`` in three places:

- ``_config.yml``: ``scholar:`` (``last_name`` / ``first_name``: the owner's names,
  ``source`` and ``bibliography``: the .bib file), and at the top level
  ``max_author_limit``, ``filtered_bibtex_keywords`` and
  ``enable_publication_thumbnails`` (read under ``scholar:`` too, where some sites
  put them);
- ``_data/venues.yml``: abbreviation -> ``color``, ``url`` (the ``abbr`` badges);
- ``_data/coauthors.yml``: family name -> list of ``{firstname: [...], url}``.

:func:`migrate` reads them (with :mod:`sphinx_pubs.alfolio_site`) and gives the
``pubs_*`` settings they mean, each value checked by the setting's own check
(:func:`sphinx_pubs.config.check_value`): what a setting cannot use is left out with a
warning.  :mod:`sphinx_pubs.alfolio_conf` writes them as Python with :func:`repr` of
plain values only (str, int, bool, list, dict), so no text from the site can become
code.  Nothing is copied unless asked (``--copy-bib``), and no file is overwritten
unless asked (``--force``).

The YAML is read with PyYAML's safe loader (plain types only), an optional
dependency: ``pip install "sphinx-pubs[alfolio]"``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any, TextIO

from sphinx_pubs.alfolio_conf import conf_text, page_text
from sphinx_pubs.alfolio_site import (
    Migration,
    NotASite,
    as_mapping,
    as_strings,
    bibliographies,
    config_value,
    read_yaml,
    yaml_loader,
)
from sphinx_pubs.config import check_value
from sphinx_pubs.config.values import shown
from sphinx_pubs.core.model import printable
from sphinx_pubs.core.names import NameKey, matches, parse_name
from sphinx_pubs.view.links import DEFAULT_BIBTEX_HIDDEN

#: owner names (scholar.last_name × scholar.first_name) used, at most
MAX_OWNER_NAMES = 1000

#: names of one family compared by _fullest, at most
_COMPARED = 50


def _checked(name: str, value: Any, where: str, migration: Migration) -> Any:
    """*value* as setting *name* uses it; what it cannot use is a warning."""
    used, problem = check_value(name, value)
    if problem:
        migration.warnings.append(printable(f"{where}: {problem}"))
    return used


def _first_length(key: NameKey | None) -> int:
    return sum(len(word) for word in key.first) if key is not None else 0


def _fullest(names: list[str]) -> list[str]:
    """*names* without those another one already covers: "Einstein, A." matches every
    author "Einstein, Albert" matches; kept, it would also match "Alfred Einstein",
    whom al-folio (exact first names) does not highlight.  Names are compared within
    their family name only, and in a family of more than :data:`_COMPARED` names not at
    all (so the work stays linear in the number of names)."""
    keys = [parse_name(name) for name in names]
    families: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key is not None:
            families.setdefault(key.last, []).append(index)
    kept = []
    for index, (name, key) in enumerate(zip(names, keys, strict=True)):
        if key is None:
            continue
        family = families[key.last]
        covered = len(family) <= _COMPARED and any(
            j != index
            and matches(key, keys[j])  # type: ignore[arg-type]
            and _first_length(keys[j]) > _first_length(key)
            for j in family
        )
        if not covered:
            kept.append(name)
    return kept


def _person(last: str, first: str) -> str | None:
    """ "Last, First" (BibTeX's order: a "von" part stays with the family name, as
    al-folio's ``author.last``), or None when a comma would split it wrongly."""
    if "," in last or "," in first:
        return None
    return f"{last}, {first}" if first else last


def migrate(site: str) -> Migration:
    """The settings of the al-folio site in the folder *site*.

    Raises :class:`NotASite` when *site* is not a folder with ``_config.yml`` or
    ``_bibliography/``, and :class:`NoYaml` without PyYAML."""
    if not os.path.isdir(site):
        raise NotASite(f"{site!r} is not a folder")
    has_config = os.path.isfile(os.path.join(site, "_config.yml"))
    if not has_config and not os.path.isdir(os.path.join(site, "_bibliography")):
        raise NotASite(
            f"{site!r} has no _config.yml and no _bibliography folder: not an al-folio site"
        )
    load = yaml_loader()
    migration = Migration()
    config = as_mapping(read_yaml(site, "_config.yml", migration, load), "_config.yml", migration)
    if not has_config:
        migration.warnings.append("_config.yml: not found; using al-folio's defaults")
    scholar = as_mapping(config.get("scholar"), "_config.yml: scholar", migration)
    migration.bibs = bibliographies(site, scholar, migration)
    _owners(scholar, migration)
    _max_authors(config, scholar, migration)
    _hidden_fields(config, scholar, migration)
    _data_files(site, migration, load)
    _not_carried_over(config, scholar, migration)
    return migration


def _owners(scholar: dict[Any, Any], migration: Migration) -> None:
    """pubs_highlight_authors: al-folio highlights an author whose last name is one of
    last_name and whose first name is one of first_name."""
    lasts = as_strings(scholar.get("last_name"), "_config.yml: scholar.last_name", migration)
    firsts = as_strings(scholar.get("first_name"), "_config.yml: scholar.first_name", migration)
    if len(lasts) * max(len(firsts), 1) > MAX_OWNER_NAMES:
        migration.warnings.append(
            f"_config.yml: scholar: {len(lasts)} last names × {len(firsts)} first names: "
            f"more than {MAX_OWNER_NAMES} names, only the first ones are used"
        )
        lasts = lasts[: max(1, MAX_OWNER_NAMES // max(len(firsts), 1))]
        firsts = firsts[:MAX_OWNER_NAMES]
    if lasts and not firsts:
        migration.notes.append(
            "scholar.first_name is empty: every author with one of the last names is highlighted"
        )
    owners: list[str] = []
    for last in lasts:
        for first in firsts or [""]:
            name = _person(last, first)
            if name is None:
                migration.warnings.append(
                    f"_config.yml: scholar: {shown(first + ' ' + last)} has a comma: left out"
                )
            elif name not in owners:
                owners.append(name)
    owners = _checked("pubs_highlight_authors", owners, "_config.yml: scholar", migration)
    if owners:
        migration.settings["pubs_highlight_authors"] = _fullest(owners)


def _max_authors(config: dict[Any, Any], scholar: dict[Any, Any], migration: Migration) -> None:
    """pubs_max_authors, from max_author_limit."""
    given, limit = config_value(config, scholar, "max_author_limit")
    if limit is None:  # al-folio: "leave blank to always show all authors"
        migration.settings["pubs_max_authors"] = 0
        if not given:
            migration.notes.append(
                "max_author_limit is not set: al-folio shows every author, so "
                "pubs_max_authors = 0 (sphinx-pubs' own default is 3)"
            )
        return
    used, problem = check_value("pubs_max_authors", limit)
    if problem:
        migration.warnings.append(
            printable(f"_config.yml: max_author_limit: {problem.partition(': ')[2]}")
        )
    else:
        migration.settings["pubs_max_authors"] = used


def _hidden_fields(config: dict[Any, Any], scholar: dict[Any, Any], migration: Migration) -> None:
    """pubs_bibtex_hidden_fields, from filtered_bibtex_keywords."""
    given, keywords = config_value(config, scholar, "filtered_bibtex_keywords")
    if not given:
        return
    fields = _checked(
        "pubs_bibtex_hidden_fields",
        keywords if isinstance(keywords, list) else [keywords],
        "_config.yml: filtered_bibtex_keywords",
        migration,
    )
    extra = [name for name in fields if name not in DEFAULT_BIBTEX_HIDDEN]
    if extra:
        migration.settings["pubs_bibtex_hidden_fields"] = [*DEFAULT_BIBTEX_HIDDEN, *extra]


def _data_files(site: str, migration: Migration, load: Callable[[str], Any]) -> None:
    """pubs_venues from _data/venues.yml, pubs_author_links from _data/coauthors.yml."""
    venues = as_mapping(
        read_yaml(site, "_data/venues.yml", migration, load), "_data/venues.yml", migration
    )
    venues = _checked("pubs_venues", venues, "_data/venues.yml", migration)
    if venues:
        migration.settings["pubs_venues"] = venues
    coauthors = as_mapping(
        read_yaml(site, "_data/coauthors.yml", migration, load),
        "_data/coauthors.yml",
        migration,
    )
    links = _coauthor_links(coauthors, migration)
    links = _checked("pubs_author_links", links, "_data/coauthors.yml", migration)
    if links:
        kept = _fullest(list(links))
        migration.settings["pubs_author_links"] = {name: links[name] for name in kept}


def _not_carried_over(
    config: dict[Any, Any], scholar: dict[Any, Any], migration: Migration
) -> None:
    """Notes on the settings that have no pubs_* equivalent."""
    given, thumbnails = config_value(config, scholar, "enable_publication_thumbnails")
    if given and thumbnails is False:
        migration.notes.append(
            "enable_publication_thumbnails is false: sphinx-pubs shows an entry's badge and "
            "thumbnail whenever it has one; to hide thumbnails, add the CSS rule "
            "'.pubs .pub-preview { display: none; }' to the site's stylesheet"
        )
    style = scholar.get("style")
    if isinstance(style, str) and style.strip() and style.strip().lower() not in ("apa",):
        migration.notes.append(
            f"scholar.style {shown(style)}: sphinx-pubs has one entry format (al-folio's "
            "bib layout), whatever the citation style"
        )


def _coauthor_links(coauthors: dict[Any, Any], migration: Migration) -> dict[str, str]:
    """al-folio's coauthors: family name -> [{firstname: [...], url}], as names -> URLs
    (the first URL of a name wins, as al-folio's loop stops at the first match)."""
    links: dict[str, str] = {}
    where = "_data/coauthors.yml"
    for family, people in coauthors.items():
        if not isinstance(family, str) or not family.strip():
            migration.warnings.append(f"{where}: {shown(family)} is not a family name: left out")
            continue
        family = str.__str__(family).strip()
        if not isinstance(people, list):
            migration.warnings.append(
                f"{where}: {shown(family)}: must be a list of firstname/url, not "
                f"{shown(people)}: left out"
            )
            continue
        for person in people:
            if not isinstance(person, dict) or not isinstance(person.get("url"), str):
                migration.warnings.append(
                    f"{where}: {shown(family)}: {shown(person)} has no url: left out"
                )
                continue
            url = str.__str__(person["url"])
            for first in as_strings(person.get("firstname"), f"{where}: {family!r}", migration):
                name = _person(family, first)
                if name is None:
                    migration.warnings.append(
                        f"{where}: {shown(first + ' ' + family)} has a comma: left out"
                    )
                else:
                    links.setdefault(name, url)
    return links


def _relative(path: str, srcdir: str) -> str:
    """*path* as pubs_bibfiles names it: relative to the Sphinx source folder."""
    try:
        rel = os.path.relpath(path, os.path.realpath(srcdir))
    except ValueError:  # another drive
        return path
    return rel.replace(os.sep, "/")


def _target(dest: str, bib: str, several: bool) -> str:
    if os.path.isdir(dest) or dest.endswith(("/", os.sep)) or several:
        return os.path.join(dest, os.path.basename(bib))
    return dest


def _refuse(path: str, force: bool) -> None:
    if os.path.exists(path) and not force:
        raise NotASite(f"{path!r} exists (--force to overwrite it)")


def run(
    site: str,
    *,
    out: str | None = None,
    page: str | None = None,
    srcdir: str | None = None,
    copy_bib: str | None = None,
    force: bool = False,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """The ``alfolio`` command: 0 done (warnings or not), 2 not a site or a usage error."""
    try:
        migration = migrate(site)
        if srcdir is None:
            srcdir = os.path.dirname(os.path.abspath(out)) if out else os.getcwd()
        targets = _targets(migration, copy_bib, (out, page), force)
    except NotASite as error:
        stderr.write(printable(f"sphinx-pubs alfolio: {error}") + "\n")
        return 2
    try:
        _write(migration, targets if copy_bib is not None else None, srcdir, out, page, stdout)
    except OSError as error:
        stderr.write(printable(f"sphinx-pubs alfolio: {error}") + "\n")
        return 2
    for warning in migration.warnings:
        stderr.write(printable(f"warning: {warning}") + "\n")
    settings = migration.settings
    steps = _next_steps(migration, settings, site, srcdir, out, page, copy_bib is not None)
    for line in steps:
        stderr.write(printable(line) + "\n")
    return 0


def _targets(
    migration: Migration, copy_bib: str | None, outputs: tuple[str | None, ...], force: bool
) -> list[str]:
    """Where ``--copy-bib`` copies the bibliographies; :class:`NotASite` when a file to
    write exists and *force* is false."""
    targets: list[str] = []
    if copy_bib is not None:
        several = len(migration.bibs) > 1
        targets = [_target(copy_bib, bib, several) for bib in migration.bibs]
        for target in targets:
            _refuse(target, force)
    for path in outputs:
        if path is not None:
            _refuse(path, force)
    return targets


def _write(
    migration: Migration,
    targets: list[str] | None,
    srcdir: str,
    out: str | None,
    page: str | None,
    stdout: TextIO,
) -> None:
    """Copy the bibliographies to *targets* (None: not asked), write the conf.py lines
    to *out* (None: *stdout*) and the page to *page*."""
    settings = migration.settings
    bibs = migration.bibs
    if targets is not None and bibs:
        for bib, target in zip(bibs, targets, strict=True):
            os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
            shutil.copyfile(bib, target)
        bibs = [os.path.realpath(target) for target in targets]
    if bibs:
        settings["pubs_bibfiles"] = [_relative(bib, srcdir) for bib in bibs]
    text = conf_text(settings)
    if out is not None:
        with open(out, "w", encoding="utf-8") as stream:
            stream.write(text)
    else:
        stdout.write(text)
    if page is not None:
        with open(page, "w", encoding="utf-8") as stream:
            stream.write(page_text(page.lower().endswith(".md")))


def _next_steps(
    migration: Migration,
    settings: dict[str, Any],
    site: str,
    srcdir: str,
    out: str | None,
    page: str | None,
    copied: bool,
) -> list[str]:
    lines = [f"note: {note}" for note in migration.notes]
    where = f"the lines written to {out!r}" if out else "the lines above"
    lines.append(f'next: add "sphinx_pubs" to extensions in conf.py, and {where} to conf.py')
    if page:
        lines.append(f"next: add {os.path.splitext(os.path.basename(page))[0]!r} to a toctree")
    else:
        lines.append(
            "next: write a page with the directive '.. publications::' (no argument: "
            "it reads pubs_bibfiles) and add it to a toctree (or use --page publications.rst)"
        )
    rels = settings.get("pubs_bibfiles", [])
    if any(rel.startswith("../") for rel in rels) and not copied:
        lines.append(
            "note: the bibliography is read where it is, outside the Sphinx source folder: "
            "keep the two folders where they are in the repository, or use --copy-bib"
        )
    copied_what = " but the bibliography" if copied else ""
    lines.append(
        f"note: nothing was copied{copied_what}: the files entries name (pdf, supp, poster, "
        "slides: al-folio's assets/pdf/; html: assets/html/; preview: "
        "assets/img/publication_preview/) are looked up by the build where al-folio keeps "
        "them (see 'Coming from al-folio' in the docs)"
    )
    assets = os.path.realpath(os.path.join(site, "assets"))
    source = os.path.realpath(srcdir)
    if os.path.isdir(assets) and os.path.commonpath([assets, source]) != source:
        lines.append(
            f"note: {assets!r} is outside the Sphinx source folder {source!r}: the build "
            "publishes only files inside it, so move assets/ into it (or make the site's "
            "folder the Sphinx source folder)"
        )
    return lines

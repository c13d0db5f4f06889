"""Which project file a link field names, and whether the build may publish it.

A relative path is looked for where al-folio keeps such files (:data:`ALFOLIO_DIRS`,
``pubs_file_dirs``); hidden and version-control files, ``conf.py``, the build's own
output and excluded files are never published (:func:`project_file`).  Pure Python
(but for Sphinx's pattern matcher, the one ``exclude_patterns`` uses).
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sphinx_pubs.core.model import Problem, Publication, printable
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.view.links import bare_web_address, field_source

#: folders of version-control systems; dot-folders (.git, .hg, .svn, .bzr ...) are
#: refused anyway, as every name that starts with a dot
VCS_FOLDERS = frozenset(
    {".git", ".hg", ".svn", ".bzr", ".pijul", ".jj", "_darcs", "cvs", "rcs", "sccs", "_mtn"}
    | {"_fossil_", ".fslckout", "{arch}"}
)


@dataclass(frozen=True)
class PublishRules:
    """What the build may not copy besides the fixed rules of :func:`project_file`:
    its own output and the files the project excludes."""

    #: the build's output folders (``app.outdir``, the doctree folder)
    outputs: tuple[str, ...] = ()
    #: Sphinx's ``exclude_patterns``
    exclude_patterns: tuple[str, ...] = ()
    #: ``pubs_link_exclude``: more glob patterns, in the same syntax
    link_exclude: tuple[str, ...] = ()


@functools.lru_cache(maxsize=32)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    from sphinx.util.matching import Matcher  # as Sphinx matches exclude_patterns

    return Matcher(patterns)


def _name_forms(name: str) -> set[str]:
    """*name* as file systems may read it: as written and in NFKC form (a full-width
    dot is a dot), without the trailing dots and spaces Windows drops, in any case."""
    forms = {name, unicodedata.normalize("NFKC", name)}
    return {form.rstrip(". ").casefold() or form for form in forms}


def _private_name(parts: Sequence[str]) -> str | None:
    """Why the project path *parts* (its folders, then its name) is never published."""
    for part in parts:
        forms = _name_forms(part)
        if forms & VCS_FOLDERS:
            return "is in a version-control folder"
        if any(form.startswith(".") for form in forms):
            return "is a hidden file or in a hidden folder"
    if parts and "conf.py" in _name_forms(parts[-1]):
        return "is a Sphinx configuration file (conf.py)"
    return None


def _excluded(parts: Sequence[str], rules: PublishRules) -> str | None:
    """The setting whose patterns exclude the path *parts* or one of its folders (as
    Sphinx leaves out a folder that matches), else None."""
    prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    for setting, patterns in (
        ("exclude_patterns", rules.exclude_patterns),
        ("pubs_link_exclude", rules.link_exclude),
    ):
        if patterns:
            matches = _matcher(tuple(patterns))
            if any(matches(prefix) for prefix in prefixes):
                return setting
    return None


def _inside(folder: str, path: str) -> bool:
    try:
        return os.path.commonpath([folder, path]) == folder
    except ValueError:  # another drive
        return False


def _encodable(path: str) -> bool:
    try:
        os.fsencode(path)
    except UnicodeError:
        return False
    return True


#: where al-folio looks for a relative file of each field, under the source folder
#: (its ``_layouts/bib.liquid``); ``pubs_file_dirs`` names more, or others
ALFOLIO_DIRS: dict[str, tuple[str, ...]] = {
    "pdf": ("assets/pdf",),
    "supp": ("assets/pdf",),
    "poster": ("assets/pdf",),
    "slides": ("assets/pdf",),
    "preview": ("assets/img/publication_preview",),
    "html": ("assets/html",),
}


def file_dirs(setting: dict[str, list[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """The folders searched for each field's files after the .bib's folder:
    al-folio's, each field that *setting* (``pubs_file_dirs``) names with its own."""
    dirs = dict(ALFOLIO_DIRS)
    for name, folders in (setting or {}).items():
        dirs[name.lower()] = tuple(folders)
    return dirs


def _spellings(path: str) -> list[str]:
    """*path* as written, then in the other Unicode normal forms (a name typed in NFD
    on one machine is stored in NFC on another)."""
    forms = [path]
    for form in ("NFC", "NFD"):
        other = unicodedata.normalize(form, path)
        if other not in forms:
            forms.append(other)
    return forms


def _free_text(path: str) -> bool:
    """A value that names neither a file nor an address: words with spaces and no
    file extension (``International Conference on ...``)."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(re.search(r"\s", path)) and not re.search(r"\.[A-Za-z0-9]{1,8}$", name)


def project_file(
    record: Publication,
    field: str,
    path: str,
    srcdir: str,
    rules: PublishRules | None = None,
    dirs: dict[str, tuple[str, ...]] | None = None,
    read: str = "",
) -> str | Problem | None:
    """The absolute path of the project file that link *field* of *record* names, or
    the problem with it; None when there is no such file and *path* is a
    scheme-less web address (``example.org/page``: see :attr:`LinkValue.web`).

    A relative path is looked for in the bibliography file's folder, then in the
    folders *dirs* gives for *field* (relative to the source folder *srcdir*; by
    default al-folio's, :data:`ALFOLIO_DIRS`); a path starting with ``/`` is
    relative to *srcdir*.  Each spelling is tried in NFC and NFD too.  Never
    published (the build never copies them), wherever they are found: a file outside
    *srcdir* (symbolic links resolved), hidden files and anything in a hidden folder
    (a name starting with a dot: ``.env``, ``.git/config``), version-control folders
    (:data:`VCS_FOLDERS`), any ``conf.py``, the build's output and doctree folders
    and files that *rules*' patterns exclude (``exclude_patterns``,
    ``pubs_link_exclude``).  A path with a backslash, a control character or a
    character no file name can hold is refused too.  *read* is the field the value
    was read from, when not *field*, for the warning.
    """
    rules = rules or PublishRules()
    read = read or field
    source = field_source(record, read)
    where = f"entry {record.key!r}, field {read!r}: "

    def refused(reason: str) -> Problem:
        return Problem(source, where + f"{path!r} {reason}; not copied", Subtype.LINK)

    if printable(path) != path or not _encodable(path):  # a NUL fails os.path
        return refused("holds characters no file name may hold")
    if "\\" in path:
        return refused("has a backslash (write folders with /)")
    bases, written_path = _bases(record, field, path, srcdir, dirs)
    first: Problem | None = None
    for index, (_, base) in enumerate(bases):
        for spelling in _spellings(written_path):
            found = _candidate(os.path.normpath(os.path.join(base, spelling)), srcdir, rules)
            if isinstance(found, str):
                if os.path.isfile(found):
                    return found
                continue
            if index == 0 and spelling == written_path:
                first = refused(found[0])  # as written, where it is first looked for
            elif found[1]:  # a file that exists elsewhere but may not be published
                return refused(found[0])
    if first is not None:
        return first
    if bare_web_address(path) is not None:
        return None  # a web address without its https://
    if _free_text(path):
        return Problem(
            source, where + f"{path!r} is not a URL or a file; link dropped", Subtype.LINK
        )
    places = ", ".join(shown for shown, _ in bases)
    return Problem(source, where + f"file {path!r} not found (looked in {places})", Subtype.LINK)


def _bases(
    record: Publication,
    field: str,
    path: str,
    srcdir: str,
    dirs: dict[str, tuple[str, ...]] | None,
) -> tuple[list[tuple[str, str]], str]:
    """The folders *path* is looked for in, each with its name in a warning, and
    *path* relative to them: the source folder for a path starting with ``/``; else
    the bibliography file's folder, then the folders *dirs* gives for *field*."""
    srcdir_abs = os.path.abspath(srcdir)
    if path.startswith("/"):
        return [("the source folder", srcdir_abs)], path.lstrip("/")
    bibdir = os.path.dirname(os.path.abspath(record.source.path))
    bases = [(_shown_dir(bibdir, srcdir_abs), bibdir)]
    for folder in (dirs if dirs is not None else ALFOLIO_DIRS).get(field, ()):
        base = os.path.normpath(os.path.join(srcdir_abs, folder.strip("/")))
        if base not in [known for _, known in bases]:
            bases.append((_shown_dir(base, srcdir_abs), base))
    return bases, path


def _shown_dir(folder: str, srcdir: str) -> str:
    """*folder* as a warning names it: relative to the source folder, ``/``-separated."""
    if _inside(srcdir, folder):
        relative = os.path.relpath(folder, srcdir).replace(os.sep, "/")
        return "the source folder" if relative == "." else relative + "/"
    return folder


def _candidate(written: str, srcdir: str, rules: PublishRules) -> str | tuple[str, bool]:
    """The real path of the candidate file *written*, or why it may not be published
    and whether it exists."""
    real_srcdir = os.path.realpath(srcdir)
    full = os.path.realpath(written)
    exists = os.path.isfile(full)
    if not _inside(real_srcdir, full):
        return ("is outside the project", exists)
    # the path as written (``a/../.env``, a link named ``.hidden``) and the file it is
    names = [os.path.relpath(full, real_srcdir).split(os.sep)]
    if _inside(os.path.abspath(srcdir), written):
        names.append(os.path.relpath(written, os.path.abspath(srcdir)).split(os.sep))
    for parts in names:
        parts = [part for part in parts if part not in ("", ".")]
        reason = _private_name(parts)
        if reason is not None:
            return (reason, exists)
    for output in rules.outputs:
        output = os.path.realpath(output) if output else ""
        # a source folder inside the output folder (sphinx-build docs/src docs) is
        # the project's: only the output's own files are refused
        if output and _inside(output, full) and not _inside(output, real_srcdir):
            return ("is in the build's output", exists)
    for parts in names:
        setting = _excluded([part for part in parts if part not in ("", ".")], rules)
        if setting is not None:
            return (f"is excluded by {setting}", exists)
    return full

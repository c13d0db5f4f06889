"""``python -m sphinx_pubs check``: lint bibliographies the way the build sees them.

:func:`check` runs the build's own pipeline on a list of files, without Sphinx: the
one the ``publications`` directive runs (:mod:`sphinx_pubs.vet`: the files read in
order, ``@string`` macros of earlier files visible to later ones, merged, crossrefs
completed, each entry vetted), and the check of the project files its links name
(:func:`~sphinx_pubs.view.files.project_file`).  So it finds exactly the problems a
``publications`` directive listing the same files would report as warnings, with the
same messages and subtypes.

Every problem the build would warn about is an error here; what the build accepts
silently (an entry whose year is "in press", an empty file) is no problem.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from sphinx_pubs.core.model import Problem, Publication, printable
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.export import DOWNLOAD_HIDDEN
from sphinx_pubs.vet import read_list, vet_entry
from sphinx_pubs.view.files import file_dirs as links_file_dirs
from sphinx_pubs.view.files import project_file


@dataclass(frozen=True)
class Result:
    """What :func:`check` found."""

    #: the problems, sorted by file (in the order the files were given), then line
    problems: list[Problem]
    #: entries a list of these files would show
    entries: int
    #: the files given (duplicates dropped), in order
    files: tuple[str, ...]
    #: those of :attr:`files` that could not be read at all
    unreadable: tuple[str, ...]

    @property
    def files_with_problems(self) -> int:
        return len({problem.source.path for problem in self.problems})


def _unreadable(problems: Iterable[Problem]) -> bool:
    """Whether a file's problems say it could not be read (a ``bibfile`` problem
    about the whole file: not found, a folder, no permission)."""
    return any(p.subtype == Subtype.BIBFILE and not p.source.line for p in problems)


def check(
    paths: Sequence[str],
    encoding: str = "utf-8",
    srcdir: str = ".",
    link_fields: dict[str, str] | None = None,
    suppress: Iterable[str] = (),
    file_dirs: dict[str, list[str]] | None = None,
) -> Result:
    """Check the bibliography files *paths*, read as one list in this order.

    *encoding* is ``pubs_bib_encoding``; *srcdir* the Sphinx source folder (link
    paths starting with ``/`` are relative to it and project files must be inside
    it); *link_fields* is ``pubs_link_fields``; *file_dirs* is ``pubs_file_dirs``
    (al-folio's folders are searched by default); *suppress* lists subtypes to leave
    out, as ``suppress_warnings`` does (``"pubs.latex"``, or ``"pubs"`` for all).
    Never raises for bad input: everything wrong is a :class:`Problem`.
    """
    files = tuple(dict.fromkeys(os.path.normpath(path) for path in paths))
    read = read_list(list(files), encoding, {})
    unreadable = dict.fromkeys(f.path for f in read.files if _unreadable(f.problems))
    extra = {name.lower(): label for name, label in (link_fields or {}).items()}
    problems = read.problems + _vetted(read.records, extra, srcdir, links_file_dirs(file_dirs))
    return Result(_shown(problems, suppress, files), len(read.records), files, tuple(unreadable))


def _vetted(
    records: list[Publication],
    link_fields: dict[str, str],
    srcdir: str,
    dirs: dict[str, tuple[str, ...]],
) -> list[Problem]:
    """The problems of the entries a list of *records* shows, as the build finds them
    (:func:`~sphinx_pubs.vet.vet_entry`, then the project files its links name)."""
    problems: list[Problem] = []
    for record in records:
        # as a list with the default settings: abstracts shown, pubs_downloads = ["bib"]
        links, found = vet_entry(record, link_fields, True, DOWNLOAD_HIDDEN)
        problems += found
        for link in links:
            if link.path is not None:
                full = project_file(record, link.field, link.path, srcdir, None, dirs, link.read)
                if isinstance(full, Problem):
                    problems.append(full)
    return problems


def _shown(
    problems: list[Problem], suppress: Iterable[str], files: tuple[str, ...]
) -> list[Problem]:
    r"""*problems* once each (a file listed twice is reported once, as by the build),
    without the *suppress*\ ed subtypes, sorted by file (in the order of *files*), then
    line."""
    hidden = {name.strip().lower().removeprefix("pubs.") for name in suppress}
    shown = [
        problem
        for problem in dict.fromkeys(problems)  # once each, in the order found
        if "pubs" not in hidden and problem.subtype not in hidden
    ]
    order = {path: index for index, path in enumerate(files)}
    shown.sort(key=lambda p: (order.get(p.source.path, len(order)), p.source.path, p.source.line))
    return shown


# -- output ----------------------------------------------------------------------------
#: what :func:`shown` writes as an escape besides :func:`~sphinx_pubs.core.model.printable`'s
#: control characters: line ends (a file named ``a\nb.bib`` must not start a report
#: line of its own) and lone surrogates (a file name that is not UTF-8)
_UNSHOWN = re.compile(r"[\n\ud800-\udfff]")


def shown(text: str) -> str:
    """*text* (a file name, a message) as one line of printable text."""
    return _UNSHOWN.sub(_escape, printable(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def warning_type(problem: Problem) -> str:
    """``pubs.<subtype>`` of *problem*, as the build's warning names it (by the
    subtype's value: a ``Subtype`` member formats as its name from Python 3.12)."""
    return f"pubs.{Subtype(problem.subtype).value}"


def line_of(problem: Problem) -> str:
    """*problem* as the build's warning shows it, without ``WARNING:``:
    ``file:line: message [pubs.subtype]``, on one line whatever the file name."""
    return shown(f"{problem.source}: {problem.message} [{warning_type(problem)}]")


def as_json(problems: Sequence[Problem]) -> str:
    """*problems* as a JSON list of ``{file, line, message, subtype}`` (line 0: the
    whole file)."""
    items = [
        {
            "file": shown(problem.source.path),
            "line": problem.source.line,
            "message": shown(problem.message),
            "subtype": warning_type(problem),
        }
        for problem in problems
    ]
    return json.dumps(items, indent=2, ensure_ascii=False)


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary(result: Result) -> str:
    """``3 problems in 2 files; 120 entries`` or ``120 entries, no problems``."""
    entries = _count(result.entries, "entry", "entries")
    if not result.problems:
        return f"{entries}, no problems"
    return (
        f"{_count(len(result.problems), 'problem', 'problems')} in "
        f"{_count(result.files_with_problems, 'file', 'files')}; {entries}"
    )


def exit_code(result: Result) -> int:
    """0: no problems; 1: problems; 2: none of the files could be read."""
    if not result.files or len(result.unreadable) == len(result.files):
        return 2
    return 1 if result.problems else 0


def run(
    paths: Sequence[str],
    *,
    encoding: str = "utf-8",
    srcdir: str = ".",
    link_fields: dict[str, str] | None = None,
    suppress: Iterable[str] = (),
    file_dirs: dict[str, list[str]] | None = None,
    output: str = "text",
    quiet: bool = False,
    out: TextIO,
    err: TextIO,
) -> int:
    """Check *paths* and write the report: in ``text``, one line per problem on *out*
    (unless *quiet*), then the summary; in ``json``, the list on *out* and the
    summary on *err* (unless *quiet*).  Returns the exit code."""
    result = check(paths, encoding, srcdir, link_fields, suppress, file_dirs)
    if output == "json":
        out.write(as_json(result.problems) + "\n")
        if not quiet:
            err.write(summary(result) + "\n")
    else:
        if not quiet:
            for problem in result.problems:
                out.write(line_of(problem) + "\n")
        out.write(summary(result) + "\n")
    return exit_code(result)

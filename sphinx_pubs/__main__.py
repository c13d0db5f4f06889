"""The ``sphinx-pubs`` command (also ``python -m sphinx_pubs``): argument parsing only;
the work is in :mod:`sphinx_pubs.check` and :mod:`sphinx_pubs.alfolio`."""

from __future__ import annotations

import argparse
import codecs
import io
import os
import sys
from collections.abc import Sequence


def _link_field(text: str) -> tuple[str, str]:
    name, equals, label = text.partition("=")
    if not equals or not name.strip() or not label.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=LABEL, got {text!r}")
    return name.strip().lower(), label.strip()


def _file_dir(text: str) -> tuple[str, str]:
    name, equals, folder = text.partition("=")
    if not equals or not name.strip() or not folder.strip().strip("/"):
        raise argparse.ArgumentTypeError(f"expected FIELD=FOLDER, got {text!r}")
    return name.strip().lower(), folder.strip().strip("/")


def _encoding(text: str) -> str:
    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {text!r}") from None
    return text


def _folder(text: str) -> str:
    if not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"not a folder: {text!r}")
    return text


def parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The command line: ``--version`` and the commands ``check`` and ``alfolio``."""
    from sphinx_pubs import __version__

    main = argparse.ArgumentParser(
        prog=prog,
        description="Tools for sphinx-pubs bibliographies.",
    )
    main.add_argument("--version", action="version", version=f"sphinx-pubs {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    _check_parser(commands)
    _alfolio_parser(commands)
    return main


def _check_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``check`` command's arguments."""
    check = commands.add_parser(
        "check",
        help="lint bibliography files the way the Sphinx build reads them",
        description=(
            "Read the files as one publications list reads them (in order; @string "
            "macros of a file are defined in the files after it; a key seen in an "
            "earlier file wins) and report every problem the build would warn about, "
            "as file:line: message [pubs.subtype]. Exit status: 0 no problems, "
            "1 problems found, 2 usage error or no file could be read."
        ),
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="bibliography files")
    _project_arguments(check)
    _report_arguments(check)


def _project_arguments(check: argparse.ArgumentParser) -> None:
    """The arguments that say what the build's ``conf.py`` says: ``pubs_*`` settings
    and the source folder."""
    check.add_argument(
        "--encoding",
        type=_encoding,
        default="utf-8",
        help="encoding of the files, like pubs_bib_encoding (default: utf-8)",
    )
    check.add_argument(
        "--srcdir",
        type=_folder,
        default=".",
        metavar="DIR",
        help="the Sphinx source folder: /-paths in link fields are relative to it, and "
        "project files must be inside it (default: the current folder)",
    )
    check.add_argument(
        "--link-field",
        type=_link_field,
        action="append",
        default=[],
        metavar="NAME=LABEL",
        help="a link field of the project, like pubs_link_fields (repeatable)",
    )
    check.add_argument(
        "--file-dir",
        type=_file_dir,
        action="append",
        default=[],
        metavar="FIELD=FOLDER",
        help="a folder of the source folder where FIELD's files are looked for after the "
        ".bib's folder, like pubs_file_dirs (repeatable; default: al-folio's folders)",
    )


def _report_arguments(check: argparse.ArgumentParser) -> None:
    """The arguments that say which problems are reported, and how."""
    check.add_argument(
        "--suppress",
        action="append",
        default=[],
        metavar="SUBTYPE",
        help="leave out problems of this subtype, like suppress_warnings "
        "(pubs.latex, ...; repeatable)",
    )
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one line per problem and a summary; json: a list of "
        "{file, line, message, subtype} (the summary goes to stderr)",
    )
    check.add_argument("-q", "--quiet", action="store_true", help="print only the summary")


def _dirs(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    dirs: dict[str, list[str]] = {}
    for name, folder in pairs:
        dirs.setdefault(name, []).append(folder)
    return dirs


def _alfolio_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``alfolio`` command's arguments."""
    alfolio = commands.add_parser(
        "alfolio",
        help="the conf.py settings of an al-folio site",
        description=(
            "Read an al-folio site's _config.yml (scholar: names, source, bibliography; "
            "max_author_limit, filtered_bibtex_keywords), _data/venues.yml and "
            "_data/coauthors.yml, and print the conf.py lines that mean the same "
            "(pubs_bibfiles, pubs_highlight_authors, pubs_max_authors, "
            "pubs_bibtex_hidden_fields, pubs_venues, pubs_author_links). Problems and "
            "next steps go to stderr. Nothing is copied unless --copy-bib is given, and "
            "no file is overwritten without --force. Exit status: 0 done, 2 not an "
            "al-folio site or a usage error. Needs PyYAML (pip install "
            "'sphinx-pubs[alfolio]')."
        ),
    )
    alfolio.add_argument("site", type=_folder, metavar="SITE_DIR", help="the al-folio site")
    alfolio.add_argument(
        "--out", metavar="FILE", help="write the conf.py lines to FILE (default: stdout)"
    )
    alfolio.add_argument(
        "--page",
        metavar="FILE",
        help="also write the publications page (FILE.rst, or FILE.md for MyST)",
    )
    alfolio.add_argument(
        "--srcdir",
        metavar="DIR",
        help="the Sphinx source folder, which pubs_bibfiles is relative to "
        "(default: the folder of --out, else the current folder)",
    )
    alfolio.add_argument(
        "--copy-bib",
        metavar="DEST",
        help="copy the bibliography to DEST (a file, or a folder) and name the copy in "
        "pubs_bibfiles",
    )
    alfolio.add_argument(
        "--force", action="store_true", help="overwrite --out, --page and --copy-bib files"
    )


def _prog() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "sphinx-pubs" if name.startswith("sphinx-pubs") else "python -m sphinx_pubs"


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # a message with characters the terminal cannot show must not stop the report
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    args = parser(_prog()).parse_args(argv)
    if args.command is None:
        parser(_prog()).print_help(sys.stderr)
        return 2
    if args.command == "alfolio":
        return _alfolio(args)
    return _check(args)


def _alfolio(args: argparse.Namespace) -> int:
    from sphinx_pubs import alfolio

    try:
        return alfolio.run(
            args.site,
            out=args.out,
            page=args.page,
            srcdir=args.srcdir,
            copy_bib=args.copy_bib,
            force=args.force,
            stdout=sys.stdout,
            stderr=sys.stderr,
        )
    except BrokenPipeError:  # `sphinx-pubs alfolio SITE | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _check(args: argparse.Namespace) -> int:
    from sphinx_pubs.check import run

    try:
        return run(
            args.files,
            encoding=args.encoding,
            srcdir=args.srcdir,
            link_fields=dict(args.link_field),
            suppress=args.suppress,
            file_dirs=_dirs(args.file_dir),
            output=args.format,
            quiet=args.quiet,
            out=sys.stdout,
            err=sys.stderr,
        )
    except BrokenPipeError:  # `sphinx-pubs check ... | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""Bibliography sources: read files into records, once.

:func:`load` returns the parsed content of a file, reusing a cached parse while the
file's modification time and size are unchanged.  The cache is a plain ``dict`` the
caller owns (the extension keeps it in the Sphinx environment, so it survives
incremental builds and is merged back from parallel readers).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..model import Problem, Publication, Source
from .bibtex import read_bibtex_text


@dataclass
class BibFile:
    """The parsed content of one bibliography file."""

    path: str
    #: ``(mtime_ns, size, encoding)`` of the file when it was parsed
    stamp: tuple[int, int, str]
    records: list[Publication] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def file_stamp(path: str, encoding: str) -> tuple[int, int, str] | None:
    """What the cache is keyed on; None when the file cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, encoding)


def decode_bytes(data: bytes, encoding: str) -> tuple[str, str | None]:
    """Text of *data* in *encoding*; on failure Latin-1 and a message saying so."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            encoding = "utf-8"
    try:
        return data.decode(encoding), None
    except (UnicodeDecodeError, LookupError) as error:
        if isinstance(error, UnicodeDecodeError):
            line = data.count(b"\n", 0, error.start) + 1
            reason = f"line {line} is not valid {encoding}"
        else:
            reason = f"unknown encoding {encoding!r}"
        return data.decode("latin-1"), (
            f"{reason}; read as Latin-1 instead (set pubs_bib_encoding to the "
            "file's encoding)"
        )


def parse_file(path: str, encoding: str = "utf-8") -> BibFile:
    """Read and parse the file at *path*, never raising for bad input."""
    stamp = file_stamp(path, encoding)
    if stamp is None:
        problem = Problem(Source(path), "bibliography file not found", "bibfile")
        return BibFile(path, (0, -1, encoding), problems=[problem])
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        problem = Problem(Source(path), f"cannot read file: {error.strerror}", "bibfile")
        return BibFile(path, stamp, problems=[problem])
    text, message = decode_bytes(data, encoding)
    problems = [Problem(Source(path), message, "encoding")] if message else []
    records, more = read_bibtex_text(path, text)
    return BibFile(path, stamp, records, problems + more)


def load(path: str, encoding: str, cache: dict[str, BibFile]) -> tuple[BibFile, bool]:
    """The parsed file at *path*, from *cache* when unchanged; and whether it was parsed now."""
    cached = cache.get(path)
    if cached is not None and cached.stamp == file_stamp(path, encoding):
        return cached, False
    parsed = parse_file(path, encoding)
    if parsed.stamp[1] >= 0:
        cache[path] = parsed
    else:
        cache.pop(path, None)
    return parsed, True

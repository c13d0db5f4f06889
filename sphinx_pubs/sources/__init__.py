"""Bibliography sources: read files into records, once.

:func:`load` returns the parsed content of a file, reusing a cached parse while the
file's modification time and size are unchanged, and also when they changed but the
bytes did not (a touched or re-saved file is hashed, not parsed).  The cache is a
plain ``dict`` the caller owns (the extension keeps it in the Sphinx environment, so
it survives incremental builds and is merged back from parallel readers).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from dataclasses import dataclass, field, replace

from sphinx_pubs.core.model import Content, Problem, Publication, Source, clean_record
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.sources.bibtex import read_bibtex


@dataclass
class BibFile:
    """The parsed content of one bibliography file."""

    path: str
    #: ``(mtime_ns, size, encoding)`` of the file when it was parsed
    stamp: tuple[int, int, str]
    #: hash of the file's bytes
    digest: str = ""
    records: list[Publication] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: BibTeX ``@string`` macros the file defines, for the files after it in a list
    macros: dict[str, str] = field(default_factory=dict)
    #: macros the file uses without defining them (lower-case names)
    undefined: frozenset[str] = frozenset()
    #: the macros of earlier files it was parsed with (see :func:`load`)
    given: tuple[tuple[str, str], ...] = ()

    def find(self, key: str) -> Publication | None:
        """The record with citation key *key* (the first, as duplicates are skipped)."""
        index = self.__dict__.get("_by_key")
        if index is None:
            index = self.__dict__["_by_key"] = {record.key: record for record in self.records}
        return index.get(key)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_by_key", None)  # rebuilt on demand
        return state


def file_stamp(path: str, encoding: str) -> tuple[int, int, str] | None:
    """What the cache is keyed on; None when the file cannot be read."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return None
    return (info.st_mtime_ns, info.st_size, encoding)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes, encoding: str) -> tuple[str, str | None, int]:
    """Text of *data* in *encoding*.

    When the bytes are not valid in *encoding*, they are read as Latin-1 (which never
    fails) and a message and the line of the first bad byte (0 for the whole file) say so.
    """
    for bom, bom_encoding in _BOMS:
        # a byte-order mark says what the file is, whatever the setting
        if data.startswith(bom):
            data, encoding = data[len(bom) :], bom_encoding
            break
    try:
        return data.decode(encoding), None, 0
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        reason = f"not valid {encoding}"
    except UnicodeError:  # codecs such as "punycode" raise their own errors
        line = 0
        reason = f"cannot be read as {encoding}"
    except LookupError:
        line = 0
        reason = f"unknown encoding {encoding!r}"
    return (
        data.decode("latin-1"),
        f"{reason}; read as Latin-1 instead (set pubs_bib_encoding to the file's encoding)",
        line,
    )


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


#: the largest bibliography file read, in bytes (64 MiB: some hundred thousand
#: entries); a larger file is refused with a ``pubs.bibfile`` warning
MAX_FILE_SIZE = 64 * 1024 * 1024

#: how files are opened: never waiting for a writer (a FIFO), never becoming the
#: controlling terminal; binary on Windows
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def _refusal(mode: int, size: int) -> str | None:
    """Why a file of this ``st_mode`` and size is not read, or None."""
    if stat.S_ISDIR(mode):
        return "is a folder, not a bibliography file"
    if not stat.S_ISREG(mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        return f"is {kind}, not a regular file; not read"
    if size > MAX_FILE_SIZE:
        return (
            f"is larger than {MAX_FILE_SIZE // (1024 * 1024)} MiB ({size} bytes), "
            "the most sphinx-pubs reads; not read"
        )
    return None


def file_digest(path: str) -> str | None:
    """The hash :class:`BibFile` records of the file at *path*; None when it cannot
    be read."""
    data, _ = _read(path)
    return None if data is None else _digest(data)


def _read(path: str) -> tuple[bytes | None, Problem | None]:
    """The bytes of the regular file at *path*, or the problem with it.

    The file's type is looked at before it is opened, and again on what was opened,
    so that a FIFO, a device (``/dev/zero``), a folder or a file larger than
    :data:`MAX_FILE_SIZE` is refused without waiting or reading.
    """

    def problem(reason: str) -> tuple[None, Problem]:
        return None, Problem(Source(path), reason, Subtype.BIBFILE)

    try:
        info = os.stat(path)
        why = _refusal(info.st_mode, info.st_size)
        if why:
            return problem(why)
        descriptor = os.open(path, _OPEN_FLAGS)
        with os.fdopen(descriptor, "rb") as stream:
            info = os.fstat(stream.fileno())  # what was opened, if the file changed
            why = _refusal(info.st_mode, info.st_size)
            if why:
                return problem(why)
            data = stream.read(MAX_FILE_SIZE + 1)
    except FileNotFoundError:
        return problem("bibliography file not found")
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        reason = getattr(error, "strerror", None) or str(error)
        return problem(f"cannot read file: {reason}")
    if len(data) > MAX_FILE_SIZE:  # it grew since
        return problem(_refusal(stat.S_IFREG, len(data)) or "")
    return data, None


def parse_bytes(
    path: str, data: bytes, encoding: str, macros: dict[str, str] | None = None
) -> Content:
    """Records and problems of a file's content; *macros* are BibTeX macros defined
    by the files before it."""
    text, message, line = decode_bytes(data, encoding)
    problems = [Problem(Source(path, line), message, Subtype.ENCODING)] if message else []
    if path.lower().endswith(".json"):  # CSL-JSON (Zotero, Mendeley, pandoc...)
        from sphinx_pubs.sources.csl import read_csl_text

        records, more = read_csl_text(path, text)
        return Content([clean_record(record) for record in records], problems + more)
    content = read_bibtex(path, text, macros)
    # no control character of a file reaches an output file (model.clean_record)
    records = [clean_record(record) for record in content.records]
    return content._replace(records=records, problems=problems + content.problems)


def parse_file(path: str, encoding: str = "utf-8", macros: dict[str, str] | None = None) -> BibFile:
    """Read and parse the file at *path*, never raising for bad input."""
    stamp = file_stamp(path, encoding)
    data, problem = _read(path) if stamp is not None else (None, None)
    if stamp is None or data is None:
        if problem is None:
            problem = Problem(Source(path), "bibliography file not found", Subtype.BIBFILE)
        return BibFile(path, stamp or (0, -1, encoding), problems=[problem])
    content = parse_bytes(path, data, encoding, macros)
    return BibFile(
        path,
        stamp,
        _digest(data),
        content.records,
        content.problems,
        content.macros,
        content.undefined,
        tuple(sorted((macros or {}).items())),
    )


def cache_key(path: str, given: tuple[tuple[str, str], ...] = ()) -> str:
    """Where :func:`load` keeps a file parsed with the macros *given* by earlier files."""
    if not given:
        return path
    return f"{path}\0{_digest(repr(given).encode('utf-8'))}"


def path_of(key: str) -> str:
    """The file of a cache key."""
    return key.split("\0", 1)[0]


def load(
    path: str,
    encoding: str,
    cache: dict[str, BibFile],
    macros: dict[str, str] | None = None,
) -> tuple[BibFile, bool]:
    """The parsed file at *path* and whether it was parsed now (else it came from *cache*).

    The cache entry is reused when the file's stamp (modification time, size,
    encoding) is unchanged, or when only the stamp changed and the bytes hash the same.

    *macros* are the ``@string`` macros of the files before this one in a list.  A
    file that uses none of them is parsed (and cached) on its own; one that does is
    parsed again with those it uses, and that parse is cached beside the first.
    """
    base, parsed_now = _load(path, encoding, cache, ())
    given = tuple(
        sorted((name, macros[name]) for name in base.undefined if macros and name in macros)
    )
    if not given:
        return base, parsed_now
    key = cache_key(path, given)
    stale = cache.get(key)
    if stale is not None and stale.digest != base.digest:
        # parsed from other bytes (the file was gone, then came back with its old
        # time and size): its stamp cannot tell
        del cache[key]
    variant, variant_now = _load(path, encoding, cache, given)
    return variant, parsed_now or variant_now


def _load(
    path: str, encoding: str, cache: dict[str, BibFile], given: tuple[tuple[str, str], ...]
) -> tuple[BibFile, bool]:
    key = cache_key(path, given)
    stamp = file_stamp(path, encoding)
    cached = cache.get(key)
    if cached is not None and stamp is not None:
        if cached.stamp == stamp:
            return cached, False
        if cached.stamp[2] == encoding and cached.stamp[1] == stamp[1]:
            data, _ = _read(path)
            if data is not None and _digest(data) == cached.digest:
                cache[key] = cached = replace(cached, stamp=stamp)
                return cached, False
    parsed = parse_file(path, encoding, dict(given))
    if parsed.stamp[1] >= 0 and parsed.digest:
        cache[key] = parsed
    else:
        cache.pop(key, None)
    return parsed, True


def load_all(
    paths: list[str], encoding: str, cache: dict[str, BibFile]
) -> list[tuple[BibFile, bool]]:
    """Each file of a list, parsed as BibTeX reads several files: the ``@string``
    macros of a file are defined for the files after it."""
    macros: dict[str, str] = {}
    out = []
    for path in paths:
        bibfile, parsed_now = load(path, encoding, cache, macros)
        macros.update(bibfile.macros)
        out.append((bibfile, parsed_now))
    return out

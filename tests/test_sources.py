"""Caching and rebuilds: an unchanged .bib is never parsed again, a changed one
re-reads exactly the documents that list it; parallel builds match serial ones."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from helpers import text_of

import sphinx_pubs.sources as sources

A_BIB = "@article{a, title = {Title A}, author = {Ann Author}, year = 2020}\n"
B_BIB = "@article{b, title = {Title B}, author = {Bob Builder}, year = 2021}\n"

FILES = {
    "index.rst": "Home\n====\n\n.. toctree::\n\n   a\n   b\n   c\n   a2\n",
    "a.rst": "A\n=\n\n.. publications:: a.bib\n",
    "a2.rst": "A again\n=======\n\n.. publications:: a.bib\n",
    "b.rst": "B\n=\n\n.. publications:: b.bib\n",
    "c.rst": "C\n=\n\nNo list here.\n",
    "a.bib": A_BIB,
    "b.bib": B_BIB,
}


class ParseCounter:
    """Counts real parses by wrapping the real parse function."""

    def __init__(self, monkeypatch):
        self.paths: list[str] = []
        real = sources.parse_file

        def counting(path, encoding="utf-8", macros=None):
            self.paths.append(os.path.basename(path))
            return real(path, encoding, macros)

        monkeypatch.setattr(sources, "parse_file", counting)


def _touch(path: Path, text: str | None = None) -> None:
    """Rewrite (or just touch) *path*, with a modification time after the last build."""
    time.sleep(0.01)
    if text is not None:
        path.write_text(text, encoding="utf-8")
    now = time.time()
    os.utime(path, (now, now))


def test_rebuilds(build_project, monkeypatch):
    counter = ParseCounter(monkeypatch)
    app = build_project(FILES, freshenv=False)
    srcdir = Path(app.srcdir)
    read = app.read
    assert read == ["a", "a2", "b", "c", "index"]
    # a.bib is used by two documents but parsed once
    assert sorted(counter.paths) == ["a.bib", "b.bib"]

    # a no-op rebuild reads and parses nothing
    counter.paths.clear()
    app = build_project(srcdir=srcdir, freshenv=False)
    read = app.read
    assert read == []
    assert counter.paths == []

    # editing a.bib re-reads exactly the documents that list it, and parses it once
    _touch(srcdir / "a.bib", A_BIB.replace("Title A", "Title A, revised"))
    app = build_project(srcdir=srcdir, freshenv=False)
    read = app.read
    assert read == ["a", "a2"]
    assert counter.paths == ["a.bib"]
    page = app.soup("a")
    assert text_of(page.select_one("#pub-a .pub-title")) == "Title A, revised"

    # touching a.bib without changing it re-reads nothing: the files are compared
    # by content (their bytes hash the same), not by modification time
    counter.paths.clear()
    _touch(srcdir / "a.bib")
    app = build_project(srcdir=srcdir, freshenv=False)
    read = app.read
    assert read == []
    assert counter.paths == []

    # editing an unrelated page parses nothing
    counter.paths.clear()
    _touch(srcdir / "c.rst", FILES["c.rst"] + "\nMore text.\n")
    app = build_project(srcdir=srcdir, freshenv=False)
    read = app.read
    assert read == ["c"]
    assert counter.paths == []


def test_parallel_build_matches_serial(build_project):
    files = dict(FILES)
    # enough documents for Sphinx to really read in parallel
    for number in range(8):
        files[f"extra{number}.rst"] = f"Extra {number}\n========\n\n.. publications:: a.bib b.bib\n"
    files["index.rst"] += "".join(f"   extra{number}\n" for number in range(8))
    outputs = {}
    for jobs in (1, 2):
        app = build_project(files, parallel=jobs)
        assert app.statuscode == 0
        outputs[jobs] = {
            name: (Path(app.outdir) / f"{name}.html").read_bytes()
            for name in ["a", "a2", "b", "extra0", "extra7"]
        }
        shutil.rmtree(Path(app.outdir) / "_static", ignore_errors=True)
    assert outputs[1] == outputs[2]
    assert b"Title B" in outputs[2]["extra7"]

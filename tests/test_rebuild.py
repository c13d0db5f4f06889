"""Rebuilds are exact whatever the clock says, and each problem is reported once.

Sphinx decides what to read again by modification times; sphinx-pubs decides by the
bibliography files' content (``PubsState.outdated``, the ``env-get-outdated`` hook), so
a .bib replaced by an edited copy with an older time, or deleted and restored, is
read again, and one merely touched is not.  The problems of a file are reported once
per build, however many lists and pages show it, the same under ``-j 2``.
"""

from __future__ import annotations

import os
import posixpath
import time
from collections import Counter
from pathlib import Path

import pytest
from helpers import soup, text_of, warnings_of, write_project
from sphinx.util.inventory import InventoryFile
from test_check import BROKEN

OLD = "@article{ko, title = {Old Title}, author = {Ann Ko}, year = 2020}\n"
NEW = "@article{ko, title = {New Title}, author = {Ann Ko}, year = 2020}\n"
assert len(OLD) == len(NEW)  # the same size: only the bytes tell them apart

FILES = {
    "conf.py": 'extensions = ["sphinx_pubs"]\npubs_paper_pages = True\n',
    "index.rst": "Home\n====\n\n.. toctree::\n\n   pubs\n   other\n",
    "pubs.rst": "Publications\n============\n\n.. publications:: refs.bib\n",
    "other.rst": "Other\n=====\n\nNo list.\n",
    "refs.bib": OLD,
}

#: a time well before any build of the test
LONG_AGO = time.time() - 10 * 86400


def _set_time(path: Path, when: float) -> None:
    os.utime(path, (when, when))


def _pubs_warnings(app) -> list[str]:
    """The build's pubs.* warnings (a second application in one process also warns
    that Sphinx's nodes are registered again)."""
    return [line for line in warnings_of(app) if "[pubs." in line]


def shown(app) -> dict[str, str]:
    """The title of entry ``ko`` as each output shows it ("" where it is missing)."""
    out = Path(app.outdir)
    page = soup(out / "pubs.html")
    paper = out / "papers" / "ko.html"
    download = out / "_pubs" / "pubs" / "pubs.bib"
    json_ld = " ".join(
        script.string or "" for script in page.find_all("script", type="application/ld+json")
    )
    with open(out / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "https://example.org", posixpath.join)
    items = dict(inventory.get("pub:publication", {}).items())
    item = items.get("ko")
    return {
        "list": text_of(page.select_one("#pub-ko .pub-title")),
        "paper": text_of(soup(paper).select_one("h1")) if paper.is_file() else "",
        "download": download.read_text(encoding="utf-8") if download.is_file() else "",
        "json-ld": json_ld,
        "inventory": "" if item is None else getattr(item, "display_name", None) or item[3],
    }


def assert_shows(app, title: str) -> None:
    outputs = shown(app)
    assert outputs["list"] == title
    assert outputs["paper"].startswith(title)
    assert f"title = {{{title}}}" in outputs["download"]
    assert title in outputs["json-ld"]
    assert outputs["inventory"] == title
    other = "New Title" if title == "Old Title" else "Old Title"
    assert all(other not in text for text in outputs.values())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    srcdir = write_project(tmp_path / "src", FILES)
    _set_time(srcdir / "refs.bib", LONG_AGO)
    return srcdir


def test_edited_copy_with_an_older_time_is_read_again(build_project, project: Path):
    app = build_project(srcdir=project, freshenv=False)
    read = app.read
    assert_shows(app, "Old Title")
    bib = project / "refs.bib"
    # cp -p of an edited copy, git checkout of an older commit: a time before the build
    bib.write_text(NEW, encoding="utf-8")
    _set_time(bib, LONG_AGO - 3600)
    app = build_project(srcdir=project, freshenv=False)
    read = app.read
    assert read == ["pubs"]
    assert_shows(app, "New Title")
    assert _pubs_warnings(app) == []
    # and nothing is read again when nothing changed
    app = build_project(srcdir=project, freshenv=False)
    read = app.read
    assert read == []
    assert_shows(app, "New Title")


def test_same_bytes_with_another_time_are_not_read_again(build_project, project: Path):
    build_project(srcdir=project, freshenv=False)
    bib = project / "refs.bib"
    for when in (LONG_AGO - 3600, time.time() + 5):  # older, then newer than the build
        bib.write_text(OLD, encoding="utf-8")
        _set_time(bib, when)
        app = build_project(srcdir=project, freshenv=False)
        read = app.read
        assert read == []
        assert_shows(app, "Old Title")


@pytest.mark.parametrize("restored", [OLD, NEW], ids=["same-content", "other-content"])
def test_deleted_and_restored(build_project, project: Path, restored: str):
    """Restored with the time and size it had: with its old bytes, or with others
    (which only the hash can tell)."""
    app = build_project(srcdir=project, freshenv=False)
    assert_shows(app, "Old Title")
    bib = project / "refs.bib"
    stat = bib.stat()
    bib.unlink()
    app = build_project(srcdir=project, freshenv=False)
    read = app.read
    assert read == ["pubs"]
    assert _pubs_warnings(app) == [
        f"{project / 'pubs.rst'}:4: WARNING: {bib}: bibliography file not found [pubs.bibfile]"
    ]
    assert shown(app)["list"] == ""
    bib.write_text(restored, encoding="utf-8")
    os.utime(bib, ns=(stat.st_mtime_ns, stat.st_mtime_ns))
    assert bib.stat().st_size == stat.st_size
    app = build_project(srcdir=project, freshenv=False)
    read = app.read
    assert read == ["pubs"]
    assert _pubs_warnings(app) == []
    assert_shows(app, "Old Title" if restored == OLD else "New Title")


def test_restored_file_read_with_the_macros_of_another(build_project, tmp_path: Path):
    """A file parsed with the ``@string`` macros of the file before it (a second cache
    entry) comes back with other bytes of the same size and time."""
    files = {
        **FILES,
        "pubs.rst": "Publications\n============\n\n.. publications:: strings.bib refs.bib\n",
        "strings.bib": "@string{jn = {Journal of Tests}}\n",
        "refs.bib": OLD.replace("year = 2020", "journal = jn, year = 2020"),
    }
    srcdir = write_project(tmp_path / "src", files)
    bib = srcdir / "refs.bib"
    _set_time(bib, LONG_AGO)  # before the first build
    app = build_project(srcdir=srcdir, freshenv=False)
    assert_shows(app, "Old Title")
    assert "Journal of Tests" in text_of(app.soup("pubs").select_one("#pub-ko"))
    stat = bib.stat()
    bib.unlink()
    build_project(srcdir=srcdir, freshenv=False)
    bib.write_text(files["refs.bib"].replace("Old", "New"), encoding="utf-8")
    os.utime(bib, ns=(stat.st_mtime_ns, stat.st_mtime_ns))
    app = build_project(srcdir=srcdir, freshenv=False)
    read = app.read
    assert read == ["pubs"]
    assert_shows(app, "New Title")
    assert "Journal of Tests" in text_of(app.soup("pubs").select_one("#pub-ko"))


# -- each problem once --------------------------------------------------------------
#: the broken file of test_check, a child whose parent is nowhere, and a file missing
CROSSREF = "\n@inproceedings{orphan, title = {An Orphan}, year = 2022, crossref = {nowhere}}\n"
PAGES = 8  # more than Sphinx's threshold for reading in parallel


def _problem_files(missing: bool = True) -> dict[str, str]:
    files = {
        "conf.py": 'extensions = ["sphinx_pubs"]\n',
        "index.rst": "Home\n====\n\n.. toctree::\n\n"
        + "".join(f"   page{n}\n" for n in range(PAGES)),
        "refs.bib": BROKEN + CROSSREF,
        "paper.pdf": "%PDF-1.4\n",
    }
    for n in range(PAGES):
        # every page shows the broken file, some twice, some with a missing one
        lists = [".. publications:: refs.bib\n"]
        if n % 2:
            lists.append(".. publications:: refs.bib\n   :bibtex:\n")
        if missing and n % 3 == 0:
            lists.append(".. publications:: refs.bib missing.bib\n")
        if n % 4 == 1:  # problems of a list's options, at the list
            lists.append(".. publications:: refs.bib\n   :keys: good nosuchkey\n")
            lists.append(".. publications:: refs.bib\n   :facets: year color\n")
        files[f"page{n}.rst"] = f"Page {n}\n{'=' * (5 + len(str(n)))}\n\n" + "\n".join(lists)
    return files


def test_each_problem_once_serial_and_parallel(build_project):
    built = {}
    for jobs in (1, 2):
        app = build_project(_problem_files(), parallel=jobs)
        srcdir = app.srcdir
        built[jobs] = [line.replace(str(srcdir), "SRC") for line in _pubs_warnings(app)]
    serial, parallel = built[1], built[2]
    assert Counter(parallel) == Counter(serial)
    assert parallel == serial  # in the same order, too: sorted by file and line
    # each once, though every page shows the file, some twice
    assert len(set(serial)) == len(serial)
    assert len(serial) >= 14
    bib_lines = [line for line in serial if line.startswith("SRC/refs.bib:")]
    numbers = [int(line.split(":")[1]) for line in bib_lines]
    assert numbers == sorted(numbers)
    assert any("crossref" in line and "nowhere" in line for line in bib_lines)
    options = [line for line in serial if "publications: :" in line]
    assert len(options) == 4  # two lists on each of two pages
    assert any(line.startswith("SRC/page1.rst:") and "nosuchkey" in line for line in options)
    # the missing file once, at the list of the first page that names it
    missing = [line for line in serial if "missing.bib" in line]
    assert missing == [
        "SRC/page0.rst:6: WARNING: SRC/missing.bib: bibliography file not found [pubs.bibfile]"
    ]


def test_problems_again_when_a_page_is_read_again(build_project):
    """A rebuild that reads a page again shows its file's problems again (once); one
    that reads nothing shows none."""
    app = build_project(_problem_files(missing=False), freshenv=False)
    srcdir = Path(app.srcdir)
    read = app.read
    first = _pubs_warnings(app)
    assert len(read) == PAGES + 1 and len(first) == len(set(first)) >= 14
    app = build_project(srcdir=srcdir, freshenv=False)
    read = app.read
    assert read == [] and _pubs_warnings(app) == []
    page = srcdir / "page5.rst"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    app = build_project(srcdir=srcdir, freshenv=False)
    read = app.read
    assert read == ["page5"]
    # the file's problems again, and the directive problems of the page read, not of others
    expected = [line for line in first if ".rst:" not in line or "/page5.rst:" in line]
    assert any("/page5.rst:" in line for line in expected)
    assert _pubs_warnings(app) == expected

"""sphinx_pubs/vet.py: the one read-and-vet pipeline of the directive and the check.

The check's and the build's agreement is tested on real builds in test_check.py; here
the pipeline's own steps: files read in order with the macros of earlier ones, merged,
crossrefs completed, and each entry's checks in the order the build reports them.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_pubs.core.model import Publication, Source
from sphinx_pubs.sources import BibFile
from sphinx_pubs.vet import read_list, vet_entry

FIRST = """@string{jml = {Journal of Machine Learning}}

@book{parent,
  title = {The Parent Book},
  publisher = {Press},
  year = {2019},
}

@article{shared,
  title = {The First Shared},
  year = {2020},
}
"""

SECOND = """@article{uses,
  title = {Uses a Macro},
  journal = jml,
  year = {2021},
}

@article{shared,
  title = {The Second Shared},
  year = {2018},
}

@incollection{child,
  title = {A Chapter},
  crossref = {parent},
}

@article{orphan,
  title = {An Orphan},
  year = {2022},
  crossref = {nowhere},
}
"""


def _files(tmp_path: Path) -> list[str]:
    first, second = tmp_path / "first.bib", tmp_path / "second.bib"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    return [str(first), str(second)]


def test_read_list_reads_in_order_merges_and_completes(tmp_path):
    read = read_list(_files(tmp_path), "utf-8", {})
    by_key = {record.key: record for record in read.records}
    assert list(by_key) == ["parent", "shared", "uses", "child", "orphan"]
    # a macro of an earlier file is defined in a later one
    assert by_key["uses"].fields["journal"] == "Journal of Machine Learning"
    # a key seen in an earlier file wins, the later one is a problem
    assert by_key["shared"].year == 2020
    # a child is completed from its parent
    assert by_key["child"].year == 2019
    subtypes = [problem.subtype for problem in read.problems]
    assert subtypes == ["duplicate", "entry"]  # the duplicate, then the missing parent
    assert "nowhere" in read.problems[1].message
    assert [bibfile.path for bibfile in read.files] == _files(tmp_path)


def test_read_list_uses_the_cache_and_keeps_repeats(tmp_path):
    missing = str(tmp_path / "missing.bib")
    cache: dict[str, BibFile] = {}
    first = read_list([missing, missing], "utf-8", cache)
    # a file given twice is there twice, with its problems (the callers report once)
    assert len(first.files) == 2
    assert [p.subtype for p in first.problems] == ["bibfile", "bibfile"]
    assert first.problems[0] == first.problems[1]
    paths = _files(tmp_path)
    once = read_list(paths, "utf-8", cache)
    again = read_list(paths, "utf-8", cache)
    assert all(a is b for a, b in zip(once.files, again.files, strict=True))


def test_vet_entry_reports_in_the_build_order():
    record = Publication(
        key="a key",
        type="article",
        source=Source("refs.bib", 3),
        fields={"url": "javascript:alert(1)", "bad name": "x"},
    )
    links, problems = vet_entry(record, {}, True, frozenset())
    assert [problem.subtype for problem in problems] == ["key", "link", "bibtex"]
    assert all(link.field != "url" for link in links)  # the unsafe link is dropped
    # a list that neither shows nor offers the entry's BibTeX does not check it
    _, without_bibtex = vet_entry(record, {}, True, None)
    assert [problem.subtype for problem in without_bibtex] == ["key", "link"]


def test_vet_entry_keeps_the_links_it_shows():
    record = Publication(
        key="good",
        type="article",
        source=Source("refs.bib", 1),
        fields={"pdf": "paper.pdf", "code": "https://example.org/code"},
    )
    links, problems = vet_entry(record, {"code": "Code"}, True, frozenset())
    assert problems == []
    assert {link.field: link.path for link in links} == {"pdf": "paper.pdf", "code": None}

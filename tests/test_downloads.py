"""Each list offers its entries as a .bib file (and CSL-JSON), written from the parsed
entries and chosen as the list chooses them; read back with pybtex and our readers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import soup, text_of, warnings_of
from pybtex.database import parse_string

from sphinx_pubs.sources.csl import read_csl_text


def download_links(app, page):
    html = app.soup(page)
    return [
        (text_of(a), a["href"], a.has_attr("download")) for a in html.select("div.pubs-downloads a")
    ]


def listed_keys(app, page, index=0):
    html = app.soup(page)
    keys = [li["id"].removeprefix("pub-") for li in html.select("div.pubs")[index].select("li.pub")]
    # an entry listed again (in a second keyword's group) has the id pub-<key>-2
    return list(dict.fromkeys(re.sub(r"-\d+$", "", key) for key in keys))


def test_bib_download_round_trips_through_pybtex(build_project):
    app = build_project(root="options", pages={"all": ".. publications::\n"})
    ((label, href, download),) = download_links(app, "all")
    assert (label, href, download) == ("BibTeX", "_pubs/all/all.bib", True)
    text = (Path(app.outdir) / href).read_text(encoding="utf-8")
    data = parse_string(text, "bibtex")  # strict: any error raises
    shown = listed_keys(app, "all")
    assert list(data.entries) == shown and len(shown) == 11
    sparse = data.entries["lee2024sparse"]
    # macros expanded, page-only fields left out, abstracts kept
    assert sparse.fields["journal"] == "Journal of Machine Learning Research"
    assert "selected" not in sparse.fields
    assert data.entries["okafor2024retrieval"].fields["abstract"].startswith("We show")
    assert [str(p) for p in sparse.persons["author"]] == [
        "Lee, Min-Ji",
        "Okafor, Chidi",
        "Schmidt, Anna",
    ]
    # the child completed from its parent in another file, no crossref left
    talk = data.entries["lee2022talk"]
    assert "crossref" not in talk.fields
    assert talk.fields["booktitle"] == "Proceedings of the Workshop on Efficient Models"


def test_the_download_is_chosen_as_the_list(build_project):
    pages = {
        "recent": (
            ".. publications::\n   :filter: year >= 2023\n   :sort: title\n   :group-by: none\n"
        ),
        "topics": ".. publications::\n   :group-by: keywords\n   :limit: 4\n",
    }
    app = build_project(root="options", pages=pages)
    for page in pages:
        ((_, href, _),) = download_links(app, page)
        data = parse_string((Path(app.outdir) / href).read_text(encoding="utf-8"), "bibtex")
        # in the order shown, each entry once (by keyword, entries repeat)
        assert list(data.entries) == listed_keys(app, page), page


def test_csl_json_download(build_project):
    app = build_project(
        root="options",
        pages={"all": ".. publications::\n"},
        conf='pubs_downloads = ["bib", "csl-json"]\n',
    )
    links = download_links(app, "all")
    assert [label for label, _, _ in links] == ["BibTeX", "CSL-JSON"]
    path = Path(app.outdir) / links[1][1]
    items = json.loads(path.read_text(encoding="utf-8"))
    assert [item["id"] for item in items] == listed_keys(app, "all")
    records, problems = read_csl_text(str(path), path.read_text(encoding="utf-8"))
    assert [r.key for r in records] == listed_keys(app, "all")
    by_key = {r.key: r for r in records}
    assert by_key["muller2023survey"].year == 2023 and by_key["muller2023survey"].month == 2
    # the one problem is the entry that has no year on the page either
    assert [p.message for p in problems] == [
        m for m in (p.message for p in problems) if "okafor2020notes" in m
    ]


def test_options_and_names(build_project):
    page = (
        ".. publications::\n   :filter: type == 'article'\n\n"
        ".. publications::\n   :filter: type != 'article'\n   :downloads: bib json\n\n"
        ".. publications::\n   :downloads: none\n\n"
        ".. publications::\n   :downloads: pdf\n"
    )
    app = build_project(root="options", pages={"two": page})
    html = app.soup("two")
    per_list = [
        [a["href"] for a in lst.select("div.pubs-downloads a")] for lst in html.select("div.pubs")
    ]
    assert per_list == [
        ["_pubs/two/two.bib"],
        ["_pubs/two/two-2.bib", "_pubs/two/two-2.json"],
        [],
        [],
    ]
    assert any(
        "two.rst:14:" in w and ":downloads: unknown format 'pdf'" in w for w in warnings_of(app)
    )


def test_dirhtml_and_translation(build_project):
    app = build_project(
        root="options",
        pages={"all": ".. publications::\n"},
        builder="dirhtml",
        conf='language = "de"\n',
    )
    html = app.soup("all/index")
    link = html.select_one("div.pubs-downloads a")
    assert link["href"] == "../_pubs/all/all.bib"
    assert (Path(app.outdir) / "all" / link["href"]).resolve().is_file()
    assert text_of(html.select_one(".pubs-downloads-label")) == "Herunterladen"


@pytest.mark.parametrize("builder", ["text", "latex", "epub", "singlehtml"])
def test_other_builders(build_project, builder):
    app = build_project(root="options", pages={"all": ".. publications::\n"}, builder=builder)
    assert not [w for w in warnings_of(app) if "Traceback" in w]
    if builder == "singlehtml":
        link = app.soup().select_one("div.pubs-downloads a")
        assert (Path(app.outdir) / link["href"]).is_file()
    else:
        assert not (Path(app.outdir) / "_pubs").exists()


def test_a_page_name_with_a_space(build_project):
    app = build_project(root="options", pages={"my pubs": ".. publications::\n   :limit: 2\n"})
    ((_, href, _),) = download_links(app, "my pubs")
    assert href == "_pubs/my%20pubs/my%20pubs.bib"
    assert (Path(app.outdir) / "_pubs" / "my pubs" / "my pubs.bib").is_file()


def _written(outdir: Path) -> dict[str, bytes]:
    folder = outdir / "_pubs"
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}


def test_parallel_writing_writes_the_files_as_serial_writing(build_project):
    # the files are written by a build step in the main process
    # (sphinx_ext/writers/downloads.py), the links by the HTML writer
    pages = {f"p{i}": ".. publications::\n   :downloads: bib csl-json\n" for i in range(8)}
    files, links = {}, {}
    for jobs in (1, 2):
        app = build_project(root="options", pages=pages, parallel=jobs)
        files[jobs] = _written(Path(app.outdir))
        links[jobs] = [download_links(app, page) for page in pages]
    assert files[2] == files[1]
    assert sorted(files[1]) == sorted(
        f"_pubs/{page}/{page}{suffix}" for page in pages for suffix in (".bib", ".json")
    )
    assert links[2] == links[1]


@pytest.mark.parametrize(
    ("builder", "page_path"), [("dirhtml", "all/index.html"), ("singlehtml", "index.html")]
)
def test_links_reach_the_files_in_other_html_builders(build_project, builder, page_path):
    app = build_project(
        root="options",
        pages={"all": ".. publications::\n"},
        conf='pubs_downloads = ["bib", "csl-json"]\n',
        builder=builder,
    )
    page = Path(app.outdir) / page_path
    hrefs = [a["href"] for a in soup(page).select("div.pubs-downloads a")]
    assert len(hrefs) == 2
    for href in hrefs:
        assert (page.parent / href).resolve().is_file(), href

"""The acceptance test: the seed .bib renders the seed page, entry by entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import seed_expected, soup, text_of

EXPECTED = seed_expected(Path(__file__).parent / "seed-expected.txt")


@pytest.mark.sphinx("html", testroot="seed")
def test_seed_page_html(app, warning):
    app.build()
    assert warning.getvalue() == ""
    page = soup(Path(app.outdir) / "index.html")
    pubs = page.select("div.pubs")
    assert len(pubs) == 1

    groups = pubs[0].select("section.pubs-group")
    years = [text_of(g.find(["h2", "h3"])).rstrip("¶#").strip() for g in groups]
    expected_years = list(dict.fromkeys(row.year for row in EXPECTED))
    assert years == expected_years

    entries = pubs[0].select("li.pub")
    assert len(entries) == len(EXPECTED) == 79
    for entry, row in zip(entries, EXPECTED, strict=True):
        group = entry.find_parent("section")
        assert group["id"] == f"pubs-{row.year}"
        assert text_of(entry.select_one(".pub-title")) == row.title
        assert text_of(entry.select_one(".pub-authors")) == row.authors
        venue = text_of(entry.select_one(".pub-venue"))
        note = text_of(entry.select_one(".pub-note"))
        assert venue + note == row.venue, entry["id"]
        abstract = entry.select_one("details.pub-abstract")
        if row.has_abstract:
            assert abstract is not None
            assert not abstract.has_attr("open")
            assert text_of(abstract.find("summary")) == "Abstract"
            body_node = abstract.select_one(".pub-toggle-body")
            assert len(text_of(body_node)) > 100
            # no LaTeX leftovers reach the reader (math is typeset by MathJax)
            for math in body_node.select("span.math"):
                math.decompose()
            body = text_of(body_node)
            for leftover in ("\\", "$", "{", "}"):
                assert leftover not in body, (entry["id"], body)
        else:
            assert abstract is None


@pytest.mark.sphinx("html", testroot="seed")
def test_seed_ids_and_toc(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    ids = [li["id"] for li in page.select("li.pub")]
    assert ids[0] == "pub-ko2025distillm2"
    assert len(set(ids)) == len(ids)
    # year headings are in the page's local table of contents
    toc = app.env.tocs["index"]
    toc_text = toc.astext()
    for year in dict.fromkeys(row.year for row in EXPECTED):
        assert year in toc_text
    refs = [ref["anchorname"] for ref in toc.findall(lambda n: "anchorname" in n)]
    assert "#pubs-2025" in refs and "#pubs-2015" in refs


@pytest.mark.sphinx("html", testroot="seed")
def test_seed_latex_in_abstracts(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    easy = page.select_one("#pub-sun2024easytohard .pub-abstract")
    assert [text_of(em) for em in easy.find_all("em")] == [
        "easy-to-hard generalization",
        "easy-to-hard generalization from evaluators",
        "easy-to-hard generalizations in generators",
    ]
    mamba = text_of(page.select_one("#pub-gu2023mamba .pub-abstract"))
    assert "(5× higher throughput" in mamba
    roformer = page.select_one("#pub-su2021roformer .pub-abstract a")
    assert roformer["href"] == "https://huggingface.co/docs/transformers/model_doc/roformer"
    # \( ... \) becomes Sphinx math, typeset by MathJax
    s4 = page.select_one("#pub-gu2021efficiently .pub-abstract")
    maths = s4.select("span.math")
    assert maths and "x'(t) = Ax(t)" in maths[0].get_text()


@pytest.mark.sphinx("text", testroot="seed")
def test_seed_text_builder(app, warning):
    app.build()
    assert warning.getvalue() == ""
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    flat = " ".join(text.split())
    for row in EXPECTED:
        assert row.title in flat
        assert row.authors in flat
        assert row.venue.split("ICML")[0].split("Interspeech")[0] in flat
    assert "Despite the success of distillation" in flat
    assert "more authors" in flat

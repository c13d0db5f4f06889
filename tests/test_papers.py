"""A page per paper (pubs_paper_pages), its Highwire Press meta tags and JSON-LD, and
the JSON-LD of list pages; read back with an HTML parser and a JSON parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import soup, text_of, warnings_of

BIB = r"""@article{ko2025,
  title = {Distilling {LLMs} with $\alpha$-Skew},
  author = {Ko, Jongwoo and Kim, Sungnyun and Chen, Tianyi and Yun, Se-Young and Lee, Min},
  journal = {Journal of Big Models}, volume = {12}, number = {3}, pages = {101--120},
  year = {2025}, month = mar,
  doi = {10.1000/xyz123}, arxiv = {2503.01234},
  pdf = {files/ko2025.pdf},
  abstract = {We distill.

Second paragraph.},
  keywords = {distillation, LLM},
}
@inproceedings{talk2024,
  title = {A Talk},
  author = {van der Berg, Jan and Smith, Jr., John},
  booktitle = {Proc. of the Conference},
  publisher = {ACM},
  year = {2024},
  pdf = {https://example.org/talk.pdf},
}
@phdthesis{thesis2020,
  title = {My Thesis},
  author = {Doe, Jane},
  school = {Example University},
  year = {2020},
}
@misc{evil,
  title = {\textless{}/script\textgreater{}\textless{}script\textgreater{}alert(1)}
    # {\textless{}/script\textgreater{} "quoted" \& \textbf{bold}},
  author = {Mallory, M.},
  year = {2021},
}
@misc{odd:key/1,
  title = {Odd Key},
  year = {2019},
}
"""

CONF = (
    'extensions = ["sphinx_pubs"]\npubs_paper_pages = True\n'
    'html_baseurl = "https://lab.example.org/"\n'
)


def _sources(conf=CONF, **files):
    """The project: a list of refs.bib (and a PDF it names) on "pubs"."""
    return {
        "conf.py": conf,
        "index.rst": "Home\n====\n\n.. toctree::\n\n   pubs\n",
        "pubs.rst": "Publications\n============\n\n.. publications:: refs.bib\n",
        "refs.bib": BIB,
        "files/ko2025.pdf": b"%PDF-1.4\n",
        **files,
    }


def metas(page):
    return [
        (m["name"], m["content"])
        for m in page.find_all("meta")
        if m.get("name", "").startswith("citation_")
    ]


def json_ld(page):
    scripts = page.find_all("script", type="application/ld+json")
    return [json.loads(script.string) for script in scripts]


def test_paper_pages_and_their_meta_tags(build_project):
    app = build_project(_sources())
    assert [w for w in warnings_of(app) if "pubs" in w or "ref." in w] == []
    out = Path(app.outdir)
    names = sorted(p.name for p in (out / "papers").glob("*.html"))
    assert len(names) == 5
    assert {"ko2025.html", "talk2024.html", "thesis2020.html", "evil.html"} <= set(names)

    page = soup(out / "papers" / "ko2025.html")
    assert metas(page) == [
        ("citation_title", "Distilling LLMs with α-Skew"),
        ("citation_author", "Ko, Jongwoo"),
        ("citation_author", "Kim, Sungnyun"),
        ("citation_author", "Chen, Tianyi"),
        ("citation_author", "Yun, Se-Young"),
        ("citation_author", "Lee, Min"),
        ("citation_publication_date", "2025/03"),
        ("citation_journal_title", "Journal of Big Models"),
        ("citation_volume", "12"),
        ("citation_issue", "3"),
        ("citation_firstpage", "101"),
        ("citation_lastpage", "120"),
        ("citation_pdf_url", "https://lab.example.org/_downloads/" + _download(out, "ko2025.pdf")),
        ("citation_doi", "10.1000/xyz123"),
        ("citation_arxiv_id", "2503.01234"),
        ("citation_language", "en"),
    ]
    (article,) = json_ld(page)
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "ScholarlyArticle"
    assert article["url"] == "https://lab.example.org/papers/ko2025.html"
    assert article["name"] == "Distilling LLMs with α-Skew"
    assert [a["familyName"] for a in article["author"]] == ["Ko", "Kim", "Chen", "Yun", "Lee"]
    assert article["datePublished"] == "2025-03"
    assert article["isPartOf"]["isPartOf"]["name"] == "Journal of Big Models"
    assert article["identifier"][0]["value"] == "10.1000/xyz123"
    assert article["sameAs"] == [
        "https://doi.org/10.1000/xyz123",
        "https://arxiv.org/abs/2503.01234",
    ]
    assert article["abstract"] == "We distill.\n\nSecond paragraph."
    assert article["keywords"] == ["distillation", "LLM"]

    # the page: every author, the abstract open, the BibTeX, the links, a way back
    body = page.select_one("section.pubs-paper")
    assert text_of(body.find("h1")).rstrip("¶#").strip().startswith("Distilling LLMs with")
    entry = body.select_one("li.pub")
    assert text_of(entry.select_one(".pub-authors")) == (
        "Jongwoo Ko, Sungnyun Kim, Tianyi Chen, Se-Young Yun, and Min Lee"
    )
    assert entry.select_one(".pub-title") is None  # the heading is the title
    assert entry.select_one("details.pub-abstract").has_attr("open")
    assert entry.select_one("details.pub-bibtex") is not None
    hrefs = {a.get("class", [""])[-1]: a["href"] for a in entry.select("a.pub-button")}
    assert hrefs["pub-button-doi"] == "https://doi.org/10.1000/xyz123"
    assert hrefs["pub-button-pdf"] == "../_downloads/" + _download(out, "ko2025.pdf")
    assert (out / "papers" / hrefs["pub-button-pdf"]).resolve().is_file()
    back = body.select_one(".pubs-paper-back a")
    assert back["href"] == "../pubs.html#pub-ko2025"
    assert "Publications" in text_of(back)


def _download(out: Path, name: str) -> str:
    (found,) = [p for p in (out / "_downloads").rglob(name)]
    return found.relative_to(out / "_downloads").as_posix()


def test_venue_tags_by_type(build_project):
    app = build_project(_sources())
    out = Path(app.outdir)
    talk = dict(metas(soup(out / "papers" / "talk2024.html")))
    assert talk["citation_conference_title"] == "Proc. of the Conference"
    assert talk["citation_publisher"] == "ACM"
    assert talk["citation_pdf_url"] == "https://example.org/talk.pdf"
    authors = [
        c for n, c in metas(soup(out / "papers" / "talk2024.html")) if n == "citation_author"
    ]
    assert authors == ["van der Berg, Jan", "Smith, John"]
    thesis = dict(metas(soup(out / "papers" / "thesis2020.html")))
    assert thesis["citation_dissertation_institution"] == "Example University"
    assert thesis["citation_publication_date"] == "2020"
    assert "citation_journal_title" not in thesis


def test_hostile_text_stays_text(build_project):
    app = build_project(_sources())
    out = Path(app.outdir)
    raw = (out / "papers" / "evil.html").read_text(encoding="utf-8")
    page = soup(out / "papers" / "evil.html")
    # no script runs it: the only scripts with the text are JSON-LD data
    for script in page.find_all("script"):
        if script.string and "alert(1)" in script.string:
            assert script["type"] == "application/ld+json"
    # inside the JSON-LD element there is no "<" at all, so nothing can close it
    data = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data
    (article,) = json_ld(page)
    assert article["name"].startswith("</script><script>alert(1)</script>")
    # and the meta tag's value is the same text, escaped as an attribute
    assert dict(metas(page))["citation_title"] == article["name"]
    # the list page's JSON-LD holds it safely too
    items = json_ld(soup(out / "pubs.html"))[0]["itemListElement"]
    assert any(item["item"]["name"].startswith("</script>") for item in items)


def test_list_links_to_paper_pages_and_has_json_ld(build_project):
    app = build_project(_sources())
    out = Path(app.outdir)
    page = soup(out / "pubs.html")
    links = {li["id"]: li.select_one("a.pub-title-link")["href"] for li in page.select("li.pub")}
    assert links["pub-ko2025"] == "papers/ko2025.html"
    odd = links["pub-odd-key-1"]
    assert odd.startswith("papers/odd-key-1-") and (out / odd).is_file()
    (item_list,) = json_ld(page)
    assert item_list["@type"] == "ItemList"
    assert item_list["numberOfItems"] == 5
    urls = [item["item"]["url"] for item in item_list["itemListElement"]]
    assert "https://lab.example.org/papers/ko2025.html" in urls
    assert [item["position"] for item in item_list["itemListElement"]] == [1, 2, 3, 4, 5]
    # items are brief: no abstracts (they are on the paper pages)
    assert not [item for item in item_list["itemListElement"] if "abstract" in item["item"]]


def test_dirhtml(build_project):
    app = build_project(_sources(), builder="dirhtml")
    out = Path(app.outdir)
    assert (out / "papers" / "ko2025" / "index.html").is_file()
    page = soup(out / "pubs" / "index.html")
    assert page.select_one("#pub-ko2025 a.pub-title-link")["href"] == "../papers/ko2025/"
    paper = soup(out / "papers" / "ko2025" / "index.html")
    assert paper.select_one(".pubs-paper-back a")["href"] == "../../pubs/#pub-ko2025"
    (article,) = json_ld(paper)
    assert article["url"] == "https://lab.example.org/papers/ko2025/"


def test_singlehtml_skips_paper_pages(build_project):
    app = build_project(_sources(), builder="singlehtml")
    out = Path(app.outdir)
    assert not (out / "papers").exists()
    page = soup(out / "index.html")
    assert page.select("li.pub") and not page.select("a.pub-title-link")
    assert "writes no paper pages" in app._status.getvalue()


def test_off_by_default(build_project):
    app = build_project(_sources(conf='extensions = ["sphinx_pubs"]\n'))
    out = Path(app.outdir)
    assert not (out / "papers").exists()
    page = soup(out / "pubs.html")
    assert not page.select("a.pub-title-link")
    # the list's JSON-LD comes with the paper pages, or on its own when asked for;
    # without html_baseurl its items have no url
    assert json_ld(page) == []
    on = build_project(_sources(conf='extensions = ["sphinx_pubs"]\npubs_json_ld = True\n'))
    (item_list,) = json_ld(on.soup("pubs"))
    assert all("url" not in item["item"] for item in item_list["itemListElement"])
    off = build_project(_sources(conf=CONF + "pubs_json_ld = False\n"))
    assert json_ld(off.soup("pubs")) == []


def test_a_document_in_the_way(build_project):
    files = {"papers/ko2025.rst": ":orphan:\n\nMine\n====\n"}
    app = build_project(_sources(**files))
    assert any("[pubs.paper]" in w and "'ko2025'" in w for w in warnings_of(app))
    assert "Mine" in text_of(app.soup("papers/ko2025").find("h1"))


@pytest.mark.parametrize(
    "theme", ["alabaster", "furo", "sphinx_rtd_theme", "pydata_sphinx_theme", "sphinx_book_theme"]
)
def test_paper_pages_in_every_theme(build_project, theme):
    app = build_project(_sources(conf=CONF + f"html_theme = {theme!r}\n"))
    page = app.soup("papers/ko2025")
    assert page.select_one("section.pubs-paper li.pub .pub-authors")
    assert dict(metas(page))["citation_doi"] == "10.1000/xyz123"
    # no theme puts the title where it runs
    evil = app.soup("papers/evil")
    for script in evil.find_all("script"):
        assert "alert(1)" not in (script.string or "") or script["type"] == "application/ld+json"
    # the stylesheet is loaded on the paper page
    assert any("sphinx-pubs.css" in link.get("href", "") for link in page.find_all("link"))


def test_an_edited_bib_updates_its_paper_page(build_project):
    srcdir = Path(build_project(_sources()).srcdir)
    bib = srcdir / "refs.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("{A Talk}", "{A Better Talk}"), encoding="utf-8"
    )
    app = build_project(srcdir=srcdir, freshenv=False)
    page = app.soup("papers/talk2024")
    assert dict(metas(page))["citation_title"] == "A Better Talk"


def test_two_builds_are_byte_identical(build_project):
    outputs = []
    for _ in range(2):
        app = build_project(_sources())
        out = Path(app.outdir)
        outputs.append(
            {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.html"))}
        )
    assert "papers/ko2025.html" in outputs[0]
    assert outputs[0] == outputs[1]


def test_a_rebuild_with_nothing_to_write(build_project):
    # no document is written again, yet the paper pages are (Sphinx sets what its
    # translator needs only when it writes a document)
    srcdir = Path(build_project(_sources()).srcdir)
    first = (Path(srcdir) / "_build" / "html" / "papers" / "ko2025.html").read_bytes()
    app = build_project(srcdir=srcdir, freshenv=False)
    assert not [w for w in warnings_of(app) if "[pubs." in w or "Exception" in w]
    assert (Path(app.outdir) / "papers" / "ko2025.html").read_bytes() == first


def test_math_on_a_paper_page_loads_mathjax(build_project):
    # a title with math MathJax typesets (simple math such as $\alpha$ is text)
    conf = CONF + 'extensions.append("sphinx.ext.mathjax")\n'
    bib = BIB + "@misc{mathy, title = {Sorting in $O(n \\log n)$}, year = {2022}}\n"
    app = build_project(_sources(conf=conf, **{"refs.bib": bib}))
    out = Path(app.outdir)

    def mathjax(name):
        page = soup(out / "papers" / f"{name}.html")
        return [s["src"] for s in page.find_all("script", src=True) if "mathjax" in s["src"]]

    assert mathjax("mathy")
    assert mathjax("thesis2020") == []
    title = soup(out / "papers" / "mathy.html").select_one("section.pubs-paper h1")
    assert title.select_one(".math")

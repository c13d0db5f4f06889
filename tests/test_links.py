"""Links and local files as real al-folio sites write them (issue 12).

DOIs and URLs with LaTeX escapes and prefixes (DBLP, publisher exports) become the
canonical address, generated over every spelling; no unescaping can make a link that
is not http(s) or mailto; local files are found where al-folio keeps them
(``assets/pdf``, ``assets/img/publication_preview``, ``assets/html``) in a real
build, and a missing one is a warning that says where it was looked for.
"""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from helpers import soup, warnings_of, write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_pubs.check import check
from sphinx_pubs.view.links import LinkValue, classify, safe_url, url_text

DOIS = ["10.1007/978-3-031-28238-6_17", "10.1109/WAINA.2013.149", "10.1145/3477495.3531833"]
DOI_PREFIXES = [
    "",
    "doi:",
    "doi: ",
    "DOI ",
    "DOI:",
    "doi.org/",
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "https://www.doi.org/",
]


def latex_spellings(text: str) -> list[str]:
    """*text* with its ``_``, ``%``, ``#``, ``&``, ``~`` written as exports write them."""
    ways = {
        "_": ["_", "\\_", "{\\_}", "\\textunderscore{}"],
        "%": ["%", "\\%"],
        "#": ["#", "\\#"],
        "&": ["&", "\\&"],
        "~": ["~", "\\~{}", "\\~", "\\textasciitilde{}"],
    }
    out = set()
    for index in range(4):
        out.add(
            "".join(ways[ch][min(index, len(ways[ch]) - 1)] if ch in ways else ch for ch in text)
        )
    return sorted(out)


def test_every_doi_spelling_gives_the_canonical_address():
    seen = 0
    for doi, prefix in itertools.product(DOIS, DOI_PREFIXES):
        for spelled in latex_spellings(doi):
            for wrap in ("{}", "{{{}}}", "  {}  "):
                link = classify("doi", "DOI", wrap.format(prefix + spelled))
                assert isinstance(link, LinkValue), (prefix, spelled)
                assert link.url == "https://doi.org/" + doi, (prefix, spelled, link)
                seen += 1
    assert seen >= len(DOIS) * len(DOI_PREFIXES) * 3


def test_isbn_and_handle_in_doi_are_named():
    for value in ("978-3-319-07040-7", "ISBN 9783319070407", "0-306-40615-2"):
        link = classify("doi", "DOI", value)
        assert not isinstance(link, LinkValue) and "ISBN" in link.reason, value
    for value in ("http://hdl.handle.net/2117/343437", "hdl:2117/343437"):
        link = classify("doi", "DOI", value)
        assert not isinstance(link, LinkValue) and "handle" in link.reason, value


URLS = [
    "https://example.org/a_b/c%20d.pdf",
    "https://example.org/~user/paper_v2.pdf",
    "https://example.org/page?x=1&y=2#sec_3",
    "http://link.springer.com/10.1007/978-3-031-56066-8_15",
]


def test_every_escaped_url_is_the_url():
    for field, url in itertools.product(("url", "html", "pdf", "code", "preview"), URLS):
        for spelled in latex_spellings(url):
            for wrap in ("{}", "\\url{{{}}}", "{{{}}}"):
                link = classify(field, "X", wrap.format(spelled))
                assert isinstance(link, LinkValue) and link.url == url, (field, spelled, link)


def test_scheme_less_addresses_and_free_text():
    www = classify("url", "HTML", "www.springer.com/series/11237")
    assert isinstance(www, LinkValue) and www.url == "https://www.springer.com/series/11237"
    domain = classify("html", "HTML", "example.org/paper")
    assert isinstance(domain, LinkValue) and domain.path == "example.org/paper"
    assert domain.web == "https://example.org/paper"
    for name in ("paper.pdf", "assets/pdf/x.pdf", "v1.2/paper.pdf"):
        link = classify("pdf", "PDF", name)
        assert isinstance(link, LinkValue) and link.path == name and link.web is None
    html = classify("html", "HTML", 'doi:<a href="https://doi.org/10.1/x">10.1/x</a>')
    assert isinstance(html, LinkValue) and html.url == "https://doi.org/10.1/x"
    bad = classify("html", "HTML", '<a href="javascript:alert(1)">x</a>')
    assert not isinstance(bad, LinkValue)


# -- security: no unescaping makes an unsafe link ----------------------------------
PIECES = [
    "javascript:",
    "java",
    "script:",
    "\\",
    "\\\\",
    "{",
    "}",
    "\\_",
    "\\%",
    "\\url{",
    "\\href{",
    "}{x}",
    '<a href="',
    '">',
    "data:",
    "vbscript:",
    "alert(1)",
    "&#106;",
    "%6A",
    "\\~{}",
    "www.",
    "//",
    "/",
    ":",
    " ",
    "\t",
    "\x00",
    "\u200b",
    "ｊavascript:",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8),
    st.sampled_from(["url", "html", "pdf", "doi", "preview", "website", "arxiv", "hal"]),
)
def test_no_unescaping_makes_an_unsafe_link(pieces, field):
    value = "".join(pieces)
    link = classify(field, "X", value)
    for address in (getattr(link, "url", None), getattr(link, "web", None)):
        if address is not None:
            assert safe_url(address) == address
            assert address.split(":", 1)[0].lower() in ("http", "https", "mailto"), address


def test_known_tricks_are_refused():
    for value in (
        "java\\script:alert(1)",
        "javascript\\:alert(1)",
        "\\url{javascript:alert(1)}",
        "java{}script:alert(1)",
        "\\href{javascript:x}{y}",
        "{javascript}:x",
        "javascript\\%3Aalert(1)",
    ):
        for field in ("url", "html", "pdf", "preview"):
            link = classify(field, "X", value)
            assert getattr(link, "url", None) is None, (field, value, link)
            assert getattr(link, "web", None) is None, (field, value, link)
    assert url_text("java\\_script") == "java_script"


# -- a real build of an al-folio site ---------------------------------------------
NFD_NAME = unicodedata.normalize("NFD", "Adrià.pdf")
BIB = (
    """@article{full,
  title = {Everything In Its Place},
  year = {2024},
  pdf = {x.pdf},
  supp = {supp.pdf},
  poster = {poster.pdf},
  slides = {slides.pdf},
  html = {z.html},
  preview = {y.png},
  doi = {10.1007/978-3-031-28238-6\\_17},
}

@article{unicode,
  title = {Unicode},
  year = {2024},
  pdf = {"""
    + NFD_NAME
    + """},
}

@article{missing,
  title = {Missing},
  year = {2024},
  pdf = {nowhere.pdf},
  html = {International Conference on Things},
}

@article{web,
  title = {Web},
  year = {2023},
  url = {www.springer.com/series/11237},
  pdf = {https://arxiv.org/pdf/2101.00001\\_v2.pdf},
}
"""
)


def alfolio_site(root: Path, conf: str = "") -> Path:
    return write_project(
        root,
        {
            "conf.py": 'extensions = ["sphinx_pubs"]\n' + conf,
            "index.rst": "Pubs\n====\n\n.. publications:: /_bibliography/papers.bib\n",
            "_bibliography/papers.bib": BIB,
            "assets/pdf/x.pdf": b"%PDF-x",
            "assets/pdf/supp.pdf": b"%PDF-supp",
            "assets/pdf/poster.pdf": b"%PDF-poster",
            "assets/pdf/slides.pdf": b"%PDF-slides",
            "assets/pdf/" + unicodedata.normalize("NFC", "Adrià.pdf"): b"%PDF-nfc",
            "assets/img/publication_preview/y.png": b"\x89PNG-y",
            "assets/html/z.html": b"<html>z</html>",
        },
    )


def test_an_alfolio_site_shows_every_button_and_thumbnail(make_app, tmp_path):
    root = alfolio_site(tmp_path / "site")
    app = make_app("html", srcdir=root)
    app.build()
    out = Path(app.outdir)
    page = soup(out / "index.html")
    full = page.select_one("li#pub-full")
    want = {
        "pdf": b"%PDF-x",
        "supp": b"%PDF-supp",
        "poster": b"%PDF-poster",
        "slides": b"%PDF-slides",
        "html": b"<html>z</html>",
    }
    for field, content in want.items():
        button = full.select_one(f"a.pub-button-{field}")
        assert button is not None, field
        assert (out / button["href"]).read_bytes() == content, field
    doi = full.select_one("a.pub-button-doi")
    assert doi["href"] == "https://doi.org/10.1007/978-3-031-28238-6_17"
    image = full.select_one("div.pub-preview img")
    assert (out / image["src"]).read_bytes() == b"\x89PNG-y"
    unicode = page.select_one("li#pub-unicode a.pub-button-pdf")
    assert (out / unquote(unicode["href"])).read_bytes() == b"%PDF-nfc"
    web = page.select_one("li#pub-web")
    assert web.select_one("a.pub-button-html")["href"] == "https://www.springer.com/series/11237"
    assert web.select_one("a.pub-button-pdf")["href"] == "https://arxiv.org/pdf/2101.00001_v2.pdf"
    warnings = [w for w in warnings_of(app) if "[pubs.link]" in w]
    lines = BIB.splitlines()
    pdf_line = lines.index("  pdf = {nowhere.pdf},") + 1
    html_line = pdf_line + 1
    assert len(warnings) == 2, warnings
    (pdf,) = [w for w in warnings if "nowhere.pdf" in w]
    assert f"papers.bib:{pdf_line}:" in pdf and "field 'pdf'" in pdf
    assert "looked in _bibliography/, assets/pdf/" in pdf
    (html,) = [w for w in warnings if "International" in w]
    assert f"papers.bib:{html_line}:" in html and "not a URL or a file" in html
    assert not page.select("li#pub-missing a.pub-button-pdf, li#pub-missing a.pub-button-html")
    # the check command finds the same problems
    result = check([str(root / "_bibliography" / "papers.bib")], srcdir=str(root))
    got = sorted((p.source.line, p.message) for p in result.problems if p.subtype == "link")
    assert [line for line, _ in got] == [pdf_line, html_line]
    assert "looked in _bibliography/, assets/pdf/" in got[0][1]


def test_pubs_file_dirs_and_the_publishing_rules(make_app, tmp_path):
    conf = 'pubs_file_dirs = {"pdf": ["papers"]}\nexclude_patterns = ["papers/private*"]\n'
    root = alfolio_site(tmp_path / "site", conf)
    bib = root / "_bibliography" / "papers.bib"
    bib.write_text(
        "@misc{a, title = {A}, year = 2020, pdf = {a.pdf}}\n"
        "@misc{b, title = {B}, year = 2020, pdf = {private.pdf}}\n"
        "@misc{c, title = {C}, year = 2020, pdf = {x.pdf}}\n"
        "@misc{d, title = {D}, year = 2020, pdf = {.hidden.pdf}}\n",
        encoding="utf-8",
    )
    (root / "papers").mkdir()
    (root / "papers" / "a.pdf").write_bytes(b"%PDF-a")
    (root / "papers" / "private.pdf").write_bytes(b"%PDF-secret")
    (root / "papers" / ".hidden.pdf").write_bytes(b"%PDF-secret")
    app = make_app("html", srcdir=root)
    app.build()
    out = Path(app.outdir)
    page = soup(out / "index.html")
    assert (out / page.select_one("li#pub-a a.pub-button-pdf")["href"]).read_bytes() == b"%PDF-a"
    for key in ("b", "c", "d"):  # c: assets/pdf is not searched for pdf any more
        assert page.select_one(f"li#pub-{key} a.pub-button-pdf") is None, key
    for path in out.rglob("*"):
        assert not (path.is_file() and path.read_bytes() == b"%PDF-secret"), path
    warnings = "\n".join(w for w in warnings_of(app) if "[pubs.link]" in w)
    assert "'private.pdf' is excluded by exclude_patterns; not copied" in warnings
    assert "'.hidden.pdf' is a hidden file" in warnings
    assert "file 'x.pdf' not found (looked in _bibliography/, papers/)" in warnings


def test_check_command_looks_where_the_build_looks(tmp_path):
    import subprocess
    import sys

    root = alfolio_site(tmp_path / "site")
    (root / "papers").mkdir()
    (root / "papers" / "nowhere.pdf").write_bytes(b"%PDF")
    bib = str(root / "_bibliography" / "papers.bib")
    env = {**__import__("os").environ, "PYTHONPATH": str(Path(__file__).parent.parent)}

    def cli(*args: str) -> str:
        run = subprocess.run(
            [sys.executable, "-m", "sphinx_pubs", "check", bib, "--srcdir", str(root), *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert "Traceback" not in run.stderr
        return run.stdout

    default = cli()
    assert "file 'nowhere.pdf' not found (looked in _bibliography/, assets/pdf/)" in default
    assert "not a URL or a file" in default
    moved = cli("--file-dir", "pdf=papers", "--file-dir", "pdf=assets/pdf")
    assert "nowhere.pdf" not in moved and "x.pdf" not in moved
    assert "not a URL or a file" in moved

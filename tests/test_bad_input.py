"""Bad input: a clear warning at file and line, the rest of the list still renders."""

from __future__ import annotations

from helpers import text_of, warnings_of

PAGE = "Publications\n============\n\n.. publications:: refs.bib\n"

BROKEN = """\
@article{good1,
  title = {First Good Entry},
  author = {Ada Lovelace},
  year = {2020},
}

@article{broken,
  title = {Missing the closing brace,
  author = {Someone Else},
  year = 2019,

@article{good2,
  title = {Second Good Entry},
  author = {Alan Turing and Alonzo Church},
  year = {2019},
  month = {13},
}

@article{good1,
  title = {A Duplicate Key},
  year = {2018},
}

@article{notitle,
  author = {Grace Hopper},
  year = {2018},
}

@article{noyear,
  title = {An Entry Without a Year},
  author = {Barbara Liskov},
}

@weirdtype{strange,
  title = {An Unknown Entry Type},
  year = {2017},
}

@article{badlatex,
  title = {Unclosed math $x^2 and more},
  year = {2016},
  journal = {J. of \\undefinedcommand{Things}},
}

@article{undefmacro,
  title = {Uses an Undefined Macro},
  journal = nosuchmacro,
  year = {2015},
}

@article{last,
  title = {The Last Entry Still Renders},
  year = {2014},
}
"""


def _entries(app):
    return {li["id"]: li for li in app.soup().select("li.pub")}


def test_broken_file_warns_and_renders_the_rest(build_project):
    app = build_project({"index.rst": PAGE, "refs.bib": BROKEN})
    assert app.statuscode == 0
    warnings = warnings_of(app)
    joined = "\n".join(warnings)
    assert "Traceback" not in joined

    def has(line: int, *words: str) -> bool:
        return any(f"refs.bib:{line}:" in w and all(word in w for word in words) for w in warnings)

    assert any(has(line, "syntax error", "broken") for line in range(7, 12)), joined
    assert has(16, "month '13'"), joined
    assert has(19, "duplicate key 'good1'", "line 1"), joined
    assert has(24, "no title"), joined
    assert has(29, "no year"), joined
    assert has(34, "unknown type @weirdtype"), joined
    assert has(40, "unterminated math"), joined
    assert has(42, "\\undefinedcommand"), joined
    assert any("refs.bib:" in w and "nosuchmacro" in w for w in warnings), joined
    # every warning carries a subtype users can suppress
    assert all("[pubs." in w for w in warnings), joined

    entries = _entries(app)
    for key in ("good1", "good2", "notitle", "noyear", "strange", "badlatex", "undefmacro", "last"):
        assert f"pub-{key}" in entries, key
    assert text_of(entries["pub-good1"].select_one(".pub-title")) == "First Good Entry"
    assert text_of(entries["pub-last"].select_one(".pub-title")) == "The Last Entry Still Renders"
    # an entry without a title shows its key; one without a year is "Undated", last
    assert text_of(entries["pub-notitle"].select_one(".pub-title")) == "notitle"
    groups = app.soup().select("section.pubs-group")
    assert groups[-1]["id"] == "pubs-undated"
    assert "An Entry Without a Year" in text_of(groups[-1])
    # nothing undecodable reaches the reader
    bad = text_of(entries["pub-badlatex"])
    for leftover in ("\\", "{", "}"):
        assert leftover not in bad


def test_missing_file_warns_and_builds(build_project):
    app = build_project({"index.rst": PAGE})
    assert app.statuscode == 0
    warnings = warnings_of(app)
    # reported at the directive that names the file, with the file's path
    assert any(
        "index.rst:4:" in w
        and "refs.bib: bibliography file not found" in w
        and "[pubs.bibfile]" in w
        for w in warnings
    ), warnings


def test_not_utf8_falls_back_with_a_warning(build_project):
    latin1 = "@article{m, title = {Caf\xe9 M\xfcller}, year = 2020}\n".encode("latin-1")
    app = build_project({"index.rst": PAGE, "refs.bib": latin1})
    warnings = warnings_of(app)
    assert any("refs.bib:1:" in w and "Latin-1" in w and "[pubs.encoding]" in w for w in warnings)
    assert text_of(_entries(app)["pub-m"].select_one(".pub-title")) == "Café Müller"


def test_configured_encoding_reads_latin1_silently(build_project):
    latin1 = "@article{m, title = {Caf\xe9}, year = 2020}\n".encode("latin-1")
    conf = 'extensions = ["sphinx_pubs"]\npubs_bib_encoding = "latin-1"\n'
    app = build_project({"conf.py": conf, "index.rst": PAGE, "refs.bib": latin1})
    assert warnings_of(app) == []
    assert text_of(_entries(app)["pub-m"].select_one(".pub-title")) == "Café"


def test_warnings_can_be_suppressed(build_project):
    conf = 'extensions = ["sphinx_pubs"]\nsuppress_warnings = ["pubs"]\n'
    app = build_project({"conf.py": conf, "index.rst": PAGE, "refs.bib": BROKEN})
    assert warnings_of(app) == []
    assert "pub-last" in _entries(app)


def test_hostile_text_is_escaped(build_project):
    bib = r"""
@article{evil,
  title = {<script>alert(1)</script> \href{javascript:alert(2)}{click} "quoted" & more},
  author = {<img src=x onerror=alert(3)> and Bob},
  journal = {<b>bold</b>},
  year = {2020},
  note = {\url{javascript:alert(4)} and \url{https://ok.example/"onmouseover="x}},
  abstract = {</details><script>alert(5)</script>},
}
"""
    app = build_project({"index.rst": PAGE, "refs.bib": bib})
    html = app.text()
    page = app.soup()
    entry = page.select_one("li#pub-evil")
    assert entry.find("script") is None and entry.find("img") is None and entry.find("b") is None
    assert "<script>alert" not in html
    for link in entry.find_all("a"):
        assert not link.get("href", "").lower().startswith("javascript")
        assert all(not name.startswith("on") for name in link.attrs)
    assert "javascript:alert(2)" not in html
    # al-folio passes field HTML through; we read its safe subset and drop the rest
    # (a script with its text): nothing of it is markup or text on the page
    title = text_of(entry.select_one(".pub-title"))
    assert "alert(1)" not in title and "<" not in title and title.endswith('"quoted" & more')
    warnings = warnings_of(app)
    assert any("javascript:alert(2)" in w and "[pubs.link]" in w for w in warnings)

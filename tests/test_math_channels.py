r"""No entry text reaches MathJax (or KaTeX's auto-render) as math, on any page, in
any channel: the list, paper pages (heading, ``<title>``, breadcrumbs, the way back),
``:pub:`` and ``:pub:short:`` references, group headings and the tables of contents
and page titles they become.  Read from the real HTML with a parser, the way MathJax
reads a page: text in a ``mathjax_ignore`` element (and not in a ``mathjax_process``
one below it) is never searched; the rest is searched one run of text at a time (a
run ends at every element but ``br``, ``wbr`` and comments).

The payloads come from tests/hostile_math.py: every math delimiter around every
command that acts, in every field of an entry.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from docutils import nodes
from hostile_math import hostile_bib, payloads
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.cmd.build import build_main

from sphinx_pubs.core.latex.math_symbols import unsafe_math
from sphinx_pubs.sphinx_ext.render import inert_html, inert_nodes

#: entries of the hostile site: entry n holds payload n + i in its i-th field, so every
#: field sees every delimiter and most commands (tests/hostile_math.py)
ENTRIES = 20
#: MathJax's skipHtmlTags: text inside is never searched
SKIP = {"script", "noscript", "style", "textarea", "pre", "code", "annotation", "annotation-xml"}
#: elements MathJax reads as part of the text around them
JOINED = {"br", "wbr"}
IGNORE = {"mathjax_ignore", "tex2jax_ignore"}
PROCESS = {"mathjax_process", "tex2jax_process"}
#: what would start math in a run of text: a delimiter, an environment, a reference,
#: any TeX command, "$$", or two "$" (inline math where a site turns "$" on)
STARTS_MATH = re.compile(r"\\[(\[]|\\[A-Za-z]|\$\$|\$[^$]*\$")
#: Sphinx's math markup: \( ... \) or \[ ... \] around the LaTeX source
SPHINX_MATH = re.compile(r"^\s*\\\((.*)\\\)\s*$|^\s*\\\[(.*)\\\]\s*$", re.S)
WORD_JOINER = "\u2060"
QUOTES = str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''")


def runs(element: Tag, ignored: bool = False) -> list[tuple[str, bool, Tag]]:
    """The runs of text MathJax would search under *element*: (text, ignored, the
    element holding the run)."""
    classes = set(element.get("class") or ())
    process = bool(classes & PROCESS)
    ignored = (ignored or bool(classes & IGNORE)) and not process
    found: list[tuple[str, bool, Tag]] = []
    current: list[str] = []

    def end() -> None:
        if current:
            found.append(("".join(current), ignored, element))
            current.clear()

    for child in element.children:
        if isinstance(child, Comment):
            continue  # read as nothing, and the run goes on
        if isinstance(child, NavigableString):
            current.append(str(child))
        elif isinstance(child, Tag) and child.name in JOINED:
            current.append("\n" if child.name == "br" else "")
        elif isinstance(child, Tag):
            end()
            if child.name not in SKIP:
                found.extend(runs(child, ignored))
    end()
    return found


def exposed(page: BeautifulSoup) -> list[tuple[str, Tag]]:
    """The runs MathJax searches for math, with the element they are in."""
    body = page.body
    assert body is not None
    return [(text, holder) for text, ignored, holder in runs(body) if not ignored]


@pytest.fixture(scope="module", params=["alabaster", "furo"])
def site(request, tmp_path_factory) -> Path:
    """A hostile site: a list grouped by keyword (the labels are payloads), a page whose
    first heading is a group (so a payload is its title), paper pages and references to
    every entry, with MathJax on every page."""
    root = tmp_path_factory.mktemp(f"hostile-{request.param}")
    src, out = root / "src", root / "out"
    src.mkdir()
    refs = "\n".join(f"- :pub:`evil{n}` and :pub:short:`evil{n}`" for n in range(ENTRIES))
    files = {
        "refs.bib": hostile_bib(ENTRIES),
        "conf.py": (
            'extensions = ["sphinx_pubs"]\npubs_paper_pages = True\n'
            f"html_theme = {request.param!r}\n"
            "def setup(app):\n    app.set_html_assets_policy('always')\n"
        ),
        "index.rst": "Hostile\n=======\n\n.. toctree::\n\n   pubs\n   bare\n   refs\n",
        "pubs.rst": (
            "Publications\n============\n\n.. publications:: refs.bib\n"
            "   :group-by: keywords\n   :search: on\n   :facets: year, type\n\n"
            "By type\n-------\n\n.. publications:: refs.bib\n   :group-by: type\n"
            "   :headings: rubric\n   :no-index:\n"
        ),
        # no title of its own: its first group heading is the page's title
        "bare.rst": ".. publications:: refs.bib\n   :group-by: keywords\n   :no-index:\n",
        "refs.rst": f"References\n==========\n\n{refs}\n",
    }
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    assert build_main(["-q", "-b", "html", str(src), str(out)]) == 0
    return out


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_no_text_run_can_start_math(site):
    """On every page, every run of text MathJax searches holds no math delimiter, no
    TeX command and no pair of "$", unless it is math the LaTeX decoder vetted."""
    pages = _pages(site)
    assert len(pages) >= ENTRIES + 4, pages  # the paper pages and the documents
    vetted = 0
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for text, holder in exposed(page):
            math = SPHINX_MATH.match(text)
            if math and "math" in (holder.get("class") or ()):
                source = math.group(1) if math.group(1) is not None else math.group(2)
                assert unsafe_math(source) is None, (path.name, text)
                vetted += 1
                continue
            assert not STARTS_MATH.search(text), (path.relative_to(site), text, str(holder)[:300])
    assert vetted >= ENTRIES, vetted  # the titles' own math reaches MathJax


def _visible(tag: Tag) -> str:
    for link in tag.select("a.headerlink"):
        link.decompose()
    # Sphinx's smart quotes reach the headings (and so their table of contents)
    return tag.get_text().replace(WORD_JOINER, "").translate(QUOTES).strip()


def test_the_words_show_unchanged(site):
    """The payloads are shown as written, in each channel (the test above is not
    vacuous): paper headings, group headings and their table-of-contents entries,
    page titles made of a group label, references."""
    texts = payloads()
    pubs = BeautifulSoup((site / "pubs.html").read_text(encoding="utf-8"), "html.parser")
    headings = {_visible(h) for h in pubs.select("section.pubs-group > h2")}
    keywords = {texts[(n + 5) % len(texts)].replace(";", " ") for n in range(ENTRIES)}
    assert keywords <= headings, sorted(keywords - headings)[:3]
    toc_links = {
        _visible(a) for a in pubs.select("a.reference.internal") if "#pubs-" in a.get("href", "")
    }
    assert headings & toc_links, sorted(toc_links)[:3]

    for number in (0, 7, ENTRIES - 1):
        paper = BeautifulSoup(
            (site / "papers" / f"evil{number}.html").read_text(encoding="utf-8"), "html.parser"
        )
        heading = paper.find("h1")
        assert heading is not None
        shown = _visible(heading)
        assert shown == texts[number] + r" and \(x^2_i\)", shown
        assert paper.title is not None and texts[number] in paper.title.get_text().replace(
            WORD_JOINER, ""
        )

    refs = BeautifulSoup((site / "refs.html").read_text(encoding="utf-8"), "html.parser")
    shown = [_visible(span) for span in refs.select("span.pub-pub")]
    assert shown[:3] == [text + " and x^2_i" for text in texts[:3]], shown[:3]
    for span in refs.select("span.xref.pub"):
        assert set(span["class"]) >= IGNORE, span

    bare = BeautifulSoup((site / "bare.html").read_text(encoding="utf-8"), "html.parser")
    assert bare.title is not None
    title = bare.title.get_text()
    assert any(text.replace(";", " ") in title for text in texts), title


def test_other_builders_show_the_text_as_written(tmp_path):
    """The split that keeps delimiters from MathJax writes nothing in other formats:
    the text builder shows references and group headings exactly as the entry spells
    them, and the LaTeX source has no trace of it."""
    src = tmp_path / "src"
    src.mkdir()
    texts = payloads()
    (src / "refs.bib").write_text(hostile_bib(6), encoding="utf-8")
    (src / "conf.py").write_text('extensions = ["sphinx_pubs"]\n', encoding="utf-8")
    (src / "index.rst").write_text(
        "Index\n=====\n\n.. publications:: refs.bib\n   :group-by: keywords\n\n"
        "See :pub:`evil1` and :pub:short:`evil2`.\n",
        encoding="utf-8",
    )
    assert build_main(["-q", "-b", "text", str(src), str(tmp_path / "text")]) == 0
    text = (tmp_path / "text" / "index.txt").read_text(encoding="utf-8")
    assert f"See *{texts[1]} and x^2_i* and *Smith and {texts[3]}, 2002*." in " ".join(
        text.split()
    ), text[-400:]
    assert texts[5].replace(";", " ") in text  # a group heading (evil0's keyword)
    assert WORD_JOINER not in text
    assert build_main(["-q", "-b", "latex", str(src), str(tmp_path / "latex")]) == 0
    tex = next((tmp_path / "latex").glob("*.tex")).read_text(encoding="utf-8")
    assert WORD_JOINER not in tex and "textbackslash{}" in tex
    assert "mathjax" not in tex


# -- the splitting itself, for any text ---------------------------------------------
@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("\\$()[]{}ab \u2060<>&"), max_size=40)
    # control characters are another channel's (the HTML parser drops NUL)
    | st.text(st.characters(exclude_categories=("Cc", "Cs")))
)
def test_split_text_holds_no_delimiter_and_reads_the_same(text):
    """For any text: the split nodes read as the text; no text node holds a ``\\`` or
    ``$`` anywhere but at its end (so no run of text holds a delimiter, a command or
    a pair of "$"); the HTML form shows the same letters (word joiners aside)."""
    pieces = inert_nodes(text)
    assert "".join(piece.astext() for piece in pieces) == text
    for piece in pieces:
        if isinstance(piece, nodes.Text):
            body = str(piece)
            assert not re.search(r"[\\$].", body, re.S), body
        else:
            assert isinstance(piece, nodes.inline) and not piece.children
    written = inert_html(text)
    page = BeautifulSoup(f"<p>{written}</p>", "html.parser")
    runs_of_text = [str(s) for s in page.p.strings]
    assert "".join(runs_of_text).replace(WORD_JOINER, "") == text.replace(WORD_JOINER, "")
    for run in runs_of_text:
        assert not STARTS_MATH.search(run), run


def test_meta_tags_keep_the_text_as_written(site):
    """The ``citation_*`` tags (in ``<head>``, which MathJax never reads) carry the
    entry's words unchanged, as indexers want them; escaped, so no markup."""
    texts = payloads()
    paper = BeautifulSoup(
        (site / "papers" / "evil3.html").read_text(encoding="utf-8"), "html.parser"
    )
    tag = paper.find("meta", attrs={"name": "citation_title"})
    assert tag is not None and tag["content"] == texts[3] + " and x^2_i", tag
    assert paper.head is not None and not paper.head.find("mjx-container")


def test_inventory_names_hold_no_math(site):
    """objects.inv leaves the site: another project's intersphinx shows its display
    names as link text on pages that may load MathJax. No display name can start math,
    and each reads as the title once the word joiners are taken out."""
    from sphinx.util.inventory import InventoryFile

    with open(site / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "https://example.org/", posixpath_join)
    items = inventory["pub:publication"]
    assert len(items) == ENTRIES
    for name, item in items.items():
        shown = item[3]
        assert not STARTS_MATH.search(shown), (name, shown)
        assert "$" not in shown and not re.search("\\\\(?!" + WORD_JOINER + ")", shown)
    titles = {item[3].replace(WORD_JOINER, "").replace("\uff04", "$") for item in items.values()}
    assert any("\\href" in title for title in titles)  # the payloads, unchanged


def posixpath_join(*parts: str) -> str:
    return "/".join(part.strip("/") for part in parts)

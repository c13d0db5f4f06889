"""The text classes of issue 12, by generated variants, through a real Sphinx project.

Each class (field HTML, LaTeX characters, names, months, venues, punctuation,
housekeeping fields, Markdown) is a table of variants made by combining its parts
(tags x fields x spellings, macros x forms...).  All variants go into one ``.bib``
built once by Sphinx's html builder; each test reads its entries back from the page
with BeautifulSoup.  The unit-level properties of the HTML reader (nothing of a tag
is left, deep nesting stays shallow) are Hypothesis tests at the end.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import text_of, write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_pubs.core.dialects import FIELD_HTML, HTML_ELEMENTS, MAX_NEST
from sphinx_pubs.core.html import parse, read_field_html
from sphinx_pubs.core.latex.symbols import AAS_JOURNALS
from sphinx_pubs.core.model import Link, Styled
from sphinx_pubs.view.links import DEFAULT_BIBTEX_HIDDEN

sys.path.insert(0, str(Path(__file__).parent / "alfolio"))
import survey

EXAMPLES = int(os.environ.get("PUBS_FUZZ_EXAMPLES", "150"))
PAGE = "Publications\n============\n\n.. publications:: refs.bib\n"
_DOUBLED = re.compile(r",\s*,|,\s*\.(?!\.)|(?<!\.)\.\s+\.(?!\.)|;\s*[,;]|\d\.,|^\s*[,.;]")

#: key -> (entry text, what the test of its class checks)
ENTRIES: dict[str, tuple[str, object]] = {}


def entry(key: str, fields: dict[str, str], kind: str = "article", expect: object = None) -> None:
    """A variant: each value is braced, but one written ``RAW:...`` (BibTeX syntax)."""
    body = ",\n".join(
        f"  {name} = {value[4:]}" if value.startswith("RAW:") else f"  {name} = {{{value}}}"
        for name, value in fields.items()
    )
    ENTRIES[key] = (f"@{kind}{{{key},\n{body},\n}}\n", expect)


def base(**fields: str) -> dict[str, str]:
    return {"title": "A Title", "author": "Ada Lovelace", "year": "2020", **fields}


# -- 1. HTML inside fields -----------------------------------------------------------------
STYLE_TAGS = {"i": "em", "em": "em", "b": "strong", "strong": "strong", "sup": "sup", "sub": "sub"}
SPELLINGS = {
    "plain": "<{t}>{w}</{t}>",
    "upper": "<{T}>{w}</{T}>",
    "attribute": '<{t} class="x">{w}</{t}>',
    "unclosed": "<{t}>{w}",
}
HTML_FIELDS = {"title": ".pub-title", "journal": ".pub-venue", "abbr": ".pub-abbr"}
for (tag, element), (spelling, form), (field, where) in itertools.product(
    STYLE_TAGS.items(), SPELLINGS.items(), HTML_FIELDS.items()
):
    word = f"W{tag}{spelling}"
    value = "Before " + form.format(t=tag, T=tag.upper(), w=word) + " after"
    if spelling == "unclosed":
        value = "Before " + form.format(t=tag, T=tag.upper(), w=word)
    entry(f"html-{tag}-{spelling}-{field}", base(**{field: value}), expect=(where, element, word))

DROPPED = ["font", "div", "nobr", "span", "u", "small", "tex-math", "jats:p", "p", "mark"]
for tag, field in itertools.product(DROPPED, HTML_FIELDS):
    value = f'x <{tag} style="color:red">Kept{tag.replace(":", "")}</{tag}> y'
    entry(f"drop-{tag.replace(':', '')}-{field}", base(**{field: value}), expect=(field, tag))
HIDDEN = ["script", "style", "template", "noscript"]
for tag, field in itertools.product(HIDDEN, HTML_FIELDS):
    entry(
        f"hide-{tag}-{field}",
        base(**{field: f"Seen <{tag}>alert(1) Unseen</{tag}> too"}),
        expect=(field, tag),
    )
ENTITIES = {"&nbsp;": "\xa0", "&amp;": "&", "&#8211;": "–", "&eacute;": "é", "&#x2014;": "—"}
for number, (entity, char) in enumerate(ENTITIES.items()):
    for field in HTML_FIELDS:
        entry(f"entity-{number}-{field}", base(**{field: f"a{entity}b"}), expect=(field, char))
for number, separator in enumerate(["<br>", "<br/>", " <br> ", "<BR />"]):
    entry(f"br-{number}", base(abbr=f"Journal{separator}Article"), expect="Journal Article")
for number, literal in enumerate(["List<String> types", "a <b c", "x < y > z", "<$1,700"]):
    entry(f"literal-{number}", base(title=literal), expect=literal)
MARK_FORMS = ["{n}{m}", "{n}<sup>{m}</sup>", "{n}<nobr><em>{m}</em></nobr>", "{n}<b>{m}</b>"]
for (number, form), mark in itertools.product(enumerate(MARK_FORMS), "*†‡"):
    name = form.format(n="Grace Hopper", m=mark)
    entry(
        f"mark-{number}-{'*†‡'.index(mark)}",
        base(author=f"Ada Lovelace and {name}"),
        expect=mark,
    )
LINK_FORMS = {
    "doi": 'doi:<a href="https://doi.org/10.1000/xyz{n}">10.1000/xyz{n}</a>',
    "single": "<a href='https://example.org/p{n}'>paper</a>",
    "bare": '<a href="https://example.org/p{n}">https://example.org/p{n}</a>',
}
for (form_name, form), n in itertools.product(LINK_FORMS.items(), range(3)):
    entry(f"linkhtml-{form_name}-{n}", base(html=form.format(n=n)), expect=n)
for n, bad in enumerate(["javascript:alert(1)", "data:text/html,x", "vbscript:x"]):
    entry(f"linkbad-{n}", base(html=f'<a href="{bad}">x</a>'), expect=bad)


IEEE = [
    r'We show <inline-formula><tex-math notation="LaTeX">$\mathcal {O}(n^2)$</tex-math>'
    r"</inline-formula> bounds",
    r'We show <tex-math notation="LaTeX">$\mathcal {O}(n^2)$</tex-math> bounds',
    r"We show <jats:inline-formula><tex-math>$\mathcal {O}(n^2)$</tex-math>"
    r"</jats:inline-formula> bounds",
]
for number, abstract in enumerate(IEEE):
    entry(f"ieee-{number}", base(abstract=abstract), expect=r"\mathcal {O}(n^2)")


# -- 2. LaTeX characters --------------------------------------------------------------------
QUOTES = {r"{\rq}": "’", r"\rq{}": "’", r"{\lq}": "‘", r"\textquoteright{}": "’"}
for number, (latex, char) in enumerate(QUOTES.items()):
    entry(f"quote-{number}", base(title=f"graph{latex}s"), expect=f"graph{char}s")
for name, expansion in AAS_JOURNALS.items():
    for form in (f"\\{name}", f"{{\\{name}}}", f"\\{name}{{}}"):
        entry(f"aas-{name}-{len(form)}", base(journal=form), expect=expansion)
for number, amount in enumerate(["$5", "$1,700", "$ 20", "$.50", "$2.5M"]):
    entry(f"dollar-{number}", base(title=f"The <{amount} machine"), expect=amount)
SCHOLAR = {
    r"$\{$USENIX$\}$ {ATC}": "USENIX ATC",
    r"{$\{$}IEEE{$\}$} Transactions": "IEEE Transactions",
    r"Proc. of $\{$ACM$\}$ $\{$SIGMOD$\}$": "Proc. of ACM SIGMOD",
}
for number, (latex, shown) in enumerate(SCHOLAR.items()):
    entry(f"scholar-{number}", base(booktitle=latex, title=latex), "inproceedings", shown)
LAYOUT = [
    r"\raisebox{{{d}}}{{X}}",
    r"\raisebox{{{d}}}[0pt][0pt]{{X}}",
    r"\raisebox{{{d}}}\textasciitilde",
    r"\hspace{{{d}}}X",
    r"\hspace*{{{d}}}X",
    r"\vspace{{{d}}}X",
    r"\kern{d} X",
    r"\kern {d}X",
    r"\hskip {d} plus 1fil X",
    r"\rule{{{d}}}{{{d}}}X",
    r"\rule[{d}]{{{d}}}{{1pt}}X",
]
for (number, form), dimension in itertools.product(enumerate(LAYOUT), ["-0.5ex", "2pt", "1.5em"]):
    text = form.format(d=dimension)
    entry(f"layout-{number}-{len(text)}", base(title=f"at z{text}1"), expect=dimension)


# -- 3. names -------------------------------------------------------------------------------
TRAILING = ["Vagliano, Iacopo,", "{Vagliano}, Iacopo,", "Vagliano, Iacopo ,", "Vagliano,  Iacopo, "]
for number, name in enumerate(TRAILING):
    entry(f"trailing-{number}", base(author=f"Ada Lovelace and {name} and Alan Turing"), expect=3)
STRAY = ["Ada Lovelace, and and Alan Turing", "Ada Lovelace and and and Alan Turing",
         "and Ada Lovelace and Alan Turing", "Ada Lovelace and Alan Turing and"]  # fmt: skip
for number, names in enumerate(STRAY):
    entry(f"stray-{number}", base(author=names), expect=["Ada Lovelace", "Alan Turing"])
PEOPLE = ["Qiu Quan", "Sun Na", "Bai He", "Wang Ning", "Fan Zheng", "Li Wei"]
for count in range(3, 7):
    entry(f"commas-{count}", base(author=", ".join(PEOPLE[:count])), expect=PEOPLE[:count])
FIRST_MARKS = ["Navneet* Agarwal", "Navneet † Agarwal", "Navneet Agarwal *", "Navneet*† Agarwal"]
for number, name in enumerate(FIRST_MARKS):
    entry(f"firstmark-{number}", base(author=f"{name} and Kirill Milintsevich"), expect=number)
FOLKS = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov",
         "Donald Knuth", "Frances Allen", "John Backus"]  # fmt: skip
for count in range(1, 9):
    entry(f"others-{count}", base(author=" and ".join([*FOLKS[:count], "others"])), expect=count)


# -- 4. months ------------------------------------------------------------------------------
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]  # fmt: skip
ABBR = [name[:3] for name in MONTH_NAMES]
for index, name in enumerate(MONTH_NAMES):
    day = index + 10
    forms = {
        "concat": f'RAW:{name[:3].lower()} # "~{day}"',
        "tilde": f"{name}~{day}",
        "dayfirst": f"{day} {name}",
        "iso": f"2023-{index + 1:02d}-{day}T10:00:00Z",
        "bare": f"RAW:{name.lower()}",
    }
    for form, value in forms.items():
        expect = {"dayfirst": f"{day} {ABBR[index]}", "bare": ABBR[index]}.get(
            form, f"{ABBR[index]} {day}"
        )
        entry(f"month-{form}-{index}", base(month=value), expect=f"{expect} 2020")
    following = MONTH_NAMES[(index + 1) % 12]
    entry(
        f"month-range-{index}",
        base(month=f"RAW:{name[:3].lower()} # {{-}} # {following[:3].lower()}"),
        expect=f"{ABBR[index]}–{following[:3]} 2020",
    )
for number, junk in enumerate(["junk", "sometime", "13"]):
    entry(f"month-junk-{number}", base(month=junk), expect=None)


# -- 5. venue whatever the type ---------------------------------------------------------------
TYPES = ["article", "inproceedings", "misc", "thesis", "inbook", "incollection", "unknown",
         "journalarticle", "conferencepaper", "chapter", "posterabstract", "report"]  # fmt: skip
for kind, field in itertools.product(TYPES, ["journal", "booktitle"]):
    venue = f"Venue of {kind} {field}"
    entry(f"venue-{kind}-{field}", base(**{field: venue}), kind, venue)
ALIASES = {"journalarticle": "article", "conferencepaper": "inproceedings",
           "chapter": "incollection", "posterabstract": "inproceedings"}  # fmt: skip


# -- 6. doubled punctuation -------------------------------------------------------------------
PIECES = {
    "journal": ["Phys. Rev.,", "Adv. Intell. Syst.,", "CISIS 2023.", "Journal;", "Journal ,"],
    "location": [", New Jersey", "Paris, , France", "Paris,", ", , Rome"],
    "additional_info": [". More Information", ", see also", "; extra"],
}
for field, values in PIECES.items():
    for number, value in enumerate(values):
        entry(f"punct-{field}-{number}", base(month="may", **{field: value}), expect=value)


# -- 7. housekeeping fields -------------------------------------------------------------------
HOUSEKEEPING = ["date-added", "date-modified", "bdsk-url-1", "bdsk-url-7", "bdsk-file-12",
                "file", "mendeley-groups", "owner", "timestamp", "biburl", "bibsource",
                "jabref-abc", "zotero-key", "cdate"]  # fmt: skip
for number, name in enumerate(HOUSEKEEPING):
    entry(f"keep-{number}", base(bibtex_show="true", doi="10.1/x", **{name: "v"}), expect=name)


# -- 8. Markdown in additional_info -----------------------------------------------------------
MARKDOWN = {
    "*More* info": ("em", "More"),
    "**Oral** talk": ("strong", "Oral"),
    "see [the page](https://example.org/m)": ("a", "the page"),
    "_Best_ paper": ("em", "Best"),
    "a **[linked](https://example.org/l)** word": ("a", "linked"),
}
for number, (text, expect) in enumerate(MARKDOWN.items()):
    entry(f"md-{number}", base(additional_info=text), expect=expect)
for number, url in enumerate(["javascript:alert(1)", "data:text/html,x"]):
    entry(f"mdbad-{number}", base(additional_info=f"[click]({url})"), expect=url)


# -- the build ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build of every variant (Sphinx's test application, as the corpus survey
    builds: it puts docutils' registries back afterwards)."""
    bib = "\n".join(text for text, _ in ENTRIES.values())
    root = tmp_path_factory.mktemp("text")
    srcdir = write_project(root / "src", {"index.rst": PAGE, "refs.bib": bib})
    status, raw, crash = survey.build(srcdir, root / "out")
    assert status == 0 and not crash, crash
    html = (root / "out" / "html" / "index.html").read_text("utf-8")
    page = BeautifulSoup(html, "html.parser")
    warnings = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", raw).splitlines() if line.strip()]
    lines = {}
    for number, line in enumerate(bib.splitlines(), start=1):
        if line.startswith("@"):
            lines[line[line.index("{") + 1 : -1]] = number
    return {li["id"][4:]: li for li in page.select("li.pub")}, warnings, lines


def of(built, prefix: str):
    items, _, _ = built
    chosen = [(key, expect) for key, (_, expect) in ENTRIES.items() if key.startswith(prefix)]
    assert chosen, prefix
    for key, expect in chosen:
        assert key in items, key
        yield key, items[key], expect


def warned(built, key: str) -> list[str]:
    return [line for line in built[1] if f"'{key}'" in line]


def no_tags(text: str) -> None:
    assert not re.search(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>", text), text


def test_html_styles_are_read(built):
    for key, li, (where, element, word) in of(built, "html-"):
        part = li.select_one(where)
        text = text_of(part)
        no_tags(text)
        assert word in text and "Before" in text, (key, text)
        styled = part.find(element)
        assert styled is not None and word in text_of(styled), (key, str(part))
        assert not warned(built, key), key


def test_html_other_tags_dropped_keeping_text(built):
    for key, li, (field, tag) in of(built, "drop-"):
        text = text_of(li.select_one(HTML_FIELDS[field]))
        no_tags(text)
        assert f"Kept{tag.replace(':', '')}" in text and "x" in text, (key, text)
        part = li.select_one(HTML_FIELDS[field])
        assert part.find(tag) is None and li.find(attrs={"style": "color:red"}) is None


def test_html_script_and_style_dropped_with_their_text(built):
    for key, li, (field, tag) in of(built, "hide-"):
        text = text_of(li.select_one(HTML_FIELDS[field]))
        assert "Seen" in text and "too" in text and "Unseen" not in text, (key, text)
        assert "alert" not in str(li) and li.find(tag) is None


def test_html_entities_and_breaks(built):
    for key, li, (field, char) in of(built, "entity-"):
        shown = li.select_one(HTML_FIELDS[field]).get_text()
        assert f"a{char}b" in shown, (key, shown)
    for key, li, expect in of(built, "br-"):
        assert text_of(li.select_one(".pub-abbr")) == expect, key


def test_ieee_tex_math_in_abstracts(built):
    for key, li, latex in of(built, "ieee-"):
        body = li.select_one(".pub-abstract .pub-toggle-body")
        text = text_of(body)
        no_tags(text)
        assert text.startswith("We show") and text.endswith("bounds"), (key, text)
        assert latex in text and body.select_one(".math") is not None, (key, str(body))


def test_text_that_is_no_html_stays(built):
    for key, li, expect in of(built, "literal-"):
        assert text_of(li.select_one(".pub-title")) == expect, key


def test_marks_in_html_are_author_marks(built):
    for key, li, mark in of(built, "mark-"):
        authors = li.select_one(".pub-authors")
        assert "Grace Hopper" in text_of(authors), key
        marks = [text_of(sup) for sup in authors.select("sup.pub-author-mark")]
        assert marks == [mark], (key, str(authors))
        no_tags(text_of(authors))


def test_html_in_link_fields_gives_its_href(built):
    for key, li, n in of(built, "linkhtml-"):
        hrefs = [a.get("href", "") for a in li.select("a.pub-button")]
        wanted = (
            f"https://doi.org/10.1000/xyz{n}" if "-doi-" in key else f"https://example.org/p{n}"
        )
        assert wanted in hrefs, (key, hrefs)
    for key, li, bad in of(built, "linkbad-"):
        hrefs = [a.get("href", "") for a in li.find_all("a")]
        assert not any(h.lower().startswith(bad.split(":")[0]) for h in hrefs), (key, hrefs)


def test_latex_quotes(built):
    for key, li, expect in of(built, "quote-"):
        assert text_of(li.select_one(".pub-title")) == expect, key
        assert not warned(built, key), key


def test_ads_journal_macros(built):
    for key, li, expansion in of(built, "aas-"):
        venue = text_of(li.select_one(".pub-venue"))
        assert venue.startswith(expansion + ","), (key, venue)
        assert not warned(built, key), key


def test_dollar_amounts_are_dollars(built):
    for key, li, amount in of(built, "dollar-"):
        assert text_of(li.select_one(".pub-title")) == f"The <{amount} machine", key
        assert not warned(built, key), (key, warned(built, key))


def test_google_scholar_braces(built):
    for key, li, shown in of(built, "scholar-"):
        assert text_of(li.select_one(".pub-title")) == shown, key
        assert text_of(li.select_one(".pub-venue")).startswith(f"In {shown},"), key


def test_layout_commands_drop_their_dimensions(built):
    for key, li, dimension in of(built, "layout-"):
        title = text_of(li.select_one(".pub-title"))
        assert title.startswith("at z") and title.endswith("1"), (key, title)
        assert dimension.lstrip("-") not in title and "pt" not in title, (key, title)
        assert "X" in title or "~" in title, (key, title)


def _names(li) -> list[str]:
    block = li.select_one(".pub-authors-all") or li.select_one(".pub-authors")
    text = text_of(block).replace("show fewer", "")
    for sup in block.select("sup"):
        text = text.replace(text_of(sup), "")
    text = re.sub(r",?\s*et al\.\s*$", "", text.strip())
    return [part.strip() for part in re.split(r",\s*and\s+|\s+and\s+|,\s*", text) if part.strip()]


def test_trailing_commas_in_names(built):
    for key, li, count in of(built, "trailing-"):
        assert _names(li) == ["Ada Lovelace", "Iacopo Vagliano", "Alan Turing"], key
        assert len(_names(li)) == count


def test_stray_and(built):
    for key, li, expect in of(built, "stray-"):
        assert _names(li) == expect, key


def test_comma_separated_names_read_and_warned(built):
    _, _, lines = built
    for key, li, expect in of(built, "commas-"):
        block = li.select_one(".pub-authors-all") or li.select_one(".pub-authors")
        assert all(name in text_of(block) for name in expect), key
        messages = warned(built, key)
        assert len(messages) == 1 and "separated by commas" in messages[0], messages
        # at the author field's line: the line after the entry's first
        assert f"refs.bib:{lines[key] + 2}:" in messages[0] and "[pubs.entry]" in messages[0]


def test_marks_on_first_names(built):
    for key, li, _ in of(built, "firstmark-"):
        authors = li.select_one(".pub-authors")
        assert text_of(authors).startswith("Navneet Agarwal"), (key, text_of(authors))
        marks = "".join(text_of(sup) for sup in authors.select("sup.pub-author-mark"))
        assert marks and set(marks) <= set("*†"), key


def test_and_others(built):
    for key, li, count in of(built, "others-"):
        everyone = li.select_one(".pub-authors-all") or li.select_one(".pub-authors")
        full = text_of(everyone).replace("show fewer", "").strip()
        assert full.endswith(", et al." if count > 1 else " et al."), (key, full)
        assert " and " not in full and "others" not in full, (key, full)
        assert _names(li) == FOLKS[:count], key
        more = li.select_one(".pub-more-authors")
        if count > 3:  # the collapsed line counts the people named, not "others"
            hidden = count - 3
            assert text_of(more) == f"{hidden} more author" + ("s" if hidden > 1 else "")
        else:
            assert more is None


def test_months_beyond_a_month(built):
    for key, li, expect in of(built, "month-"):
        venue = text_of(li.select_one(".pub-venue"))
        if expect is None:
            assert venue == "2020", (key, venue)
            assert any("not understood" in line for line in warned(built, key)), key
        else:
            assert venue == expect, (key, venue)
            assert not warned(built, key), (key, warned(built, key))


def test_venue_whatever_the_type(built):
    for key, li, venue in of(built, "venue-"):
        shown = text_of(li.select_one(".pub-venue"))
        assert venue in shown, (key, shown)
        kind = key.split("-")[1]
        if kind in ALIASES:
            assert f"pub-type-{ALIASES[kind]}" in li["class"], (key, li["class"])
            assert not any("unknown type" in line for line in warned(built, key)), key


def test_no_doubled_punctuation(built):
    for key, li, value in of(built, "punct-"):
        venue = text_of(li.select_one(".pub-venue"))
        assert not _DOUBLED.search(venue), (key, venue)
        assert venue.endswith("May 2020"), (key, venue)
        words = [w for w in re.findall(r"[A-Za-z]+", value)]
        assert all(w in venue for w in words), (key, venue)


def test_housekeeping_fields_hidden_from_the_box(built):
    for key, li, name in of(built, "keep-"):
        box = text_of(li.select_one("pre.pub-bibtex-text"))
        assert "title = {A Title}" in box and "doi = {10.1/x}" in box, key
        assert not re.search(rf"^\s*{re.escape(name)}\s*=", box, re.M), (key, box)


def test_markdown_in_additional_info(built):
    for key, li, (element, word) in of(built, "md-"):
        venue = li.select_one(".pub-venue")
        assert "*" not in text_of(venue) and "](" not in text_of(venue), key
        found = venue.find(element)
        assert found is not None and text_of(found) == word, (key, str(venue))
    for key, li, url in of(built, "mdbad-"):
        venue = li.select_one(".pub-venue")
        assert "click" in text_of(venue)
        assert all(not a.get("href", "").startswith(url[:4]) for a in venue.find_all("a")), key


# -- properties of the HTML reader -------------------------------------------------------------
_TAGGY = st.sampled_from(
    ["<", ">", "/", "</", "<b>", "</b>", "<i>", "</i>", "<script>", "</script>", "<br>",
     "<a href=\"javascript:x\">", "</a>", "&amp;", "&nbsp;", "&", ";", "<!--", "-->", "x", " ",
     "<span style='font-variant:small-caps'>", "</span>", "<tex-math>", "<List>", "=", '"']
)  # fmt: skip
_HTML_TEXT = st.lists(_TAGGY | st.text(max_size=4), max_size=40).map("".join)


def _strings(rich):
    for item in rich:
        if isinstance(item, str):
            yield item
        elif isinstance(item, Styled | Link):
            yield from _strings(item.children)


@settings(max_examples=EXAMPLES, deadline=None)
@given(_HTML_TEXT)
def test_no_html_element_survives_as_text(text):
    rich = read_field_html((text,))
    for item in _strings(rich):
        for m in re.finditer(
            r"</?([A-Za-z][A-Za-z0-9-]*(?::[A-Za-z][\w.-]*)?)(?:\s[^<>]*)?/?>", item
        ):
            name = m.group(1).lower()
            assert name not in HTML_ELEMENTS and not name.startswith("jats:"), (text, item)
        assert "alert" not in item or "alert" in re.sub(r"<script>.*?(</script>|$)", "", text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(min_value=1, max_value=5000), st.sampled_from(["b", "i", "sup", "span"]))
def test_deep_nesting_stays_shallow(depth, tag):
    rich = read_field_html((f"<{tag}>" * depth + "x" + f"</{tag}>" * depth,))
    level = 0
    while rich and not isinstance(rich[0], str):
        rich = rich[0].children
        level += 1
    assert level <= MAX_NEST and rich == ("x",)


def test_parse_is_one_pass():
    """The tree of n tags has n nodes: the reader never rescans (counted, not timed)."""
    for size in (10, 100, 1000):
        tree = parse(["<b>x</b>" * size], FIELD_HTML)
        assert len(tree) == size


_HOSTILE = {
    "opening": "<b>",
    "closing": "</i>",
    "mixed": "<b><i>x</b></i>",
    "script": "<script>",
    "unclosed-script": "<script>x",
    "link": "<a href='https://x.example/'>",
    "angles": "<",
    "entities": "&amp;&nbsp;",
    "attributes": '<span style="a" class="b" x=\'y\'>',
    "comment": "<!-- x",
    "comments": "<!--",
    "closed-comment": "<!-- x --> <i>",
}


@pytest.mark.parametrize("strict", [False, True], ids=["field-html", "csl"])
@pytest.mark.parametrize("unit", _HOSTILE.values(), ids=list(_HOSTILE))
def test_reading_html_is_linear(unit, strict):
    """Generous ratio of the time for 8x the input (never an absolute time), in both
    dialects."""
    import time

    from sphinx_pubs.sources.csl_rich import read_rich

    def cost(n: int) -> float:
        text = unit * n
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            read_rich(text) if strict else read_field_html((text,))
            best = min(best, time.perf_counter() - start)
        return best

    small, large = cost(500), cost(4000)
    assert large < 8 * 6 * max(small, 1e-4), (small, large)


def test_defaults_hide_housekeeping_patterns():
    assert {"bdsk-*", "jabref-*", "zotero-*", "date-added", "timestamp"} <= set(
        DEFAULT_BIBTEX_HIDDEN
    )


# -- meta tags (Google Scholar's Highwire tags) of the same variants ---------------------------
@pytest.mark.parametrize(
    ("kind", "field", "tag"),
    [
        ("inproceedings", "journal", "citation_journal_title"),
        ("misc", "booktitle", "citation_conference_title"),
        ("journalarticle", "journal", "citation_journal_title"),
        ("conferencepaper", "booktitle", "citation_conference_title"),
        ("article", "journal", "citation_journal_title"),
    ],
)
@pytest.mark.parametrize("ending", ["", ",", " ,", ";"])
def test_meta_tags_venue_whatever_the_type(kind, field, tag, ending):
    from sphinx_pubs.export.scholar import highwire_tags
    from sphinx_pubs.sources.bibtex import read_bibtex_text

    records, _ = read_bibtex_text(
        "refs.bib", f"@{kind}{{k, title = {{T}}, {field} = {{Phys. Rev.{ending}}}, year = 2020}}"
    )
    tags = dict(highwire_tags(records[0]))
    assert tags[tag] == "Phys. Rev.", tags

"""Hostile bibliographies, built by real Sphinx: markup, active content and paths.

Every field a list shows (title, authors, venue, note, abstract, the key of an entry
without a title, the type) carries markup or script; links use every scheme trick;
raw fields point at files outside the project.  The HTML is read with a real parser
and must hold no active content inside ``div.pubs``: no script-like element, no
``on*`` attribute, only ``http``/``https``/``mailto`` or same-page ``#`` links.
The hostile text must still be there as visible text (escaped, not dropped), except
for dropped links, each of which is reported as a ``[pubs.link]`` warning at its
entry's ``file:line``.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup, Tag
from helpers import warnings_of

from sphinx_pubs.core.html import read_field_html, strip_tags, written_html
from sphinx_pubs.core.latex.decoder import decode, decode_plain
from sphinx_pubs.core.latex.math_symbols import MATH_MARKUP
from sphinx_pubs.core.model import Math, plain

PAGE = "Publications\n============\n\n.. publications:: refs.bib\n"

#: elements that must never appear inside a list
ACTIVE_TAGS = (
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "img",
    "image",
    "video",
    "audio",
    "source",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "template",
    "noscript",
)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
#: web links, fragments, and the list's own downloads (files the build writes)
SAFE_URL = re.compile(
    r"^(?:(?:https?|mailto):|#|(?:\.\./)*_pubs/[\w%./-]+\.(?:bib|json)$)", re.IGNORECASE
)
_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


def shown(text: str) -> str:
    """What a field value should read as on the page: the project's LaTeX decoder, and
    the HTML that al-folio passes through read as the reader reads it (issue 12: its
    safe subset as rich text, other tags dropped, script and style with their text)."""
    text = squash(text)
    if not written_html(text):
        return squash(decode_plain(text)[0])
    rich = read_field_html(decode(text)[0])
    return squash(
        plain(tuple(MATH_MARKUP.sub("", i.latex) if isinstance(i, Math) else i for i in rich))
    )


def lists_of(app) -> list[Tag]:
    page = app.soup()
    containers = page.select("div.pubs")
    assert containers, "no list on the page"
    return containers


def assert_inert(container: Tag) -> None:
    """No active element, no event handler, no link but http/https/mailto/#fragment."""
    for name in ACTIVE_TAGS:
        found = container.find(name)
        assert found is None, f"<{name}> in the list: {str(found)[:200]}"
    for tag in container.find_all(True):
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), (tag.name, attribute, value)
            if attribute.lower() in URL_ATTRIBUTES:
                assert SAFE_URL.match(value.strip()), (tag.name, attribute, value)
                assert value == value.strip(), (tag.name, attribute, value)
            if attribute.lower() == "style":
                pytest.fail(f"inline style in the list: {tag.name} {value!r}")
    # the list's own structure survives: entries hold only their parts
    for entry in container.select("li.pub"):
        for child in entry.find_all(True, recursive=False):
            assert child.name in ("div", "details"), child.name
            classes = child.get("class", [])
            assert any(c.startswith("pub-") for c in classes), classes
        assert len(entry.select("details")) <= 1


def entries_by_id(app) -> dict[str, Tag]:
    return {li["id"]: li for container in lists_of(app) for li in container.select("li.pub")}


# -- markup and script in every shown field -------------------------------------------

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "details": "</details></div></li></ol></div><script>alert(2)</script>",
    "img": "<img src=x onerror=alert(3)>",
    "svg": '"><svg onload=alert(4)>',
    "entity": "&#106;avascript:alert(5) &lt;b&gt; &amp;",
    "iframe": "<iframe src=javascript:alert(6)></iframe>",
    "object": "<object data=x></object><embed src=x>",
    "style": "<style>body{display:none}</style><base href=//evil.example/>",
    "anchor": '<a href="javascript:alert(7)">click</a>',
    "attr": "' onmouseover=alert(8) x='",
    "raw": ".. raw:: html\n\n   <script>alert(9)</script>",
    "rst": "`x <javascript:y>`_ and :ref:`z` and **bold** and |sub| and [[x]]",
    "markdown": "[x](javascript:y) and ![i](x.png) and <https://evil.example> and *em*",
    "template": "{{ 7*7 }} and ${7*7} and {% raw %}",
}


def _as_name(payload: str) -> str:
    """*payload* as one name: its own "and"s would split it into several people."""
    return payload.replace(" and ", " + ")


def _hostile_bib() -> tuple[str, dict[str, int]]:
    """One @article per payload, the payload in every shown field; and their lines."""
    chunks, lines, line = [], {}, 1
    for name, payload in PAYLOADS.items():
        # braces are BibTeX syntax, so payloads hold none but balanced ones
        chunk = (
            f"@article{{{name},\n"
            f"  title = {{T {payload}}},\n"
            f"  author = {{{_as_name(payload)} and Bob Smith}},\n"
            f"  journal = {{J {payload}}},\n"
            f"  note = {{N {payload}}},\n"
            f"  abstract = {{A {payload}}},\n"
            "  year = 2020,\n"
            "}\n\n"
        )
        lines[name] = line
        line += chunk.count("\n")
        chunks.append(chunk)
    return "".join(chunks), lines


def test_markup_in_every_field_is_shown_as_text(build_project):
    bib, _ = _hostile_bib()
    app = build_project({"index.rst": PAGE, "refs.bib": bib})
    app.assert_clean()
    for container in lists_of(app):
        assert_inert(container)
    entries = entries_by_id(app)
    for name, payload in PAYLOADS.items():
        entry = entries[f"pub-{name}"]
        assert squash(entry.select_one(".pub-title").get_text()) == shown("T " + payload)
        # a name is split into words and reordered ("Last, First"); every word is shown
        authors = squash(entry.select_one(".pub-authors").get_text())
        for word in shown(strip_tags(_as_name(payload))).split():
            # marks at the end of a word are the name's marks, shown after it
            assert word.rstrip("*†‡§¶") in authors, (name, word, authors)
        assert squash(entry.select_one(".pub-venue").get_text()).startswith(shown("J " + payload))
        assert squash(entry.select_one(".pub-note").get_text()) == shown("N " + payload)
        # a blank line in the abstract starts a paragraph
        abstract = squash(entry.select_one(".pub-abstract .pub-toggle-body").get_text())
        assert abstract == shown("A " + payload)
        # nothing of the payload became markup: no emphasis, strong or link
        for part in entry.select(".pub-title, .pub-note, .pub-venue, .pub-abstract"):
            assert part.find(["a", "em", "strong", "code"]) is None, (name, str(part)[:300])
    # the raw page never holds the payload's markup unescaped
    html = app.text()
    for needle in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "<embed", "<base "):
        assert needle not in html, needle


def test_markup_in_the_text_builder_is_literal(build_project):
    bib, _ = _hostile_bib()
    app = build_project({"index.rst": PAGE, "refs.bib": bib}, builder="text")
    app.assert_clean()
    text = squash(app.text("index.txt"))
    for payload in PAYLOADS.values():
        assert shown("T " + payload) in text


def test_hostile_keys_types_and_macros(build_project):
    bib = (
        '@string{evil = "<script>alert(1)</script>"}\n'
        "@misc{<img/src=x/onerror=alert(2)>, year = 2020}\n"
        "@<script>{k1, title = {Odd type}, howpublished = evil, year = 2020}\n"
        '@misc{k2, title = evil # " and " # {<b>more</b>}, year = 2020}\n'
        '@misc{"><svg/onload=alert(3)>, note = {x}, year = 2020}\n'
    )
    app = build_project({"index.rst": PAGE, "refs.bib": bib})
    app.assert_clean()
    for container in lists_of(app):
        assert_inert(container)
    titles = [squash(t.get_text()) for t in lists_of(app)[0].select(".pub-title")]
    # an entry without a title shows its key, as text
    assert "<img/src=x/onerror=alert(2)>" in titles
    assert '"><svg/onload=alert(3)>' in titles
    # field HTML is read (issue 12): the script is dropped with its text, <b> is bold
    assert "and more" in titles
    ids = [li["id"] for li in lists_of(app)[0].select("li.pub")]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids), ids
    classes = [c for li in lists_of(app)[0].select("li.pub") for c in li["class"]]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", c) for c in classes), classes
    venue = squash(lists_of(app)[0].select_one("li.pub-type-script .pub-venue").get_text())
    assert "alert" not in venue and "<" not in venue


# -- links ----------------------------------------------------------------------------

#: (LaTeX, the URL as the warning names it, the text the page shows instead)
BAD_LINKS = [
    (r"\href{javascript:alert(1)}{x1}", "javascript:alert(1)", "x1"),
    (r"\url{JaVaScRiPt:alert(2)}", "JaVaScRiPt:alert(2)", "JaVaScRiPt:alert(2)"),
    (r"\url{ javascript:alert(3)}", "javascript:alert(3)", "javascript:alert(3)"),
    ("\\url{\tjavascript:alert(4)}", "javascript:alert(4)", "javascript:alert(4)"),
    ("\\url{\n   javascript:alert(5)}", "javascript:alert(5)", "javascript:alert(5)"),
    ("\\href{ \t\njavascript:alert(6)}{x6}", "javascript:alert(6)", "x6"),
    (r"\href{data:text/html,<script>alert(7)</script>}{x7}", "data:text/html,", "x7"),
    (r"\url{data:text/html;base64,PHNjcmlwdD4=}", "data:text/html;base64", "data:text/html"),
    (r"\url{file:///etc/passwd}", "file:///etc/passwd", "file:///etc/passwd"),
    (r"\href{vbscript:msgbox(8)}{x8}", "vbscript:msgbox(8)", "x8"),
    (r"\href{https://ok.example/\"onmouseover=\"alert(9)}{x9}", "onmouseover", "x9"),
    (r"\href{https://ok.example/'onmouseover='alert(10)}{x10}", "onmouseover", "x10"),
    (r"\url{https://ok.example/<script>alert(11)</script>}", "<script>", "<script>alert(11)"),
    (r"\href{https://ok.example/a b}{x12}", "a b", "x12"),
    (r"\url{&#106;avascript:alert(13)}", "&#106;avascript", "&#106;avascript:alert(13)"),
    (r"\href{java&#x09;script:alert(14)}{x14}", "java&#x09;script", "x14"),
    (r"\href{jav\%0Aascript:alert(15)}{x15}", "ascript:alert(15)", "x15"),
    (r"\href{//evil.example/x}{x16}", "//evil.example/x", "x16"),
    (r"\href{/etc/passwd}{x17}", "/etc/passwd", "x17"),
    (r"\href{\\evil.example\share}{x18}", "evil.example", "x18"),
    ("\\href{\x01javascript:alert(19)}{x19}", "javascript:alert(19)", "x19"),
    (r"\href{javascript\&colon;alert(20)}{x20}", "javascript&colon;", "x20"),
]
GOOD_LINKS = [
    (r"\url{https://ok.example/page?a=1\&b=2\#frag}", "https://ok.example/page?a=1&b=2#frag"),
    (r"\href{HTTP://OK.EXAMPLE/X}{upper}", "HTTP://OK.EXAMPLE/X"),
    (r"\href{mailto:someone@example.org}{mail}", "mailto:someone@example.org"),
    (r"\doi{10.1000/xyz}", "https://doi.org/10.1000/xyz"),
]


def _link_bib() -> tuple[str, dict[str, int]]:
    chunks, lines, line = [], {}, 1
    for index, (latex, _, _) in enumerate(BAD_LINKS):
        chunk = f"@misc{{bad{index},\n  title = {{Bad {latex} end}},\n  year = 2020,\n}}\n"
        lines[f"bad{index}"] = line
        line += chunk.count("\n")
        chunks.append(chunk)
    for index, (latex, _) in enumerate(GOOD_LINKS):
        chunks.append(f"@misc{{good{index}, title = {{G}}, note = {{{latex}}}, year = 2021}}\n")
    return "".join(chunks), lines


def test_unsafe_links_are_dropped_with_a_warning(build_project):
    bib, lines = _link_bib()
    app = build_project({"index.rst": PAGE, "refs.bib": bib})
    app.assert_clean()
    for container in lists_of(app):
        assert_inert(container)
    entries = entries_by_id(app)
    warnings = warnings_of(app)
    for index, (_, url_part, visible) in enumerate(BAD_LINKS):
        key = f"bad{index}"
        entry = entries[f"pub-{key}"]
        assert entry.find("a") is None, (key, str(entry)[:300])
        title = squash(entry.select_one(".pub-title").get_text())
        assert title.startswith("Bad ") and title.endswith(" end"), title
        assert visible in title, (key, title)
        matching = [
            w
            for w in warnings
            if f"refs.bib:{lines[key]}:" in w
            and "[pubs.link]" in w
            and f"entry '{key}'" in w
            and url_part in w
        ]
        assert len(matching) == 1, (key, lines[key], [w for w in warnings if key in w])
    for index, (_, href) in enumerate(GOOD_LINKS):
        links = entries[f"pub-good{index}"].select("a.pub-link")
        assert [unquote(a["href"]) for a in links] == [href]
    assert not any("good" in w for w in warnings), warnings
    # a link written per builder, never dropped silently: one warning per bad link
    assert len([w for w in warnings if "[pubs.link]" in w]) == len(BAD_LINKS)


def test_raw_url_fields_never_become_links(build_project):
    bib = (
        "@misc{raw, title = {Raw fields}, year = 2020,\n"
        "  url = {javascript:alert(1)}, pdf = {javascript:alert(2)},\n"
        "  html = {data:text/html,<script>alert(3)</script>}, code = {vbscript:x},\n"
        "  doi = {javascript:alert(4)}, preview = {javascript:alert(5)},\n"
        "  website = {file:///etc/passwd}, eprint = {<script>alert(6)</script>}}\n"
    )
    app = build_project({"index.rst": PAGE, "refs.bib": bib})
    app.assert_clean()
    for container in lists_of(app):
        assert_inert(container)
    html = app.text()
    for needle in ("javascript:", "vbscript:", "data:text/html", "file:///", "<script>alert"):
        assert needle not in html, needle


# -- files outside the project ----------------------------------------------------------


def test_nothing_outside_the_project_reaches_the_output(build_project, tmp_path):
    token = f"SECRET-{uuid.uuid4().hex}"
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(token + "\n", encoding="utf-8")
    (outside / "secret.pdf").write_text(token, encoding="utf-8")
    (outside / "secret.png").write_text(token, encoding="utf-8")
    bib = (
        f'@preamble{{"\\input{{{secret}}}"}}\n'
        "@misc{paths,\n"
        "  title = {Paths},\n"
        "  year = 2020,\n"
        "  pdf = {../outside/secret.pdf},\n"
        "  file = {" + str(outside / "secret.pdf") + "},\n"
        "  preview = {../outside/secret.png},\n"
        "  html = {../../" + str(secret).lstrip("/") + "},\n"
        "  supp = {../outside/secret.txt},\n"
        "  url = {file://" + str(secret) + "},\n"
        "  note = {\\url{file://" + str(secret) + "} \\input{" + str(secret) + "} "
        "\\include{../outside/secret} \\verbatiminput{" + str(secret) + "}},\n"
        "  abstract = {\\InputIfFileExists{" + str(secret) + "}{}{}},\n"
        "}\n"
        "@misc{second, title = {Second}, pdf = {../../etc/passwd}, file = {/etc/passwd},"
        " year = 2021}\n"
    )
    files = {"index.rst": PAGE, "refs.bib": bib}
    root = tmp_path / "src"
    apps = [
        build_project(files, builder=builder, srcdir=root, builddir=root / f"_{builder}")
        for builder in ("html", "text", "latex")
    ]
    for app in apps:
        app.assert_clean()
    for container in lists_of(apps[0]):
        assert_inert(container)
    for app in apps:
        for base in (Path(app.outdir), Path(app.doctreedir)):
            for path in base.rglob("*"):
                if path.is_file():
                    assert not path.name.startswith("secret."), path
                    data = path.read_bytes()
                    assert token.encode() not in data, path
                    assert b"root:x:0:0" not in data, path
    # the paths themselves are only text
    note = squash(entries_by_id(apps[0])["pub-paths"].select_one(".pub-note").get_text())
    assert f"file://{secret}" in note and str(secret) in note


# -- math ---------------------------------------------------------------------------
# Math reaches MathJax (HTML) and the .tex file (LaTeX) as LaTeX source, so it is the
# one place where a bibliography could hand a program commands.


def _math_of(app) -> list[str]:
    page = BeautifulSoup((Path(app.outdir) / "index.html").read_text("utf-8"), "html.parser")
    return [m.get_text() for c in page.select("div.pubs") for m in c.select(".math")]


#: MathJax commands that make links or set HTML attributes, and one that loads code
MATHJAX_UNSAFE = {
    "href": r"\href{javascript:alert(1)}{here}",
    "data-href": r"x \href{data:text/html,<script>alert(2)</script>}{y}",
    "class": r"\class{pub-more-authors}{x}",
    "style": r"\style{position:fixed;top:0;left:0;width:100%;height:100%}{x}",
    "cssId": r"\cssId{pub-a}{x}",
    "require": r"\require{html}",
    "unicode": r"\unicode{x3C}",
}


@pytest.mark.parametrize("source", MATHJAX_UNSAFE.values(), ids=MATHJAX_UNSAFE.keys())
def test_math_that_could_act_is_not_typeset(build_project, source):
    r"""Found by this suite (``$\href{javascript:...}$`` reached MathJax, which is loaded
    without its ui/safe extension); fixed in bfb0089: such math is shown as text."""
    bib = f"@misc{{m, title = {{Math ${source}$ and $x^2_i$}}, year = 2020}}\n"
    app = build_project({"index.rst": PAGE, "refs.bib": bib})
    app.assert_clean()
    for container in lists_of(app):
        assert_inert(container)
    command = source.split("{")[0].split()[-1]
    math = _math_of(app)
    assert any("x^2_i" in m for m in math), math  # other math is still typeset
    assert not any(command in m for m in math), math
    assert any("[pubs.latex]" in w and "refs.bib:1:" in w for w in warnings_of(app))


@pytest.mark.parametrize(
    "title",
    [
        r"\textbackslash(\textbackslash{}href\{javascript:alert(1)\}\{click\}\textbackslash)",
        r"\$\$\textbackslash{}href\{javascript:alert(2)\}\{click\}\$\$",
        r"\textbackslash{}begin\{array\}\textbackslash{}href\{javascript:alert(3)\}\{x\}"
        r"\textbackslash{}end\{array\}",
    ],
)
def test_text_never_reaches_mathjax(build_project, title):
    bib = f"@misc{{m, title = {{{title} and $x^2_i$}}, year = 2020}}\n"
    app = build_project({"index.rst": PAGE, "refs.bib": bib})
    app.assert_clean()
    page = app.soup()
    assert page.find("script", src=re.compile("mathjax", re.IGNORECASE)), "MathJax loaded"
    title_div = page.select_one("li#pub-m .pub-title")
    assert "javascript:" in title_div.get_text()  # the text is there ...
    # ... but where MathJax will not read it: in (or under) a mathjax_ignore element
    ignored = ("mathjax_ignore", "tex2jax_ignore")
    marked = [title_div, *title_div.parents]
    assert any(set(ignored) & set(tag.get("class") or []) for tag in marked), str(title_div)
    # while the real math is marked for MathJax to typeset
    math = title_div.select_one("span.math")
    assert math is not None and "mathjax_process" in math["class"], str(title_div)


def _tex_math(app) -> list[str]:
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    return re.findall(r"\\\((.*?)\\\)", tex, re.S)


TEX_CASES = [
    pytest.param(r"\input{SECRET}", "input", id="input"),
    pytest.param(r"\immediate\write18{touch PWNED}", "write18", id="write18"),
    pytest.param(r"\def\x{\x}\x", "def", id="def"),
    pytest.param(r"^^5cinput{SECRET}", "^^", id="caret-escape"),
    pytest.param(r"\csname input\endcsname{SECRET}", "csname", id="csname"),
    pytest.param(
        r"\end{document}",
        "end{document}",
        id="end-document",
    ),
    pytest.param(
        r"\enddocument",
        "enddocument",
        id="enddocument",
    ),
    pytest.param(
        r"\stop",
        "stop",
        id="stop",
    ),
    pytest.param(
        r"\loop\iftrue\repeat",
        "loop",
        id="loop",
    ),
    pytest.param(
        r"\pdfmdfivesum file {SECRET}",
        "pdfmdfivesum",
        id="pdfmdfivesum",
    ),
    pytest.param(
        r"\pdffilesize{SECRET}",
        "pdffilesize",
        id="pdffilesize",
    ),
]


@pytest.mark.parametrize(("source", "command"), TEX_CASES)
def test_math_cannot_command_pdflatex(build_project, tmp_path, source, command):
    r"""Found by this suite: ``$\input{/file}$`` put any readable file of the build
    machine into the PDF of ``make latexpdf`` (checked with latexmk and pdftotext);
    bfb0089 refuses math with file, shell and definition commands.  The rest of TeX's
    commands are still passed through: a denylist cannot be complete."""
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET\n", encoding="utf-8")
    source = source.replace("SECRET", str(secret)).replace("PWNED", str(tmp_path / "pwned"))
    bib = f"@misc{{m, title = {{Leak ${source}$ and $x^2_i$}}, year = 2020}}\n"
    app = build_project({"index.rst": PAGE, "refs.bib": bib}, builder="latex")
    app.assert_clean()
    math = _tex_math(app)
    assert any("x^2_i" in m for m in math), math
    assert not any(command in m for m in math), math


def test_malformed_url_does_not_abort_the_build(build_project):
    """Found by this suite (urllib's ValueError escaped render.safe_url and one
    malformed URL aborted the build); fixed in bfb0089."""
    urls = ["http://[::1", "https://example.org]/x", "https://example.org\uff0fpaper"]
    bib = "".join(
        f"@misc{{u{i}, title = {{See \\url{{{url}}}}}, year = 2020}}\n"
        for i, url in enumerate(urls)
    )
    app = build_project({"index.rst": PAGE, "refs.bib": bib})
    app.assert_clean()
    for container in lists_of(app):
        assert_inert(container)
    warnings = warnings_of(app)
    for i in range(len(urls)):
        assert any("[pubs.link]" in w and f"refs.bib:{i + 1}:" in w for w in warnings)

"""Unit tests for :mod:`sphinx_pubs.core.latex` (pure Python, no Sphinx)."""

# The expected values are look-alike Unicode characters on purpose.

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sphinx_pubs.core.latex.decoder import Decoder, decode, decode_plain
from sphinx_pubs.core.latex.math_symbols import MATH_MARKUP
from sphinx_pubs.core.latex.plain import escape, needs_decoding
from sphinx_pubs.core.model import Inline, Link, Math, RichText, Styled, plain

NBSP = "\xa0"


def rich(text: str) -> RichText:
    result, problems = decode(text)
    assert problems == [], problems
    return result


def text_of(text: str) -> str:
    """The decoded text of *text*, which must decode to a single string."""
    result = rich(text)
    assert len(result) == 1 and isinstance(result[0], str), result
    return result[0]


def emph(*children: Inline) -> Styled:
    return Styled("emph", children)


# -- fast path -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "a \\b",
        "{x}",
        "a}",
        "$x$",
        "a~b",
        "1--2",
        "a---b",
        "``q",
        "q''",
        "`q",
        "\\",
        "{",
        "}",
        "$",
        "~",
    ],
)
def test_needs_decoding_true(text: str) -> None:
    assert needs_decoding(text) is (text != "plain")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello, world",
        "state-of-the-art",
        "don't",
        "50% of 1-2",
        "a - b",
        "'x'",
        "Müller & Co. #1 _x_ ^y <z>",
        "new\nline\ttab",
    ],
)
def test_needs_decoding_false(text: str) -> None:
    assert not needs_decoding(text)


def test_fast_path_collapses_whitespace() -> None:
    assert decode("  a \n\t b  ") == (("a b",), [])
    assert decode("") == ((), [])
    assert decode(" \n ") == ((), [])
    assert decode("50% of 1-2") == (("50% of 1-2",), [])
    # a no-break space is not collapsible whitespace
    assert decode(f"a{NBSP} b") == ((f"a{NBSP} b",), [])


def test_slow_path_whitespace() -> None:
    assert rich("  a \n\t {b}   c  ") == ("a b c",)
    assert rich(" {  } x") == ("x",)
    assert rich("\\emph{ x } y") == (emph("x "), "y")
    assert rich("a \\emph{ b } c") == ("a ", emph("b "), "c")
    assert rich("\\emph{ }x") == ("x",)
    assert rich("a \\emph{} b") == ("a b",)


# -- accents and letters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        ('\\"u', "ü"),
        ('\\"{u}', "ü"),
        ('{\\"u}', "ü"),
        ('{\\"{u}}', "ü"),
        ("\\'e", "é"),
        ("\\'{\\i}", "í"),
        ("\\'\\i", "í"),
        ('\\"\\i', "ï"),
        ("\\^\\j", "ĵ"),
        ("\\`a", "à"),
        ("\\^o", "ô"),
        ("\\~n", "ñ"),
        ("\\=a", "ā"),
        ("\\.z", "ż"),
        ("\\u{a}", "ă"),
        ("\\v{c}", "č"),
        ("\\H{o}", "ő"),
        ("\\c{c}", "ç"),
        ("\\k{a}", "ą"),
        ("\\r{a}", "å"),
        ("\\d{a}", "ạ"),
        ("\\b{a}", "a\u0331"),
        ("\\t{oo}", "o\u0361o"),
        ("\\v c", "č"),
        ("\\c c", "ç"),
        ("\\u g", "ğ"),
        ('\\" u', "ü"),
        ("\\'{E}cole", "École"),
        ("\\'{\\\"u}", "ǘ"),
        ("\\r A", "Å"),
        ('\\"{}', "¨"),
        ("\\~{}", "~"),
        ("\\^{}", "^"),
        ("\\'{}", "´"),
    ],
)
def test_accents(latex: str, expected: str) -> None:
    assert text_of(latex) == expected


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        ('M{\\"u}ller', "Müller"),
        ('Schr\\"{o}dinger', "Schrödinger"),
        ("Erd\\H{o}s", "Erdős"),
        ("\\v{C}ech", "Čech"),
        ("\\c{C}a\\u{g}lar", "Çağlar"),
        ("Ko\\c{c}", "Koç"),
        ("{\\o}ystein", "øystein"),
        ("Stra\\ss e", "Straße"),
        ("\\L\\'od\\'z", "Łódź"),
        ('\\AA ngstr\\"om', "Ångström"),
        ("caf\\'e", "café"),
        ("Jab{\\l}o\\'nski", "Jabłoński"),
        ('na\\"{\\i}ve', "naïve"),
    ],
)
def test_names(latex: str, expected: str) -> None:
    assert text_of(latex) == expected


def test_special_letters() -> None:
    latex = (
        "\\ss \\o \\O \\ae \\AE \\oe \\OE \\aa \\AA \\l \\L \\i \\j \\dh \\DH \\th \\TH \\ng \\NG"
    )
    assert text_of(latex) == "ßøØæÆœŒåÅłŁıȷðÐþÞŋŊ"
    assert text_of("\\ss{}x") == "ßx"
    assert text_of("\\o{} x") == "ø x"


def test_escapes() -> None:
    assert text_of("\\& \\% \\$ \\# \\_ \\{ \\}") == "& % $ # _ { }"
    assert text_of("\\textbackslash{} \\textasciitilde{} \\textasciicircum") == "\\ ~ ^"
    assert text_of("A \\& B") == "A & B"
    assert text_of("50% of") == "50% of"
    assert text_of("50\\% of") == "50% of"


def test_spaces_and_breaks() -> None:
    assert text_of("a\\ b") == "a b"
    assert text_of("a\\,b a\\;b a\\:b") == "a b a b a b"
    assert text_of("a\\!b a\\/b a\\-b") == "ab ab ab"
    assert text_of("a\\\\b") == "a b"
    assert text_of("a \\\\ b") == "a b"
    assert text_of("a\\newline b") == "a b"
    assert text_of("a\\par b") == "a b"
    assert text_of("a \\par\n b") == "a b"
    # a backslash before any white space is a control space, as BibTeX reads it back
    # once it has collapsed that space (a no-break space, an em space, ...)
    for space in (NBSP, "\u2003", "\u3000", "\f"):
        assert text_of(f"a\\{space}b") == "a b", repr(space)
        assert decode(f"a\\{space}b")[1] == [], repr(space)


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        ("\\ldots", "…"),
        ("\\dots", "…"),
        ("\\textellipsis", "…"),
        ("\\textendash", "–"),
        ("\\textemdash", "—"),
        ("\\textquoteleft", "‘"),
        ("\\textquoteright", "’"),
        ("\\textquotedblleft", "“"),
        ("\\textquotedblright", "”"),
        ("\\guillemotleft", "«"),
        ("\\guillemotright", "»"),
        ("\\textregistered", "®"),
        ("\\texttrademark", "™"),
        ("\\copyright", "©"),
        ("\\textcopyright", "©"),
        ("\\textdegree", "°"),
        ("\\S", "§"),
        ("\\P", "¶"),
        ("\\dag", "†"),
        ("\\textdagger", "†"),
        ("\\ddag", "‡"),
        ("\\textdaggerdbl", "‡"),
        ("\\textbullet", "•"),
        ("\\pounds", "£"),
        ("\\textsterling", "£"),
        ("\\euro", "€"),
        ("\\texteuro", "€"),
        ("\\LaTeX", "LaTeX"),
        ("\\TeX", "TeX"),
        ("\\BibTeX", "BibTeX"),
    ],
)
def test_text_symbols(latex: str, expected: str) -> None:
    assert text_of(latex) == expected


def test_symbol_spacing() -> None:
    # a space after a letter is swallowed (TeX), after a word symbol it is kept
    assert text_of("\\LaTeX{} is") == "LaTeX is"
    assert text_of("\\LaTeX\\ is") == "LaTeX is"
    assert text_of("\\LaTeX is") == "LaTeX is"
    assert text_of("1, 2, \\ldots, n") == "1, 2, …, n"
    assert text_of("\\S 3") == "§3"


def test_ligatures() -> None:
    assert text_of("pages 1--10") == "pages 1–10"
    assert text_of("a---b") == "a—b"
    assert text_of("a----b") == "a—-b"
    assert text_of("``quoted''") == "“quoted”"
    assert text_of("`single'") == "‘single’"
    # a straight apostrophe typesets as a right quote, as in LaTeX; not in code
    assert text_of("don't") == "don’t"
    assert text_of("{O'Brien}") == "O’Brien"
    assert rich("\\texttt{it's}") == (Styled("code", ("it's",)),)
    assert text_of("state-of-the-art x") == "state-of-the-art x"
    assert text_of("Fisher~Yates") == f"Fisher{NBSP}Yates"
    assert text_of("a ~ b") == f"a {NBSP} b"


def test_protective_braces() -> None:
    assert text_of("{DistiLLM-2}") == "DistiLLM-2"
    assert text_of("{{BERT}: Pre-training}") == "BERT: Pre-training"
    assert text_of("The {GPU} {{era}}") == "The GPU era"
    assert text_of("{}a{}") == "a"


# -- styles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "style"),
    [
        ("\\emph{x}", "emph"),
        ("\\textit{x}", "emph"),
        ("\\textsl{x}", "emph"),
        ("{\\em x}", "emph"),
        ("{\\it x}", "emph"),
        ("{\\itshape x}", "emph"),
        ("\\textbf{x}", "strong"),
        ("{\\bf x}", "strong"),
        ("{\\bfseries x}", "strong"),
        ("\\texttt{x}", "code"),
        ("{\\tt x}", "code"),
        ("\\textsc{x}", "smallcaps"),
        ("{\\sc x}", "smallcaps"),
        ("\\textsuperscript{x}", "sup"),
        ("\\textsubscript{x}", "sub"),
    ],
)
def test_styles(latex: str, style: str) -> None:
    assert rich(latex) == (Styled(style, ("x",)),)
    assert rich(f"a {latex} b") == ("a ", Styled(style, ("x",)), " b")


def test_nested_styles() -> None:
    assert rich("\\emph{a \\textbf{b} c}") == (emph("a ", Styled("strong", ("b",)), " c"),)
    assert rich("{\\em a {\\bf b} c} d") == (
        emph("a ", Styled("strong", ("b",)), " c"),
        " d",
    )
    assert rich("{\\bf\\em x}") == (Styled("strong", (emph("x"),)),)
    assert rich("1\\textsuperscript{st}") == ("1", Styled("sup", ("st",)))
    assert rich("\\emph x y") == (emph("x"), " y")
    assert rich("\\emph~") == (emph(NBSP),)
    # a declaration outside a group styles the rest of the value
    assert rich("a \\bf b c") == ("a ", Styled("strong", ("b c",)))


def test_empty_styles_are_dropped() -> None:
    assert rich("\\emph{}x") == ("x",)
    assert rich("{\\em}") == ()
    assert rich("\\textbf{ }") == ()
    assert rich("a {\\bf} b") == ("a b",)


def test_code_keeps_ligature_input() -> None:
    assert rich("\\texttt{--help}") == (Styled("code", ("--help",)),)
    assert rich("{\\tt a--b} c--d") == (Styled("code", ("a--b",)), " c–d")


def test_pass_through_commands() -> None:
    for name in (
        "textrm",
        "textnormal",
        "textup",
        "textmd",
        "textsf",
        "mbox",
        "text",
        "NoCaseChange",
    ):
        assert rich(f"a \\{name}{{b c}} d") == ("a b c d",), name


def test_case_commands() -> None:
    assert text_of("\\MakeUppercase{stra\\ss e}") == "STRASSE"
    assert text_of("\\uppercase{abc} d") == "ABC d"
    assert text_of("\\MakeLowercase{ABC}") == "abc"
    assert rich("\\MakeUppercase{a \\emph{b}}") == ("A ", emph("B"))
    url = "https://x.org/a"
    assert rich(f"\\MakeUppercase{{\\url{{{url}}}}}") == (Link(url, (url,)),)


def test_sorting_and_spacing_commands_are_silent() -> None:
    assert text_of("{\\noopsort{1973b}}1972") == "1972"
    assert text_of("a \\noopsort{z} b") == "a b"
    assert text_of("a\\hspace*{1em}b") == "ab"
    assert text_of("\\protect\\LaTeX") == "LaTeX"
    assert text_of("{\\small a} {\\rm b}") == "a b"
    assert text_of("\\textcolor{red}{hi} {\\color{blue} there}") == "hi there"


# -- links --------------------------------------------------------------------------------


def test_url() -> None:
    url = "https://x.org/a_b%20c~d"
    assert rich(f"\\url{{{url}}}") == (Link(url, (url,)),)
    hf = "https://huggingface.co/docs/transformers/model_doc/roformer"
    assert rich(f"Huggingface: \\url{{{hf}}}.") == ("Huggingface: ", Link(hf, (hf,)), ".")
    # escaped characters are unescaped, as hyperref does
    assert rich("\\url{https://x.org/a\\_b\\%20\\#c}") == (
        Link("https://x.org/a_b%20#c", ("https://x.org/a_b%20#c",)),
    )
    # the scheme is not vetted here
    assert rich("\\url{javascript:alert(1)}") == (
        Link("javascript:alert(1)", ("javascript:alert(1)",)),
    )


def test_href() -> None:
    assert rich("see \\href{https://a.b/c_d}{the \\emph{site}} now") == (
        "see ",
        Link("https://a.b/c_d", ("the ", emph("site"))),
        " now",
    )
    assert rich("\\href{https://a.b}{}") == (Link("https://a.b", ("https://a.b",)),)
    assert rich("\\href{https://a.b}") == (Link("https://a.b", ("https://a.b",)),)


def test_doi() -> None:
    assert rich("\\doi{10.1/x}") == (Link("https://doi.org/10.1/x", ("10.1/x",)),)
    assert rich("\\doi{https://doi.org/10.1/x}") == (Link("https://doi.org/10.1/x", ("10.1/x",)),)


def test_link_problems() -> None:
    result, problems = decode("\\url x")
    assert result == ("x",)
    assert problems == ["missing argument for \\url"]
    result, problems = decode("\\url{https://a.b/c")
    assert result == (Link("https://a.b/c", ("https://a.b/c",)),)
    assert problems == ["unbalanced braces"]


# -- math ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        ("$5\\times$", "5×"),
        ("$10000$", "10000"),
        ("$\\sim$3", "∼3"),
        ("$\\alpha$", "α"),
        ("$\\pm$", "±"),
        ("$\\mp$", "∓"),
        ("$\\cdot$", "·"),
        ("$\\leq$", "≤"),
        ("$\\le$", "≤"),
        ("$\\geq$", "≥"),
        ("$\\ge$", "≥"),
        ("$\\neq$", "≠"),
        ("$\\ne$", "≠"),
        ("$\\approx$", "≈"),
        ("$\\simeq$", "≃"),
        ("$\\infty$", "∞"),
        ("$\\to$", "→"),
        ("$\\rightarrow$", "→"),
        ("$\\leftarrow$", "←"),
        ("$\\Rightarrow$", "⇒"),
        ("$\\%$", "%"),
        ("$\\circ$", "∘"),
        ("$\\degree$", "°"),
        ("$\\prime$", "′"),
        ("$\\omega$", "ω"),
        ("$\\Gamma$", "Γ"),
        ("$\\Omega$", "Ω"),
        ("$\\ell$", "ℓ"),
        ("$\\partial$", "∂"),
        ("$\\nabla$", "∇"),
        ("$\\sum$", "∑"),
        ("$\\prod$", "∏"),
        ("$\\in$", "∈"),
        ("$\\mid$", "|"),
        ("$\\log$", "log"),
        ("$\\log 2$", "log 2"),
        ("$5\\%$", "5%"),
        ("$\\approx 2\\times$", "≈2×"),
        ("$5 \\times 10$", "5 × 10"),
        ("$1,2$", "1, 2"),
        ("$-5$", "-5"),
        ("$10\\,000$", "10 000"),
        ("$25^\\circ$C", "25°C"),
        ("$25^{\\circ}$", "25°"),
        ("\\(\\alpha\\)", "α"),
        ("\\[ \\beta \\]", "β"),
        ("$$\\gamma$$", "γ"),
        ("\\ensuremath{\\pm 3}", "±3"),
        ("$\\infty$-norm", "∞-norm"),
        ("$\\{1\\}$", "{1}"),
    ],
)
def test_simple_math_is_text(latex: str, expected: str) -> None:
    assert text_of(latex) == expected


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        ("$O(n^2)$", "O(n^2)"),
        ("$x$", "x"),
        ("$\\mathbb{R}$", "\\mathbb{R}"),
        ("$10^{-3}$", "10^{-3}"),
        ("$a_1$", "a_1"),
        ("\\( x'(t) = Ax(t) \\)", "x'(t) = Ax(t)"),
        ("\\[ E = mc^2 \\]", "E = mc^2"),
        ("$$ f(x) $$", "f(x)"),
        ("\\ensuremath{x}", "x"),
        ("$\\log n$", "\\log n"),
        ("$\\frac{1}{2}$", "\\frac{1}{2}"),
        ("$a\\$b$", "a\\$b"),
        ("$ a\n  +\tb $", "a + b"),
    ],
)
def test_math(latex: str, expected: str) -> None:
    assert rich(latex) == (Math(expected),)


def test_math_in_abstracts() -> None:
    assert text_of("Mamba enjoys fast inference (5$\\times$ higher throughput") == (
        "Mamba enjoys fast inference (5× higher throughput"
    )
    assert text_of("generation $60\\times$ faster") == "generation 60× faster"
    assert text_of("sequences of $10000$ or more") == "sequences of 10000 or more"
    assert rich("model (SSM) \\( x'(t) = Ax(t) + Bu(t), y(t) = Cx(t) + Du(t) \\), and") == (
        "model (SSM) ",
        Math("x'(t) = Ax(t) + Bu(t), y(t) = Cx(t) + Du(t)"),
        ", and",
    )
    assert rich("conditioning \\( A \\) with") == ("conditioning ", Math("A"), " with")
    assert rich("$a$$b$") == (Math("a"), Math("b"))
    assert rich("$x$%") == (Math("x"), "%")


def test_math_symbols_outside_math() -> None:
    assert text_of("5\\times faster") == "5× faster"
    assert text_of("\\alpha-helix") == "α-helix"


def test_math_problems() -> None:
    # a dollar that opens no math is a dollar; a currency amount is no mistake
    assert decode("costs $5") == (("costs $5",), [])
    assert decode("The <$1,700 machine") == (("The <$1,700 machine",), [])
    assert decode("a $ b") == (("a $ b",), ["unterminated math; the $ is shown as is"])
    assert decode("a $b") == (("a $b",), ["unterminated math; the $ is shown as is"])
    assert decode("$$a$") == (
        ("a$",),
        ["unterminated math", "unterminated math; the $ is shown as is"],
    )
    assert decode("a \\( b") == (("a b",), ["unterminated math"])
    assert decode("a \\[ b") == (("a b",), ["unterminated math"])
    assert decode("p\\)q") == (("pq",), ["unbalanced math delimiter \\)"])
    assert decode("$ $x") == (("x",), [])


# -- problems ----------------------------------------------------------------------------


def test_unknown_commands() -> None:
    assert decode("\\foo{bar} x") == (("bar x",), ["unknown LaTeX command \\foo"])
    assert decode("a \\foo b") == (("a b",), ["unknown LaTeX command \\foo"])
    assert decode("a\\foo{b}{c}") == (("abc",), ["unknown LaTeX command \\foo"])
    assert decode("\\foo\\foo\\bar") == (
        (),
        [
            "unknown LaTeX command \\foo",
            "unknown LaTeX command \\bar",
        ],
    )
    assert decode("a\\*b") == (("ab",), ["unknown LaTeX command \\*"])
    # citation commands have nothing to show on a publications page
    assert decode("\\cite{key}") == ((), [])


def test_unbalanced_braces() -> None:
    assert decode("a}b") == (("ab",), ["unbalanced braces"])
    assert decode("{a") == (("a",), ["unbalanced braces"])
    assert decode("\\emph{a") == ((emph("a"),), ["unbalanced braces"])
    assert decode("{\\em a}} b") == ((emph("a"), " b"), ["unbalanced braces"])
    assert decode("\\em a} b") == ((Styled("emph", ("a b",)),), ["unbalanced braces"])


def test_trailing_backslash() -> None:
    result, problems = decode("x\\")
    assert result == ("x",)
    assert len(problems) == 1 and "backslash" in problems[0]


def test_deep_nesting_is_capped() -> None:
    depth = 10_000
    result, problems = decode("\\emph{" * depth + "x" + "}" * depth)
    assert plain(result) == "x"
    assert problems == ["LaTeX groups nested too deeply"]

    def nesting(items: RichText) -> int:
        inner = [nesting(i.children) for i in items if isinstance(i, (Styled, Link))]
        return 1 + max(inner, default=0)

    assert nesting(result) < 100


# -- decode_plain ------------------------------------------------------------------------


def test_decode_plain() -> None:
    assert decode_plain('M{\\"u}ller') == ("Müller", [])
    assert decode_plain("\\emph{A} and $x$") == ("A and x", [])
    assert decode_plain(" 2021 ") == ("2021", [])
    assert decode_plain("\\foo") == ("", ["unknown LaTeX command \\foo"])


# -- abstracts --------------------------------------------------------------------------


def test_abstract_with_emphasis() -> None:
    assert rich("which we term as \\textit{easy-to-hard generalization}. Our key") == (
        "which we term as ",
        emph("easy-to-hard generalization"),
        ". Our key",
    )


def test_long_abstract() -> None:
    text = (
        "Despite the success of distillation in large language models (LLMs), most\n"
        "prior work applies identical loss functions to both teacher- and\n"
        "student-generated data. We propose \\textbf{DistiLLM-2}, a contrastive approach\n"
        "that achieves $>$90\\% of the teacher's accuracy with $10\\times$ fewer\n"
        "parameters~\\cite{x}.   See \\url{https://github.com/jongwooko/distillm-2}."
    )
    result, problems = decode(text)
    assert problems == []
    assert result == (
        "Despite the success of distillation in large language models (LLMs), most "
        "prior work applies identical loss functions to both teacher- and "
        "student-generated data. We propose ",
        Styled("strong", ("DistiLLM-2",)),
        ", a contrastive approach that achieves >90% of the teacher’s accuracy with 10× "
        f"fewer parameters{NBSP}. See ",
        Link(
            "https://github.com/jongwooko/distillm-2", ("https://github.com/jongwooko/distillm-2",)
        ),
        ".",
    )


# -- properties ---------------------------------------------------------------------------

LATEX_TOKENS = [
    "\\",
    "{",
    "}",
    "$",
    "$$",
    "~",
    "-",
    "--",
    "`",
    "'",
    "''",
    " ",
    "\n",
    "a",
    "b",
    "x",
    "é",
    "%",
    "^",
    "_",
    "\\emph",
    "\\em",
    "\\bf",
    "\\textbf",
    "\\url",
    "\\href",
    "\\doi",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    '\\"',
    "\\'",
    "\\v",
    "\\c",
    "\\t",
    "\\i",
    "\\ss",
    "\\foo",
    "\\times",
    "\\alpha",
    "\\ensuremath",
    "\\MakeUppercase",
    "\\noopsort",
    "\\texttt",
    "\\\\",
    "\\ ",
    "\\&",
    "\\{",
    "\\}",
    "\\$",
    "\\textbackslash",
    "\\ldots",
    "\\sc",
    "\\text",
    "*",
]
latex_text = st.lists(st.sampled_from(LATEX_TOKENS), max_size=40).map("".join)
latex_alphabet = st.text(alphabet="\\{}$~-`' \nabcxyzemphurlvt()[]", max_size=60)
any_text = st.one_of(st.text(max_size=80), latex_text, latex_alphabet)

#: escapes that may legitimately produce "\", "{", "}" or "$" in the output
ESCAPE = re.compile(r"\\[{}$\\]|\\text(?:backslash|brace|dollar)")


def visible_strings(items: RichText) -> list[str]:
    """The str items of *items*, outside math and outside links that show their url."""
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Styled):
            out.extend(visible_strings(item.children))
        elif isinstance(item, Link):
            shown = plain(item.children)
            if shown != item.url and not item.url.endswith(shown):
                out.extend(visible_strings(item.children))
    return out


def layout(items: RichText) -> str:
    """The visible text of *items*, with "M" for math and "U" for a link showing its url."""
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Math):
            out.append("M")
        elif isinstance(item, Link) and item.children == (item.url,):
            out.append("U")
        else:
            out.append(layout(item.children))
    return "".join(out)


def check_shape(items: RichText) -> None:
    """Adjacent strings are merged, no string is empty, no run is empty."""
    previous: Inline | None = None
    for item in items:
        if isinstance(item, str):
            assert item
            assert not isinstance(previous, str)
        elif isinstance(item, (Styled, Link)):
            assert item.children
            check_shape(item.children)
        else:
            assert isinstance(item, Math)
        previous = item


fuzz = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fuzz
@given(any_text)
def test_decode_never_raises(text: str) -> None:
    result, problems = decode(text)
    assert isinstance(result, tuple)
    assert all(isinstance(p, str) and p for p in problems)
    assert len(problems) == len(set(problems))
    check_shape(result)
    visible = layout(result)
    assert visible == visible.strip(" ")
    assert "  " not in visible
    # plain text keeps the letters and digits of math, not its markup
    shown = plain(tuple(MATH_MARKUP.sub("", i.latex) if isinstance(i, Math) else i for i in result))
    assert decode_plain(text) == (shown, problems)


@fuzz
@given(any_text)
def test_no_stray_latex_characters(text: str) -> None:
    if ESCAPE.search(text):
        return
    for item in visible_strings(decode(text)[0]):
        assert not set(item) & set("\\{}"), (text, item)
        # a dollar is shown only when one opens no math: an odd number of them
        assert "$" not in item or text.count("$") % 2 == 1, (text, item)


@fuzz
@given(st.text(alphabet=st.characters(exclude_characters="\\{}$~`"), max_size=80))
def test_fast_path_equals_slow_path(text: str) -> None:
    if needs_decoding(text):
        return
    collapsed = re.sub(r"[ \t\n\r\f\v]+", " ", text).strip(" ").replace("'", "’")
    expected: tuple[RichText, list[str]] = ((collapsed,) if collapsed else ()), []
    assert decode(text) == expected
    # the full decoder agrees with the fast path
    assert Decoder(text).run() == expected


@fuzz
@given(st.text(alphabet="ab -'\n", max_size=40))
def test_plain_words_survive(text: str) -> None:
    assume("--" not in text and "''" not in text)
    # "{}" sends the text through the full decoder
    assert plain(decode("{}" + text)[0]) == " ".join(text.split()).replace("'", "’")


# -- time and depth -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{" * 20_000 + "x" + "}" * 20_000,
        "{" * 20_000,
        "}" * 20_000,
        "\\emph{" * 20_000 + "x" + "}" * 20_000,
        '\\"{' * 20_000 + "u" + "}" * 20_000,
        "\\MakeUppercase{a" * 20_000,
        "\\em a" * 20_000,
        "\\(" * 100_000,
        "a$" * 100_000,
        "\\url{" * 100_000,
        "\\href{a}{" * 50_000,
        "\\ensuremath{" * 50_000,
        "\\" * 200_000,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_hostile_input_is_fast(text: str) -> None:
    start = time.perf_counter()
    result, _ = decode(text)
    plain(result)
    assert time.perf_counter() - start < 2.0


def test_one_megabyte() -> None:
    chunk = "\\emph{x} $a$ -- {\\bf y} \\\"u $5\\times$ \\foo{b} ``q'' ~ \\url{http://a.b} "
    text = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    start = time.perf_counter()
    result, problems = decode(text)
    assert time.perf_counter() - start < 5.0
    assert result and problems
    plain_text = "lorem ipsum dolor sit amet " * 40_000
    start = time.perf_counter()
    assert decode(plain_text) == ((plain_text.strip(),), [])
    assert time.perf_counter() - start < 1.0


def test_dollar_inside_display_math() -> None:
    # found by hypothesis: "$$$0$$" left a "$" in the text
    assert decode("$$$0$$") == (("0",), ["stray $ in math"])
    assert decode("$$a$b$$") == ((Math("ab"),), ["stray $ in math"])


@pytest.mark.parametrize(
    "text",
    [
        "$\\href{javascript:alert(1)}{x}$",  # MathJax would make it a link
        "$\\input{/etc/passwd}$",  # LaTeX would read the file into the PDF
        "\\(\\def\\x{y}\\x\\)",
        "$\\csname input\\endcsname{f}$",
        "$x^^5cinput{f}$",  # ^^5c spells a backslash
        "$\\class{x}{y}$",
    ],
)
def test_math_that_could_act_is_not_typeset(text: str) -> None:
    result, problems = decode(text)
    assert not any(isinstance(item, Math) for item in result)
    assert len(problems) == 1 and "is not typeset" in problems[0]


@pytest.mark.parametrize("text", ["50% of A&B", "a\\b ~ ^ {x} _ # $", "plain", "Gödel 1931"])
def test_escape_reads_back_as_the_same_text(text):
    assert decode_plain(escape(text)) == (text, [])


def test_math_shown_as_text_shows_its_primes():
    """Math that is not typeset shows its letters, a ``'`` as the prime it is in math
    (as simple math shows it): the CSL reader, which curls the apostrophes of text, and
    the BibTeX reader then read the same value alike (a round trip found ``${'$x^2$``)."""
    assert decode("${'$x")[0] == ("′x",)
    assert decode("$f'(x) \\input{a}$")[0] == ("f′(x) a",)
    assert decode("$2'$")[0] == ("2′",)  # simple math

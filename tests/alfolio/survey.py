"""Survey: build each al-folio ``papers.bib`` of this folder as an al-folio site lays it out,
and count what the page gets wrong (issue 12).

Usage, from the worktree root::

    PYTHONPATH=$PWD python tests/alfolio/survey.py [--out tests/alfolio/SURVEY.md] [EXTRA.bib ...]

Each file is copied into a fresh Sphinx project as ``_bibliography/papers.bib`` with the
asset files its repository has (``layout.json``: ``assets/pdf/...``,
``assets/img/publication_preview/...``, ``assets/html/...``) as empty placeholders, and a
page ``.. publications:: /_bibliography/papers.bib``; the HTML is parsed with
BeautifulSoup and compared with what an independent reader (pybtex, non-strict) finds in
the file.  EXTRA files (sites without a redistributable licence, kept outside the
repository) are surveyed too but reported by counts only, with no text of theirs.

The checks are heuristics meant to find classes of failure, not a test: the test module
``tests/test_alfolio_corpus.py`` turns the classes into assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import tempfile
import traceback
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pybtex.errors
from bs4 import BeautifulSoup
from pybtex.database.input.bibtex import Parser

HERE = Path(__file__).resolve().parent
LAYOUT = json.loads((HERE / "layout.json").read_text(encoding="utf-8"))
PAGE = "Publications\n============\n\n.. publications:: /_bibliography/papers.bib\n"
CONF = 'extensions = ["sphinx_pubs"]\n'
#: Sphinx's own warnings about a second application in one process (the survey builds many)
SPHINX_NOISE = re.compile(r"\[app\.add_(?:node|directive|role)\]")

#: al-folio's folders for the local files its fields name (bib.liquid: pdf, supp, poster,
#: slides under /assets/pdf/, preview under /assets/img/publication_preview/, html files
#: under /assets/html/ when they are not URLs)
ALFOLIO_DIRS = {
    "pdf": "assets/pdf/",
    "supp": "assets/pdf/",
    "poster": "assets/pdf/",
    "slides": "assets/pdf/",
    "preview": "assets/img/publication_preview/",
    "html": "assets/html/",
}
#: fields a reference manager adds that are no business of the BibTeX box
HOUSEKEEPING = (
    "date-added date-modified bdsk-url-1 bdsk-url-2 bdsk-file-1 file mendeley-groups "
    "mendeley-tags owner timestamp annote urldate langid biburl bibsource cdate"
).split()
#: fields that carry a venue in al-folio's data, whatever the entry type
VENUE_FIELDS = ("journal", "booktitle", "school", "institution", "howpublished")
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()

ENTRY_START = re.compile(
    r"^[ \t]*@(?!string\b|comment\b|preamble\b)(\w+)\s*[{(]\s*([^,\s]*)\s*,", re.I | re.M
)
WARNING = re.compile(
    r"^(?P<file>[^\n]*?\.bib):(?P<line>\d+): WARNING: (?P<msg>.*?)(?: \[(?P<sub>pubs\.[\w.-]+)\])?$"
)
WARNING_ANY = re.compile(r"WARNING: (?P<msg>.*?)(?: \[(?P<sub>[\w.-]+)\])?$")
ENTRY_IN_MSG = re.compile(r"entry '([^']*)'")
LITERAL_TAG = re.compile(
    r"</?\s*(?:i|b|em|strong|br|sup|sub|a|span|p|u|font|div|strike|s|small|tt|code|mark)\b[^<>]*>"
    r"|&(?:nbsp|amp|lt|gt|quot|ndash|mdash|#\d+|#x[0-9a-f]+);",
    re.I,
)
RAW_LATEX = re.compile(r"\\[A-Za-z]+|\\[^A-Za-z\s]|\$(?![ \t]?[.,]?\d)|[{}]")
#: punctuation doubled by the page: ",," ",." ". ." ";,", and ".," after a digit
#: ("CISIS 2023., 2023"; after an abbreviation, "Eng., 2023", it is right)
DOUBLED = re.compile(r",\s*,|,\s*\.(?!\.)|(?<!\.)\.\s+\.(?!\.)|;\s*[,;]|\d\.,")
#: Markdown that al-folio renders (``additional_info``, ``annotation``): links, emphasis
MARKDOWN = re.compile(r"\[[^\]]+\]\([^)\s]+\)|(?<![\w*])\*[^*\s][^*]*[^*\s]\*(?![\w*])")
NAME_SPLIT = re.compile(r",\s*and\s+|\s+and\s+|,\s*")
MARKS = re.compile(r"^[*†‡§¶#^+\s]*$")
#: a shown name in "Last F." order ("Wall W.A.")
LAST_INITIALS = re.compile(r"^[A-Z][a-z]+(?:[- ][A-Z][a-z]+)* (?:[A-Z]\.\s?)+$")


@dataclass
class Finding:
    cls: str
    key: str
    detail: str


@dataclass
class Result:
    name: str
    entries_bib: int = 0
    rendered: int = 0
    status: int = 0
    crashed: str = ""
    warnings: Counter = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)

    def count(self, cls: str) -> int:
        return sum(1 for f in self.findings if f.cls == cls)


def anchor(key: str) -> str:
    return "pub-" + re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-")


def lay_out(srcdir: Path, bib: bytes, layout: dict) -> None:
    """An al-folio site's folders in *srcdir*: the bibliography, placeholder assets, a page."""
    (srcdir / "_bibliography").mkdir(parents=True, exist_ok=True)
    (srcdir / "_bibliography" / "papers.bib").write_bytes(bib)
    for asset in layout.get("assets", []):
        path = srcdir / asset
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"placeholder\n")
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    (srcdir / "index.rst").write_text(PAGE, encoding="utf-8")


def build(srcdir: Path, builddir: Path) -> tuple[int, str, str]:
    """Build *srcdir* with the html builder in this process, into ``builddir/html``:
    (status, warnings, crash).  Sphinx's test application puts docutils' global
    registries back afterwards, so that many builds in one process (and the tests after
    them) see no "already registered" warnings."""
    from sphinx.testing.util import SphinxTestApp

    warnings = io.StringIO()
    app = None
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            app = SphinxTestApp(
                "html",
                srcdir=srcdir,
                builddir=builddir,
                freshenv=True,
                status=io.StringIO(),
                warning=warnings,
                confoverrides={"show_warning_types": True},
            )
            app.build()
        return app.statuscode, warnings.getvalue(), ""
    except Exception:
        return 1, warnings.getvalue(), traceback.format_exc()
    finally:
        if app is not None:
            app.cleanup()


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def source_entries(text: str):
    """pybtex's reading of the file (non-strict): key (lower case) -> entry."""
    strict = pybtex.errors.strict
    pybtex.errors.set_strict_mode(False)
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            data = Parser().parse_string(text)
    except Exception:
        return {}
    finally:
        pybtex.errors.set_strict_mode(strict)
    return {key.lower(): entry for key, entry in data.entries.items()}


def entry_lines(text: str) -> dict[str, tuple[int, int]]:
    """key -> (first line, last line) of its entry, from the lines that open entries."""
    starts = [(m.group(2), text.count("\n", 0, m.start()) + 1) for m in ENTRY_START.finditer(text)]
    out = {}
    last = text.count("\n") + 1
    for i, (key, line) in enumerate(starts):
        end = starts[i + 1][1] - 1 if i + 1 < len(starts) else last
        out.setdefault(key, (line, end))
    return out


def plain(value: str) -> str:
    """A field's text without LaTeX, braces and accents, alphanumerics only, lower case
    (for matching)."""
    value = re.sub(r"\\[A-Za-z]+\s*|\\.", "", value)
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "", value.lower())


def visible(li) -> str:
    """The entry's visible text, without the BibTeX box, the buttons and math."""
    li = BeautifulSoup(str(li), "html.parser")
    for node in li.select("pre, .pub-buttons, .math, .pub-copy, script, .pub-authors-all"):
        node.decompose()
    return re.sub(r"\s+", " ", li.get_text(" ")).strip()


def analyse(
    name: str, data: bytes, html: str, warnings: str, layout: dict, status: int, crash: str
) -> Result:
    text = decode(data)
    result = Result(name, status=status, crashed=crash)
    add = lambda cls, key, detail: result.findings.append(Finding(cls, key, detail))  # noqa: E731
    opened = ENTRY_START.findall(text)
    result.entries_bib = len(
        re.findall(r"(?im)^[ \t]*@(?!string\b|comment\b|preamble\b)\w+\s*[{(]", text)
    )
    for _type, key in opened:
        if not key:
            add("entry without key", "", f"@{_type}{{, entry")
    if crash:
        add("build crash", "", crash.strip().splitlines()[-1])
    if status:
        add("build exit status", "", str(status))

    # warnings: subtype, line within the entry named, repeats
    lines = entry_lines(text)
    seen: Counter = Counter()
    for raw in re.sub(r"\x1b\[[0-9;]*m", "", warnings).splitlines():
        if ("WARNING" not in raw and "ERROR" not in raw) or SPHINX_NOISE.search(raw):
            continue
        if "Traceback" in raw or "Exception" in raw:
            add("traceback in warnings", "", raw[-120:])
        m = WARNING.match(raw)
        sub = (
            (m and m.group("sub"))
            or (WARNING_ANY.search(raw) and WARNING_ANY.search(raw).group("sub"))
            or "other"
        )
        result.warnings[sub] += 1
        seen[raw] += 1
        if m:
            line, msg = int(m.group("line")), m.group("msg")
            key = ENTRY_IN_MSG.search(msg)
            if key and key.group(1) in lines:
                first, last = lines[key.group(1)]
                if not first <= line <= last:
                    add(
                        "warning at the wrong line",
                        key.group(1),
                        f"line {line}, entry at {first}-{last}: {msg[:80]}",
                    )
            if "not found" in msg and "field" in msg:
                fm = re.search(r"field '(\w+)': file '([^']*)'", msg)
                if fm:
                    fld, path = fm.groups()
                    where = ALFOLIO_DIRS.get(fld, "assets/pdf/") + path.lstrip("/")
                    found = where in layout.get("assets", []) or path.lstrip("/") in layout.get(
                        "assets", []
                    )
                    add(
                        "local file not found",
                        key.group(1) if key else "",
                        f"{fld}={path} ("
                        + (f"present at {where}" if found else "absent from the repository too")
                        + ")",
                    )
            elif (
                "field 'doi'" in msg
                or "field 'arxiv'" in msg
                or "field 'html'" in msg
                or "field 'pdf'" in msg
            ):
                add("link dropped", key.group(1) if key else "", msg[:120])
            elif "kept whole" in msg:
                add(
                    "names: comma-separated list kept whole", key.group(1) if key else "", msg[:120]
                )
            elif "unknown LaTeX command" in msg:
                add("unknown LaTeX command", key.group(1) if key else "", msg[-60:])
            elif "unknown type" in msg:
                add("entry type not BibTeX's", key.group(1) if key else "", msg[-60:])
            elif "crossref" in msg and "not found" in msg:
                add("crossref not in the file", key.group(1) if key else "", msg[-60:])
            elif "duplicate field" in msg:
                add("duplicate field", key.group(1) if key else "", msg[-60:])
            elif "duplicate key" in msg:
                add("duplicate key", "", msg[:60])
            elif "month" in msg.lower() or "date" in msg.lower():
                add("month/date warning", key.group(1) if key else "", msg[:120])
            elif "macro" in msg.lower() or "undefined" in msg.lower():
                add("undefined macro (bare word)", key.group(1) if key else "", msg[:120])
        elif not m and "[pubs." in raw:
            add("warning without file:line", "", raw[-120:])
    for raw, n in seen.items():
        if n > 1:
            add("warning repeated", "", f"x{n}: {raw[-100:]}")

    if not html:
        return result
    page = BeautifulSoup(html, "html.parser")
    items = {li.get("id"): li for li in page.select("li.pub")}
    result.rendered = len(items)
    src = source_entries(text)

    for entry in src.values():
        key = entry.key
        li = items.get(anchor(key))
        if li is None:
            # keys differ in case; look them up ignoring it
            li = next((v for k, v in items.items() if k and k.lower() == anchor(key).lower()), None)
        if li is None:
            add("entry not rendered", key, "")
            continue
        shown = visible(li)
        fields = {k.lower(): v for k, v in entry.fields.items()}
        for m in LITERAL_TAG.finditer(shown):
            add("literal tag shown", key, m.group(0))
        for m in RAW_LATEX.finditer(shown):
            ctx = shown[max(0, m.start() - 25) : m.end() + 25]
            add("raw LaTeX shown", key, ctx)
        for m in MARKDOWN.finditer(shown):
            add("Markdown shown as text", key, m.group(0)[:60])
        for m in DOUBLED.finditer(shown):
            add("doubled punctuation", key, shown[max(0, m.start() - 25) : m.end() + 10])
        authors = li.select_one(".pub-authors-all") or li.select_one(".pub-authors")
        atext = (
            re.sub(r"\s+", " ", authors.get_text(" ")).replace("show fewer", "").strip()
            if authors
            else ""
        )
        parts = [p.strip() for p in NAME_SPLIT.split(atext)] if atext else []
        if any(
            not p or MARKS.match(p) or p.lower() in ("and", "others") or p.startswith("and ")
            for p in parts
        ):
            add("names: empty or stray name", key, atext[:100])
        for person in entry.persons.get("author", []):
            # "Torralba-Agell, Adrià, and ...": BibTeX reads a Jr part and no first name
            if person.lineage_names and not person.first_names and not person.middle_names:
                # shown as written ("Aijaz, A.,") rather than First Last
                last = plain(" ".join(person.last_names))
                lineage = plain(" ".join(person.lineage_names))
                if f"{last}, {lineage}" in atext:
                    add(
                        "names: trailing comma in a name",
                        key,
                        str(person)[:60] + " -> " + atext[:60],
                    )
        if re.search(r"\band [^,]+ et al\.", atext):
            add("names: 'and others' shown as 'and X et al.'", key, atext[-60:])
        expected = {
            plain(" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names))
            for p in entry.persons.get("author", [])
        }
        if any(LAST_INITIALS.match(p) and plain(p) not in expected for p in parts):
            add("names: not First Last", key, atext[:100])
        if re.search(r"\bothers\b", atext):
            add("names: 'others' shown as a name", key, atext[:100])
        for role in ("author",):
            for person in entry.persons.get(role, []):
                first = " ".join(person.first_names + person.middle_names)
                last = " ".join(person.prelast_names + person.last_names)
                if not first or not last or "\\" in first + last or "{" in first + last:
                    continue
                if re.fullmatch(r"[A-Za-z.\- ]+", first + last) and f"{first} {last}" not in atext:
                    if f"{last}" in atext and f"{first}" in atext:
                        add("names: not First Last", key, f"{first} {last!s} -> {atext[:80]}")
                    break
        if re.search(r"[A-Za-z]\*+\s", atext) and any(
            "*" in " ".join(p.first_names) for p in entry.persons.get("author", [])
        ):
            add("names: mark on first name", key, atext[:80])
        # DOIs
        for a in li.select("a.pub-button-doi"):
            href = a.get("href", "")
            if "%5C" in href or not href.startswith("https://doi.org/10."):
                add("DOI href broken", key, href)
        if fields.get("doi", "").strip() and not li.select("a.pub-button-doi"):
            add("DOI button missing", key, fields["doi"][:60])
        # venue and month
        venue = li.select_one(".pub-venue")
        vtext = venue.get_text(" ") if venue else ""
        # one venue is shown (the type's, else any): @inbook with a booktitle and a
        # series in journal shows the book title
        missing = []
        for vf in VENUE_FIELDS:
            value = fields.get(vf, "")
            if re.fullmatch(r"\s*\\[A-Za-z]+\s*", value):  # NASA ADS: journal = {\apj}
                # the venue line must say more than the date
                rest = re.sub(r"\b(?:" + "|".join(MONTHS) + r")\w*\b|\d+|[\s,.]", "", vtext.lower())
                if not rest or "\\" in vtext:
                    add("journal macro of ADS exports dropped", key, f"{vf}={value.strip()}")
                missing = []
                break
            if plain(value):
                if plain(value)[:12] in plain(vtext):
                    missing = []
                    break
                missing.append(f"@{entry.type} {vf}={value[:50]}")
        if missing:
            add("venue not shown", key, missing[0])
        month = fields.get("month", "").strip()
        if month:
            words = re.findall(r"[a-z]{3,}", month.lower())
            named = [w[:3] for w in words if w[:3] in MONTHS]
            number = re.match(r"^\d{1,2}$", month)
            if (named or number) and not re.search(
                r"\b(?:" + "|".join(MONTHS) + r")", vtext.lower()
            ):
                add("month not shown", key, f"month={month[:30]!r}: {vtext.strip()[:60]}")
            elif not named and not number:
                add("month not a month", key, f"month={month[:30]!r}")
        # BibTeX box
        show = fields.get("bibtex_show", "")
        box = li.select_one("pre.pub-bibtex-text")
        if show.strip().strip("{}").lower() in ("true", "yes", "1") and box is None:
            add("bibtex toggle lost", key, f"bibtex_show={show!r}")
        if box is not None:
            for hk in HOUSEKEEPING:
                if re.search(rf"^\s*{re.escape(hk)}\s*=", box.get_text(), re.M | re.I):
                    add("housekeeping field in BibTeX box", key, hk)
        if (
            "bibtex_show" in text
            and box is None
            and re.search(rf"{re.escape(key)}\s*,[^@]*bibtex_show\s*=\s*true\b", text)
        ):
            add("bibtex toggle lost (bare word)", key, "bibtex_show = true")
    return result


def survey_file(path: Path, layout: dict) -> Result:
    data = path.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "site"
        lay_out(src, data, layout)
        status, warnings, crash = build(src, Path(tmp) / "out")
        index = Path(tmp) / "out" / "html" / "index.html"
        html = index.read_text(encoding="utf-8") if index.exists() else ""
    return analyse(path.name, data, html, warnings, layout, status, crash)


def corpus() -> list[Path]:
    return sorted(HERE.glob("*.bib"))


def table(results: list[Result], private: set[str]) -> str:
    classes = sorted({f.cls for r in results for f in r.findings})
    subs = sorted({s for r in results for s in r.warnings})
    out = ["## What survey.py counts", ""]
    out.append(
        "Made by `tests/alfolio/survey.py` with the code of this commit: each file built as an "
        "al-folio site lays it out. Counts are findings (an entry can have several). Files marked "
        "(†) have no redistributable licence: not in the repository, counts only."
    )
    out += ["", "## Per file", ""]
    short = {c: c for c in classes}
    out.append(
        "| file | in .bib | rendered | exit | warnings | "
        + " | ".join(short[c] for c in classes)
        + " |"
    )
    out.append("| --- " * (5 + len(classes)) + "|")
    for r in results:
        mark = " (†)" if r.name in private else ""
        out.append(
            f"| `{r.name}`{mark} | {r.entries_bib} | {r.rendered} | {r.status} | "
            f"{sum(r.warnings.values())} | "
            + " | ".join(str(r.count(c) or "") for c in classes)
            + " |"
        )
    out += [
        "",
        "## Warnings by subtype",
        "",
        "| subtype | warnings | files |",
        "| --- | --- | --- |",
    ]
    for s in subs:
        out.append(
            f"| `{s}` | {sum(r.warnings[s] for r in results)} | "
            f"{sum(1 for r in results if r.warnings[s])} |"
        )
    out += [
        "",
        "## Findings by class, with examples",
        "",
        "| class | findings | files | examples (file: key: detail) |",
        "| --- | --- | --- | --- |",
    ]
    for c in classes:
        hits = [(r, f) for r in results for f in r.findings if f.cls == c]
        examples = []
        for r, f in hits:
            if (
                r.name in private
                or len(examples) >= 3
                or any(e.startswith(f"`{r.name}`") for e in examples)
            ):
                continue
            detail = f.detail.replace("|", "\\|").replace("\n", " ")[:90]
            examples.append(f"`{r.name}`: `{f.key}`: {detail}")
        files = len({r.name for r, _ in hits})
        out.append(f"| {c} | {len(hits)} | {files} | " + "<br>".join(examples) + " |")
    return "\n".join(out) + "\n"


BEGIN, END = "<!-- survey.py: begin -->", "<!-- survey.py: end -->"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "extra", nargs="*", type=Path, help="further .bib files, reported by counts only"
    )
    parser.add_argument("--out", type=Path, help="write the markdown table here")
    parser.add_argument("--details", type=Path, help="write every finding (JSON) here")
    args = parser.parse_args(argv)
    results = []
    for path in [*corpus(), *args.extra]:
        results.append(survey_file(path, LAYOUT.get(path.name, {})))
        r = results[-1]
        print(
            f"{r.name}: {r.entries_bib} in file, {r.rendered} rendered, {len(r.findings)} findings",
            file=sys.stderr,
        )
    md = table(results, {p.name for p in args.extra})
    if args.out:
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if BEGIN in old and END in old:
            md = old.split(BEGIN)[0] + BEGIN + "\n" + md + END + old.split(END, 1)[1]
        else:
            md = BEGIN + "\n" + md + END + "\n"
        args.out.write_text(md, encoding="utf-8")
    else:
        print(md)
    if args.details:
        args.details.write_text(
            json.dumps(
                {r.name: [f.__dict__ for f in r.findings] for r in results},
                indent=1,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

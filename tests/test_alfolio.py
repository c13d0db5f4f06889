"""``sphinx-pubs alfolio SITE``: an al-folio site's settings as conf.py lines (issue 12).

The site is a real al-folio layout: the corpus file of al-folio's own sample
(tests/alfolio/chloevoyer-multi-language-al-folio.bib, whose repository has
``_data/venues.yml`` and ``_data/coauthors.yml`` and the ``scholar:`` settings recorded in
layout.json), placeholders at its asset paths, and YAML files in al-folio's formats
(as in alshedivat/al-folio's ``_config.yml``, ``_data/venues.yml``,
``_data/coauthors.yml``), written here.  The command runs as a subprocess; its output
is the conf.py of a fresh Sphinx project, built with make_app and read with
BeautifulSoup.  Hostile YAML values (Hypothesis) must give a file of plain literal
assignments to the expected names only.
"""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import text_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_pubs import alfolio, alfolio_conf
from sphinx_pubs.config import check_value
from sphinx_pubs.view.links import DEFAULT_BIBTEX_HIDDEN

ROOT = Path(__file__).parent.parent
CORPUS = Path(__file__).parent / "alfolio"
SAMPLE = "chloevoyer-multi-language-al-folio.bib"
LAYOUT = json.loads((CORPUS / "layout.json").read_text(encoding="utf-8"))[SAMPLE]

#: an excerpt of al-folio's _config.yml: the Jekyll Scholar section and the
#: publication settings after it, as al-folio writes them (comments included), with
#: this site's scholar values (layout.json), a field of its own filtered and 2 authors
CONFIG = f"""\
title: blank # the website title (if blank, full name will be used instead)
first_name: Albert
last_name: Einstein
description: > # the ">" symbol means to ignore newlines until "footer_text:"
  A simple, whitespace theme for academics.

scholar:
  last_name: [Einstein]
  first_name: [Albert, A.]

  style: {LAYOUT["scholar"]["style"]}
  locale: en

  source: {LAYOUT["scholar"]["source"]}
  bibliography: {LAYOUT["scholar"]["bibliography"]}
  bibliography_template: {LAYOUT["scholar"]["bibliography_template"]}
  # Note: if you have latex math in your bibtex, the latex filter
  # preprocessing may conflict with MathJAX if the latter is enabled.
  bibtex_filters: [latex, smallcaps, superscript]

  replace_strings: true
  join_strings: true

  query: "@*"
  group_by: year
  group_order: descending

# Filter out certain bibtex entry keywords used internally from the bib output
filtered_bibtex_keywords:
  [
    abbr,
    abstract,
    additional_info,
    altmetric,
    annotation,
    arxiv,
    award,
    award_name,
    bibtex_show,
    blog,
    code,
    google_scholar_id,
    html,
    inspirehep_id,
    pdf,
    poster,
    preview,
    selected,
    slides,
    supp,
    video,
    website,
    langid,
  ]

# Maximum number of authors to be shown for each publication (more authors are visible on click)
max_author_limit: 2 # leave blank to always show all authors
more_authors_animation_delay: 10

# Enables publication thumbnails.
enable_publication_thumbnails: true
"""

#: al-folio's _data/venues.yml format: abbreviation -> url, color
VENUES = """\
"AJP":
  url: https://aapt.scitation.org/journal/ajp
  color: "#00369f"

"PhysRev":
  url: https://journals.aps.org/
"""

#: al-folio's _data/coauthors.yml format: family name -> [{firstname: [...], url}]
COAUTHORS = """\
"podolsky":
  - firstname: ["Boris", "B."]
    url: https://en.wikipedia.org/wiki/Boris_Podolsky

"rosen":
  - firstname: ["Nathan", "N."]
    url: https://en.wikipedia.org/wiki/Nathan_Rosen
"""


def lay_out_site(site: Path, config: str = CONFIG, venues=VENUES, coauthors=COAUTHORS) -> Path:
    (site / "_bibliography").mkdir(parents=True)
    (site / "_bibliography" / "papers.bib").write_bytes((CORPUS / SAMPLE).read_bytes())
    for asset in LAYOUT["assets"]:
        (site / asset).parent.mkdir(parents=True, exist_ok=True)
        (site / asset).write_bytes(b"")
    (site / "_config.yml").write_text(config, encoding="utf-8")
    assert sorted(LAYOUT["data"]) == ["_data/coauthors.yml", "_data/venues.yml"]
    (site / "_data").mkdir()
    if venues is not None:
        (site / "_data" / "venues.yml").write_text(venues, encoding="utf-8")
    if coauthors is not None:
        (site / "_data" / "coauthors.yml").write_text(coauthors, encoding="utf-8")
    return site


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx_pubs", "alfolio", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def files_under(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")}


def assigned(source: str) -> dict[str, object]:
    """The names *source* assigns and their values; fails unless it is only
    assignments of plain literals (no call, name, attribute ...) to setting names."""
    tree = ast.parse(source)
    values = {}
    allowed = (ast.Constant, ast.List, ast.Dict, ast.Load)
    for statement in tree.body:
        assert isinstance(statement, ast.Assign), ast.dump(statement)
        assert len(statement.targets) == 1
        target = statement.targets[0]
        assert isinstance(target, ast.Name) and target.id in alfolio_conf.SETTING_NAMES
        for node in ast.walk(statement.value):
            assert isinstance(node, allowed), ast.dump(node)
        values[target.id] = ast.literal_eval(statement.value)
    return values


def test_site_to_sphinx_build(tmp_path, make_app):
    site = lay_out_site(tmp_path / "site")
    docs = site / "docs"
    docs.mkdir()
    before = files_under(site)
    run = cli(str(site), "--out", str(docs / "conf_pubs.py"), "--page", str(docs / "pubs.rst"))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    # only the two files asked for were written; nothing copied
    assert files_under(site) - before == {"docs/conf_pubs.py", "docs/pubs.rst"}
    generated = (docs / "conf_pubs.py").read_text(encoding="utf-8")
    values = assigned(generated)
    assert values["pubs_bibfiles"] == ["../_bibliography/papers.bib"]
    assert values["pubs_highlight_authors"] == ["Einstein, Albert"]
    assert values["pubs_max_authors"] == 2
    assert values["pubs_bibtex_hidden_fields"] == [*DEFAULT_BIBTEX_HIDDEN, "langid"]
    assert values["pubs_venues"] == {
        "AJP": {"url": "https://aapt.scitation.org/journal/ajp", "color": "#00369f"},
        "PhysRev": {"url": "https://journals.aps.org/"},
    }
    assert values["pubs_author_links"] == {
        "podolsky, Boris": "https://en.wikipedia.org/wiki/Boris_Podolsky",
        "rosen, Nathan": "https://en.wikipedia.org/wiki/Nathan_Rosen",
    }
    assert "warning:" not in run.stderr
    assert "toctree" in run.stderr and "assets/pdf/" in run.stderr
    # the site's assets/ is not inside docs/: the build would not publish its files
    assert "assets' is outside the Sphinx source folder" in run.stderr

    # a fresh Sphinx project: the generated lines are its conf.py, the page its page
    (docs / "conf.py").write_text('extensions = ["sphinx_pubs"]\n' + generated, encoding="utf-8")
    (docs / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   pubs\n", encoding="utf-8")
    app = make_app("html", srcdir=docs)
    app.build()
    page = BeautifulSoup((Path(app.outdir) / "pubs.html").read_text("utf-8"), "html.parser")

    entries = page.select("li.pub")
    assert len(entries) == 9
    # the owner, as "Einstein, Albert", "Einstein, A." and "Albert Einstein"
    own = {text_of(span) for span in page.select("span.pub-author-self")}
    assert own == {"Albert Einstein", "A. Einstein"}, own
    for key in ("einstein1920relativity", "PhysRev.47.777", "einstein1905movement"):
        assert page.select_one(f"li#pub-{key.replace('.', '-')} span.pub-author-self"), key
    # venue badge: colour and link from venues.yml
    ajp = page.select_one("li#pub-einstein1950meaning .pub-abbr")
    assert ajp is not None and "background-color: #00369f" in ajp["style"]
    assert ajp.a["href"] == "https://aapt.scitation.org/journal/ajp"
    physrev = page.select_one("li#pub-PhysRev-47-777 .pub-abbr")
    assert physrev.a["href"] == "https://journals.aps.org/" and not physrev.get("style")
    # two authors, then "1 more author"; the co-authors' homepages from coauthors.yml
    epr = page.select_one("li#pub-PhysRev-47-777")
    lead = epr.select_one(".pub-authors")
    assert [text_of(a) for a in lead.select("a.pub-author-link")] == ["B. Podolsky"]
    assert "1 more author" in text_of(lead.select_one("a.pub-more-authors"))
    links = {text_of(a): a["href"] for a in epr.select(".pub-authors-all a.pub-author-link")}
    assert links["B. Podolsky"] == "https://en.wikipedia.org/wiki/Boris_Podolsky"
    assert links["N. Rosen"] == "https://en.wikipedia.org/wiki/Nathan_Rosen"
    # the BibTeX shown leaves out the site's own filtered field too
    assert "langid" in app.config.pubs_bibtex_hidden_fields


def test_stdout_and_markdown_page(tmp_path):
    site = lay_out_site(tmp_path / "site")
    run = cli(str(site), "--srcdir", str(site), "--page", str(tmp_path / "p.md"))
    assert run.returncode == 0, run.stderr
    assert assigned(run.stdout)["pubs_bibfiles"] == ["_bibliography/papers.bib"]
    assert (tmp_path / "p.md").read_text(encoding="utf-8").startswith("# Publications\n")
    assert "```{publications}" in (tmp_path / "p.md").read_text(encoding="utf-8")


def test_copy_bib_and_no_overwrite(tmp_path):
    site = lay_out_site(tmp_path / "site")
    dest = tmp_path / "docs"
    dest.mkdir()
    out = dest / "conf_pubs.py"
    run = cli(str(site), "--out", str(out), "--copy-bib", str(dest))
    assert run.returncode == 0, run.stderr
    assert (dest / "papers.bib").read_bytes() == (CORPUS / SAMPLE).read_bytes()
    assert assigned(out.read_text("utf-8"))["pubs_bibfiles"] == ["papers.bib"]
    assert files_under(dest) == {"conf_pubs.py", "papers.bib"}
    assert "nothing was copied but the bibliography" in run.stderr
    # again: the files exist, nothing is written; --force overwrites
    out.write_text("# mine\n", encoding="utf-8")
    again = cli(str(site), "--out", str(out), "--copy-bib", str(dest))
    assert again.returncode == 2 and "--force" in again.stderr
    assert out.read_text("utf-8") == "# mine\n"
    forced = cli(str(site), "--out", str(out), "--copy-bib", str(dest), "--force")
    assert forced.returncode == 0 and "pubs_bibfiles" in out.read_text("utf-8")


def test_not_a_site(tmp_path):
    run = cli(str(tmp_path))
    assert run.returncode == 2 and "not an al-folio site" in run.stderr
    assert "Traceback" not in run.stderr
    missing = cli(str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "not a folder" in missing.stderr


def test_without_pyyaml(tmp_path):
    site = lay_out_site(tmp_path / "site")
    code = (
        "import sys; sys.modules['yaml'] = None\n"
        "from sphinx_pubs.__main__ import main\n"
        f"sys.exit(main(['alfolio', {str(site)!r}]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 2
    assert "sphinx-pubs[alfolio]" in run.stderr and "Traceback" not in run.stderr


def migrate_text(site: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = alfolio.run(str(site), srcdir=str(site), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_bad_files_are_warnings(tmp_path):
    config = CONFIG.replace("max_author_limit: 2", "max_author_limit: lots")
    site = lay_out_site(
        tmp_path / "site",
        config=config,
        venues='"AJP":\n  url: javascript:alert(1)\n  color: "red;}"\n  size: 3\n',
        coauthors='"rosen": [\n',  # malformed
    )
    status, out, err = migrate_text(site)
    assert status == 0
    lines = err.splitlines()
    assert any(
        line.startswith("warning: _data/coauthors.yml:") and "not valid YAML" in line
        for line in lines
    ), err
    assert any("_config.yml: max_author_limit:" in line for line in lines), err
    assert any("javascript:alert(1)" in line and "venues.yml" in line for line in lines)
    values = assigned(out)
    assert values["pubs_venues"] == {"AJP": {}}
    assert "pubs_max_authors" not in values and "pubs_author_links" not in values


def test_blank_limit_shows_all(tmp_path):
    config = CONFIG.replace("max_author_limit: 2 #", "max_author_limit: #")
    status, out, _err = migrate_text(lay_out_site(tmp_path / "site", config=config))
    assert status == 0 and assigned(out)["pubs_max_authors"] == 0


# -- hostile values -------------------------------------------------------------------

HOSTILE = st.sampled_from(
    [
        "'",
        '"',
        "'''",
        '"""',
        "\\",
        "\n",
        "\r",
        "\x85",
        "\u2028",
        "\x00",
        "#",
        "__import__('os').system('x')",
        "'); import os; ('",
        "\n__import__('os')\n",
        "}",
        "]",
        ",",
        "javascript:",
        "https://example.org/",
        "#abc",
        "Einstein",
        "A.",
    ]
)
WORDS = st.lists(st.one_of(HOSTILE, st.text(max_size=20)), max_size=4).map("".join)
SCALAR = st.one_of(
    WORDS, st.integers(-(10**30), 10**30), st.booleans(), st.none(), st.floats(allow_nan=True)
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(WORDS, inner, max_size=3)),
    max_leaves=8,
)


def venue_data():
    entry = st.dictionaries(st.sampled_from(["url", "color", "name", "x"]), VALUE, max_size=3)
    return st.dictionaries(WORDS, st.one_of(entry, VALUE), max_size=4)


def coauthor_data():
    person = st.fixed_dictionaries(
        {"firstname": st.one_of(st.lists(WORDS, max_size=3), VALUE), "url": st.one_of(WORDS, VALUE)}
    )
    return st.dictionaries(WORDS, st.one_of(st.lists(person, max_size=3), VALUE), max_size=4)


def config_data():
    return st.fixed_dictionaries(
        {
            "scholar": st.one_of(
                st.fixed_dictionaries(
                    {
                        "last_name": st.one_of(st.lists(WORDS, max_size=3), VALUE),
                        "first_name": st.one_of(st.lists(WORDS, max_size=3), VALUE),
                        "source": st.one_of(st.just("/_bibliography/"), VALUE),
                        "bibliography": st.one_of(st.just("papers.bib"), VALUE),
                    }
                ),
                VALUE,
            ),
            "max_author_limit": VALUE,
            "filtered_bibtex_keywords": st.one_of(st.lists(WORDS, max_size=4), VALUE),
            "enable_publication_thumbnails": VALUE,
        }
    )


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True)


def check_output(out: str) -> None:
    values = assigned(out)
    for name, value in values.items():
        used, problem = check_value(name, value)
        assert problem is None and used == value, (name, problem)


@settings(
    max_examples=int(os.environ.get("PUBS_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(config=config_data(), venues=venue_data(), coauthors=coauthor_data())
def test_hostile_values_give_plain_literals(tmp_path_factory, config, venues, coauthors):
    site = lay_out_site(
        tmp_path_factory.mktemp("site"),
        config=dump(config),
        venues=dump(venues),
        coauthors=dump(coauthors),
    )
    status, out, err = migrate_text(site)
    assert status == 0
    assert "Traceback" not in err
    check_output(out)


@settings(
    max_examples=int(os.environ.get("PUBS_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(st.text(max_size=200), min_size=3, max_size=3))
def test_malformed_yaml_is_a_warning(tmp_path_factory, texts):
    """Any text at all as the three YAML files: exit 0, plain literals."""
    site = lay_out_site(
        tmp_path_factory.mktemp("site"), config=texts[0], venues=texts[1], coauthors=texts[2]
    )
    status, out, err = migrate_text(site)
    assert status == 0
    check_output(out)
    for line in err.splitlines():
        assert line.isprintable() or "\t" in line, repr(line)


def test_huge_values(tmp_path):
    """A 100 KB name, a 100 KB URL, 2000 venues: still literals, bad ones left out."""
    big = "x" * 100_000
    venues = {f"V{i}": {"url": f"https://example.org/{i}", "color": "#abc"} for i in range(2000)}
    venues["big"] = {"url": "https://example.org/" + big}
    config = {"scholar": {"last_name": [big], "first_name": ["'" + big]}}
    coauthors = {big: [{"firstname": [big], "url": "javascript:" + big}]}
    site = lay_out_site(
        tmp_path / "site", config=dump(config), venues=dump(venues), coauthors=dump(coauthors)
    )
    status, out, err = migrate_text(site)
    assert status == 0
    values = assigned(out)
    assert len(values["pubs_venues"]) == 2001
    assert "pubs_author_links" not in values
    assert len(err) < 20_000  # warnings show values shortened


@pytest.mark.parametrize("names", [(["Einstein"], ["Albert", "A."]), ("Einstein", "Albert")])
def test_owner_names(tmp_path, names):
    config = {"scholar": {"last_name": names[0], "first_name": names[1]}}
    status, out, _err = migrate_text(lay_out_site(tmp_path / "site", config=dump(config)))
    assert status == 0 and assigned(out)["pubs_highlight_authors"] == ["Einstein, Albert"]


def test_alias_amplification_is_refused(tmp_path):
    """A small venues.yml whose 200 venues each alias one 2000-key mapping: not read
    (the checks would see 400 000 keys in a 40 KB file)."""
    keys = "".join(f"  k{i}: x\n" for i in range(2000))
    venues = f"base: &b\n{keys}" + "".join(f"v{i}: *b\n" for i in range(200))
    site = lay_out_site(tmp_path / "site", venues=venues)
    status, out, err = migrate_text(site)
    assert status == 0
    assert "_data/venues.yml:" in err and "more than 100 aliases" in err, err
    assert "pubs_venues" not in assigned(out)
    assert len(err) < 5_000


def test_name_reduction_is_linear(tmp_path, monkeypatch):
    """Names of one family are compared with each other only up to a bound: the
    comparisons grow linearly with the number of names."""
    calls = []
    real = alfolio.matches
    monkeypatch.setattr(alfolio, "matches", lambda a, b: calls.append(1) or real(a, b))

    def comparisons(n: int) -> int:
        calls.clear()
        # one family of n names, and n / 40 families of 40 (full names and initials)
        names = [f"Smith, {chr(65 + i % 26)}{i}" for i in range(n)]
        for family in range(n // 40):
            names += [
                f"Jones{family}, {chr(65 + i % 26)}{'.' if i % 2 else 'x' * i}" for i in range(40)
            ]
        kept = alfolio._fullest(names)
        assert n <= len(kept) < len(names)  # initials covered by a full name left out
        return len(calls)

    small, large = comparisons(400), comparisons(1600)
    assert small > 0 and large <= 4 * small * 1.1, (small, large)


@pytest.mark.parametrize(
    "scholar",
    [
        {"source": "/_bibliography/", "bibliography": "pap\x00ers.bib"},
        {"source": "/_bib\x00liography/", "bibliography": "papers.bib"},
        {"source": "/_bibliography/", "bibliography": "../../../../etc/passwd"},
        {"source": "/../", "bibliography": "*"},
        {"source": ["x"], "bibliography": {"a": 1}},
    ],
)
def test_bad_bibliography_names(tmp_path, scholar):
    status, out, err = migrate_text(
        lay_out_site(tmp_path / "site", config=dump({"scholar": scholar}))
    )
    assert status == 0 and "warning: _config.yml:" in err, err
    files = assigned(out).get("pubs_bibfiles", [])
    assert files in ([], ["_bibliography/papers.bib"]), files


def test_owner_name_products_are_bounded(tmp_path):
    config = {
        "scholar": {
            "last_name": [f"L{i}" for i in range(3000)],
            "first_name": [f"F{i}" for i in range(3000)],
        }
    }
    status, out, err = migrate_text(lay_out_site(tmp_path / "site", config=dump(config)))
    assert status == 0 and "more than 1000 names" in err
    assert len(assigned(out)["pubs_highlight_authors"]) <= 1000

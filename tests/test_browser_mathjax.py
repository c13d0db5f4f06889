r"""Real MathJax (3 and 4, from npm, served on 127.0.0.1) in headless Chromium, on
hostile sites: no entry text becomes a link, a style or any typeset math outside the
math the LaTeX decoder vetted, on any page of the site.

Each site has a list grouped by keyword (the group headings, and so the tables of
contents, are payloads), a second list grouped by type, a page whose title is a group
heading, a page of ``:pub:`` and ``:pub:short:`` references to every entry, and the
paper pages; every field of every entry holds a payload from tests/hostile_math.py
(math delimiters x commands that act).  MathJax is loaded on every page, and on the
sites with ``$`` turned on (as sphinx-math-dollar or myst's dollarmath do) it looks for
``$...$`` too.  After MathJax has typeset a page:

- no element links to ``javascript:`` (``href`` of any namespace, ``src``, ``action``);
- every math MathJax typeset is Sphinx math whose source passes the LaTeX decoder's
  vetting (``unsafe_math``): nothing typeset from entry text;
- nothing from math is ``position: fixed`` or covers the middle of the page;
- a click in the middle of the page and on every link raises no dialog
  (``alert``) and leaves the page.

A canary page of the site's own (trusted) text spells a payload as plain text: MathJax
must turn it into a ``javascript:`` link, or the checks above prove nothing.

MathJax comes from npm into ``~/.cache/sphinx-pubs-tests`` (``PUBS_TEST_CACHE``), once;
without npm or the network the tests skip, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser import stub_external
from hostile_math import COVER, hostile_bib, payloads

from sphinx_pubs.core.latex.math_symbols import unsafe_math

try:
    from playwright import sync_api  # noqa: F401
except ImportError:  # like a missing browser: a skip, but a failure in CI
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = [pytest.mark.browser]

CACHE = Path(os.environ.get("PUBS_TEST_CACHE", "~/.cache/sphinx-pubs-tests")).expanduser()
#: MathJax version -> its script, under node_modules/
SCRIPTS = {3: "mathjax/es5/tex-chtml.js", 4: "mathjax/tex-chtml.js"}
#: entries per site: entry n holds payloads start + n ... start + n + 6, one per field
ENTRIES = 3
CANARY = r"\(\href{javascript:alert(99)}{\style{" + COVER + r"}{C}}\)"


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (MathJax is needed in CI)")
    pytest.skip(message)


def _install(version: int) -> Path:
    """node_modules/ holding MathJax *version* (and its font, for version 4)."""
    target = CACHE / f"mathjax{version}"
    if (target / ".complete").is_file():
        return target / "node_modules"
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("npm is not installed")
    temporary = CACHE / f".mathjax{version}-{uuid.uuid4().hex}"
    temporary.mkdir(parents=True)
    try:
        subprocess.run(
            [npm, "install", "--no-save", "--no-package-lock", "--ignore-scripts",
             "--no-audit", "--no-fund", "--prefix", str(temporary), f"mathjax@{version}"],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError) as error:
        shutil.rmtree(temporary, ignore_errors=True)
        _unavailable(f"npm could not install mathjax@{version}: {error}")
    if not (temporary / "node_modules" / SCRIPTS[version]).is_file():
        shutil.rmtree(temporary, ignore_errors=True)
        _unavailable(f"mathjax@{version} has no {SCRIPTS[version]}")
    (temporary / ".complete").write_text("", encoding="utf-8")
    if (target / ".complete").is_file():  # another test run got there first
        shutil.rmtree(temporary, ignore_errors=True)
    else:
        shutil.rmtree(target, ignore_errors=True)
        temporary.rename(target)
    return target / "node_modules"


@pytest.fixture(scope="session")
def mathjax() -> dict[int, Path]:
    """MathJax 3 and 4 from npm: version -> node_modules/."""
    return {version: _install(version) for version in SCRIPTS}


@dataclass(frozen=True)
class Variant:
    theme: str
    version: int
    dollars: bool  # "$...$" is math too

    @property
    def name(self) -> str:
        return f"{self.theme}-mj{self.version}" + ("-dollars" if self.dollars else "")


VARIANTS = [
    Variant("alabaster", 3, False),
    Variant("furo", 3, True),
    Variant("alabaster", 4, True),
    Variant("furo", 4, False),
]


def _conf(variant: Variant, base: str) -> str:
    root = f"{base}/mj{variant.version}"
    config: dict[str, Any] = {}
    if variant.version == 4:
        config["output"] = {"fontPath": f"{root}/@mathjax/mathjax-newcm-font"}
    if variant.dollars:
        config["tex"] = {"inlineMath": [["$", "$"], ["\\(", "\\)"]]}
    return (
        'extensions = ["sphinx_pubs"]\npubs_paper_pages = True\n'
        f"html_theme = {variant.theme!r}\n"
        f"mathjax_path = {root + '/' + SCRIPTS[variant.version]!r}\n"
        f"mathjax3_config = {config!r}\n"
        # MathJax on every page, math or not (search, index, references ...)
        "def setup(app):\n    app.set_html_assets_policy('always')\n"
    )


def _build(variant: Variant, number: int, sites: Path, base: str) -> Path:
    from sphinx.cmd.build import build_main

    src = sites / f"{variant.name}-src"
    out = sites / variant.name
    src.mkdir()
    refs = "\n".join(f"- :pub:`evil{n}`, :pub:short:`evil{n}`" for n in range(ENTRIES))
    # each site its own payloads in each field
    bib = hostile_bib(ENTRIES, start=number * 15 % len(payloads()))
    files = {
        "refs.bib": bib,
        "conf.py": _conf(variant, base),
        "index.rst": "Hostile\n=======\n\n.. toctree::\n\n   pubs\n   bare\n   refs\n   canary\n",
        "pubs.rst": (
            "Publications\n============\n\n.. publications:: refs.bib\n"
            "   :group-by: keywords\n   :search: on\n   :facets: year, type\n\n"
            "By type\n-------\n\n.. publications:: refs.bib\n   :group-by: type\n   :no-index:\n"
        ),
        "bare.rst": ".. publications:: refs.bib\n   :group-by: keywords\n   :no-index:\n",
        "refs.rst": f"References\n==========\n\nTrusted math: :math:`a^2`.\n\n{refs}\n",
        # the project's own text, which MathJax may typeset: raw, as written
        "canary.rst": f"Canary\n======\n\n.. raw:: html\n\n   <p>{html.escape(CANARY)}</p>\n",
    }
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    assert build_main(["-q", "-b", "html", str(src), str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def built(sites: Path, server: str, mathjax: dict[int, Path]) -> dict[Variant, Path]:
    for version, modules in mathjax.items():
        (sites / f"mj{version}").symlink_to(modules, target_is_directory=True)
    return {
        variant: _build(variant, number, sites, server) for number, variant in enumerate(VARIANTS)
    }


#: Waits for MathJax, then reports what it made of the page.
REPORT_JS = """
async () => {
  await MathJax.startup.promise;
  const hrefs = [];
  // links of any kind, and any attribute of what MathJax made (MathJax 4 keeps a
  // link's address on its own elements and follows it on a click)
  const LINKS = ["href", "xlink:href", "src", "action", "formaction", "data", "poster"];
  for (const el of document.querySelectorAll("*")) {
    const typeset = el.closest("mjx-container") !== null;
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if ((typeset || LINKS.includes(name)) && value.includes("javascript:")) {
        hrefs.push(el.tagName + " " + name + "=" + attr.value);
      }
    }
  }
  for (const a of document.querySelectorAll("a")) {
    if (a.protocol === "javascript:") hrefs.push("a.href " + a.href);
  }
  const math = Array.from(MathJax.startup.document.math).map((item) => {
    const root = item.typesetRoot;
    const holder = root && root.closest ? root.closest(".math") : null;
    return {source: item.math, inSphinxMath: Boolean(holder),
            inList: Boolean(root && root.closest && root.closest(".pubs"))};
  });
  const fixed = [];
  for (const el of document.querySelectorAll("mjx-container, mjx-container *")) {
    if (getComputedStyle(el).position === "fixed") fixed.push(el.tagName);
  }
  const middle = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  return {hrefs, math, fixed, containers: document.querySelectorAll("mjx-container").length,
          covered: Boolean(middle && middle.closest("mjx-container")),
          version: MathJax.version};
}
"""

#: Keeps the page: a click on an ordinary link is recorded and stopped; a click on a
#: javascript: link is let through (and would raise a dialog).
GUARD_JS = """
() => {
  window.__pubsClicked = [];
  document.addEventListener("click", (event) => {
    const a = event.target.closest && event.target.closest("a");
    if (a) window.__pubsClicked.push(a.getAttribute("href") || "");
    if (!a || a.protocol !== "javascript:") event.preventDefault();
  }, true);
}
"""
CLICK_ALL_JS = """
() => {
  for (const a of Array.from(document.querySelectorAll("a"))) a.click();
  return window.__pubsClicked.length;
}
"""


def _pages(out: Path) -> list[str]:
    pages = sorted(str(path.relative_to(out)) for path in out.rglob("*.html"))
    # the search page with results: the entries' words, shown by Sphinx's script
    return [page if page != "search.html" else "search.html?q=javascript" for page in pages]


class Visitor:
    """One browser tab for a site (its cache keeps MathJax between pages), recording
    the dialogs pages raise."""

    def __init__(self, chromium: Any) -> None:
        self.context = chromium.new_context(viewport={"width": 1280, "height": 900})
        stub_external(self.context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20000)
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self, url: str) -> dict[str, Any]:
        """Load *url*, wait for MathJax, report what it made, then click."""
        page = self.page
        self.dialogs.clear()
        page.goto(url)
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        report: dict[str, Any] = page.evaluate(REPORT_JS)
        page.evaluate(GUARD_JS)
        page.mouse.click(640, 450)
        report["clicks"] = page.evaluate(CLICK_ALL_JS)
        page.wait_for_timeout(20)
        report.update(dialogs=list(self.dialogs), url=page.url)
        return report


def test_no_entry_text_becomes_math(chromium, built: dict[Variant, Path], server: str) -> None:
    typeset = 0
    for variant, out in built.items():
        # the canary in a tab of its own: a dialog its clicks raise late must not be
        # taken for one of the site's pages
        canary_tab = Visitor(chromium)
        canary = canary_tab.check(f"{server}/{variant.name}/canary.html")
        canary_tab.context.close()
        visitor = Visitor(chromium)
        # the checks see what they look for: MathJax makes the site's own text a
        # javascript: link that covers the page, and a click on the page runs it
        assert canary["hrefs"] and canary["fixed"] and canary["covered"], (variant, canary)
        assert "99" in canary["dialogs"], (variant, canary)
        assert str(variant.version) == canary["version"][0], canary["version"]
        pages = [page for page in _pages(out) if page != "canary.html"]
        assert len(pages) >= ENTRIES + 6 and "search.html?q=javascript" in pages, pages
        for name in pages:
            url = f"{server}/{variant.name}/{name}"
            report = visitor.check(url)
            where = (variant.name, name)
            assert report["hrefs"] == [], (where, report["hrefs"])
            assert report["dialogs"] == [], (where, report["dialogs"])
            assert report["fixed"] == [] and not report["covered"], (where, report)
            assert report["url"] == url, where  # no click left the page
            for math in report["math"]:
                assert math["inSphinxMath"], (where, math)
                assert unsafe_math(math["source"]) is None, (where, math)
            typeset += len(report["math"])
        visitor.context.close()
    # the vetted math in every title is typeset: MathJax ran on the pages
    assert typeset >= len(VARIANTS) * ENTRIES * 2, typeset

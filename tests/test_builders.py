"""Every builder renders the seed page with no warning; paper formats show everything."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import seed_expected, soup, text_of

EXPECTED = seed_expected(Path(__file__).parent / "seed-expected.txt")


@pytest.mark.parametrize(
    "builder", ["html", "dirhtml", "singlehtml", "text", "latex", "epub", "man", "texinfo"]
)
def test_every_builder_builds_without_warning(build_project, builder):
    app = build_project(root="seed", builder=builder)
    assert app.statuscode == 0
    assert app._warning.getvalue() == ""


@pytest.mark.sphinx("latex", testroot="seed")
def test_latex_output_has_every_entry(app):
    app.build()
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    # undo the LaTeX writer's escapes of "-" and "&"
    flat = " ".join(tex.replace(r"\sphinxhyphen{}", "-").replace(r"\&", "&").split())
    for row in EXPECTED:
        assert row.title in flat, row.title
        assert row.authors in flat, row.authors
    # abstracts are shown in full, never behind a toggle
    assert "Despite the success of distillation in large language models" in flat
    assert r"\begin{quote}" in tex
    # year headings are real sectioning commands
    assert any(f"\\{level}{{2025}}" in tex for level in ("chapter", "section", "subsection"))


@pytest.mark.sphinx("singlehtml", testroot="seed")
def test_singlehtml_keeps_the_toggles(app):
    app.build()
    page = soup(Path(app.outdir) / "index.html")
    assert len(page.select("li.pub")) == 79
    assert len(page.select("details.pub-abstract")) == 78


@pytest.mark.sphinx("epub", testroot="seed")
def test_epub_shows_abstracts_expanded(app):
    app.build()
    page = soup(Path(app.outdir) / "index.xhtml")
    assert not page.select("details")
    text = text_of(page)
    assert "Despite the success of distillation" in text
    assert "Jongwoo Ko, Tianyi Chen, Sungnyun Kim, and 4 more authors" in text


@pytest.mark.skipif(
    not (shutil.which("latexmk") and shutil.which("pdftotext")),
    reason="needs latexmk and pdftotext (TeX Live, poppler-utils)",
)
@pytest.mark.sphinx("latex", testroot="seed")
def test_latexpdf_is_readable(app):
    """What ``make latexpdf`` does: the LaTeX builder, then latexmk on its Makefile."""
    app.build()
    outdir = Path(app.outdir)
    run = subprocess.run(
        ["make", "-C", str(outdir), "all-pdf", "LATEXMKOPTS=-interaction=nonstopmode -quiet"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    pdf = next(outdir.glob("*.pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for row in EXPECTED[:10]:
        assert row.authors in flat, row.authors
    assert "Despite the success of distillation in large language models" in flat

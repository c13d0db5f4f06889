"""Every builder renders the seed page with no warning; paper formats show everything."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import seed_expected, soup, text_of

EXPECTED = seed_expected(Path(__file__).parent / "seed-expected.txt")


@pytest.mark.parametrize(
    "builder", ["html", "dirhtml", "singlehtml", "text", "latex", "epub", "man", "texinfo"]
)
def test_every_builder_builds_without_warning(make_app, rootdir, tmp_path, builder):
    app = make_app(builder, srcdir=_copy_root(rootdir, tmp_path))
    app.build()
    assert app.statuscode == 0
    assert app._warning.getvalue() == ""


def _copy_root(rootdir: Path, tmp_path: Path) -> Path:
    import shutil

    src = tmp_path / "seed"
    shutil.copytree(rootdir / "test-seed", src)
    return src


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

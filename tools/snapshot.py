"""Build the docs site, the test roots and every corpus file into one folder, so a
restructuring can be shown to change no output byte.

    python tools/snapshot.py OUT [SOURCE]     # then, after the change:
    python tools/snapshot.py OUT2 [SOURCE] && diff -r OUT OUT2

SOURCE is the checkout whose ``docs/`` and ``tests/`` are built (default: this one);
give both runs the same SOURCE so only the package differs.

Which package is built is whichever ``sphinx_pubs`` Python imports (set
``PYTHONPATH`` to build another checkout).  Builders: html and text everywhere, plus
latex, man and texinfo for the docs site.  Files that hold only build bookkeeping
(``.buildinfo``, pickles, ``.doctrees``) are left out of the copy.

Two runs compare only when nothing else varies: the script runs itself under a fixed
``PYTHONHASHSEED`` (Sphinx's Texinfo writer writes leftover anchors in set order) and
a fixed ``SOURCE_DATE_EPOCH`` (the date LaTeX, man and Texinfo print).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".buildinfo", ".doctrees"}


def _build(src: Path, out: Path, builder: str, conf: dict[str, object] | None = None) -> str:
    warnings = io.StringIO()
    with tempfile.TemporaryDirectory() as doctrees:
        app = Sphinx(
            str(src),
            str(src),
            str(out),
            doctrees,
            builder,
            confoverrides=conf or {},
            status=None,
            warning=warnings,
            freshenv=True,
            keep_going=True,
        )
        app.build(force_all=True)
    for name in SKIP:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    return warnings.getvalue()


def _corpus_project(where: Path, bibs: list[Path], paper_pages: bool) -> Path:
    where.mkdir(parents=True)
    names = []
    for bib in sorted(bibs):
        stem = bib.stem
        shutil.copy(bib, where / bib.name)
        names.append(stem)
        (where / f"{stem}.rst").write_text(
            f"{stem}\n{'=' * len(stem)}\n\n.. publications:: {bib.name}\n", encoding="utf-8"
        )
    toc = "\n".join(f"   {n}" for n in names)
    (where / "index.rst").write_text(f"Corpus\n======\n\n.. toctree::\n\n{toc}\n", encoding="utf-8")
    (where / "conf.py").write_text(
        'extensions = ["sphinx_pubs"]\n'
        f"pubs_paper_pages = {paper_pages!r}\n"
        'pubs_owner = ["Einstein, Albert"]\n',
        encoding="utf-8",
    )
    return where


def main(out: Path, source: Path = ROOT) -> int:
    if out.exists():
        shutil.rmtree(out)
    log: list[str] = []
    import sphinx_pubs

    print(f"building with sphinx_pubs from {Path(sphinx_pubs.__file__).parent}")
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "site" / "docs"
        shutil.copytree(source / "docs", docs, ignore=shutil.ignore_patterns("_build"))
        shutil.copy(
            source / "CHANGELOG.md", docs.parent / "CHANGELOG.md"
        )  # docs/changelog.md includes it
        for builder in ("html", "text", "latex", "man", "texinfo"):
            log.append(f"== docs {builder}\n" + _build(docs, out / "docs" / builder, builder))
        for root in sorted((source / "tests" / "roots").iterdir()):
            if (root / "index.rst").exists():
                copy = Path(tmp) / root.name
                shutil.copytree(root, copy)
                for builder in ("html", "text"):
                    log.append(
                        f"== {root.name} {builder}\n"
                        + _build(copy, out / root.name / builder, builder)
                    )
        corpora = {
            "corpus": sorted((source / "tests" / "corpus").glob("*.bib")),
            "alfolio": sorted((source / "tests" / "alfolio").glob("*.bib")),
        }
        for name, bibs in corpora.items():
            for pages in (False, True):
                project = _corpus_project(Path(tmp) / f"{name}-{pages}", bibs, pages)
                for builder in ("html", "text"):
                    label = f"{name}-pages" if pages else name
                    log.append(
                        f"== {label} {builder}\n" + _build(project, out / label / builder, builder)
                    )
    # Sphinx's own notes about node classes registered by an earlier app of this process
    # come in no fixed order; they say nothing about sphinx-pubs
    lines = (re.sub(r"\x1b\[[0-9;]*m", "", line).replace(tmp, "<tmp>") for line in log)
    kept = [line for line in "\n".join(lines).splitlines() if "is already registered" not in line]
    (out / "warnings.log").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return 0


#: what the builds are run under, so that two runs differ only by the package
FIXED_ENVIRONMENT = {"PYTHONHASHSEED": "1", "SOURCE_DATE_EPOCH": "1767225600"}

if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    if any(os.environ.get(name) != value for name, value in FIXED_ENVIRONMENT.items()):
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **FIXED_ENVIRONMENT})
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]).resolve() if len(sys.argv) == 3 else ROOT))

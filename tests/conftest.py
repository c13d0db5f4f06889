"""Test configuration: Sphinx's testing fixtures and our test roots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import Built
from hypothesis import settings

#: the suite's property tests draw the same examples on every run, so that a run
#: passes or fails by the code alone; ``PUBS_FUZZ_RANDOM=1`` explores new examples
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("explore" if os.environ.get("PUBS_FUZZ_RANDOM") == "1" else "suite")

#: Sphinx's fixtures (make_app, app ...) and the browser tests' (chromium, open_page)
pytest_plugins = ("sphinx.testing.fixtures", "browser")

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def make_app(make_app):
    """Sphinx's ``make_app``, with warnings naming their type on every Sphinx version
    (``show_warning_types`` is on by default from Sphinx 8): the tests read the
    ``[pubs.subtype]`` at the end of each warning."""

    def make(*args, **kwargs):
        overrides = {"show_warning_types": True, **kwargs.pop("confoverrides", {})}
        return make_app(*args, confoverrides=overrides, **kwargs)

    return make


#: the ``conf.py`` of a project that names no test root
CONF = 'extensions = ["sphinx_pubs"]\n'


def _pages(pages: dict[str, str]) -> dict[str, str]:
    """One document per page (name -> body, under a title), in the index's toctree."""
    toctree = "\n".join(f"   {name}" for name in pages)
    return {
        "index.rst": f"Index\n=====\n\n.. toctree::\n\n{toctree}\n",
        **{
            f"{name}.rst": f"{name.title()}\n{'=' * len(name)}\n\n{body}"
            for name, body in pages.items()
        },
    }


def _fresh(tmp_path: Path) -> Path:
    """``tmp_path/src``, or ``src-2``, ``src-3`` ... for a test's further projects."""
    path, n = tmp_path / "src", 1
    while path.exists():
        n += 1
        path = tmp_path / f"src-{n}"
    return path


@pytest.fixture
def build_project(make_app, tmp_path):
    """The one way the tests build a Sphinx project: a function

    ``build_project(files=None, *, root=None, pages=None, conf="", builder="html",
    srcdir=None, **make_app_options) -> Built``

    that writes a project and builds it. The project is the test root *root*
    (``"options"`` is ``tests/roots/test-options``) copied, or else a ``conf.py``
    loading sphinx_pubs; then *pages* (name -> body: one titled document each, in
    the index's toctree); then *files* (path -> text or bytes, replacing what is
    there); then *conf* appended to ``conf.py``. It goes to *srcdir*, by default a
    new folder under ``tmp_path`` (the first is ``tmp_path/src``). With none of
    *files*, *root*, *pages* and *conf*, *srcdir* is built as it is on disk."""

    def build(
        files: dict[str, str | bytes] | None = None,
        *,
        root: str | None = None,
        pages: dict[str, str] | None = None,
        conf: str = "",
        builder: str = "html",
        srcdir: Path | None = None,
        **options,
    ) -> Built:
        srcdir = _fresh(tmp_path) if srcdir is None else srcdir
        if files is not None or root or pages is not None or conf:
            _write(srcdir, files or {}, root, pages or {}, conf)
        app = make_app(builder, srcdir=srcdir, **options)
        read: list[str] = []
        written: list[str] = []
        app.connect("source-read", lambda app, docname, source: read.append(docname))
        app.connect("html-page-context", lambda app, page, *args: written.append(page))
        app.build()
        again = {**options, "freshenv": False}
        return Built(
            app, read, written, lambda **o: build(builder=builder, srcdir=srcdir, **{**again, **o})
        )

    return build


def _write(
    srcdir: Path, files: dict[str, str | bytes], root: str | None, pages: dict[str, str], conf: str
) -> None:
    """*root* copied to *srcdir* (or a ``conf.py`` where there is none), then *pages*
    and *files* written, then *conf* appended to ``conf.py``."""
    if root:
        shutil.copytree(ROOTS / f"test-{root}", srcdir, dirs_exist_ok=True)
    sources: dict[str, str | bytes] = {}
    if not (srcdir / "conf.py").exists():
        sources["conf.py"] = CONF
    sources.update(_pages(pages) if pages else {})
    sources.update(files)
    for name, content in sources.items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if conf:
        with open(srcdir / "conf.py", "a", encoding="utf-8") as stream:
            stream.write(conf)


@pytest.fixture
def strict_pybtex():
    """pybtex raises on every error while the test runs (its default, which another
    test may have changed)."""
    import pybtex.errors

    strict = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)
    yield
    pybtex.errors.set_strict_mode(strict)

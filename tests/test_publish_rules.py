"""Nothing of the project is published that the user did not mean to publish.

Link fields (``pdf``, ``code`` ..., the project's own ones) and ``preview`` that hold a
path have the build copy a project file.  They never copy hidden files or anything in
a hidden folder (``.git/config``, ``.env``), version-control folders, ``conf.py``, the
build's output, files that ``exclude_patterns`` or ``pubs_link_exclude`` exclude, or
anything outside the source folder (symbolic links resolved).  Tested by generation:
path spellings (``./``, ``a/../``, doubled slashes, ``%2e``, backslashes, absolute
paths, ``~``, full-width dots, case, trailing dots, symbolic links) against a real
file tree, then in every link field of a real build whose output is searched for the
secrets' bytes.
"""

from __future__ import annotations

import os
import posixpath
import re
import uuid
from pathlib import Path

import pytest
from helpers import soup, warnings_of, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_pubs.config.project import folder as pages_dir
from sphinx_pubs.config.values import BadValue
from sphinx_pubs.core.model import Problem, Publication, Source
from sphinx_pubs.view.files import PublishRules, project_file

EXAMPLES = int(os.environ.get("PUBS_FUZZ_EXAMPLES", "150"))
TOKEN = f"SECRET-{uuid.uuid4().hex}"

#: files that must never be published, relative to the source folder
SECRETS = (
    ".git/config",
    ".env",
    "conf.py",
    "docs/conf.py",
    "foo/.hidden/x.pdf",
    "drafts/secret.pdf",
    "files/private.pdf",
    "_build/html/old.html",
    "_build/doctrees/old.doctree",
    "CVS/Entries",
    "_darcs/prefs",
)
#: files that may be
PUBLIC = ("files/paper.pdf", "files/img.png")
EXCLUDE_PATTERNS = ["drafts"]
LINK_EXCLUDE = ["files/private.*"]


def make_tree(root: Path, outside: Path) -> None:
    """A source folder with secrets, public files and symbolic links, and a folder
    outside it with another secret."""
    for name in SECRETS:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name != "conf.py":
            path.write_text(f"{TOKEN} {name}\n", encoding="utf-8")
    (root / ".git" / "config").write_text(
        f'[remote "origin"]\n  url = https://user:{TOKEN}@example.org/repo.git\n'
    )
    for name in PUBLIC:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"%PDF-public " + name.encode())
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.pdf").write_text(TOKEN, encoding="utf-8")
    links = root / "links"
    links.mkdir()
    (links / "out.pdf").symlink_to(outside / "secret.pdf")
    (links / "gitdir").symlink_to(root / ".git")
    (links / "envfile.pdf").symlink_to(root / ".env")
    (links / "up").symlink_to(outside)
    (links / "paper.pdf").symlink_to(root / "files" / "paper.pdf")  # public, via a link
    (root / ".hiddenlink.pdf").symlink_to(root / "files" / "paper.pdf")


#: targets as paths relative to the source folder: the secrets, links to them
TARGETS = (
    *SECRETS,
    "links/out.pdf",
    "links/gitdir/config",
    "links/envfile.pdf",
    "links/up/secret.pdf",
    ".hiddenlink.pdf",
    "../outside/secret.pdf",
)

_SEGMENT = re.compile(r"[^/]+")


def _fullwidth(path: str) -> str:
    return path.replace(".", "\uff0e", 1)


def _percent(path: str) -> str:
    return path.replace(".", "%2e", 1)


#: ways to spell a path to the same file (or to a look-alike that must not be
#: published either)
SPELLINGS = {
    "as is": lambda p, root: p,
    "./": lambda p, root: "./" + p,
    "/": lambda p, root: "/" + p,
    "a/../": lambda p, root: "a/../" + p,
    "files/../": lambda p, root: "files/../" + p,
    "//": lambda p, root: p.replace("/", "//"),
    "/./": lambda p, root: p.replace("/", "/./"),
    "backslashes": lambda p, root: p.replace("/", "\\"),
    "%2e": lambda p, root: _percent(p),
    "full-width dot": lambda p, root: _fullwidth(p),
    "upper case": lambda p, root: p.upper(),
    "trailing dot": lambda p, root: _SEGMENT.sub(lambda m: m.group(0) + ".", p, count=1),
    "absolute": lambda p, root: str(root / p),
    "~": lambda p, root: "~/" + p,
    "../src/": lambda p, root: f"../{root.name}/" + p,
    "spaces": lambda p, root: f"  {p}  ",
}


def record_at(bib: Path, line: int = 1) -> Publication:
    return Publication(key="k", type="misc", source=Source(str(bib), line))


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    base = tmp_path_factory.mktemp("tree")
    root = base / "src"
    make_tree(root, base / "outside")
    return root


def _rules(root: Path) -> PublishRules:
    return PublishRules(
        outputs=(str(root / "_build" / "html"), str(root / "_build" / "doctrees")),
        exclude_patterns=tuple(EXCLUDE_PATTERNS),
        link_exclude=tuple(LINK_EXCLUDE),
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    target=st.sampled_from(TARGETS + PUBLIC),
    spellings=st.lists(st.sampled_from(sorted(SPELLINGS)), min_size=1, max_size=3),
)
def test_only_public_files_are_ever_returned(tree, target, spellings):
    """Whatever the spelling: a path is either refused (a Problem, naming the field)
    or is one of the public files."""
    path = target
    for name in spellings:
        path = SPELLINGS[name](path, tree)
    result = project_file(record_at(tree / "refs.bib"), "code", path, str(tree), _rules(tree))
    public = {os.path.realpath(tree / name) for name in PUBLIC}
    if isinstance(result, Problem):
        assert result.subtype == "link" and "field 'code'" in result.message
        assert result.message.startswith("entry 'k', field 'code': ")
    else:
        assert result in public, (path, result)
        assert TOKEN.encode() not in Path(result).read_bytes()


@pytest.mark.parametrize("spelling", ["as is", "./", "/", "files/../", "//", "/./"])
@pytest.mark.parametrize("target", PUBLIC)
def test_ordinary_files_are_still_published(tree, target, spelling):
    path = SPELLINGS[spelling](target, tree)
    result = project_file(record_at(tree / "refs.bib"), "pdf", path, str(tree), _rules(tree))
    assert result == os.path.realpath(tree / target)


def test_each_rule_says_why(tree):
    def reason(path: str) -> str:
        result = project_file(record_at(tree / "refs.bib"), "pdf", path, str(tree), _rules(tree))
        assert isinstance(result, Problem), path
        return result.message.removeprefix(f"entry 'k', field 'pdf': {path!r} ")

    assert reason(".git/config") == "is in a version-control folder; not copied"
    assert reason("CVS/Entries") == "is in a version-control folder; not copied"
    assert reason(".env") == "is a hidden file or in a hidden folder; not copied"
    assert reason("links/envfile.pdf") == "is a hidden file or in a hidden folder; not copied"
    assert reason("conf.py") == "is a Sphinx configuration file (conf.py); not copied"
    assert reason("_build/html/old.html") == "is in the build's output; not copied"
    assert reason("drafts/secret.pdf") == "is excluded by exclude_patterns; not copied"
    assert reason("files/private.pdf") == "is excluded by pubs_link_exclude; not copied"
    assert reason("links/out.pdf") == "is outside the project; not copied"
    assert reason("files\\paper.pdf").startswith("has a backslash")
    # without the build's rules (the check command), the fixed rules still hold
    bare = project_file(record_at(tree / "refs.bib"), "pdf", ".env", str(tree))
    assert isinstance(bare, Problem) and "hidden" in bare.message


# -- a real build ------------------------------------------------------------------------
#: fields whose value may be a project file: al-folio's, a project's own, preview
PATH_FIELDS = (
    "html",
    "pdf",
    "supp",
    "video",
    "blog",
    "code",
    "poster",
    "slides",
    "website",
    "data",
    "preview",
)


def _cases(root: Path) -> list[tuple[str, str]]:
    """(field, path) for every target in several spellings, each field in turn."""
    cases = []
    names = sorted(SPELLINGS)
    for index, target in enumerate(TARGETS):
        for step in range(3):
            spelling = names[(index * 3 + step) % len(names)]
            path = SPELLINGS[spelling](target, root)
            field = PATH_FIELDS[(index * 3 + step) % len(PATH_FIELDS)]
            cases.append((field, path))
    # every field with a plain secret and with a dot-folder path
    cases += [(field, ".git/config") for field in PATH_FIELDS]
    cases += [(field, "a/../.env") for field in PATH_FIELDS]
    return cases


def test_a_build_publishes_none_of_it(make_app, tmp_path):
    root = tmp_path / "src"
    make_tree(root, tmp_path / "outside")
    cases = _cases(root)
    lines = []
    bib = []
    for index, (field, path) in enumerate(cases):
        lines.append(len(bib) + 2)  # the field's line
        value = path.replace("{", "").replace("}", "")
        bib.append(f"@misc{{e{index}, title = {{Entry {index}}}, year = 2020,")
        bib.append(f"  {field} = {{{value}}}}}")
    good = len(bib) + 1
    bib.append("@misc{good, title = {Good}, year = 2021, pdf = {files/paper.pdf},")
    bib.append("  preview = {/files/img.png}, code = {links/paper.pdf}}")
    conf = (
        'extensions = ["sphinx_pubs"]\n'
        'pubs_link_fields = {"data": "Data"}\n'
        f"exclude_patterns = {EXCLUDE_PATTERNS!r}\n"
        f"pubs_link_exclude = {LINK_EXCLUDE!r}\n"
    )
    write_project(
        root,
        {
            "conf.py": conf,
            "index.rst": "Pubs\n====\n\n.. publications:: refs.bib\n   :group-by: none\n",
            "refs.bib": "\n".join(bib) + "\n",
        },
    )
    app = make_app("html", srcdir=root)
    app.build()
    assert Path(app.outdir) == root / "_build" / "html"  # the output is inside srcdir
    out = Path(app.outdir)
    planted = {root / name for name in SECRETS}  # the old output files put there
    for path in out.rglob("*"):
        if path.is_file() and path not in planted:
            data = path.read_bytes()
            assert TOKEN.encode() not in data, path
            assert b"[remote" not in data, path
            assert not (path.suffix == ".py" and "_downloads" in path.parts), path
    # the ordinary files were copied, and nothing else
    downloads = sorted(p.name for p in (out / "_downloads").rglob("*") if p.is_file())
    assert downloads == ["img.png", "paper.pdf"]  # code: a link to the same paper
    good_entry = soup(out / "index.html").select_one("li#pub-good")
    for selector in ("a.pub-button-pdf", "a.pub-button-code"):
        href = good_entry.select_one(selector)["href"]
        assert (out / href).read_bytes() == b"%PDF-public files/paper.pdf"
    image = good_entry.select_one("div.pub-preview img")["src"]
    assert (out / image).read_bytes() == b"%PDF-public files/img.png"
    # the refused entries have no buttons to project files
    for entry in soup(out / "index.html").select("li.pub"):
        if entry["id"] != "pub-good":
            assert not entry.select("a[href*=_downloads], img"), entry["id"]
    warnings = [w for w in warnings_of(app) if "[pubs.link]" in w]
    for index, ((field, path), line) in enumerate(zip(cases, lines, strict=True)):
        mine = [w for w in warnings if f"entry 'e{index}'," in w]
        assert len(mine) == 1, (field, path, mine)
        assert f"refs.bib:{line}:" in mine[0] and f"field '{field}'" in mine[0], mine
    assert not [w for w in warnings if "'good'" in w]
    assert len(warnings) == len(cases)
    assert not any(f"refs.bib:{good}:" in w for w in warnings_of(app))


# -- pubs_paper_pages_dir ---------------------------------------------------------------
def pages_dir_problem(folder: str) -> str | None:
    """Why the configuration refuses *folder* as ``pubs_paper_pages_dir``, else None."""
    try:
        pages_dir(folder)
    except BadValue as error:
        return str(error)
    return None


_PART = st.sampled_from(["papers", "a", "..", ".", "", ".hidden", "\uff0e\uff0e", "x y", "ü"])


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    parts=st.lists(_PART, min_size=1, max_size=4),
    lead=st.sampled_from(["", "/", "~/", "C:", "c:\\", "\\\\server\\"]),
    sep=st.sampled_from(["/", "\\", "//"]),
)
def test_an_accepted_pages_dir_stays_in_the_output(parts, lead, sep):
    folder = lead + sep.join(parts)
    if pages_dir_problem(folder) is not None:
        return
    folder = pages_dir(folder)  # as the configuration keeps it
    page = posixpath.normpath(posixpath.join("/out", folder, "key"))
    assert page.startswith("/out/") and ".." not in page.split("/")
    assert "\\" not in folder and ":" not in folder
    assert not any(part.startswith((".", "\uff0e")) for part in folder.split("/"))


@pytest.mark.parametrize("folder", ["papers", "pubs/papers", "pubs/"])
def test_good_pages_dirs_are_kept(folder):
    assert pages_dir_problem(folder) is None


def test_a_pages_dir_outside_the_output_is_one_warning(make_app, tmp_path):
    root = write_project(
        tmp_path / "src",
        {
            "conf.py": (
                'extensions = ["sphinx_pubs"]\npubs_paper_pages = True\n'
                'pubs_paper_pages_dir = "../../escaped"\n'
            ),
            "index.rst": "Pubs\n====\n\n.. publications:: refs.bib\n",
            "refs.bib": "@misc{k, title = {K}, year = 2020}\n",
        },
    )
    app = make_app("html", srcdir=root)
    app.build()
    mine = [w for w in warnings_of(app) if "pubs_paper_pages_dir" in w]
    assert len(mine) == 1 and "'../../escaped'" in mine[0] and "[pubs.config]" in mine[0], mine
    assert (Path(app.outdir) / "papers" / "k.html").is_file()
    assert not list(tmp_path.rglob("escaped"))

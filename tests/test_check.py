"""``python -m sphinx_pubs check``: the build's problems, without a build.

The command runs as a real subprocess; :func:`sphinx_pubs.check.check` is also called
directly; and a real Sphinx build of the same broken file must give the same lines.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import warnings_of, write_project

from sphinx_pubs.check import as_json, check, line_of, summary
from sphinx_pubs.core.model import Problem, Source
from sphinx_pubs.core.subtype import Subtype

SEED = Path(__file__).parent / "roots" / "test-seed" / "publications.bib"

BROKEN = r"""@string{jml = {Journal of Machine Learning}}

@article{good,
  title = {A Good Entry},
  author = {Ada Lovelace},
  journal = jml,
  year = {2020},
  pdf = {paper.pdf},
}

@article{syntax,
  year = {2020},
  title = {Missing a comma}
  journal = {Syntax Errors Quarterly},
}

@article{good,
  title = {A Duplicate Key},
  year = {2019},
}

@article{notitle,
  author = {Grace Hopper},
  year = {2018},
}

@article{noyear,
  title = {No Year At All},
}

@article{baddate,
  title = {A Date That Is Not ISO},
  date = {May 2021},
}

@article{badmonth,
  title = {A Thirteenth Month},
  year = {2021},
  month = 13,
}

@article{jsurl,
  title = {A Javascript URL},
  year = {2021},
  url = {javascript:alert(1)},
}

@article{baddoi,
  title = {A Bad DOI},
  year = {2021},
  doi = {not-a-doi},
}

@article{missingpdf,
  title = {A Missing PDF},
  year = {2021},
  pdf = {missing.pdf},
}

@article{escape,
  title = {A File Outside the Project},
  year = {2021},
  pdf = {../../etc/passwd},
}

@article{latex,
  year = {2021},
  title = {An \unknowncommand{Title}},
}

@article{macro,
  title = {An Undefined Macro},
  journal = nosuchmacro,
  year = {2021},
}

@article{inline,
  year = {2021},
  title = {Click \href{javascript:alert(2)}{here} and $\input{/etc/passwd}$},
}

@article{inpress,
  title = {Deliberately Undated},
  year = {in press},
}
"""

PAGE = "Publications\n============\n\n.. publications:: refs.bib\n"


def lines_of(text: str, needle: str) -> list[int]:
    """1-based numbers of the lines of *text* that contain *needle*."""
    return [n for n, line in enumerate(text.splitlines(), 1) if needle in line]


def line_of_text(text: str, needle: str) -> int:
    (number,) = lines_of(text, needle)
    return number


#: (line, subtype, message) of each problem in BROKEN
EXPECTED = [
    (
        line_of_text(BROKEN, "Syntax Errors Quarterly"),
        "syntax",
        "entry 'syntax': BibTeX syntax error: missing comma before field 'journal'",
    ),
    (
        lines_of(BROKEN, "@article{good,")[1],
        "duplicate",
        "duplicate key 'good' (first defined at line 3); this entry is skipped",
    ),
    (line_of_text(BROKEN, "@article{notitle,"), "entry", "entry 'notitle' has no title"),
    (
        line_of_text(BROKEN, "@article{noyear,"),
        "entry",
        "entry 'noyear' has no year; listed with the undated entries",
    ),
    (
        line_of_text(BROKEN, "date = {May 2021}"),
        "entry",
        "entry 'baddate': date 'May 2021' not understood (biblatex dates are YYYY, YYYY-MM "
        "or YYYY-MM-DD); listed with the undated entries",
    ),
    (
        line_of_text(BROKEN, "month = 13"),
        "entry",
        "entry 'badmonth': month '13' not understood; ignored",
    ),
    (
        line_of_text(BROKEN, "url = {javascript:alert(1)}"),
        "link",
        "entry 'jsurl', field 'url': link 'javascript:alert(1)' dropped (only http, https "
        "and mailto links are allowed)",
    ),
    (
        line_of_text(BROKEN, "doi = {not-a-doi}"),
        "link",
        "entry 'baddoi', field 'doi': link 'not-a-doi' dropped (not a valid DOI identifier)",
    ),
    (
        line_of_text(BROKEN, "pdf = {missing.pdf}"),
        "link",
        "entry 'missingpdf', field 'pdf': file 'missing.pdf' not found (looked in the source "
        "folder, assets/pdf/)",
    ),
    (
        line_of_text(BROKEN, "pdf = {../../etc/passwd}"),
        "link",
        "entry 'escape', field 'pdf': '../../etc/passwd' is outside the project; not copied",
    ),
    (
        line_of_text(BROKEN, r"\unknowncommand"),
        "latex",
        r"entry 'latex', field 'title': unknown LaTeX command \unknowncommand",
    ),
    (
        line_of_text(BROKEN, "journal = nosuchmacro"),
        "syntax",
        "entry 'macro': BibTeX syntax error: undefined @string macro 'nosuchmacro', "
        "read as the text 'nosuchmacro'",
    ),
    (
        line_of_text(BROKEN, "@article{inline,"),
        "link",
        "entry 'inline': link 'javascript:alert(2)' dropped (only http, https and mailto "
        "links are allowed)",
    ),
    (
        line_of_text(BROKEN, r"\input"),
        "latex",
        r"entry 'inline', field 'title': math with \input is not typeset; shown as text",
    ),
]


def cli(*args: str, cwd: Path | str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sphinx_pubs`` for real: the package of this checkout, whatever
    is installed."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "sphinx_pubs", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def problem_lines(run: subprocess.CompletedProcess[str]) -> list[str]:
    """The problem lines of a text report (everything before the summary)."""
    out = run.stdout.splitlines()
    return out[:-1]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A project folder with the broken file, its one good PDF and a page listing it."""
    return write_project(
        tmp_path / "src", {"refs.bib": BROKEN, "paper.pdf": b"%PDF-1.4\n", "index.rst": PAGE}
    )


def entries_in(text: str) -> int:
    """Entries of a BibTeX text, counted independently of the reader."""
    blocks = re.findall(r"^\s*@\s*(\w+)\s*[{(]", text, re.MULTILINE)
    return sum(1 for kind in blocks if kind.lower() not in ("string", "comment", "preamble"))


# -- good files ------------------------------------------------------------------------
def test_seed_bibliography_has_no_problems() -> None:
    # the seed page's own file: what the build shows without a single warning
    run = cli("check", SEED.name, cwd=SEED.parent)
    count = entries_in(SEED.read_text(encoding="utf-8"))
    assert run.returncode == 0, run.stdout
    assert run.stdout == f"{count} entries, no problems\n"
    assert run.stderr == ""
    result = check([str(SEED)], srcdir=str(SEED.parent))
    assert result.problems == []
    assert result.entries == count


def test_clean_file(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "site",
        {
            "papers/clean.bib": (
                "@string{pub = {ACM}}\n"
                "@article{one, title = {One}, author = {A. Author}, year = 2021, month = mar,\n"
                "  doi = {10.1145/1234567.1234568}, arxiv = {2301.01234}, pdf = {one.pdf},\n"
                "  publisher = pub}\n"
                "@inproceedings{two, title = {Two $x^2$ \\emph{and} caf\\'e},\n"
                "  year = {2020}, slides = {/talks/two.pdf}, url = {https://example.org/two}}\n"
                "@misc{three, title = {Three}, year = {in press}}\n"
                "@online{four, title = {Four}, date = {2019-05-03}}\n"
            ),
            "papers/one.pdf": b"%PDF",
            "talks/two.pdf": b"%PDF",
        },
    )
    run = cli("check", "papers/clean.bib", cwd=project)
    assert (run.returncode, run.stdout, run.stderr) == (0, "4 entries, no problems\n", "")
    # the same from elsewhere, the source folder given
    run = cli("check", str(project / "papers/clean.bib"), "--srcdir", str(project), cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "4 entries, no problems\n")


def test_empty_file_is_no_problem(tmp_path: Path) -> None:
    (tmp_path / "empty.bib").write_text("", encoding="utf-8")
    run = cli("check", "empty.bib", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "0 entries, no problems\n")


# -- broken files ----------------------------------------------------------------------
def test_every_problem_class_at_its_line(broken: Path) -> None:
    run = cli("check", "refs.bib", cwd=broken)
    assert run.returncode == 1, run.stdout + run.stderr
    got = problem_lines(run)
    expected = [f"refs.bib:{line}: {message} [pubs.{sub}]" for line, sub, message in EXPECTED]
    assert sorted(got) == sorted(expected)
    # sorted by line, and the summary counts them
    numbers = [int(line.split(":")[1]) for line in got]
    assert numbers == sorted(numbers)
    entries = entries_in(BROKEN) - 1  # the duplicate is skipped
    assert run.stdout.splitlines()[-1] == f"{len(expected)} problems in 1 file; {entries} entries"
    # the deliberately undated entry and the good one are not mentioned
    assert "'inpress'" not in run.stdout and "'good' has" not in run.stdout
    assert "Traceback" not in run.stderr


def test_check_function_gives_the_problems(broken: Path) -> None:
    bib = str(broken / "refs.bib")
    result = check([bib], srcdir=str(broken))
    assert sorted((p.source.line, p.subtype, p.message) for p in result.problems) == sorted(
        EXPECTED
    )
    assert all(p.source.path == bib for p in result.problems)
    assert [p.source.line for p in result.problems] == sorted(
        p.source.line for p in result.problems
    )
    assert result.entries == entries_in(BROKEN) - 1
    assert result.unreadable == ()
    assert summary(result) == f"{len(EXPECTED)} problems in 1 file; {result.entries} entries"
    # deterministic: the same answer twice
    assert check([bib], srcdir=str(broken)) == result


def test_same_lines_as_the_sphinx_build(make_app, broken: Path) -> None:
    app = make_app("html", srcdir=broken)
    app.build()
    built = {line.replace(" WARNING: ", " ", 1) for line in warnings_of(app)}
    bib = os.path.join(str(app.srcdir), "refs.bib")
    checked = {line_of(problem) for problem in check([bib], srcdir=str(app.srcdir)).problems}
    assert checked == built
    assert len(checked) == len(EXPECTED)
    # and the command prints them, given the same path
    run = cli("check", bib, "--srcdir", str(app.srcdir))
    assert set(problem_lines(run)) == built


def test_quiet_prints_only_the_summary(broken: Path) -> None:
    run = cli("check", "--quiet", "refs.bib", cwd=broken)
    full = cli("check", "refs.bib", cwd=broken)
    assert run.returncode == full.returncode == 1
    assert run.stdout.splitlines() == full.stdout.splitlines()[-1:]
    assert run.stdout.startswith(f"{len(EXPECTED)} problems in 1 file; ")


def test_json_format(broken: Path) -> None:
    run = cli("check", "--format", "json", "refs.bib", cwd=broken)
    assert run.returncode == 1
    items = json.loads(run.stdout)
    assert [set(item) for item in items] == [{"file", "line", "message", "subtype"}] * len(items)
    assert sorted((i["line"], i["subtype"], i["message"]) for i in items) == sorted(
        (line, f"pubs.{sub}", message) for line, sub, message in EXPECTED
    )
    assert {item["file"] for item in items} == {"refs.bib"}
    # the summary is on stderr, so stdout stays valid JSON
    assert run.stderr.strip().endswith(" entries") and " problems in 1 file; " in run.stderr
    # and it is the text report, field by field
    text = cli("check", "refs.bib", cwd=broken)
    assert [
        f"{i['file']}:{i['line']}: {i['message']} [{i['subtype']}]" for i in items
    ] == problem_lines(text)
    clean = cli("check", "--format", "json", "--quiet", str(SEED))
    assert (clean.returncode, json.loads(clean.stdout), clean.stderr) == (0, [], "")


def test_suppress_like_suppress_warnings(broken: Path) -> None:
    run = cli("check", "--suppress", "pubs.link", "--suppress", "latex", "refs.bib", cwd=broken)
    subtypes = {line.rsplit("[", 1)[1] for line in problem_lines(run)}
    assert subtypes == {"pubs.syntax]", "pubs.duplicate]", "pubs.entry]"}
    assert run.returncode == 1
    everything = cli("check", "--suppress", "pubs", "refs.bib", cwd=broken)
    assert everything.returncode == 0 and everything.stdout.endswith(", no problems\n")


# -- several files ---------------------------------------------------------------------
def test_macros_carry_over_to_later_files(tmp_path: Path) -> None:
    (tmp_path / "strings.bib").write_text("@string{stoc = {Proc. of STOC}}\n", encoding="utf-8")
    (tmp_path / "papers.bib").write_text(
        "@inproceedings{p1,\n  title = {P1},\n  booktitle = STOC,\n  year = 2020,\n}\n",
        encoding="utf-8",
    )
    run = cli("check", "strings.bib", "papers.bib", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "1 entry, no problems\n")
    message = (
        "entry 'p1': BibTeX syntax error: undefined @string macro 'STOC', read as the text 'STOC'"
    )
    for args in (["papers.bib"], ["papers.bib", "strings.bib"]):  # alone, or too late
        run = cli("check", *args, cwd=tmp_path)
        assert run.returncode == 1
        assert problem_lines(run) == [f"papers.bib:3: {message} [pubs.syntax]"]


def test_duplicate_keys_across_files_first_wins(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@article{same, title = {A}, year = 2020}\n", "utf-8")
    (tmp_path / "b.bib").write_text("\n\n@article{same, title = {B}, year = 2021}\n", "utf-8")
    run = cli("check", "a.bib", "b.bib", cwd=tmp_path)
    assert run.returncode == 1
    assert problem_lines(run) == [
        "b.bib:3: duplicate key 'same' (first defined at a.bib:1); this entry is skipped "
        "[pubs.duplicate]"
    ]
    assert run.stdout.splitlines()[-1] == "1 problem in 1 file; 1 entry"
    run = cli("check", "b.bib", "a.bib", cwd=tmp_path)
    assert problem_lines(run) == [
        "a.bib:1: duplicate key 'same' (first defined at b.bib:3); this entry is skipped "
        "[pubs.duplicate]"
    ]
    # one file given twice is read once: no duplicates
    run = cli("check", "a.bib", "a.bib", "./a.bib", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "1 entry, no problems\n")


def test_crossref_parent_in_another_file(tmp_path: Path) -> None:
    (tmp_path / "talks.bib").write_text(
        "@inproceedings{child,\n  title = {Child},\n  crossref = {conf2020},\n}\n", "utf-8"
    )
    (tmp_path / "procs.bib").write_text(
        "@proceedings{conf2020,\n  title = {Conference 2020},\n  year = 2020,\n}\n", "utf-8"
    )
    run = cli("check", "talks.bib", "procs.bib", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "2 entries, no problems\n")
    run = cli("check", "talks.bib", cwd=tmp_path)
    assert run.returncode == 1
    assert problem_lines(run) == [
        "talks.bib:1: entry 'child': crossref 'conf2020' not found [pubs.entry]",
        "talks.bib:1: entry 'child' has no year, nor has its crossref parent; listed with "
        "the undated entries [pubs.entry]",
    ]


def test_files_sorted_in_the_order_given(tmp_path: Path) -> None:
    (tmp_path / "z.bib").write_text("@article{z1, year = 2020}\n", "utf-8")
    (tmp_path / "a.bib").write_text("\n@article{a1, title = {A}}\n", "utf-8")
    run = cli("check", "z.bib", "a.bib", cwd=tmp_path)
    assert [line.split(":")[0] for line in problem_lines(run)] == ["z.bib", "a.bib"]
    assert run.stdout.splitlines()[-1] == "2 problems in 2 files; 2 entries"


# -- options ---------------------------------------------------------------------------
def test_srcdir(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "site",
        {
            "refs.bib": "@article{a,\n  title = {A},\n  year = 2020,\n  pdf = {/files/a.pdf},\n}\n",
            "files/a.pdf": b"%PDF",
        },
    )
    bib = str(project / "refs.bib")
    # /-paths are relative to the source folder
    assert cli("check", bib, "--srcdir", str(project), cwd=tmp_path).returncode == 0
    run = cli("check", bib, "--srcdir", str(project / "files"), cwd=tmp_path)
    assert problem_lines(run) == [
        f"{bib}:4: entry 'a', field 'pdf': file '/files/a.pdf' not found (looked in the "
        "source folder) [pubs.link]"
    ]
    # the default is the current folder
    assert cli("check", "refs.bib", cwd=project).returncode == 0
    run = cli("check", bib, cwd=tmp_path)
    assert run.returncode == 1 and "file '/files/a.pdf' not found" in run.stdout
    # a file next to the .bib, but outside the source folder
    (tmp_path / "secret.pdf").write_bytes(b"%PDF")
    (project / "leak.bib").write_text("@misc{l, title = {L}, year = 2001, pdf = {../secret.pdf}}\n")
    run = cli("check", "leak.bib", cwd=project)
    assert problem_lines(run) == [
        "leak.bib:1: entry 'l', field 'pdf': '../secret.pdf' is outside the project; "
        "not copied [pubs.link]"
    ]


def test_link_field_option(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(
        "@misc{m, title = {M}, year = 2020, talk = {javascript:alert(1)}, data = {d.csv}}\n",
        "utf-8",
    )
    assert cli("check", "refs.bib", cwd=tmp_path).returncode == 0  # not link fields
    run = cli(
        "check", "refs.bib", "--link-field", "Talk=Talk", "--link-field", "data=Data", cwd=tmp_path
    )
    assert run.returncode == 1
    assert problem_lines(run) == [
        "refs.bib:1: entry 'm', field 'talk': link 'javascript:alert(1)' dropped (only "
        "http, https and mailto links are allowed) [pubs.link]",
        "refs.bib:1: entry 'm', field 'data': file 'd.csv' not found (looked in the source "
        "folder) [pubs.link]",
    ]


def test_encoding_option(tmp_path: Path) -> None:
    (tmp_path / "latin.bib").write_bytes(
        "@misc{m,\n  title = {Café},\n  year = 2020,\n}\n".encode("latin-1")
    )
    run = cli("check", "latin.bib", cwd=tmp_path)
    assert run.returncode == 1
    assert problem_lines(run) == [
        "latin.bib:2: not valid utf-8; read as Latin-1 instead (set pubs_bib_encoding to "
        "the file's encoding) [pubs.encoding]"
    ]
    run = cli("check", "--encoding", "latin-1", "latin.bib", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "1 entry, no problems\n")


# -- usage and hostile input -------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        [],
        ["check"],
        ["nosuchcommand", "x.bib"],
        ["check", "--format", "xml", "x.bib"],
        ["check", "--link-field", "nolabel", "x.bib"],
        ["check", "--link-field", "=Label", "x.bib"],
        ["check", "--encoding", "no-such-codec", "x.bib"],
        ["check", "--srcdir", "/no/such/folder", "x.bib"],
        ["check", "--no-such-option", "x.bib"],
    ],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    run = cli(*args, cwd=tmp_path)
    assert run.returncode == 2
    assert "usage:" in run.stderr
    assert "Traceback" not in run.stderr


def test_no_subcommand_prints_help() -> None:
    run = cli()
    assert run.returncode == 2
    assert "check" in run.stderr and "COMMAND" in run.stderr
    helped = cli("check", "--help")
    assert helped.returncode == 0 and "--srcdir" in helped.stdout


def test_nonexistent_file(tmp_path: Path) -> None:
    run = cli("check", "missing.bib", cwd=tmp_path)
    assert run.returncode == 2  # nothing could be read
    assert run.stdout.splitlines() == [
        "missing.bib: bibliography file not found [pubs.bibfile]",
        "1 problem in 1 file; 0 entries",
    ]
    # beside a readable file it is one more problem
    (tmp_path / "ok.bib").write_text("@misc{a, title = {A}, year = 2020}\n", "utf-8")
    run = cli("check", "ok.bib", "missing.bib", cwd=tmp_path)
    assert run.returncode == 1
    assert problem_lines(run) == ["missing.bib: bibliography file not found [pubs.bibfile]"]


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "folder.bib").mkdir()
    run = cli("check", "folder.bib", cwd=tmp_path)
    assert run.returncode == 2
    assert problem_lines(run) == ["folder.bib: is a folder, not a bibliography file [pubs.bibfile]"]
    assert check([str(tmp_path / "folder.bib")]).unreadable == (str(tmp_path / "folder.bib"),)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.bib"
    path.write_text("@misc{a, title = {A}, year = 2020}\n", "utf-8")
    path.chmod(0)
    try:
        run = cli("check", "locked.bib", cwd=tmp_path)
    finally:
        path.chmod(0o644)
    assert run.returncode == 2
    assert problem_lines(run) == ["locked.bib: cannot read file: Permission denied [pubs.bibfile]"]


@pytest.mark.parametrize(
    "name, content",
    [
        ("binary.bib", bytes(range(256)) * 8),
        ("zeros.bib", b"\x00" * 1000),
        ("utf16.bib", "@misc{u, title = {Ü}, year = 2020}\n".encode("utf-16")),
        ("only-at.bib", b"@"),
        ("half.bib", b"@article{x, title = {unclosed"),
        ("refs.json", b'[{"id": "x", "type": "article-journal", "title": "T"'),
        ("list.json", b'{"not": "a list"}'),
        ("no-extension", b"@misc{a, title = {A}, year = 2020}\n"),
        ("deep.bib", b"@misc{d, title = {" + b"{" * 5000 + b"}" * 5000 + b"}, year = 1}\n"),
    ],
)
def test_hostile_input_never_a_traceback(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    for output in ("text", "json"):
        run = cli("check", "--format", output, name, cwd=tmp_path)
        assert run.returncode in (0, 1), run.stderr
        assert "Traceback" not in run.stderr
        if output == "json":
            assert isinstance(json.loads(run.stdout), list)
        else:
            assert re.search(r"entr(y|ies)(, no problems)?$", run.stdout.splitlines()[-1])
    # the command and the function agree
    result = check([str(tmp_path / name)])
    assert len(result.problems) == len(
        json.loads(cli("check", "--format", "json", str(tmp_path / name)).stdout)
    )


def test_control_characters_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "esc.bib").write_bytes(b"@misc{a\x1b[31mb, title = {T\x07}}\n")
    run = cli("check", "esc.bib", cwd=tmp_path)
    assert run.returncode == 1
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert "entry 'a\\x1b[31mb' has no year" in run.stdout
    items = json.loads(cli("check", "--format", "json", "esc.bib", cwd=tmp_path).stdout)
    assert any("\\x1b" in item["message"] for item in items)


def test_line_of_a_whole_file_problem() -> None:
    problem = Problem(Source("x.bib"), "bibliography file not found", "bibfile")
    assert line_of(problem) == "x.bib: bibliography file not found [pubs.bibfile]"
    assert line_of(Problem(Source("x.bib", 4), "m\x07", "entry")) == "x.bib:4: m\\x07 [pubs.entry]"


def test_console_script_is_declared() -> None:
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'sphinx-pubs = "sphinx_pubs.__main__:main"' in pyproject


# -- CSL-JSON: the reader is chosen by the build, not by the command ---------------------
CSL = """[
  {"id": "ok", "type": "article-journal", "title": "Fine", "issued": {"date-parts": [[2020]]}},
  {"id": "cslnotitle", "type": "article-journal", "issued": {"date-parts": [[2020]]}},
  {"id": "csldoi", "type": "article-journal", "title": "Bad DOI", "DOI": "not-a-doi",
   "issued": {"date-parts": [[2021]]}},
  {"id": "good", "type": "book", "title": "Also in the BibTeX file",
   "issued": {"date-parts": [[2019]]}}
]
"""


def test_csl_json_seed_twin_has_no_problems() -> None:
    twin = Path(__file__).parent / "roots" / "test-csl" / "seed-publications.json"
    run = cli("check", twin.name, cwd=twin.parent)
    count = entries_in(SEED.read_text(encoding="utf-8"))  # the same entries as the .bib
    assert (run.returncode, run.stdout) == (0, f"{count} entries, no problems\n")


def test_csl_and_bibtex_in_one_list_same_lines_as_the_build(make_app, broken: Path) -> None:
    (broken / "refs.json").write_text(CSL, encoding="utf-8")
    (broken / "index.rst").write_text(
        "Publications\n============\n\n.. publications:: refs.bib refs.json\n", "utf-8"
    )
    app = make_app("html", srcdir=broken)
    app.build()
    built = {line.replace(" WARNING: ", " ", 1) for line in warnings_of(app)}
    paths = [os.path.join(str(app.srcdir), name) for name in ("refs.bib", "refs.json")]
    result = check(paths, srcdir=str(app.srcdir))
    assert {line_of(problem) for problem in result.problems} == built
    json_lines = [p.source.line for p in result.problems if p.source.path == paths[1]]
    assert json_lines == [3, 4, 6]  # no title, bad DOI, key 'good' already in refs.bib
    # refs.bib's problems come first, as the files were given
    assert [p.source.path for p in result.problems] == sorted(
        (p.source.path for p in result.problems), key=paths.index
    )


def test_a_subtype_member_is_named_by_its_value():
    # f"{member}" is "Subtype.KEY" from Python 3.12: the report names the value
    problem = Problem(Source("refs.bib", 3), "a message", Subtype.KEY)
    assert line_of(problem) == "refs.bib:3: a message [pubs.key]"
    assert json.loads(as_json([problem]))[0]["subtype"] == "pubs.key"

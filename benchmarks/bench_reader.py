"""Reader benchmark: sphinx-pubs's BibTeX reader against ``pybtex.database.parse_file``.

Run from the repository root::

    python benchmarks/bench_reader.py                      # generated 10,000 entries + corpus files
    python benchmarks/bench_reader.py --runs 5 path/to/file.bib ...

For each file it prints the best of ``--runs`` processor times of pybtex's ``parse_file``
(non-strict), of the scan alone (:func:`sphinx_pubs.sources.scanner.scan`, when present)
and of the whole reader (:func:`sphinx_pubs.sources.parse_bytes`: decoding, scanning,
names, LaTeX, dates), and the ratio pybtex / reader.  Nothing here is a test: timings
depend on the machine (processor time is used because this machine is shared: the
wall time of a busy machine says more about the others than about the code).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import WORK, generate  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
DEFAULT_FILES = [
    CORPUS / "pybtex-tugboat.bib",
    CORPUS / "zotero-better-bibtex-Unabbreviate on import #1436-3.bib",
]


def best(runs: int, call) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    import pybtex.errors
    from pybtex.database import parse_file

    from sphinx_pubs.sources import parse_bytes

    try:
        from sphinx_pubs.sources.scanner import scan
    except ImportError:  # before the reader had a scanner of its own
        scan = None

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    files = args.files
    if not files:
        WORK.mkdir(parents=True, exist_ok=True)
        generated = WORK / f"reader-{args.entries}.bib"
        generate(generated, args.entries, abstracts=True)
        files = [generated, *DEFAULT_FILES]
    pybtex.errors.set_strict_mode(False)
    print(f"{'file':<48} {'KB':>7} {'pybtex':>8} {'scan':>8} {'reader':>8} {'pybtex/reader':>13}")
    for path in files:
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        theirs = best(args.runs, lambda p=str(path): parse_file(p))
        scanned = best(args.runs, lambda t=text: scan(t)) if scan else float("nan")
        ours = best(args.runs, lambda p=str(path), d=data: parse_bytes(p, d, "utf-8"))
        print(
            f"{path.name[:48]:<48} {len(data) / 1024:>7.0f} {theirs:>7.3f}s "
            f"{scanned:>7.3f}s {ours:>7.3f}s {theirs / ours:>12.2f}x"
        )


if __name__ == "__main__":
    main()

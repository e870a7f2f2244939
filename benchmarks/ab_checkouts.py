"""CPU time of extract + JSON at other commits beside this checkout, rounds alternating.

    python benchmarks/ab_checkouts.py REV [REV ...] [--rounds 5] [CORPUS_DIR]

Each REV is checked out in a temporary git worktree and imported from there
(``PYTHONPATH``, interpreted: old commits have no build step); this checkout runs as
installed (compiled when built so) and, as a last column, with ``EXTRACTOR_COMPILED=0``.
Each round runs every one of them once, in turn, in a fresh process: a warm-up pass over
the pages, then the best of two timed passes of ``extract(text).to_json()``.  The minimum
over the rounds is printed with its ratio to the first REV, so that a before/after is read
from one sitting of a noisy machine.  CORPUS_DIR defaults to ../shared/corpus/wikitext/en.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "wikitext" / "en"
CHILD = """
import sys, time
from pathlib import Path
from extractor import extract
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.wiki"))]
for text in texts:
    extract(text).to_json()
best = float("inf")
for _ in range(2):
    start = time.process_time()
    for text in texts:
        extract(text).to_json()
    best = min(best, time.process_time() - start)
print(best)
"""


def _seconds(corpus: Path, env: dict[str, str]) -> float:
    """One round of one checkout, in a fresh process (run from /tmp: no checkout on the
    path but the one asked for)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus)],
        env={**os.environ, **env},
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.split()[-1])


def main() -> None:
    """Check the revisions out, run the rounds, print the table, remove the worktrees."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revs", nargs="+", metavar="REV")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        runs: list[tuple[str, dict[str, str]]] = []
        try:
            for rev in args.revs:
                tree = Path(scratch) / rev.replace("/", "_")
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), rev],
                    check=True,
                )
                runs.append((rev, {"PYTHONPATH": str(tree)}))
            build = subprocess.run(
                [sys.executable, "-m", "extractor", "--version"], capture_output=True, text=True
            ).stdout.strip()
            runs.append((f"this checkout {build[build.find('(') :]}", {}))
            runs.append(("this checkout, EXTRACTOR_COMPILED=0", {"EXTRACTOR_COMPILED": "0"}))
            best = {name: float("inf") for name, _ in runs}
            for _ in range(args.rounds):
                for name, env in runs:
                    best[name] = min(best[name], _seconds(args.corpus, env))
        finally:
            for rev in args.revs:
                tree = Path(scratch) / rev.replace("/", "_")
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                    capture_output=True,
                )
    first = best[args.revs[0]]
    print(f"extract + JSON over {args.corpus}, min of {args.rounds} alternating rounds:")
    for name, seconds in best.items():
        print(f"  {name:50s} {seconds:7.3f} s  {seconds / first - 1:+6.1%} on {args.revs[0]}")


if __name__ == "__main__":
    main()

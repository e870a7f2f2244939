"""Throughput of ``extractor dump`` on a >= 30 MB multistream dump, beside its baselines and peers.

    python benchmarks/bench_dump.py [--mb 32] [--workdir benchmarks/_work] [--jobs 1 2]
                                    [--peers NAME ...]

Builds (or reuses) the dump of ``make_dump.py`` and measures, in one run:

- bz2 decompression alone of the multistream file (stdlib ``bz2``; ``indexed_bzip2`` with
  ``parallelization=1`` too if importable);
- mwparserfromhell alone on the texts of the same pages: its C tokenizer (what the
  extractor's parse stage runs on; the ceiling of any pipeline built on it), ``parse`` (the
  full node tree) and ``parse(skip_style_tags=True)``;
- the peer tools that are installed (``--peers`` picks them; default: every installed one but
  wikiciteparser, which is slow); one not installed is skipped with a one-line note:

  - ``wikiextractor``: WikiExtractor (plain text), ``python -m wikiextractor.WikiExtractor DUMP
    -o DIR --processes 1 -q`` on the multistream file as a subprocess, its default options
    otherwise (so with its template pre-pass over the dump); CPU of the process tree (its
    reader, its one extract process and its reduce process);
  - ``wikitextparser``: ``parse(text)``, then ``.templates`` and ``.sections``, in-process over
    the page texts;
  - ``wtf_wikipedia``: ``peers/wtf_bench.js`` under node: ``wtf(text)``, then ``.json()``, each
    of ``.references()`` as ``.json()`` (the raw citation parameters) and ``.categories()``,
    over the page texts, which it reads from ``WORKDIR/bench-peers-texts.jsonl`` (written by
    this script, one JSON string a line); CPU of the node process, start-up and reading
    included (the parse loop alone is in the JSON summary as ``loop_cpu_s``);
  - ``wikiciteparser``: ``mwparserfromhell.parse(text)``, then ``parse_citation_template`` on
    each template (what its ``bulk`` module does: citations only, through the CS1 Lua module),
    in-process over the page texts;

- ``python -m extractor dump DUMP -o OUT.jsonl -j N -q --stats STATS.json`` for each N, as a
  subprocess: wall seconds, CPU seconds of the process tree (``RUSAGE_CHILDREN`` deltas), peak
  RSS of the parent and of each worker (``VmHWM``, polled every 50 ms), and whether the outputs
  of all N are byte-identical.

Then: the ceiling of our design, 1 / (1 / bz2 + 1 / tokenizer) in XML MB/CPU-s (stdlib bz2 and
the tokenizer alone, both measured above), each run's share of it, and the ratio of each run to
every other step (column "-j 1 / this" of the table: ``extractor dump -j 1`` XML MB/CPU-s over
the step's).

Installing the peers (none is a dependency of the project; each is optional):

- ``pip install wikiextractor wikitextparser`` (and ``pip install wikiciteparser``) into the
  environment that runs this script: they are imported from, or run with, ``sys.executable``.
  WikiExtractor 3.0.6 and older fail to import on Python >= 3.11 (a regex flag); use >= 3.0.7.
- ``npm install`` in ``benchmarks/peers/`` (its ``package.json`` names ``wtf_wikipedia`` 10.x),
  i.e. ``(cd benchmarks/peers && npm install)``; needs ``node`` on ``PATH``.

Units: MB = 10^6 bytes; RSS in MiB.  "XML MB" counts the uncompressed XML of the dump, "text
MB" the UTF-8 page texts in it.  "per CPU-s" divides by user + system CPU seconds of every
process doing the work, i.e. it is the speed per core; "per wall-s" divides by elapsed time.
The steps that only see page texts (mwparserfromhell, wikitextparser, wtf_wikipedia,
wikiciteparser) get the XML-equivalent rate: text MB/CPU-s x (XML bytes / text bytes).  Ends
with a table and a one-line JSON summary.  Exits 2 if ``extractor dump`` is not available (the
baselines and peers are still printed), 1 if a run (ours or a peer's) failed.
"""

from __future__ import annotations

import argparse
import bz2
import functools
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mwparserfromhell
from make_dump import DEFAULT_MB, DEFAULT_OUTDIR, MB, DumpFiles, build_dump, dump_pages
from mwparserfromhell.parser._tokenizer import CTokenizer

MIB = 1 << 20
POLL = 0.05
_HELPERS = ("resource_tracker", "forkserver", "semaphore_tracker")


@dataclass
class Row:
    """One measured step: what it consumed and what it cost."""

    name: str
    cpu: float
    wall: float
    xml_bytes: float
    text_bytes: float
    xml_equivalent: bool = False
    others: float | None = None
    rss_parent: float | None = None
    rss_worker: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def xml_per_cpu(self) -> float:
        """XML MB per CPU-second."""
        return self.xml_bytes / MB / self.cpu

    @property
    def xml_per_wall(self) -> float:
        """XML MB per wall-second."""
        return self.xml_bytes / MB / self.wall

    @property
    def text_per_cpu(self) -> float | None:
        """Page-text MB per CPU-second (None when the step does not see texts alone)."""
        return self.text_bytes / MB / self.cpu if self.text_bytes else None

    def summary(self) -> dict[str, Any]:
        """Figures for the JSON summary, rounded."""
        out: dict[str, Any] = {
            "cpu_s": round(self.cpu, 3),
            "wall_s": round(self.wall, 3),
            "xml_mb_per_cpu_s": round(self.xml_per_cpu, 3),
            "xml_mb_per_wall_s": round(self.xml_per_wall, 3),
            "cores_used": round(self.cpu / self.wall, 2),
        }
        if self.text_per_cpu is not None:
            out["text_mb_per_cpu_s"] = round(self.text_per_cpu, 3)
        if self.xml_equivalent:
            out["xml_is_equivalent"] = True
        if self.others is not None:
            out["other_load_cores"] = round(self.others, 2)
        if self.rss_parent is not None:
            out["peak_rss_parent_mib"] = round(self.rss_parent, 1)
            out["peak_rss_worker_mib"] = (
                None if self.rss_worker is None else round(self.rss_worker, 1)
            )
        return out | self.extra


def machine_busy() -> float | None:
    """CPU seconds all processes on the machine have used since boot (``/proc/stat``)."""
    try:
        with open("/proc/stat", "rb") as f:
            fields = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class Clock:
    """Wall time, and how many cores *other* processes kept busy meanwhile."""

    def __init__(self) -> None:
        self.wall0 = time.perf_counter()
        self.busy0 = machine_busy()
        self.wall = 0.0
        self.others: float | None = None

    def stop(self, own_cpu: float) -> float:
        """Stop; ``own_cpu`` is the CPU seconds of the measured work.  Returns wall seconds."""
        self.wall = time.perf_counter() - self.wall0
        busy = machine_busy()
        if busy is not None and self.busy0 is not None and self.wall > 0:
            self.others = max(0.0, (busy - self.busy0 - own_cpu) / self.wall)
        return self.wall


def timed(work: Callable[[], object]) -> tuple[float, Clock]:
    """(CPU seconds of this process, stopped clock) of ``work()``."""
    clock, cpu = Clock(), time.process_time()
    work()
    cpu = time.process_time() - cpu
    clock.stop(cpu)
    return cpu, clock


def _read_all(open_file: Callable[[], Any]) -> int:
    size = 0
    with open_file() as f:
        while chunk := f.read(MIB):
            size += len(chunk)
    return size


def bench_bz2(dump: DumpFiles) -> list[Row]:
    """Decompress the multistream file alone, with each available bz2 decoder."""
    decoders: list[tuple[str, Callable[[], Any]]] = [
        ("bz2 decompress (stdlib)", functools.partial(bz2.open, dump.multistream, "rb"))
    ]
    try:
        import indexed_bzip2  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        decoders.append(
            (
                "bz2 decompress (indexed_bzip2, 1 thread)",
                lambda: indexed_bzip2.open(str(dump.multistream), parallelization=1),
            )
        )
    rows = []
    for name, opener in decoders:
        clock, cpu = Clock(), time.process_time()
        size = _read_all(opener)
        cpu = time.process_time() - cpu
        clock.stop(cpu)
        if size != dump.xml_bytes:
            raise SystemExit(f"{name}: {size} bytes out, expected {dump.xml_bytes}")
        rows.append(Row(name, cpu, clock.wall, dump.xml_bytes, 0, others=clock.others))
    return rows


def page_texts(dump: DumpFiles, mb: float) -> list[str]:
    """The texts of the dump's pages, in order (checked against the dump's stamp)."""
    texts = [page.text for page in dump_pages(round(mb * MB))]
    text_bytes = sum(len(t.encode("utf-8")) for t in texts)
    if text_bytes != dump.text_bytes or len(texts) != dump.pages:
        raise SystemExit("make_dump.dump_pages disagrees with the dump's stamp; rebuild it")
    return texts


def bench_texts(
    dump: DumpFiles, texts: list[str], steps: list[tuple[str, Callable[[str], object]]]
) -> list[Row]:
    """Run each ``(name, work)`` step in-process on every page text; XML-equivalent rates."""
    # XML-equivalent bytes: text bytes x (XML bytes / text bytes), i.e. the dump's XML bytes.
    text_bytes, xml_equivalent = dump.text_bytes, dump.xml_bytes
    rows = []
    for name, work in steps:

        def run(work: Callable[[str], object] = work) -> None:
            for text in texts:
                work(text)

        cpu, clock = timed(run)
        rows.append(
            Row(
                name,
                cpu,
                clock.wall,
                xml_equivalent,
                text_bytes,
                xml_equivalent=True,
                others=clock.others,
            )
        )
    return rows


def bench_mwp(dump: DumpFiles, texts: list[str]) -> list[Row]:
    """mwparserfromhell alone over the texts of the dump's pages: its C tokenizer, and
    ``parse`` (the full node tree) without and with ``skip_style_tags``."""
    steps: list[tuple[str, Callable[[str], object]]] = [
        ("mwparserfromhell tokenizer alone", lambda t: CTokenizer().tokenize(t, 0, True)),
        ("mwparserfromhell.parse", mwparserfromhell.parse),
        (
            "mwparserfromhell.parse, skip_style_tags",
            functools.partial(mwparserfromhell.parse, skip_style_tags=True),
        ),
    ]
    return bench_texts(dump, texts, steps)


# --- process tree sampling -----------------------------------------------------------------


def _status_kib(pid: int, key: str) -> int | None:
    """A ``kB`` field of ``/proc/PID/status`` (``VmHWM``, ``VmRSS``), if readable."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(key.encode() + b":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _proc_descendants(root: int) -> list[int]:
    """Descendants of ``root`` by scanning ``/proc/*/stat`` for parent ids."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
            ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for kid in children.get(todo.pop(), []):
            found.append(kid)
            todo.append(kid)
    return found


class TreeSampler:
    """Peak RSS of a process and of each of its descendants, sampled on demand.

    Uses psutil to list the tree if it is installed, else ``/proc``; the peak is the kernel's
    high-water mark ``VmHWM`` where readable (so a peak between two samples is not missed),
    else the largest RSS seen.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_kib: dict[int, int] = {}
        self.helper: dict[int, bool] = {}
        try:
            import psutil  # type: ignore[import-untyped]
        except ImportError:
            self._psutil: Any = None
        else:
            self._psutil = psutil

    def _tree(self) -> Iterable[tuple[int, int | None]]:
        """(pid, RSS KiB or None) of the root and its descendants."""
        if self._psutil is None:
            yield self.root, None
            for pid in _proc_descendants(self.root):
                yield pid, None
            return
        psutil = self._psutil
        try:
            root = psutil.Process(self.root)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        for proc in procs:
            try:
                yield proc.pid, proc.memory_info().rss // 1024
            except psutil.Error:
                continue

    def sample(self) -> None:
        """Record the current peaks."""
        for pid, rss in self._tree():
            kib = _status_kib(pid, "VmHWM") or rss or _status_kib(pid, "VmRSS")
            if kib is None:
                continue
            self.peak_kib[pid] = max(self.peak_kib.get(pid, 0), kib)
            if pid not in self.helper and pid != self.root:
                self.helper[pid] = any(h in _cmdline(pid) for h in _HELPERS)

    def parent_mib(self) -> float | None:
        """Peak RSS of the root process."""
        kib = self.peak_kib.get(self.root)
        return None if kib is None else kib / 1024

    def workers(self) -> list[float]:
        """Peak RSS of each descendant that is not a multiprocessing helper, MiB."""
        return [kib / 1024 for pid, kib in self.peak_kib.items() if self.helper.get(pid) is False]


# --- extractor dump runs -------------------------------------------------------------------


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "extractor", "dump", *args]


def _build() -> str:
    """How ``extractor`` runs here (``--version``'s last words: compiled or interpreted)."""
    result = subprocess.run(
        [sys.executable, "-m", "extractor", "--version"], capture_output=True, text=True
    )
    line = result.stdout.strip()
    return line[line.find("(") :] if "(" in line else "extractor unavailable"


def dump_command_problem() -> str | None:
    """Why ``extractor dump`` cannot be run, or None if ``--help`` works."""
    result = subprocess.run(_command("--help"), capture_output=True, text=True, check=False)
    if result.returncode == 0:
        return None
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(MIB):
            h.update(chunk)
    return h.hexdigest()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Measured:
    """A finished subprocess: its process tree's CPU seconds, wall seconds, peaks, stdout."""

    cpu: float
    wall: float
    others: float | None
    sampler: TreeSampler
    stdout: bytes


def run_measured(
    cmd: list[str], capture_stdout: bool = False, env: dict[str, str] | None = None
) -> Measured:
    """Run ``cmd`` (with ``env`` added to the environment) and measure its process tree;
    raises RuntimeError on a non-zero exit."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        cpu0, own0, clock = _children_cpu(), time.process_time(), Clock()
        stdout = out if capture_stdout else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=err, env={**os.environ, **(env or {})})
        sampler = TreeSampler(proc.pid)
        while proc.poll() is None:
            sampler.sample()
            time.sleep(POLL)
        cpu = _children_cpu() - cpu0
        wall = clock.stop(cpu + time.process_time() - own0)  # the sampler is not "others"
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            raise RuntimeError(f"exit status {proc.returncode}: " + " | ".join(tail))
        out.seek(0)
        return Measured(cpu, wall, clock.others, sampler, out.read())


def run_dump(dump: DumpFiles, jobs: int, workdir: Path, interpreted: bool = False) -> Row:
    """Run ``extractor dump`` with ``-j jobs`` and measure it (``interpreted``: with
    ``EXTRACTOR_COMPILED=0``, every module interpreted); raises RuntimeError on failure."""
    tag = f"j{jobs}-interpreted" if interpreted else f"j{jobs}"
    out = workdir / f"bench-dump-{tag}.jsonl"
    stats = workdir / f"bench-dump-{tag}.stats.json"
    out.unlink(missing_ok=True)
    stats.unlink(missing_ok=True)
    cmd = _command(str(dump.multistream), "-o", str(out), "-j", str(jobs), "-q")
    cmd += ["--stats", str(stats)]
    measured = run_measured(cmd, env={"EXTRACTOR_COMPILED": "0"} if interpreted else None)
    cpu, wall, sampler = measured.cpu, measured.wall, measured.sampler
    if not out.is_file():
        raise RuntimeError(f"no output written to {out}")
    workers = sampler.workers()
    with out.open("rb") as f:
        records = sum(1 for _ in f)
    extra: dict[str, Any] = {
        "workers_seen": len(workers),
        "records": records,
        "output_bytes": out.stat().st_size,
        "output_sha256": _sha256(out),
    }
    try:
        loaded = json.loads(stats.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        extra["stats"] = None
    else:
        scalars = (str, int, float, bool, type(None))
        extra["stats"] = (
            {k: v for k, v in loaded.items() if isinstance(v, scalars)}
            if isinstance(loaded, dict)
            else None
        )
    return Row(
        f"extractor dump -j {jobs}" + (", interpreted" if interpreted else ""),
        cpu,
        wall,
        dump.xml_bytes,
        dump.text_bytes,
        rss_parent=sampler.parent_mib(),
        rss_worker=max(workers, default=None),
        others=measured.others,
        extra=extra,
    )


# --- peer tools ----------------------------------------------------------------------------

PEERS_DIR = Path(__file__).resolve().parent / "peers"
WTF_SCRIPT = PEERS_DIR / "wtf_bench.js"
#: Every peer, in the order they run; ``--peers`` without a choice runs the installed ones of
#: DEFAULT_PEERS.
PEERS = ("wikiextractor", "wikitextparser", "wtf_wikipedia", "wikiciteparser")
DEFAULT_PEERS = ("wikiextractor", "wikitextparser", "wtf_wikipedia")
INSTALL = {
    "wikiextractor": "pip install wikiextractor",
    "wikitextparser": "pip install wikitextparser",
    "wtf_wikipedia": "cd benchmarks/peers && npm install",
    "wikiciteparser": "pip install wikiciteparser",
}


def _dist_version(dist: str) -> str | None:
    """Installed version of a distribution of this interpreter's environment, or None."""
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def peer_version(peer: str) -> tuple[str | None, str | None]:
    """(version, None) if ``peer`` can run here, else (None, why not)."""
    if peer == "wtf_wikipedia":
        node = shutil.which("node")
        if node is None:
            return None, "node is not on PATH"
        if not (PEERS_DIR / "node_modules" / "wtf_wikipedia").is_dir():
            return None, f"not installed in {PEERS_DIR}"
        result = subprocess.run(
            [node, str(WTF_SCRIPT), "--version"], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            return None, f"does not run: {_last_line(result)}"
        node_version = subprocess.run(
            [node, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        return f"{result.stdout.strip()} (node {node_version})", None
    version = _dist_version(peer)
    if version is None:
        return None, f"not installed for {sys.executable}"
    module = "wikiextractor.WikiExtractor" if peer == "wikiextractor" else peer
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return None, f"{version} is installed but does not import: {_last_line(result)}"
    return version, None


def _dir_bytes(folder: Path) -> tuple[int, int]:
    """(number of files, their total size) under ``folder``."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def bench_wikiextractor(dump: DumpFiles, workdir: Path, version: str) -> Row:
    """WikiExtractor, one extract process, on the multistream file, as a subprocess."""
    out = workdir / "bench-wikiextractor"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "wikiextractor.WikiExtractor", str(dump.multistream)]
    cmd += ["-o", str(out), "--processes", "1", "-q"]
    measured = run_measured(cmd)
    files, size = _dir_bytes(out)
    with_doc = 0
    for path in out.rglob("*"):
        if path.is_file():
            with path.open("rb") as f:
                with_doc += sum(line.startswith(b"<doc ") for line in f)
    return Row(
        f"WikiExtractor {version}, 1 process: plain text",
        measured.cpu,
        measured.wall,
        dump.xml_bytes,
        dump.text_bytes,
        rss_parent=measured.sampler.parent_mib(),
        rss_worker=max(measured.sampler.workers(), default=None),
        others=measured.others,
        extra={
            "peer": "wikiextractor",
            "version": version,
            "command_options": cmd[4:],
            "docs": with_doc,
            "output_files": files,
            "output_bytes": size,
        },
    )


def bench_wikitextparser(dump: DumpFiles, texts: list[str], version: str) -> Row:
    """wikitextparser over the page texts: ``parse``, ``.templates``, ``.sections``."""
    import wikitextparser  # type: ignore[import-not-found]

    counts = {"templates": 0, "sections": 0}

    def work(text: str) -> None:
        parsed = wikitextparser.parse(text)
        counts["templates"] += len(parsed.templates)
        counts["sections"] += len(parsed.sections)

    (row,) = bench_texts(
        dump, texts, [(f"wikitextparser {version}: parse + templates + sections", work)]
    )
    row.extra = {"peer": "wikitextparser", "version": version, **counts}
    return row


def bench_wikiciteparser(dump: DumpFiles, texts: list[str], version: str) -> Row:
    """wikiciteparser over the page texts: the citation templates, as its ``bulk`` does."""
    from wikiciteparser.parser import parse_citation_template  # type: ignore[import-not-found]

    counts = {"templates": 0, "citations": 0}

    def work(text: str) -> None:
        for template in mwparserfromhell.parse(text).filter_templates():
            counts["templates"] += 1
            counts["citations"] += parse_citation_template(template) is not None

    (row,) = bench_texts(dump, texts, [(f"wikiciteparser {version}: citations (CS1 Lua)", work)])
    row.extra = {"peer": "wikiciteparser", "version": version, **counts}
    return row


def write_texts_jsonl(texts: list[str], workdir: Path) -> Path:
    """The page texts, one JSON string a line, for the node peer."""
    path = workdir / "bench-peers-texts.jsonl"
    temp = path.with_name(path.name + ".tmp")
    with temp.open("w", encoding="utf-8", newline="\n") as f:
        for text in texts:
            f.write(json.dumps(text, ensure_ascii=False))
            f.write("\n")
    os.replace(temp, path)
    return path


def bench_wtf(dump: DumpFiles, texts: list[str], workdir: Path, version: str) -> Row:
    """wtf_wikipedia under node over the page texts; CPU seconds of the node process."""
    jsonl = write_texts_jsonl(texts, workdir)
    node = shutil.which("node") or "node"
    measured = run_measured([node, str(WTF_SCRIPT), str(jsonl)], capture_stdout=True)
    try:
        report = json.loads(measured.stdout.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError) as exc:
        raise RuntimeError(f"unreadable report from {WTF_SCRIPT.name}: {exc}") from None
    if report.get("pages") != len(texts) or report.get("text_bytes") != dump.text_bytes:
        raise RuntimeError(
            f"{WTF_SCRIPT.name} saw {report.get('pages')} pages, {report.get('text_bytes')} "
            f"text bytes; expected {len(texts)}, {dump.text_bytes}"
        )
    return Row(
        f"wtf_wikipedia {version}: json + references + categories",
        measured.cpu,
        measured.wall,
        dump.xml_bytes,  # XML-equivalent: text bytes x (XML bytes / text bytes)
        dump.text_bytes,
        xml_equivalent=True,
        rss_parent=measured.sampler.parent_mib(),
        others=measured.others,
        extra={"peer": "wtf_wikipedia", "version": version}
        | {k: report.get(k) for k in ("references", "categories", "loop_cpu_s", "loop_wall_s")},
    )


def bench_peers(
    dump: DumpFiles, texts: list[str], workdir: Path, peers: Iterable[str]
) -> tuple[list[Row], dict[str, str], list[str]]:
    """(rows of the peers that ran, {peer: why skipped}, failures), in the order of PEERS."""
    rows: list[Row] = []
    skipped: dict[str, str] = {}
    failures: list[str] = []
    wanted = set(peers)
    for peer in PEERS:
        if peer not in wanted:
            continue
        version, problem = peer_version(peer)
        if version is None:
            skipped[peer] = f"{problem}; to run it: {INSTALL[peer]}"
            continue
        try:
            if peer == "wikiextractor":
                rows.append(bench_wikiextractor(dump, workdir, version))
            elif peer == "wikitextparser":
                rows.append(bench_wikitextparser(dump, texts, version))
            elif peer == "wtf_wikipedia":
                rows.append(bench_wtf(dump, texts, workdir, version))
            else:
                rows.append(bench_wikiciteparser(dump, texts, version))
        except Exception as exc:  # a peer's failure is reported, the others still run
            failures.append(f"peer {peer} failed: {type(exc).__name__}: {exc}")
    return rows, skipped, failures


# --- report --------------------------------------------------------------------------------


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_table(rows: list[Row], ours: Row | None) -> None:
    """Aligned table of every step; ``ours`` is the run the "-j 1 / this" column divides."""
    head = ("step", "CPU s", "wall s", "XML MB/CPU-s", "XML MB/wall-s", "text MB/CPU-s")
    head += ("cores used", "others' load", "RSS parent MiB", "RSS worker MiB")
    head += (f"-j {ours.name.split()[-1] if ours else 1} / this",)
    body = [
        (
            row.name,
            f"{row.cpu:.2f}",
            f"{row.wall:.2f}",
            f"{row.xml_per_cpu:.2f}" + ("*" if row.xml_equivalent else ""),
            f"{row.xml_per_wall:.2f}" + ("*" if row.xml_equivalent else ""),
            _fmt(row.text_per_cpu, ".2f"),
            f"{row.cpu / row.wall:.2f}",
            _fmt(row.others, ".2f"),
            _fmt(row.rss_parent, ".0f"),
            _fmt(row.rss_worker, ".0f"),
            "-" if ours is None else f"{ours.xml_per_cpu / row.xml_per_cpu:.3f}x",
        )
        for row in rows
    ]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    for r in [head, *body]:
        cells = [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        print("  ".join([r[0].ljust(widths[0]), *cells]))


def main(argv: list[str] | None = None) -> int:
    """Measure every step, print the table and the JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=DEFAULT_MB, help="MB (10^6 B) of XML")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_OUTDIR)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="-j values to run")
    parser.add_argument(
        "--peers",
        nargs="*",
        choices=[*PEERS, "all"],
        default=list(DEFAULT_PEERS),
        metavar="NAME",
        help=f"peer tools to run if installed, of {', '.join(PEERS)} or all; none without a "
        f"name (default: {' '.join(DEFAULT_PEERS)})",
    )
    parser.add_argument(
        "--interpreted",
        action="store_true",
        help="also run -j 1 with EXTRACTOR_COMPILED=0 (every module interpreted)",
    )
    args = parser.parse_args(argv)
    peers = PEERS if "all" in args.peers else tuple(args.peers)

    dump = build_dump(args.workdir, args.mb)
    sizes = dump.sizes()
    print(
        f"dump: {dump.multistream} ({'reused' if dump.reused else 'built'})\n"
        f"  {dump.pages} pages ({dump.redirects} redirects) in {dump.streams} bz2 streams; "
        f"XML {dump.xml_bytes / MB:.2f} MB, page text {dump.text_bytes / MB:.2f} MB, "
        f"multistream .bz2 {sizes['multistream'] / MB:.2f} MB\n"
        f"  {os.cpu_count()} CPUs, Python {platform.python_version()}, {_build()}; "
        "MB = 10^6 bytes, per CPU-s = per core"
    )
    texts = page_texts(dump, args.mb)
    rows = bench_bz2(dump)
    rows += bench_mwp(dump, texts)
    baselines = list(rows)

    peer_rows, skipped, failures = bench_peers(dump, texts, args.workdir, peers)
    rows += peer_rows
    for peer, note in skipped.items():
        print(f"peer {peer} skipped: {note}")

    problem = dump_command_problem()
    runs: list[Row] = []
    if problem is None:
        for jobs in args.jobs:
            try:
                runs.append(run_dump(dump, jobs, args.workdir))
            except RuntimeError as exc:
                failures.append(f"extractor dump -j {jobs} failed: {exc}")
        if args.interpreted:
            try:
                runs.append(run_dump(dump, 1, args.workdir, interpreted=True))
            except RuntimeError as exc:
                failures.append(f"extractor dump -j 1, interpreted, failed: {exc}")
    rows += runs
    ours = next((r for r in runs if r.name == "extractor dump -j 1"), runs[0] if runs else None)

    print()
    print_table(rows, ours)
    print(
        f"* XML-equivalent: text MB/CPU-s x {dump.xml_bytes / dump.text_bytes:.4f} "
        "(XML bytes / text bytes)\n"
        "cores used: CPU s / wall s of the step; others' load: cores kept busy by other "
        "processes meanwhile (/proc/stat).  Wall figures and the speed-up are only meaningful "
        "when others' load is near 0"
    )
    if ours is not None:
        print(f"-j N / this: XML MB/CPU-s of {ours.name} over the step's (> 1: we are faster)")
    by_name = {row.name: row for row in baselines}
    ceiling = 1 / (
        1 / by_name["bz2 decompress (stdlib)"].xml_per_cpu
        + 1 / by_name["mwparserfromhell tokenizer alone"].xml_per_cpu
    )
    print(
        f"ceiling of a pipeline that decompresses (stdlib bz2) and tokenizes every byte: "
        f"{ceiling:.2f} XML MB/CPU-s"
    )
    summary: dict[str, Any] = {
        "ceiling_xml_mb_per_cpu_s": round(ceiling, 3),
        "dump": {
            "pages": dump.pages,
            "redirects": dump.redirects,
            "streams": dump.streams,
            "xml_mb": round(dump.xml_bytes / MB, 3),
            "text_mb": round(dump.text_bytes / MB, 3),
            "bz2_mb": round(sizes["multistream"] / MB, 3),
        },
        "cpus": os.cpu_count(),
        "baselines": {row.name: row.summary() for row in baselines},
        "peers": {row.extra["peer"]: row.summary() | {"name": row.name} for row in peer_rows},
        "peers_skipped": skipped,
        "runs": {row.name: row.summary() for row in runs},
    }
    if runs:
        print()
        first = runs[0]
        for run in runs[1:]:
            if run.name.endswith("interpreted"):
                speedup = run.cpu / first.cpu
                summary["compiled_speedup_cpu_j1"] = round(speedup, 3)
                print(f"compiled over interpreted, -j 1 (CPU): {speedup:.2f}x")
                continue
            speedup = first.wall / run.wall
            summary[f"speedup_wall_{run.name.split()[-1]}_vs_{first.name.split()[-1]}"] = round(
                speedup, 3
            )
            print(f"speed-up of {run.name} over {first.name} (wall): {speedup:.2f}x")
        hashes = {run.extra["output_sha256"] for run in runs}
        identical = len(hashes) == 1
        summary["outputs_identical"] = identical
        names = ", ".join(f"{r.name}: {r.extra['output_sha256'][:12]}" for r in runs)
        print(f"outputs byte-identical: {'yes' if identical else 'NO'} (sha256 {names})")
        summary["ceiling_share"] = {}
        for run in runs:
            share = run.xml_per_cpu / ceiling
            summary["ceiling_share"][run.name] = round(share, 4)
            print(
                f"{run.name}: {run.xml_per_cpu:.2f} XML MB/CPU-s = {share:.1%} of the ceiling "
                f"({ceiling:.2f})"
            )
        summary["ratios"] = {}
        for run in runs:
            parts = []
            for base in baselines:
                ratio = run.xml_per_cpu / base.xml_per_cpu
                summary["ratios"][f"{run.name} / {base.name}"] = round(ratio, 4)
                parts.append(f"{ratio:.3f}x {base.name}")
            print(f"{run.name} XML MB/CPU-s = " + ", ".join(parts))
        if peer_rows:
            summary["peer_ratios"] = {}
            for run in runs:
                parts = []
                for peer in peer_rows:
                    ratio = run.xml_per_cpu / peer.xml_per_cpu
                    summary["peer_ratios"][f"{run.name} / {peer.extra['peer']}"] = round(ratio, 4)
                    parts.append(f"{ratio:.3f}x {peer.extra['peer']}")
                print(f"{run.name} XML MB/CPU-s vs peers = " + ", ".join(parts))
            fastest = max(peer_rows, key=lambda r: r.xml_per_cpu)
            summary["fastest_peer"] = fastest.extra["peer"]
            if ours is not None:
                print(
                    f"fastest peer per core: {fastest.name} ({fastest.xml_per_cpu:.2f} XML "
                    f"MB/CPU-s); {ours.name} is {ours.xml_per_cpu / fastest.xml_per_cpu:.3f}x it"
                )
    sys.stdout.flush()
    if problem is not None:
        failures.insert(0, f"extractor dump is not available ({problem}); dump runs skipped")
    for failure in failures:
        print(f"\nERROR: {failure}", file=sys.stderr)
    if failures:
        summary["error"] = "; ".join(failures)
    sys.stderr.flush()
    print()
    print(json.dumps(summary, separators=(",", ":")))
    return 2 if problem is not None else 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

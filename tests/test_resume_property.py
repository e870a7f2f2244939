"""The resume property: for any sources and options, a run interrupted after any unit and
then resumed, with whatever changed in between (the sources, the options, an input file,
the journal, the output), either ends with the bytes of a clean run of what it was resumed
with, or refuses in one line and leaves the output as it was."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import extractor.run.sinks
from extractor.errors import ExtractorError
from extractor.run.batch import Options
from extractor.run.runner import run_dump
from tests.strategies import dump_xml, sample_pages

PAGES = sample_pages(150, 300)
FILES = {
    "a.xml": dump_xml(PAGES[:100]),
    "b.xml": dump_xml(PAGES[100:150]),
    "c/one.wiki": b"One [[Category:C]] page.",
    "c/two.wiki": b"Two {{cite web|url=http://x.org|title=T}} page.",
}
SOURCES = ["a.xml", "b.xml", "c"]

runs = st.fixed_dictionaries(
    {
        "sources": st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3, unique=True),
        "redirects": st.booleans(),
        "namespaces": st.sampled_from([frozenset({0}), frozenset()]),
        "gzip": st.booleans(),
    }
)
changes = st.one_of(
    st.just(("none", 0)),
    st.tuples(st.just("run"), st.just(0)),
    st.tuples(st.sampled_from(["edit input", "journal cut", "journal flip", "output cut",
                               "output flip", "output garbage"]),
              st.integers(0, 1 << 30)),
)  # fmt: skip


class Interrupt(Exception):
    """Stands for a kill: raised by the sink before it writes a unit."""


def dump(folder: Path, run: dict[str, object], *, resume: bool = False) -> Path:
    """Run (or resume) ``run`` in ``folder``; its output's path."""
    out = folder / ("out.jsonl.gz" if run["gzip"] else "out.jsonl")
    sources = [str(folder / s) for s in run["sources"]]  # type: ignore[attr-defined]
    options = Options(redirects=bool(run["redirects"]), namespaces=run["namespaces"])  # type: ignore[arg-type]
    run_dump(sources, str(out), jobs=1, options=options, progress=False, resume=resume)
    return out


def change(folder: Path, out: Path, what: str, at: int) -> None:
    """Apply one change between the interruption and the resume."""
    journal = Path(f"{out}.journal")
    target = {"edit input": folder / "a.xml", "journal cut": journal, "journal flip": journal}
    path = target.get(what, out)
    if not path.exists():  # the run ended before the stop: no journal left
        return
    data = bytearray(path.read_bytes())
    if what == "output garbage":
        path.write_bytes(bytes(data) + b'{"torn')
    elif not data:
        return
    elif what.endswith("cut"):
        path.write_bytes(bytes(data[: at % len(data)]))
    else:  # a flipped byte, or an edited input
        data[at % len(data)] ^= 0x20
        path.write_bytes(bytes(data))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=runs, second=runs, stop=st.integers(0, 4), what=changes)
def test_resume_gives_the_clean_run_or_refuses(
    first: dict[str, object], second: dict[str, object], stop: int, what: tuple[str, int]
) -> None:
    """Interrupted after ``stop`` units, changed, resumed: clean bytes, or a refusal that
    leaves the output as it was."""
    kind, at = what
    resumed = second if kind == "run" else first
    with tempfile.TemporaryDirectory() as name, pytest.MonkeyPatch.context() as patch:
        folder = Path(name)
        for path, data in FILES.items():
            (folder / path).parent.mkdir(exist_ok=True)
            (folder / path).write_bytes(data)
        real = extractor.run.sinks.JsonlSink.write

        def write(self: extractor.run.sinks.JsonlSink, unit: int, *args: object) -> None:
            if unit == stop:
                raise Interrupt
            real(self, unit, *args)  # type: ignore[arg-type]

        patch.setattr(extractor.run.sinks.JsonlSink, "write", write)
        try:
            out = dump(folder, first)
        except Interrupt:
            out = folder / ("out.jsonl.gz" if first["gzip"] else "out.jsonl")
        patch.undo()
        if kind not in ("none", "run"):
            change(folder, out, kind, at)
        resumed_out = folder / ("out.jsonl.gz" if resumed["gzip"] else "out.jsonl")
        before = resumed_out.read_bytes() if resumed_out.exists() else None
        try:
            dump(folder, resumed, resume=True)
        except ExtractorError as exc:
            assert "\n" not in str(exc)
            assert before == (resumed_out.read_bytes() if resumed_out.exists() else None)
            return
        got = resumed_out.read_bytes()
        clean = folder / "clean"
        for path in FILES:  # as they are now (an input may have been edited)
            (clean / path).parent.mkdir(parents=True, exist_ok=True)
            (clean / path).write_bytes((folder / path).read_bytes())
        assert dump(clean, resumed).read_bytes() == got

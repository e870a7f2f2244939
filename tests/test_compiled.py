"""The compiled hot path: identical records, never stale, and the build CI asked for.

``setup.py`` compiles the modules it lists with Cython; ``extractor._compiled`` runs each one
compiled only when its ``.py`` is the source it was built from.  ``EXTRACTOR_COMPILED=0``
imports everything interpreted: the records must be byte-identical either way (and to the
``reference=True`` tree path, which ``test_fast_path`` checks).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from setuptools import Distribution

import extractor
from extractor import _compiled
from tests.paths import ROOT, SAMPLES, require_shared

CORPUS = require_shared() / "corpus"
#: What setup.py compiles, read from it (the one list).
LISTED = tuple(
    line.strip().strip('",')[: -len(".py")].replace("/", ".")
    for line in (ROOT / "setup.py").read_text().splitlines()
    if line.strip().startswith('"extractor/') and line.strip().endswith('.py",')
)
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _python(code: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=True,
    )
    return done.stdout + done.stderr


# --------------------------------------------------------------- the build CI asked for


def test_setup_lists_the_hot_path() -> None:
    """The compiled list is real modules of the package (the walk, CS1, claims, dates)."""
    assert "extractor.parse.walk_tokens" in LISTED and "extractor.facts.cs1" in LISTED
    for name in LISTED:
        assert (ROOT / (name.replace(".", "/") + ".py")).is_file(), name


@pytest.mark.skipif(
    not os.environ.get("EXTRACTOR_EXPECT_BUILD"), reason="CI sets EXTRACTOR_EXPECT_BUILD"
)
def test_the_build_is_the_one_ci_installed() -> None:
    """CI installs once compiled and once with EXTRACTOR_PURE=1: each run checks that it
    tests what it says (a compiler failing silently would test the interpreted path twice)."""
    expected = os.environ["EXTRACTOR_EXPECT_BUILD"]
    assert expected in ("compiled", "interpreted")
    manifest = json.loads((ROOT / "extractor" / "_compiled.json").read_text())
    if expected == "compiled":
        assert tuple(sorted(LISTED)) == extractor.compiled_modules()
        assert () == _compiled.stale_modules()
        assert sorted(LISTED) == sorted(manifest["compiled"])
    else:
        assert () == extractor.compiled_modules()
        assert {"compiled": {}, "why": "EXTRACTOR_PURE was set at install"} == manifest
        assert not list((ROOT / "extractor").glob(f"**/*{SUFFIX}"))


def test_version_says_how_the_package_runs() -> None:
    """``extractor --version`` ends with the build: compiled modules or why interpreted."""
    said = _compiled.build_summary()
    shown = subprocess.run(
        [sys.executable, "-m", "extractor", "--version"], capture_output=True, text=True
    ).stdout
    assert shown == f"extractor, version {extractor.__version__} ({said})\n"
    if extractor.compiled_modules():
        assert said == f"{len(extractor.compiled_modules())} modules compiled"
    else:
        assert said.startswith("interpreted")
    forced = _python(
        "import extractor._compiled as c; print(c.build_summary())", {"EXTRACTOR_COMPILED": "0"}
    )
    assert "interpreted (EXTRACTOR_COMPILED=0)\n" == forced


# ----------------------------------------------------------------- identical records


def _digests(paths: list[Path]) -> dict[str, str]:
    from extractor.sources import read_pages

    found = {}
    for path in paths:
        for number, page in enumerate(read_pages(path)):
            record = extractor.extract_page(page).to_json()
            found[f"{path.name}#{number}"] = hashlib.sha256(record).hexdigest()
    return found


PAGES = sorted([*(CORPUS / "wikitext").glob("*/*.wiki"), *SAMPLES.iterdir()])


def test_compiled_and_interpreted_records_are_byte_identical() -> None:
    """Every page of the shared corpus and the samples: the same record bytes in this
    process (compiled, when built so) as with every module interpreted."""
    here = _digests(PAGES)
    code = (
        "import json, sys; from pathlib import Path; import extractor;"
        " from tests.test_compiled import _digests, PAGES;"
        " assert extractor.compiled_modules() == ();"
        " print(json.dumps(_digests(PAGES)))"
    )
    there = json.loads(_python(code, {"EXTRACTOR_COMPILED": "0"}))
    assert len(here) > 150
    assert here == there


def test_compiled_and_interpreted_dumps_are_byte_identical(tmp_path: Path) -> None:
    """``extractor dump`` writes the same bytes compiled and interpreted (foreign dumps,
    tables, a multistream English sample)."""
    dumps = CORPUS / "dumps"
    chosen = [
        dumps / "extraction-framework__minidump_de_wiki.xml.bz2",
        dumps / "extraction-framework__minidump_ja_wiki.xml.bz2",
        dumps / "gensim__enwiki-table-markup.xml.bz2",
    ]
    outputs = []
    for mode in ("1", "0"):
        out = tmp_path / f"out-{mode}"
        out.mkdir()
        for dump in chosen:
            subprocess.run(
                [sys.executable, "-m", "extractor", "dump", str(dump), "-o",
                 str(out / (dump.name + ".jsonl")), "-j", "1", "-q"],
                env={**os.environ, "EXTRACTOR_COMPILED": mode}, check=True, cwd=tmp_path,
            )  # fmt: skip
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert len(outputs[0]) >= 3 and all(outputs[0].values())
    assert outputs[0] == outputs[1]


# ----------------------------------------------------------------------- never stale


SOURCE = b"VALUE = 'interpreted'\n"
FRESH = hashlib.sha256(SOURCE).hexdigest()


def _fake_package(
    tmp_path: Path, digest: str | None, built: str = f"mod{SUFFIX}"
) -> tuple[_compiled._Guard, Path]:
    """A package ``fakepkg`` with ``mod.py`` and a compiled file beside it (not loadable:
    only which spec the guard gives matters), and a manifest saying the build made
    ``built`` from a source of ``digest``."""
    package = tmp_path / "fakepkg"
    package.mkdir()
    (package / "mod.py").write_bytes(SOURCE)
    (package / f"mod{SUFFIX}").write_bytes(b"not a real extension")
    manifest = tmp_path / "_compiled.json"
    entry = {"file": built, "source_sha256": digest}
    manifest.write_text(json.dumps({"compiled": {} if digest is None else {"fakepkg.mod": entry}}))
    guard = _compiled._Guard("fakepkg", manifest)
    guard.disabled = False  # (whatever EXTRACTOR_COMPILED says for the whole run)
    return guard, package


def test_guard_lets_a_fresh_build_run_compiled(tmp_path: Path) -> None:
    guard, package = _fake_package(tmp_path, FRESH)
    assert guard.find_spec("fakepkg.mod", [str(package)]) is None  # the usual finders: .so
    assert () == tuple(guard.stale)


@pytest.mark.parametrize("digest", ["0" * 64, None], ids=["changed", "unlisted"])
def test_guard_imports_the_py_when_it_changed_since_the_build(
    tmp_path: Path, digest: str | None, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("EXTRACTOR_STALE_SAID", raising=False)
    guard, package = _fake_package(tmp_path, digest)
    spec = guard.find_spec("fakepkg.mod", [str(package)])
    assert spec is not None and spec.origin == str(package / "mod.py")
    assert ["fakepkg.mod"] == guard.stale
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "running it interpreted" in said
    why = "changed since it was compiled" if digest else "a compiled file the build did not make"
    assert f"fakepkg.mod {why}" in said or f"fakepkg.mod has {why}" in said
    assert guard.find_spec("fakepkg.mod", [str(package)]) is not None
    assert "" == capsys.readouterr().err  # said once


def test_guard_runs_no_compiled_file_of_another_build(tmp_path: Path) -> None:
    """The manifest names the file the build made: one of another Python (or any other
    build) beside the source runs interpreted even when the source is the same."""
    guard, package = _fake_package(tmp_path, FRESH, built="mod.cpython-399-other.so")
    spec = guard.find_spec("fakepkg.mod", [str(package)])
    assert spec is not None and spec.origin == str(package / "mod.py")


def test_guard_sees_an_edited_pxd(tmp_path: Path) -> None:
    """The C types of a ``.pxd`` are part of what was compiled: editing it is a change."""
    pxd = b"cdef class X:\n    pass\n"
    guard, package = _fake_package(tmp_path, hashlib.sha256(SOURCE + b"\0" + pxd).hexdigest())
    (package / "mod.pxd").write_bytes(pxd)
    assert guard.find_spec("fakepkg.mod", [str(package)]) is None
    (package / "mod.pxd").write_bytes(pxd + b"cdef int y\n")
    assert guard.find_spec("fakepkg.mod", [str(package)]) is not None


def test_a_compiled_file_without_its_source_is_never_run(tmp_path: Path) -> None:
    guard, package = _fake_package(tmp_path, FRESH)
    (package / "mod.py").unlink()
    with pytest.raises(ImportError, match=r"has no source beside it: remove it or reinstall"):
        guard.find_spec("fakepkg.mod", [str(package)])


@pytest.mark.parametrize(
    "text", ["not json", '["compiled"]', '{"compiled": {"fakepkg.mod": "abc"}}', "{}"]
)
def test_an_unreadable_manifest_runs_everything_interpreted(tmp_path: Path, text: str) -> None:
    guard, package = _fake_package(tmp_path, FRESH)
    (tmp_path / "_compiled.json").write_text(text)
    guard = _compiled._Guard("fakepkg", tmp_path / "_compiled.json")
    guard.disabled = False
    assert {} == guard.manifest and "manifest" in guard.why
    spec = guard.find_spec("fakepkg.mod", [str(package)])
    assert spec is not None and spec.origin == str(package / "mod.py")


def test_guard_is_off_for_other_packages_and_when_nothing_is_compiled(tmp_path: Path) -> None:
    guard, package = _fake_package(tmp_path, None)
    assert guard.find_spec("other.mod", [str(package)]) is None
    (package / f"mod{SUFFIX}").unlink()
    assert guard.find_spec("fakepkg.mod", [str(package)]) is None


def test_extractor_compiled_0_imports_every_module_interpreted(tmp_path: Path) -> None:
    guard, package = _fake_package(tmp_path, FRESH)
    guard.disabled = True
    spec = guard.find_spec("fakepkg.mod", [str(package)])
    assert spec is not None and spec.origin == str(package / "mod.py")
    assert [] == guard.stale  # asked for, not stale: nothing said


@pytest.mark.skipif(not extractor.compiled_modules(), reason="the interpreted build")
def test_an_edited_module_of_the_real_build_runs_interpreted(tmp_path: Path) -> None:
    """The installed build, copied, with one compiled module's .py edited: that module
    imports interpreted (said once, on stderr), the others stay compiled."""
    copy = tmp_path / "extractor"
    shutil.copytree(ROOT / "extractor", copy, ignore=shutil.ignore_patterns("__pycache__"))
    edited = copy / "facts" / "claims.py"
    edited.write_text(edited.read_text() + "\n# edited after the build\n")
    code = (
        "import extractor, extractor._compiled as c;"
        " print(extractor.__file__); print(c.stale_modules()); print(len(c.compiled_modules()));"
        " print(c.build_summary())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "EXTRACTOR_STALE_SAID": ""},
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert str(copy / "__init__.py") == lines[0]
    assert "('extractor.facts.claims',)" == lines[1]
    assert len(LISTED) - 1 == int(lines[2])
    assert lines[3].startswith(f"{len(LISTED) - 1} modules compiled, 1 interpreted")
    assert 1 == done.stderr.count("changed since it was compiled")


def _sources_to_build(tmp_path: Path, module: str) -> Path:
    """``setup.py`` and the package's sources copied to ``tmp_path``, with a compiled file
    of an earlier build for ``module`` (returned: a pure build must remove it)."""
    shutil.copy(ROOT / "setup.py", tmp_path)
    shutil.copytree(
        ROOT / "extractor",
        tmp_path / "extractor",
        ignore=shutil.ignore_patterns("__pycache__", "_compiled.json", f"*{SUFFIX}"),
    )
    leftover = tmp_path / "extractor" / f"{module}{SUFFIX}"
    leftover.write_bytes(b"an earlier build")
    return leftover


def test_without_a_c_compiler_the_build_installs_pure_python(tmp_path: Path) -> None:
    """No working compiler: the build goes on as pure Python, says so in one line, removes
    what an earlier build left in place, and the manifest says why."""
    leftover = _sources_to_build(tmp_path, "parse/walk_tokens")
    done = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_ext", "--inplace"],
        capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "CC": "false", "EXTRACTOR_PURE": ""},
    )  # fmt: skip
    assert 0 == done.returncode, done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("extractor:")]
    assert [
        "extractor: no working C compiler at install: installing the pure-Python modules (slower)"
    ] == said
    manifest = json.loads((tmp_path / "extractor" / "_compiled.json").read_text())
    assert {"compiled": {}, "why": "no working C compiler at install"} == manifest
    assert not leftover.exists()


def test_a_compile_failing_after_the_probe_installs_pure_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe passes but compiling fails (setuptools then leaves ``inplace`` off): the
    build is still pure Python in place too, with the error's first line as the reason."""
    leftover = _sources_to_build(tmp_path, "facts/cs1")
    spec = importlib.util.spec_from_file_location("setup_under_test", tmp_path / "setup.py")
    assert spec is not None and spec.loader is not None
    setup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup)  # (not __main__: defines, does not build)
    fake = types.ModuleType("Cython.Build")
    fake.cythonize = lambda extensions, **options: extensions  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "Cython", types.ModuleType("Cython"))
    monkeypatch.setitem(sys.modules, "Cython.Build", fake)

    def failing(self: Any) -> None:
        self.inplace = 0  # as setuptools' build_ext.run does before it fails
        raise RuntimeError("x.c:1: error: boom")

    monkeypatch.setattr(setup.build_ext, "run", failing)
    monkeypatch.chdir(tmp_path)
    extensions = [setup.Extension(setup._module(path), [path]) for path in setup.COMPILED]
    command = setup.BuildExt(Distribution({"name": "t", "ext_modules": extensions}))
    command.inplace = 1
    command.ensure_finalized()
    monkeypatch.setattr(command, "_compiler_works", lambda: True)
    command.run()
    manifest = json.loads((tmp_path / "extractor" / "_compiled.json").read_text())
    assert {} == manifest["compiled"]
    assert manifest["why"].startswith("compiling failed at install (") and "boom" in manifest["why"]
    assert not leftover.exists() and 1 == command.inplace

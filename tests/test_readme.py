"""The README's examples run: its Python blocks execute and its marked CLI lines succeed."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
#: Shell blocks marked ``<!-- run -->`` are executed; others illustrate (real dumps, clusters).
CLI_LINES = [
    line.split("  #")[0].strip()
    for block in re.findall(r"<!-- run -->\n```sh\n(.*?)```", README, re.DOTALL)
    for line in block.splitlines()
    if line.startswith(("extractor ", "cat ", "python -m extractor"))
]


@pytest.mark.parametrize("code", PYTHON_BLOCKS)
def test_python_example_runs(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Python example runs from the repository root without error."""
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})


@pytest.mark.parametrize("line", CLI_LINES)
def test_cli_example_runs(line: str, tmp_path: Path) -> None:
    """Each CLI example exits 0 (output folders redirected to a temporary place)."""
    line = line.replace("-o output/", f"-o {tmp_path}/")
    line = line.replace("python -m extractor", "extractor")
    stdin = None
    if line.startswith("cat "):
        source, _, line = line.partition(" | ")
        stdin = (ROOT / shlex.split(source)[1]).read_bytes()
    args = shlex.split(line)
    assert "extractor" == args[0]
    command = [sys.executable, "-m", "extractor", *args[1:]]
    result = subprocess.run(command, cwd=ROOT, input=stdin, capture_output=True)
    assert 0 == result.returncode, result.stderr.decode()


def test_readme_has_runnable_cli_examples() -> None:
    """The marked shell examples exist, so the CLI test above cannot pass vacuously."""
    assert 5 <= len(CLI_LINES)


def test_readme_documents_every_record_field() -> None:
    """Every field of the record classes is named in the README."""
    import attrs

    from extractor.records import Article, Category, Citation, DateFact, Section

    for cls in (Article, Category, Citation, DateFact, Section):
        for field in attrs.fields(cls):
            assert re.search(rf"`{field.name}(\[\])?`", README), field.name

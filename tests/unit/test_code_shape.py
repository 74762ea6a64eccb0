"""The shape the code keeps (issue 11): modules along their seams, short functions, and
unit tests that mirror the package.

- No module of ``frontiers_de`` (migrations aside: generated, applied once) is over
  :data:`MAX_MODULE_LINES` lines.
- No function is over :data:`MAX_FUNCTION_LINES` lines unless a comment starting with
  ``# long:`` on the line above its ``def`` (or its first decorator) says why.
- Every folder of tests under ``tests/unit`` names a package of ``frontiers_de``, so a module's
  unit tests are found where the module is.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "frontiers_de"
UNIT_TESTS = ROOT / "tests" / "unit"
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80
REASON = "# long:"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _long_functions(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines), filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = node.end_lineno - node.lineno + 1
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        above = lines[first - 2].strip() if first >= 2 else ""
        if length > MAX_FUNCTION_LINES and not above.startswith(REASON):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_module_is_over_the_limit():
    too_long = [
        f"{p.relative_to(ROOT)} ({n} lines)"
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert too_long == [], f"split these along their seams (max {MAX_MODULE_LINES} lines)"


def test_no_function_is_over_the_limit_without_a_reason():
    found = [entry for p in _modules() for entry in _long_functions(p)]
    assert found == [], (
        f"make part functions, or say why on the line above the def: '{REASON} <reason>'"
    )


def test_a_function_with_a_reason_may_be_long(tmp_path, monkeypatch):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES + 1))
    module = tmp_path / "frontiers_de" / "m.py"
    module.parent.mkdir()
    module.write_text(f"def f():\n{body}\n\n\n{REASON} one table\ndef g():\n{body}\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert [e.split()[1] for e in _long_functions(module)] == ["f"]


@pytest.mark.parametrize(
    "folder",
    sorted(
        p.relative_to(UNIT_TESTS)
        for p in UNIT_TESTS.rglob("*")
        if p.is_dir() and any(p.glob("test_*.py"))
    ),
    ids=str,
)
def test_unit_test_folders_mirror_the_package(folder):
    assert (PACKAGE / folder / "__init__.py").is_file(), (
        f"tests/unit/{folder} has no frontiers_de/{folder} package to mirror"
    )

"""The core never loads Textual or click, and `srs --version` / `srs check` stay light.

Each check runs in a fresh interpreter, since this test process has long loaded everything.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SMALL_DECK, write_deck

import srs

SRS_DIR = Path(srs.__file__).parent
CORE_MODULES = sorted(
    f"srs.{m.name}" for m in pkgutil.iter_modules(srs.__path__) if m.name not in {"tui", "cli"}
)
WATCHED = ("textual", "click", "sqlite_utils", "fsrs")

# Records which module first imported each watched package, then runs the given code.
_SPY = """
import json, sys
WATCHED = {watched!r}
first_importer = {{}}

class Spy:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in WATCHED and top not in first_importer:
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename.startswith("<frozen"):
                frame = frame.f_back
            first_importer[top] = frame.f_globals.get("__name__") if frame else None
        return None

sys.meta_path.insert(0, Spy())
try:
{code}
except SystemExit:
    pass
print()
print(json.dumps({{"loaded": sorted(m for m in WATCHED if m in sys.modules),
                  "by": first_importer}}))
"""


def loaded_by(code: str, cwd: Path | None = None) -> tuple[list[str], dict[str, str]]:
    """Run `code` in a fresh interpreter; which watched packages it loaded, and who first
    imported each."""
    script = _SPY.format(watched=WATCHED, code="    " + code.replace("\n", "\n    "))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=cwd
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    return report["loaded"], report["by"]


def test_core_modules_are_found() -> None:
    assert {
        "srs.decks.validate",
        "srs.decks.yamltree",
        "srs.collection.store",
        "srs.decks.importer",
        "srs.collection.backup",
    } <= set(CORE_MODULES)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_load_textual(module: str) -> None:
    loaded, by = loaded_by(f"import {module}")

    assert "textual" not in loaded, f"{module} loads textual (first imported by {by['textual']})"


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_loads_click_only_through_sqlite_utils(module: str) -> None:
    # sqlite-utils (a chosen dependency) imports click itself; our core never does.
    loaded, by = loaded_by(f"import {module}")

    if "click" in loaded:
        assert str(by["click"]).startswith("sqlite_utils"), (
            f"{module} loads click via {by['click']}"
        )


def test_no_core_module_imports_click_or_textual_itself() -> None:
    offenders = []
    for path in sorted(SRS_DIR.rglob("*.py")):
        relative = path.relative_to(SRS_DIR)
        if relative.parts[0] == "tui" or relative.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{relative}:{node.lineno}: {name}"
                for name in names
                if name.partition(".")[0] in {"click", "textual"}
            ]
    assert offenders == []


def test_version_loads_neither_sqlite_utils_nor_fsrs_nor_textual() -> None:
    loaded, by = loaded_by("from srs.cli import main\nmain(['--version'], standalone_mode=False)")

    assert set(loaded) & {"sqlite_utils", "fsrs", "textual"} == set(), by


@pytest.mark.parametrize("deck", [SMALL_DECK, "deck: broken\n"])
def test_check_loads_neither_sqlite_utils_nor_fsrs_nor_textual(tmp_path: Path, deck: str) -> None:
    path = write_deck(tmp_path, deck)

    loaded, by = loaded_by(
        f"from srs.cli import main\nmain(['--db', 'c.db', 'check', {str(path)!r}], "
        "standalone_mode=False)",
        cwd=tmp_path,
    )

    assert set(loaded) & {"sqlite_utils", "fsrs", "textual"} == set(), by
    assert not (tmp_path / "c.db").exists()

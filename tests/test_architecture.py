"""The folder tree is the architecture: layers import only downwards (the import-linter contract
in pyproject.toml), no import cycles anywhere, and no module over 250 lines."""

from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "stance"


def test_layers_import_only_downwards():
    importlinter = pytest.importorskip("importlinter.cli")
    assert importlinter.lint_imports(config_filename=str(SRC.parents[1] / "pyproject.toml")) == 0


def test_no_import_cycles():
    graph = grimp.build_graph("stance", include_external_packages=False)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} <-> {imported}")
    assert not cycles, cycles


def test_no_module_over_250_lines():
    sizes = {str(p.relative_to(SRC)): len(p.read_text().splitlines()) for p in SRC.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 250} == {}

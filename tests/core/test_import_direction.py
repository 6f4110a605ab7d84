"""The apps import each other in one direction only (docs/architecture.md):

    core → org → policy → training, competency → leaders, experts → projects → kpi

read as one order (a comma is the next step, like an arrow): an app may import the apps before it, never one
after it. Higher apps feed lower pages through registries (e.g. dxtalent.competency.hooks), not imports. The demo
builder finds each app's demo hooks dynamically (dxtalent.org.demo.builder.app_hooks), not by importing them.
"""

import ast
from pathlib import Path

import pytest

LAYERS = {
    "core": 0,
    "org": 1,
    "policy": 2,
    "training": 3,
    "competency": 4,
    "leaders": 5,
    "experts": 6,
    "projects": 7,
    "kpi": 8,
}
ROOT = Path(__file__).resolve().parents[2] / "dxtalent"


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "dxtalent" and len(parts) > 1:
                found.add((parts[1], node.lineno))
    return found


def _app_files():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


def test_every_app_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps == set(LAYERS)


@pytest.mark.parametrize("app", list(LAYERS))
def test_apps_import_only_earlier_layers(app):
    wrong = []
    for owner, path in _app_files():
        if owner != app:
            continue
        for other, line in _imported_apps(path):
            if other != app and LAYERS.get(other, -1) >= LAYERS[app]:
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} imports dxtalent.{other}")
    assert not wrong, "\n".join(wrong)

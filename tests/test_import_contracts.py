"""The import-linter contracts (pyproject.toml) leave no module of a layer unchecked.

The layers contract lists its modules by name (import-linter's layers take no wildcards),
so a new views.py, operations.py, guards.py or notifications.py, or a module that fires a
transition or registers an operation or a guard (as council/closing.py does), must be
added to it; the forbidden contracts on operations must cover every module of that layer.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]["contracts"]
LAYERS = next(c for c in CONTRACTS if c["type"] == "layers")["layers"]
# What a module imports from the engine that makes it part of the process's acts.
ACTING = {"fire", "transition", "operation", "guard", "perform", "check"}
ENGINE_LAYER = 3  # views, notifier, operations and guards, then the engine


def _layer_modules(layer: str) -> set[str]:
    return {m.strip().strip("()") for m in layer.replace("|", ":").split(":") if m.strip()}


LAYER_OF = {m: i for i, layer in enumerate(LAYERS) for m in _layer_modules(layer)}


def _modules():
    for path in sorted((ROOT / "dossier").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(p for p in parts if p != "__init__"), path


def _acts(path: Path) -> bool:
    """Imports fire/transition/operation/guard/perform/check from dossier.workflow."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("workflow"):
            if node.module in ("workflow", "dossier.workflow") or node.level:
                if ACTING & {a.name for a in node.names}:
                    return True
    return False


def _matches(pattern: str, module: str) -> bool:
    want, have = pattern.split("."), module.split(".")
    return len(want) <= len(have) and all(w in ("*", h) for w, h in zip(want, have, strict=False))


def test_every_views_operations_guards_and_notifications_module_is_in_a_layer():
    missing = []
    for module, path in _modules():
        name = module.rsplit(".", 1)[-1]
        conventional = name in ("views", "operations", "guards", "notifications")
        if (
            conventional or name.endswith("_views") or _acts(path)
        ) and module != "dossier.workflow":
            if LAYER_OF.get(module, ENGINE_LAYER) >= ENGINE_LAYER:
                missing.append(module)
    assert not missing, f"add to the layers contract in pyproject.toml: {missing}"


def test_the_scan_finds_the_modules_it_is_for():
    acting = {m for m, path in _modules() if _acts(path)}
    assert {"dossier.council.closing", "dossier.council.guards", "dossier.acts"} <= acting


def test_every_operation_is_kept_from_views_and_the_notifier():
    operations = _layer_modules(LAYERS[2])
    for name in ("Operations sit below views", "No operation imports the notifier"):
        contract = next(c for c in CONTRACTS if c["name"].startswith(name))
        unchecked = {
            m for m in operations if not any(_matches(p, m) for p in contract["source_modules"])
        }
        assert not unchecked, f"{name}: {unchecked}"


def test_the_layers_run_from_views_to_the_tables():
    assert "dossier.acts" in _layer_modules(LAYERS[0])
    assert "dossier.council.closing" in _layer_modules(LAYERS[2])
    assert _layer_modules(LAYERS[ENGINE_LAYER]) >= {"dossier.workflow"}
    assert LAYERS[-1] == "workflows"

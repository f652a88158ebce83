"""The package's layers: arrows point one way (docs/architecture.md).

Read from the source with ``ast``, so that a lazy import inside a function counts too; imports
under ``if TYPE_CHECKING:`` are for type checkers only and do not.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "survey"
BLUEPRINTS = {"participant", "facilitator", "dashboard", "api"}


def _unit(module: str) -> str:
    """The first-level part of ``survey`` a module belongs to: ``survey.results.queries`` ->
    ``results``; the package itself (the app factory) is ``survey``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "survey"


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path) -> set[str]:
    """The modules a file imports, as absolute names (``from . import x`` counts as ``pkg.x``)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_lines(tree)
    found = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target != "survey":  # ``from survey import x`` names a part, not the factory
                found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    """First-level unit -> the units it imports."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        unit = _unit(_module_name(path))
        targets = {
            _unit(name) for name in _imports(path) if name.startswith("survey.") or name == "survey"
        }
        graph.setdefault(unit, set()).update(targets - {unit})
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph, if there is one (the app factory ``survey`` is left out: it
    imports everything to assemble the app, and nothing should import it)."""
    edges = {u: {v for v in vs if v != "survey"} for u, vs in graph.items() if u != "survey"}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_the_parts_of_the_package():
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_nothing_imports_the_app_factory():
    importers = sorted(unit for unit, targets in _graph().items() if "survey" in targets)
    assert importers == []


@pytest.mark.parametrize("blueprint", sorted(BLUEPRINTS & {p.name for p in PACKAGE.iterdir()}))
def test_a_blueprint_imports_no_other_blueprint(blueprint):
    others = _graph()[blueprint] & (BLUEPRINTS - {blueprint})
    assert not others, f"{blueprint} imports {sorted(others)}: move what they share below both"


def test_only_the_app_factory_imports_blueprints():
    importers = {
        unit: targets & BLUEPRINTS
        for unit, targets in _graph().items()
        if unit not in BLUEPRINTS | {"survey"} and targets & BLUEPRINTS
    }
    assert importers == {}


def test_analytics_is_pure_pandas():
    """No web framework, database or other part of the app in the analytics."""
    for path in (PACKAGE / "analytics").rglob("*.py"):
        roots = {name.split(".")[0] for name in _imports(path)}
        assert not roots & {"flask", "flask_babel", "sqlalchemy", "wtforms"}, path
        parts = {_unit(name) for name in _imports(path) if name.startswith("survey.")}
        outside = parts - {"analytics"}
        assert not outside, f"{path.name} imports {sorted(outside)}"


def test_the_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "survey": {"a"}}) is None

"""The import graph of tracker/ and backcare/: no circle, and the project never imports the tracker.

Every import statement counts, at module level or inside a function (a deferred import
still ties two modules together). The graph is read from the source with ``ast``, so
nothing needs to be imported to check it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tracker", "backcare")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules(packages=PACKAGES) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def imported_names(path: Path, module: str) -> set[str]:
    """Every dotted name an import statement in ``path`` reaches, ``from x import y`` as both x and x.y."""
    is_package = path.name == "__init__.py"
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")
                base_parts = parts if is_package else parts[:-1]
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """{module: the modules of ours it imports}; an imported name that is not a module is left out."""
    graph = {}
    for module, path in modules.items():
        graph[module] = {name for name in imported_names(path, module) if name in modules and name != module}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a circle of imports."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph():
    return import_graph(source_modules())


def test_the_graph_is_read_from_every_module_of_both_packages(graph):
    # The walk sees what matters here, or the two tests below would pass on nothing.
    assert {"tracker.reminders.sender", "tracker.tasks", "backcare.settings.base", "backcare.accounts.admin"} <= set(
        graph
    )
    assert "tracker.reminders.email" in graph["tracker.reminders.sender"]
    assert "tracker.models" in graph["tracker.reminders.dispatcher"]


def test_no_module_of_tracker_or_backcare_is_part_of_an_import_circle(graph):
    assert circles(graph) == []


def test_backcare_imports_nothing_from_tracker(graph):
    reaching = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.split(".")[0] == "backcare"
        for target in targets
        if target.split(".")[0] == "tracker"
    )
    assert reaching == []


def test_a_deferred_import_inside_a_function_closes_a_circle(tmp_path):
    # The walker on its own: a two-module circle whose second edge hides in a function.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def later():\n    from .a import thing\n")
    modules = {f"pkg.{name}": package / f"{name}.py" for name in ("a", "b")}
    assert circles(import_graph(modules)) == [["pkg.a", "pkg.b"]]

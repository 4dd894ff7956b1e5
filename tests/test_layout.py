"""The house rules of generator/, checked: the pipeline reads from the tree (ARCHITECTURE.md).

No module over 400 lines, no folder of more than 13 modules, no import cycle (lazy imports
inside functions included), and each stage imports only the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# What each part may import, besides itself and the shared modules (problems, codes, caches,
# parallel, terminal, clock). Earlier stages never reach up into later ones, and nothing but the command
# line reaches into the preview.
ALLOWED = {
    "content": {"media"},
    "media": {"content"},
    "config": {"content"},
    "workflow": {"content", "media", "config"},
    "check": {"config", "content", "media", "settings_check", "workflow"},
    "settings_check": {"config", "content"},
    "editions": {"content"},
    "plugin": {"content", "media"},
    "guard": {"content", "media", "config"},
    "booklets": {"content", "editions", "config", "check", "site", "workflow", "guard"},
    "site": {
        "content",
        "media",
        "editions",
        "config",
        "check",
        "booklets",
        "guard",
        "plugin",
        "workflow",
    },
    "new": {"content", "check", "config"},
    "importing": {"content", "check", "config", "new", "media"},
    "preview": {"content", "editions", "config", "check", "site", "plugin"},
    "cli": {"*"},
}
SHARED = {"problems", "codes", "caches", "parallel", "terminal", "clock", "__init__", "__main__"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts).removesuffix(".__init__")] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            base = node.module.removeprefix("generator").lstrip(".")
            for alias in node.names:
                name = f"{base}.{alias.name}".lstrip(".")
                found.add(name if name in modules else base)
        elif isinstance(node, ast.Import):
            found.update(
                a.name.removeprefix("generator.")
                for a in node.names
                if a.name.startswith("generator.")
            )
    return {name for name in found if name in modules}


def test_no_module_is_over_400_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text("utf-8").splitlines())) > 400
    }
    assert long == {}


def test_no_folder_holds_more_than_13_modules():
    folders = {p.parent for p in PACKAGE.rglob("*.py")}
    counts = {
        str(f.relative_to(PACKAGE.parent)): len(
            [p for p in f.glob("*.py") if p.name != "__init__.py"]
        )
        for f in folders
    }
    assert {f: n for f, n in counts.items() if n > 13} == {}


def test_no_import_cycles():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    cycles = []

    def visit(name: str, stack: list[str], done: set[str]) -> None:
        for other in sorted(graph[name]):
            if other in stack:
                cycles.append(" → ".join(stack[stack.index(other) :] + [other]))
            elif other not in done:
                done.add(other)
                visit(other, [*stack, other], done)

    for name in sorted(graph):
        visit(name, [name], {name})
    assert cycles == []


def test_each_stage_imports_only_the_stages_before_it():
    modules = _modules()
    wrong = []
    for name, path in sorted(modules.items()):
        part = name.split(".")[0]
        if part in SHARED:
            continue
        allowed = ALLOWED[part]
        for other in _imports(path, modules):
            target = other.split(".")[0]
            if target in (part, *SHARED) or "*" in allowed or target in allowed:
                continue
            wrong.append(f"{name} imports {other}")
    assert wrong == []

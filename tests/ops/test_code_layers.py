"""The apps' dependencies point one way (docs/architecture.md): no cycle between apps.

Views, URL configurations, admin and management commands sit on top of every app and may import
any of them; models, services, selectors and the rest may not form a cycle. `search` is the
full-text index of `questions` and is counted as part of it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "askdesk"
TOP_LAYER = {"views.py", "urls.py", "admin.py", "apps.py"}
SAME_APP = {"search": "questions"}


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "askdesk" or len(parts) < 2 or parts[1] == "nlp":
        return None
    return SAME_APP.get(parts[1], parts[1])


def app_imports() -> dict[str, dict[str, list[str]]]:
    """app -> app it imports -> the files that import it."""
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if len(relative.parts) < 2 or path.name in TOP_LAYER:
            continue
        if {"migrations", "management", "templatetags"} & set(relative.parts):
            continue
        app = SAME_APP.get(relative.parts[0], relative.parts[0])
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                other = app_of(node.module)
                if other and other != app:
                    edges[app][other].append(str(relative))
    return edges


def test_no_two_apps_depend_on_each_other_below_the_views():
    edges = app_imports()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            app = todo.pop()
            if app == goal:
                return True
            if app not in seen:
                seen.add(app)
                todo.extend(edges.get(app, {}))
        return False

    cycles = [
        f"{app} -> {other} ({', '.join(sorted(set(files)))})"
        for app, others in edges.items()
        for other, files in others.items()
        if reaches(other, app)
    ]
    assert cycles == []


def test_the_check_sees_real_imports():
    # So that the test above cannot pass by reading nothing.
    edges = app_imports()
    assert "questions" in edges["answers"] and "answers" in edges["readers"]

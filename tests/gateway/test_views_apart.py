"""No module of gateway/views imports another: a view that needs another page's data gets
it from gateway/pages (shared page-building), so no view renders another view's page and
no import cycle runs between them."""

from __future__ import annotations

import ast
from pathlib import Path

import gateway.views

VIEWS = Path(gateway.views.__file__).parent
PACKAGE = "gateway.views"


def imported_views(path: Path) -> set[str]:
    """The gateway.views modules `path` imports, at module level or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith(PACKAGE + ".")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: every one inside the package is a sibling
                base = PACKAGE if node.level == 1 else "gateway"
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if module == PACKAGE:
                found |= {f"{PACKAGE}.{alias.name}" for alias in node.names}
            elif module.startswith(PACKAGE + "."):
                found.add(module)
    return found


def test_no_view_module_imports_another():
    offenders = {
        path.name: sorted(imported)
        for path in sorted(VIEWS.glob("*.py"))
        if (imported := imported_views(path))
    }

    assert offenders == {}


def test_the_check_sees_every_form_of_import(tmp_path):
    source = tmp_path / "view.py"
    source.write_text(
        "import gateway.views.a\n"
        "from gateway.views import b\n"
        "from gateway.views.c import thing\n"
        "from . import d\n"
        "from .e import other\n"
        "def later():\n"
        "    from gateway.views import f\n"
        "from gateway.pages import fine\n"
    )

    assert imported_views(source) == {f"gateway.views.{name}" for name in "abcdef"}

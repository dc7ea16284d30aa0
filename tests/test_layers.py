"""Imports point one way: shell → ballots → surveys | assembly → requests_app | messaging → members → kernel
(docs/architecture.md). The import-linter contract in pyproject.toml holds it, fails on an import that points up,
and leaves no module of the project package outside the shell and the kernel; and no lower room names a higher one
in a string (a model label, a URL name, a template or a dotted path), which imports alone would not see."""

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACT = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]
# Each room and its height: a room may name the rooms below it, never one above it or beside it.
HEIGHT = {"kernel": 0, "members": 1, "requests_app": 2, "messaging": 2, "surveys": 3, "assembly": 3, "ballots": 4}
APPS = [room for room in HEIGHT if room != "kernel"]


def above_or_beside(room: str) -> str:
    """The apps a room may not name, as a regular expression alternation."""
    return "|".join(app for app in APPS if app != room and HEIGHT[app] >= HEIGHT[room])


def layer_modules(layer: str) -> set[str]:
    return {name.strip() for name in layer.split(":")}


SHELL, KERNEL = layer_modules(CONTRACT["layers"][0]), layer_modules(CONTRACT["layers"][-1])


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_layers_contract_is_kept():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_every_module_of_the_project_package_is_in_the_shell_or_the_kernel():
    package = ROOT / "members_portal"
    children = {
        f"members_portal.{path.stem}"
        for path in package.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }

    assert SHELL.isdisjoint(KERNEL)
    assert children == SHELL | KERNEL


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    for name in ["members_portal", *APPS]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("members/selectors.py", "surveys"),
        ("requests_app/sla.py", "surveys.models"),
        ("requests_app/sla.py", "messaging.providers"),
        ("requests_app/sla.py", "assembly.models"),
        ("members/selectors.py", "assembly.selectors"),
        ("surveys/selectors.py", "assembly.models"),
        ("assembly/proxies.py", "ballots.models"),
        ("members_portal/hijri.py", "members.roles"),
    ],
)
def test_an_import_that_points_up_breaks_the_contract(copy_of_the_code, module, upward):
    path = copy_of_the_code / module
    path.write_text(path.read_text() + f"\nimport {upward}  # noqa\n")

    result = lint_imports(copy_of_the_code)

    importer = module.removesuffix(".py").replace("/", ".")
    assert result.returncode != 0
    assert f"- {importer} -> {upward} " in result.stdout


# --- Names in strings ----------------------------------------------------------------------------------------------

# A string that names an app: its label alone, or followed by "." (a model label, a dotted path), ":" (a URL name)
# or "/" (a template). "surveys_opt_out" or "satisfaction surveys" name no app.
NAMES_AN_APP = r"^({apps})([.:/][\w./:-]*)?$"
TEMPLATE_NAMES_AN_APP = r"""['"]({apps})[:/]"""
# Where a lower room still names a higher one, and why: none today. An entry is debt with its way out, not a licence.
KNOWN: dict[str, str] = {}


def room_of(path: Path) -> str | None:
    """The room a Python module belongs to; None for the shell, which may name every app."""
    top, *rest = path.relative_to(ROOT).parts
    if top != "members_portal":
        return top
    return "kernel" if f"members_portal.{Path(rest[0]).stem}" in KERNEL else None


def docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr)
    }


def strings_naming_a_higher_app() -> list[str]:
    found = []
    for top in ["members_portal", "members", "messaging", "requests_app", "surveys", "assembly"]:
        for path in sorted((ROOT / top).rglob("*.py")):
            room = room_of(path)
            if "migrations" in path.parts or room is None:
                continue
            higher = above_or_beside(room)
            tree = ast.parse(path.read_text())
            skip = docstrings(tree)
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and re.match(NAMES_AN_APP.format(apps=higher), node.value)
            ]
    return found


def templates_naming_a_higher_app() -> set[str]:
    found = set()
    for room in ["members", "messaging", "requests_app"]:
        higher = above_or_beside(room)
        for path in (ROOT / "templates" / room).rglob("*"):
            if path.is_file() and re.search(TEMPLATE_NAMES_AN_APP.format(apps=higher), path.read_text()):
                found.add(str(path.relative_to(ROOT)))
    return found


def test_no_lower_module_names_a_higher_app_in_a_string():
    assert strings_naming_a_higher_app() == []


def test_the_templates_of_a_lower_app_name_a_higher_one_only_where_listed():
    assert templates_naming_a_higher_app() == set(KNOWN)


def test_the_string_check_sees_a_model_label_a_url_name_and_a_dotted_path():
    pattern = NAMES_AN_APP.format(apps="requests_app|surveys")

    named = ["requests_app", "requests_app.ServiceRequest", "surveys:respond", "surveys.tasks.invite", "surveys/x.html"]
    assert all(re.match(pattern, value) for value in named)
    assert not any(re.match(pattern, value) for value in ["surveys_opt_out", "satisfaction surveys", "members"])

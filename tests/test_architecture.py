"""Cross-cutting rules: migrations are complete, boundaries hold, every route declares a permission."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from safelect.core.web.routes import iter_routes

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_no_model_change_without_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"models changed without a migration:\n{out.getvalue()}")
        raise exc


def test_import_contracts_hold():
    """The layers, the programs' independence and the pure modules (import-linter, pyproject.toml)."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_package_cycle_in_the_kernel():
    """No two of safelect's packages import each other, directly or through others (grimp). The
    layers contract implies it for the packages it names; this also covers any package added later."""
    import grimp

    graph = grimp.build_graph("safelect")
    packages = sorted(
        {".".join(m.split(".")[:3]) for m in graph.modules if m.startswith(("safelect.core.", "safelect.programs."))}
        | {
            ".".join(m.split(".")[:2])
            for m in graph.modules
            if m.count(".") >= 1 and not m.startswith(("safelect.core", "safelect.programs"))
        }
    )
    cycles = [
        f"{a} <-> {b}"
        for i, a in enumerate(packages)
        for b in packages[i + 1 :]
        if graph.chain_exists(importer=a, imported=b, as_packages=True) and graph.chain_exists(importer=b, imported=a, as_packages=True)
    ]
    assert len(packages) > 10, packages
    assert cycles == []


def test_every_route_declares_a_permission():
    routes = list(iter_routes())
    assert len(routes) > 5, "the resolver walk found too few routes to be believable"
    undeclared = [f"{r.method} /{r.pattern} ({r.name})" for r in routes if not r.permission]
    assert not undeclared, "routes without @requires(...):\n" + "\n".join(undeclared)


def test_route_walker_sees_api_operations():
    """The walker unwraps django-ninja paths to operations; otherwise the test above proves nothing."""
    api_routes = [r for r in iter_routes() if r.pattern.startswith("api/directory/")]
    assert {r.method for r in api_routes} == {"GET"}
    assert all(r.permission == "public" for r in api_routes)


def test_ruff_finds_nothing_and_the_code_is_formatted():
    """The linter and formatter (configured in pyproject.toml) as part of the test command."""
    ruff = Path(sys.executable).with_name("ruff")
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        result = subprocess.run([str(ruff), *args], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, f"ruff {' '.join(args)}:\n{result.stdout}{result.stderr}"


def test_one_end_of_day_helper():
    """When a day ends is decided once (safelect.core.days.end_of_day); no module builds 23:59 itself."""
    import re

    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "safelect").rglob("*.py")
        if path.name != "days.py" and re.search(r"time\(\s*23\s*,\s*59", path.read_text())
    ]
    assert offenders == []

"""Demo data: each app may contribute some through a ``demo.py`` with ``create_demo_data()``.

``create_demo_data()`` returns a list of :class:`DemoLogin` it created or found (idempotent), so
``safelect demo`` can print every demo sign-in. Demo records carry ``is_demo`` where the model has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps

DEMO_PASSWORD = "demo-password-2026"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    organization: str
    note: str = ""


def create_all() -> list[DemoLogin]:
    """Run every app's demo hook in app order (kernel first)."""
    logins: list[DemoLogin] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("safelect.") or config.label == "web":
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        logins.extend(module.create_demo_data() or [])
    return logins

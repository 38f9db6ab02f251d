"""Demo data: each app may contribute some through a ``demo.py`` with ``create_demo_data()``.

``create_demo_data()`` returns a list of :class:`DemoLogin` it created or found (idempotent), so
``safelect demo`` can print every demo sign-in. Demo records carry ``is_demo`` where the model has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from safelect.core.discovery import app_modules

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
    for _config, module in app_modules("demo"):
        if module.__name__ != __name__:  # this module is the hook runner, not a hook
            logins.extend(module.create_demo_data() or [])
    return logins

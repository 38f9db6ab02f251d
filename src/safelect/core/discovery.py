"""Finding the optional modules each safelect app may provide (``api``, ``urls``, ``demo``, ...).

Apps attach by file name (see docs/DEVELOPING.md); this is the one place that looks for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(module_name: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """(app config, module) for every installed safelect app that has ``<app>.<module_name>``.

    A module that exists but fails to import raises: only its absence is skipped.
    """
    for config in apps.get_app_configs():
        if not config.name.startswith("safelect."):
            continue
        qualified = f"{config.name}.{module_name}"
        try:
            module = import_module(qualified)
        except ModuleNotFoundError as exc:
            if exc.name != qualified:
                raise
            continue
        yield config, module

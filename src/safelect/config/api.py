"""The JSON API: one NinjaAPI, one router per app (``<app>/api.py`` exposing ``router``).

OpenAPI documentation is served at ``/api/docs``. Authentication (session or API token) is added
by the accounts kernel through ``safelect.core.accounts.api_auth`` when present.
"""

from importlib import import_module

from django.apps import apps
from ninja import NinjaAPI

api = NinjaAPI(
    title="safelect API",
    version="1",
    description="JSON API of safelect, the platform for the election-security programs of S.2261 and H.R. 5011.",
    urls_namespace="api",
)

for config in apps.get_app_configs():
    if not config.name.startswith("safelect."):
        continue
    try:
        module = import_module(f"{config.name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.api":
            raise
        continue
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{config.label}/", router)

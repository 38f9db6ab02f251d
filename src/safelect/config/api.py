"""The JSON API: one NinjaAPI, one router per app (``<app>/api.py`` exposing ``router``).

OpenAPI documentation is served at ``/api/docs``. Authentication (session or API token) is added
by the accounts kernel through ``safelect.core.accounts.api_auth`` when present.
"""

from ninja import NinjaAPI

from safelect.core.discovery import app_modules

api = NinjaAPI(
    title="safelect API",
    version="1",
    description="JSON API of safelect, the platform for the election-security programs of S.2261 and H.R. 5011.",
    urls_namespace="api",
)

for config, module in app_modules("api"):
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{config.label}/", router)

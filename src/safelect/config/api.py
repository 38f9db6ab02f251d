"""The JSON API: one NinjaAPI, one router per app (``<app>/api.py`` exposing ``router``).

OpenAPI documentation is served at ``/api/docs``. Every operation accepts a session or an API
token (``Authorization: Bearer sfl_...``); anonymous requests pass through to ``@requires``, which
lets PUBLIC operations answer and refuses the rest with 401.
"""

from ninja import NinjaAPI

from safelect.core.accounts.api_auth import api_auth
from safelect.core.discovery import app_modules

api = NinjaAPI(
    title="safelect API",
    version="1",
    description="JSON API of safelect, the platform for the election-security programs of S.2261 and H.R. 5011.",
    urls_namespace="api",
    auth=api_auth,
)

for config, module in app_modules("api"):
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{config.label}/", router)

"""The JSON API: one NinjaAPI, one router per app (``<app>/api.py`` exposing ``router``).

OpenAPI documentation is served at ``/api/docs``. Every operation accepts a session or an API
token (``Authorization: Bearer sfl_...``); anonymous requests pass through to ``@requires``, which
lets PUBLIC operations answer and refuses the rest with 401.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
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

log = logging.getLogger("safelect.api")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    """A service refused the write (permission or object scope): 403 in the usual shape."""
    return api.create_response(request, {"detail": str(exc) or "permission denied"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    """A service refused bad input: 422 with one entry per field, as pydantic's errors are."""
    if hasattr(exc, "error_dict"):
        detail = [{"loc": ["body", field], "msg": " ".join(m for e in errors for m in e.messages), "type": "value_error"}
                  for field, errors in exc.error_dict.items()]
    else:
        detail = [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "value_error"}]
    return api.create_response(request, {"detail": detail}, status=422)


for config, module in app_modules("api"):
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{config.label}/", router)

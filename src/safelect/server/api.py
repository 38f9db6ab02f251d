"""The JSON API: one NinjaAPI, one router per app (``<app>/api.py`` exposing ``router``).

OpenAPI documentation is served at ``/api/docs``. Every operation accepts a session or an API
token (``Authorization: Bearer sfl_...``); anonymous requests pass through to ``@requires``, which
lets PUBLIC operations answer and refuses the rest with 401.
"""

import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from safelect.core.accounts.api_auth import api_auth
from safelect.core.discovery import app_modules
from safelect.core.web import api_errors

api = NinjaAPI(
    title="safelect API",
    version="1",
    description="JSON API of safelect, the platform for the election-security programs of S.2261 and H.R. 5011.",
    urls_namespace="api",
    auth=api_auth,
    # Without deep links Swagger UI puts no link inside each operation's button (a link in a button
    # is unreachable by keyboard and confuses screen readers: axe "nested-interactive").
    docs=Swagger(settings={"deepLinking": False}),
)

log = logging.getLogger("safelect.api")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    """A service refused the write (permission or object scope)."""
    return api_errors.error(403, str(exc) or "permission denied")


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    """A service refused bad input."""
    return api_errors.from_django(exc)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request, exc):
    """The request did not match the operation's schema (wrong JSON type, missing field...)."""
    return api_errors.invalid([{"loc": e.get("loc", []), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors])


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = str(exc.message) if hasattr(exc, "message") else str(exc)
    if exc.status_code == 422:
        field, _, text = message.partition(": ")
        return api_errors.invalid([{"loc": [field], "msg": text} if text and " " not in field else {"loc": [], "msg": message}])
    return api_errors.error(exc.status_code, message)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api_errors.error(404, str(exc) or "not found")


@api.exception_handler(Exception)
def _server_error(request, exc):
    """Logged with its traceback; the client gets the shape, never the traceback."""
    log.error("server error on %s %s", request.method, request.path, exc_info=exc)
    return api_errors.error(500, "server error: the request was not completed; it has been logged")


ERROR_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
INVALID_SCHEMA = {
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}
ERRORS = {
    400: "The request body is not well-formed JSON",
    401: "Not signed in, or the API token presented is unknown, revoked or expired (public operations too)",
    403: "Signed in without the permission, or a service refused the object",
    404: "No such object in your scope, or an unknown code or key",
    422: "Invalid input: detail says what, errors names each field",
}


def _document_errors(schema: dict) -> dict:
    """Add the error answers each operation can really give, in the one shape, to the schema."""
    public = _public_operations()
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            # An operation's own answers may be keyed by int (422: ErrorOut) while these are str:
            # JSON would then carry the key twice, which Swagger UI refuses ("duplicated mapping key").
            responses = {str(code): answer for code, answer in operation.get("responses", {}).items()}
            operation["responses"] = responses
            codes = [401, 404]
            if operation.get("parameters") or operation.get("requestBody"):
                codes.append(422)
            if operation.get("requestBody"):
                codes.append(400)
            if (method.upper(), path) not in public:
                codes.append(403)
            for code in codes:
                body = INVALID_SCHEMA if code == 422 else ERROR_SCHEMA
                responses[str(code)] = {"description": ERRORS[code], "content": {"application/json": {"schema": body}}}
    return schema


def _public_operations() -> set[tuple[str, str]]:
    """(METHOD, /api/path/{param}) of every operation declared ``@requires(PUBLIC)``."""
    from safelect.core.web.permissions import PUBLIC
    from safelect.core.web.routes import iter_routes

    return {
        (r.method, "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.pattern))
        for r in iter_routes()
        if r.pattern.startswith("api/") and r.permission == PUBLIC
    }


_original_schema = api.get_openapi_schema


def _schema_with_errors(*args, **kwargs):
    return _document_errors(_original_schema(*args, **kwargs))


api.get_openapi_schema = _schema_with_errors


for config, module in app_modules("api"):
    if config.label == "server":  # this module
        continue
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{config.label}/", router)

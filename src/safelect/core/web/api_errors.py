"""The one shape of every API error: ``{"detail": "<what went wrong, in words>"}``, and for invalid
input also ``"errors": [{"loc": [...], "msg": "...", "type": "..."}]`` naming each field.

``detail`` is always a string, whatever raised the error (a schema, a service, the permission
check, an unknown path, a server error), so a client can show it as it is.
"""

from __future__ import annotations

from django.http import JsonResponse


def summary(errors: list[dict]) -> str:
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", []) if p not in ("body", "query", "path", "payload"))
        parts.append(f"{where}: {error.get('msg', '')}" if where else str(error.get("msg", "")))
    return "; ".join(parts) or "invalid input"


def invalid(errors: list[dict], status: int = 422) -> JsonResponse:
    """422 with a readable ``detail`` and the per-field ``errors``."""
    clean = [{"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": str(e.get("type", "value_error"))} for e in errors]
    return JsonResponse({"detail": summary(clean), "errors": clean}, status=status)


def from_django(exc) -> JsonResponse:
    """A ``django.core.exceptions.ValidationError`` from a service, as a 422."""
    if hasattr(exc, "error_dict"):
        errors = [{"loc": ["body", field], "msg": " ".join(m for e in errs for m in e.messages)} for field, errs in exc.error_dict.items()]
    else:
        errors = [{"loc": ["body"], "msg": " ".join(exc.messages)}]
    return invalid(errors)


def error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)

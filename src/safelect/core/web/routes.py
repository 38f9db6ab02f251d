"""Walking the URL resolver: every route and the permission it declared.

Used by the test that fails on any route without a declaration, and by the per-role allow/deny
helpers apps use in their tests. django-ninja views are unwrapped to their operations, so each
HTTP method of an API path is checked separately.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from .permissions import PUBLIC, declared_permission

# Routes served by libraries that are public by design: the OpenAPI schema and its docs page.
LIBRARY_PUBLIC_ROUTES = {"api:api-root", "api:openapi-json", "api:openapi-view"}


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    method: str
    permission: str | None


def _ninja_operations(callback):
    """The (method, view function) pairs behind a django-ninja path view, or None."""
    for cell in getattr(callback, "__closure__", None) or ():
        path_view = cell.cell_contents
        operations = getattr(path_view, "operations", None)
        if operations is not None and hasattr(path_view, "_sync_view"):
            return [(method, op.view_func) for op in operations for method in op.methods]
    return None


def iter_routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_routes(entry, prefix + str(entry.pattern), inner_ns)
            continue
        assert isinstance(entry, URLPattern)
        pattern = prefix + str(entry.pattern)
        name = f"{namespace}{entry.name}" if entry.name else None
        operations = _ninja_operations(entry.callback)
        if operations is not None:
            for method, view in operations:
                yield Route(pattern, name, method, declared_permission(view))
            continue
        permission = PUBLIC if name in LIBRARY_PUBLIC_ROUTES else declared_permission(entry.callback)
        yield Route(pattern, name, "*", permission)

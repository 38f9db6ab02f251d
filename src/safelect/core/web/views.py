"""The home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .permissions import PUBLIC, requires


@requires(PUBLIC)
def home(request):
    from safelect.core.directory import queries

    return render(request, "web/home.html", {"summary": queries.directory_summary()})


@requires(PUBLIC)
def healthz(request):
    """Liveness and database health for load balancers: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("select 1")
        return JsonResponse({"status": "ok", "database": "ok"})
    except Exception as exc:  # report, never raise: this is what monitoring reads
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)

"""The home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from safelect.core.web.permissions import PUBLIC, requires


@requires(PUBLIC)
def home(request):
    from safelect.core.directory import queries

    return render(request, "server/home.html", {"summary": queries.directory_summary()})


@requires(PUBLIC)
def healthz(request):
    """Liveness and database health for load balancers: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("select 1")
        return JsonResponse({"status": "ok", "database": "ok"})
    except Exception as exc:  # report, never raise: this is what monitoring reads
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)


@requires(PUBLIC)
def demo_mailbox(request):
    """Every email the demo sent (only while ``safelect demo`` runs; 404 otherwise). Public on
    purpose: the demo's invitation and reset links are for anyone trying it out."""
    from django.conf import settings
    from django.http import Http404

    from .mailcatcher import messages

    folder = getattr(settings, "DEMO_MAILBOX", None)
    if not folder:
        raise Http404("the mailbox exists only in the demo")
    return render(request, "server/demo_mailbox.html", {"mails": messages(folder)})

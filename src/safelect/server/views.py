"""The home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from safelect.core.web.permissions import PUBLIC, requires


@requires(PUBLIC)
def home(request):
    """The front door for the public; for a signed-in person, their desk: next deadlines, open
    follow-ups, unread notices and — for a State's officials — their State at a glance. Each
    panel appears only to those whose role may open the page it links to."""
    from django.utils import timezone

    from safelect.core.comments.public import public_solicitations
    from safelect.core.directory import queries

    now = timezone.now()
    context = {
        "summary": queries.directory_summary(),
        "open_comment": public_solicitations().filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first(),
    }
    if request.user.is_authenticated:
        context["desk"] = _desk(request)
    return render(request, "server/home.html", context)


def _desk(request) -> dict:
    from django.utils import timezone

    from safelect.core.accounts.actor import Actor
    from safelect.core.obligations import queries as obligations
    from safelect.core.obligations.models import Status
    from safelect.core.outbox import services as outbox
    from safelect.core.web.permissions import allowed
    from safelect.programs.engagements import queries as engagements
    from safelect.programs.engagements.access import VIEW as ENGAGEMENTS
    from safelect.programs.engagements.models import FollowUp

    now = timezone.now()
    org = getattr(request, "acting_organization", None)
    desk: dict = {"organization": org, "now": now, "deadlines": None, "follow_ups": None, "unread": None, "notices": None, "state": None}
    if org is not None and allowed(request, "obligations:obligation:view"):
        mine = obligations.of_organization(org, obligations.visible_obligations(request)).open()
        desk["deadlines"] = list(mine.select_related("holder").order_by("due_at", "pk")[:5])
        desk["overdue"] = mine.filter(due_at__lt=now).count()
        if org.kind == "state_election_office" and org.state_id:
            in_state = obligations.visible_obligations(request).filter(state_id=org.state_id)
            desk["state"] = {
                "name": org.state.name,
                "overdue": in_state.with_status(Status.OVERDUE, now).count(),
                "due_soon": in_state.with_status(Status.DUE_SOON, now).count(),
                "open": in_state.open().count(),
            }
    if allowed(request, ENGAGEMENTS):
        desk["follow_ups"] = list(
            FollowUp.objects.filter(owner=request.user, status="open").select_related("engagement").order_by("due_date")[:5]
        )
        if desk["state"] is not None:
            last = engagements.engagements(Actor.of(request)).filter(state_id=org.state_id).order_by("-meeting_date").first()
            desk["state"]["last_engagement"] = last
    if allowed(request, "outbox:inbox:view"):
        desk["unread"] = outbox.unread_count(request.user)
        desk["notices"] = list(outbox.inbox_of(request.user).filter(read_at__isnull=True)[:3])
    return desk


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

"""Obligation pages: my deadlines, the compliance board, the month calendar, one obligation,
CSV export and the calendar feed. Thin: reads through ``queries`` (always scoped), writes through
``services`` and ``feeds``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.permissions import has_permission
from safelect.core.accounts.scope import get_visible_or_404
from safelect.core.directory.queries import viewer_zone
from safelect.core.exports import CsvRows
from safelect.core.web.permissions import PUBLIC, requires

from . import feeds, queries, services
from .explain import format_due
from .models import Obligation, Status
from .permissions import BOARD, FULFIL, VIEW, WAIVE
from .registry import every_duty
from .registry import get as registry_get


def _render(request, template: str, context: dict):
    return render(request, template, {**context, "perms_board": has_permission(request, BOARD)})


def _scoped(request):
    return queries.visible_obligations(request)


@requires(VIEW)
def mine(request):
    """The acting organization's own obligations, overdue first."""
    org = getattr(request, "acting_organization", None)
    now = timezone.now()
    qs = queries.of_organization(org, _scoped(request)) if org is not None else Obligation.objects.none()
    status = request.GET.get("status", "")
    if status and status in Status.values:
        qs = qs.with_status(status, now)
    elif not request.GET.get("all"):
        qs = qs.filter(status=Status.OPEN) | qs.filter(due_at__gte=now - dt.timedelta(days=30))
    historical = bool(request.GET.get("historical"))
    if not historical:
        qs = qs.filter(is_historical=False)  # past cycles opened on request show only when asked for
    duties_here = sorted(set(qs.values_list("duty_code", flat=True)))
    duty = request.GET.get("duty", "")
    if duty in duties_here:
        qs = qs.filter(duty_code=duty)
    text = request.GET.get("q", "").strip()[:100]
    if text:
        qs = qs.filter(Q(subject_label__icontains=text) | Q(cycle__icontains=text))
    rows = queries.overdue_first(qs.distinct(), now)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return _render(
        request,
        "obligations/mine.html",
        {
            "organization": org,
            "rows": page,
            "page": page,
            "total": len(rows),
            "now": now,
            "status": status,
            "statuses": Status.choices,
            "duty": duty,
            "duties": [(code, _duty_label(code)) for code in duties_here],
            "q": text,
            "query": urlencode(query),
            "show_all": bool(request.GET.get("all")),
            "historical": historical,
        },
    )


def _duty_label(code: str) -> str:
    try:
        duty = registry_get(code)
    except KeyError:
        return code
    return f"{duty.citation} — {duty.title}"


@requires(BOARD)
def board(request):
    """National compliance board: by duty and by State, overdue first (within the viewer's scope)."""
    now = timezone.now()
    qs = queries.filtered(_scoped(request), duty=request.GET.get("duty", ""), state=request.GET.get("state", ""))
    data = queries.board(qs, now)
    return _render(
        request,
        "obligations/board.html",
        {
            **data,
            "duty": request.GET.get("duty", ""),
            "state": request.GET.get("state", ""),
            "duties": every_duty(),
            "columns": queries.BOARD_COLUMNS,
        },
    )


@requires(VIEW)
def calendar_today(request):
    today = timezone.now().astimezone(ZoneInfo(viewer_zone(request))).date()
    return redirect("obligations:calendar", year=today.year, month=today.month)


@requires(VIEW)
def calendar_month(request, year: int, month: int):
    """Month grid of due items in the acting organization's zone (``?mine=1``: only its own)."""
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise Http404("no such month")
    tz = viewer_zone(request)
    qs = _scoped(request)
    mine_only = bool(request.GET.get("mine"))
    if mine_only and getattr(request, "acting_organization", None) is not None:
        qs = qs.filter(holder=request.acting_organization)
    weeks = queries.month(qs, year, month, tz)
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return _render(
        request,
        "obligations/calendar.html",
        {
            "weeks": weeks,
            "month": first,
            "previous": previous,
            "following": following,
            "tz": tz,
            "now": timezone.now(),
            "mine_only": mine_only,
            "today": timezone.now().astimezone(ZoneInfo(tz)).date(),
        },
    )


def _get(request, pk: int) -> Obligation:
    return get_visible_or_404(queries.base(), request, scope=queries.SCOPE, pk=pk)


@requires(VIEW)
def detail(request, pk: int):
    obligation = _get(request, pk)
    now = timezone.now()
    try:
        duty = obligation.duty
    except KeyError:
        duty = None
    return _render(
        request,
        "obligations/detail.html",
        {
            "o": obligation,
            "duty": duty,
            "status": obligation.status_at(now),
            "now": now,
            "due_text": format_due(obligation.due_at, obligation.time_zone),
            "history": queries.history(obligation),
            "reminders": obligation.reminders.all(),
            "can_fulfil": not obligation.is_closed and services.may_fulfil(Actor.of(request), obligation),
            "can_waive": not obligation.is_closed and services.may_close(Actor.of(request), obligation),
            "can_reopen": obligation.is_closed and services.may_close(Actor.of(request), obligation),
        },
    )


def _moment(value: str, tz: str) -> dt.datetime:
    """A ``datetime-local`` form value in the holder's zone, or now when empty."""
    if not value:
        return timezone.now()
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))


def _record(request, pk: int, act, refused: str, done) -> HttpResponse:
    """Run one state change of an obligation from a form; say what happened, back to its page."""
    obligation = _get(request, pk)
    try:
        act(obligation, Actor.of(request))
    except (services.ObligationError, ValueError, PermissionDenied) as exc:
        messages.error(request, f"{refused}: {exc}")
    else:
        messages.success(request, done(obligation))
    return redirect("obligations:detail", pk=pk)


@require_POST
@requires(FULFIL)
def fulfil(request, pk: int):
    def act(obligation, actor):
        at = _moment(request.POST.get("at", ""), obligation.time_zone)
        services.fulfil(actor, obligation, at, request.POST.get("event", ""))

    return _record(request, pk, act, "Not recorded", lambda o: f"Recorded: {o.get_status_display().lower()}.")


@require_POST
@requires(WAIVE)
def waive(request, pk: int):
    def act(obligation, actor):
        services.waive(actor, obligation, request.POST.get("reason", ""))

    return _record(request, pk, act, "Not waived", lambda o: "Waived; the reason is in the obligation's history.")


@require_POST
@requires(WAIVE)
def reopen(request, pk: int):
    def act(obligation, actor):
        services.reopen(actor, obligation, request.POST.get("reason", ""))

    return _record(request, pk, act, "Not reopened", lambda o: "Reopened.")


CSV_COLUMNS = [
    "id",
    "duty",
    "citation",
    "title",
    "kind",
    "holder",
    "holder_key",
    "state",
    "subject",
    "cycle",
    "trigger_at",
    "due_at",
    "due_local",
    "time_zone",
    "status",
    "fulfilled_at",
    "fulfilled_by_event",
    "waived_reason",
    "rule",
]


def _csv_row(o: Obligation, now) -> list:
    try:
        duty = o.duty
        citation, title = duty.citation, duty.title
    except KeyError:
        citation, title = o.duty_code, ""
    return [
        o.pk,
        o.duty_code,
        citation,
        title,
        o.kind_label,
        o.holder.name,
        o.holder.key,
        o.state.usps if o.state_id else "",
        o.subject_label,
        o.cycle,
        o.trigger_at.isoformat(),
        o.due_at.isoformat(),
        o.local_due.isoformat(),
        o.time_zone,
        o.status_at(now).value,
        o.fulfilled_at.isoformat() if o.fulfilled_at else "",
        o.fulfilled_by_event,
        o.waived_reason,
        o.rule_description,
    ]


@requires(VIEW)
def export_csv(request):
    """Every obligation the viewer may see (filters: status, duty, state), as CSV."""
    now = timezone.now()
    qs = queries.filtered(
        _scoped(request),
        status=request.GET.get("status", ""),
        duty=request.GET.get("duty", ""),
        state=request.GET.get("state", ""),
        now=now,
    ).order_by("due_at", "pk")
    lines = CsvRows()

    def rows():
        yield lines.row(CSV_COLUMNS)
        for o in qs.iterator(chunk_size=500):
            yield lines.row(_csv_row(o, now))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="obligations.csv"'
    return response


@requires(VIEW)
def feed_settings(request):
    """The person's calendar feed: create (shown once), regenerate, revoke."""
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feeds.revoke_tokens(request.user)
            messages.success(request, "Calendar feed revoked: its address no longer works.")
            return redirect("obligations:feed-settings")
        token = feeds.issue_token(request.user)
    return _render(
        request,
        "obligations/feed_settings.html",
        {
            "live": feeds.live_token(request.user),
            "token_url": feeds.feed_url(token) if token else None,
        },
    )


@requires(PUBLIC)
def feed(request, token: str):
    """The iCalendar feed. Public route: the unguessable token in the URL is the credential."""
    user = feeds.user_for_token(token)
    if user is None:
        raise Http404("no such calendar feed")
    body = feeds.build_calendar(feeds.feed_obligations(user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response

"""The obligations API: scoped lists and details, the registry, explain, fulfil and waive."""

from zoneinfo import ZoneInfoNotFoundError

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.api_auth import api_auth
from safelect.core.accounts.scope import get_visible_or_404
from safelect.core.web import api_errors
from safelect.core.web.permissions import PUBLIC, requires

from . import queries, services
from .explain import explain as explain_due
from .explain import format_due
from .models import Obligation, Status
from .permissions import FULFIL, VIEW, WAIVE
from .registry import registry_as_dicts
from .schemas import FulfilIn, ObligationDetailOut, ObligationOut, WaiveIn

router = Router(tags=["obligations"], auth=api_auth)


def _out(o: Obligation, now, cls=ObligationOut, **extra):
    try:
        duty = o.duty
        citation, title = duty.citation, duty.title
    except KeyError:
        citation, title = o.duty_code, ""
    return cls(
        id=o.pk,
        duty=o.duty_code,
        citation=citation,
        title=title,
        kind="policy" if o.is_policy else "statutory",
        holder=o.holder.key,
        holder_name=o.holder.name,
        state=o.state.usps if o.state_id else None,
        subject={"type": o.subject_type, "id": o.subject_id, "label": o.subject_label} if o.subject_type else None,
        cycle=o.cycle,
        trigger_at=o.trigger_at,
        due_at=o.local_due,
        due_text=format_due(o.due_at, o.time_zone),
        time_zone=o.time_zone,
        status=o.status_at(now).value,
        rule=o.rule_description,
        fulfilled_at=o.fulfilled_at,
        fulfilled_by_event=o.fulfilled_by_event,
        waived_reason=o.waived_reason,
        url=settings.BASE_URL + reverse("obligations:detail", args=[o.pk]),
        **extra,
    )


def _detail(o: Obligation, now) -> ObligationDetailOut:
    try:
        text = o.duty.text
    except KeyError:
        text = ""
    history = [{"at": e.recorded_at, "actor": e.actor_label, "action": e.action, "summary": e.summary} for e in queries.history(o)]
    return _out(o, now, ObligationDetailOut, text=text, history=history)


def _invalid(field: str, message: str, where: str = "query") -> JsonResponse:
    return api_errors.invalid([{"loc": [where, field], "msg": message, "type": "value_error"}])


def _get(request, pk: int) -> Obligation:
    return get_visible_or_404(queries.base(), request, scope=queries.SCOPE, pk=pk)


@router.get("/obligations", response=list[ObligationOut], summary="Obligations you may see (filters: status, duty, state, mine)")
@requires(VIEW)
def list_obligations(
    request,
    status: str = "",
    duty: str = "",
    state: str = "",
    mine: bool = False,
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0),
):
    if status and status not in Status.values:
        raise HttpError(422, f"status must be one of {', '.join(Status.values)}")
    now = timezone.now()
    qs = queries.filtered(queries.visible_obligations(request), status=status, duty=duty, state=state, now=now)
    if mine:
        qs = qs.filter(holder=request.acting_organization)
    return [_out(o, now) for o in qs.order_by("due_at", "pk")[offset : offset + limit]]


@router.get("/obligations/{pk}", response=ObligationDetailOut, summary="One obligation with its statute text and history")
@requires(VIEW)
def get_obligation(request, pk: int):
    return _detail(_get(request, pk), timezone.now())


@router.post("/obligations/{pk}/fulfil", response=ObligationDetailOut, summary="Record what fulfilled an obligation")
@requires(FULFIL)
def fulfil(request, pk: int, payload: FulfilIn):
    o = _get(request, pk)
    try:
        services.fulfil(Actor.of(request), o, payload.at or timezone.now(), payload.event)
    except services.ObligationError as exc:
        return _invalid("event", str(exc), "body")
    return _detail(_get(request, pk), timezone.now())


@router.post("/obligations/{pk}/waive", response=ObligationDetailOut, summary="Waive an obligation with a written reason")
@requires(WAIVE)
def waive(request, pk: int, payload: WaiveIn):
    o = _get(request, pk)
    try:
        services.waive(Actor.of(request), o, payload.reason)
    except services.ObligationError as exc:
        return _invalid("reason", str(exc), "body")
    return _detail(_get(request, pk), timezone.now())


@router.get("/duties", summary="The registry of duties (statute text, rule, assumed date of enactment)")
@requires(PUBLIC)
def duties(request):
    return registry_as_dicts(settings.ENACTMENT_DATE)


@router.get("/explain", summary="Compute a duty's due moment for a trigger and say which rule was used")
@requires(PUBLIC)
def explain(request, code: str, trigger: str | None = None, tz: str = "America/New_York"):
    try:
        result = explain_due(code, trigger, tz, enactment=settings.ENACTMENT_DATE, overrides=services.policy_overrides())
    except ZoneInfoNotFoundError:
        return _invalid("tz", f"{tz!r} is not an IANA time zone name")
    except KeyError as exc:
        raise HttpError(404, str(exc.args[0])) from None
    except ValueError as exc:
        return _invalid("trigger", str(exc))
    return result.as_dict()

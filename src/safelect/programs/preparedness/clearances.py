"""Security clearance requests sponsored by the national office (S.2261 §4(l); H.R. 5011 §203).

* **Who asks for whom.** A State election office for its officials and designated technical staff;
  national program staff for the Commission's members and staff (both expedited, §4(l)(1)–(2)); a
  local election agency for its personnel (§4(l)(3)). The person must be an active member of the
  organization the request is for; a temporary clearance may be asked for (H.R. 5011 §203(3)).
* **Status with dates**, recorded by the clearance officer: requested → forms submitted → interim →
  final, or denied; an interim or final clearance may expire; a temporary one may be issued at any
  point before the final. Dates never run backwards or into the future. Only what an unclassified
  system may hold: dates, levels, a justification — no investigation content.
* **The kernel's clearance record follows**: an interim, temporary or final clearance creates the
  person's ``accounts.Clearance`` (what gates classified material, such as the catalog's annex);
  denial or expiry revokes it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts import services as accounts
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Clearance, Membership
from safelect.core.accounts.queries import has_clearance
from safelect.core.directory.models import Organization
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.outbox.services import send
from safelect.core.references import create_numbered

from .models import ClearanceRequest
from .permissions import CLEARANCE_MANAGE, CLEARANCE_REQUEST, CLEARANCE_VIEW

C = ClearanceRequest.Category
S = ClearanceRequest.Status
CATEGORIES_FOR = {
    Organization.Kind.STATE_ELECTION_OFFICE: {C.STATE_OFFICIAL, C.STATE_TECHNICAL},
    Organization.Kind.LOCAL_ELECTION_AGENCY: {C.OTHER_AGENCY},
    Organization.Kind.NATIONAL_OFFICE: {C.COMMISSION},
}
#: status → the statuses it may move to
NEXT = {
    S.REQUESTED: {S.FORMS_SUBMITTED, S.DENIED},
    S.FORMS_SUBMITTED: {S.INTERIM, S.FINAL, S.DENIED},
    S.INTERIM: {S.FINAL, S.DENIED, S.EXPIRED},
    S.FINAL: {S.EXPIRED},
    S.DENIED: set(),
    S.EXPIRED: set(),
}
DATE_FIELD = {
    S.FORMS_SUBMITTED: "forms_submitted_on",
    S.INTERIM: "interim_on",
    S.FINAL: "final_on",
    S.DENIED: "denied_on",
    S.EXPIRED: "expired_on",
}
KERNEL_KIND = {S.INTERIM: Clearance.Kind.INTERIM, S.FINAL: Clearance.Kind.FINAL}


def visible(actor: Actor):
    return actor.restrict(ClearanceRequest.objects.select_related("person", "organization", "state", "clearance"), CLEARANCE_VIEW)


def _person(email: str, organization: Organization):
    person = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if person is None or not Membership.objects.filter(user=person, organization=organization, is_active=True).exists():
        raise ValidationError({"person": f"No active member of {organization.name} has that email address."})
    return person


@transaction.atomic
def request_clearance(actor: Actor, values: dict) -> ClearanceRequest:
    """Ask the national office to sponsor ``person``'s clearance (``category``, ``level``,
    ``temporary``, ``justification``)."""
    actor.require(CLEARANCE_REQUEST)
    org = actor.organization
    allowed = CATEGORIES_FOR.get(getattr(org, "kind", None), set())
    category = values.get("category")
    if category not in allowed:
        raise PermissionDenied("your organization does not request clearances in that category")
    target = org
    if category == C.COMMISSION:
        target = Organization.objects.filter(kind=Organization.Kind.EAC).order_by("pk").first()
        if target is None:
            raise ValidationError("The Commission is not in the directory.")
    level = values.get("level") or "secret"
    if level not in Clearance.Level.values:
        raise ValidationError({"level": "Choose Confidential, Secret or Top Secret."})
    justification = (values.get("justification") or "").strip()
    if len(justification) > 2000:
        raise ValidationError({"justification": "At most 2,000 characters; no investigation content."})
    person = _person(values.get("person", ""), target)
    if ClearanceRequest.objects.filter(person=person, status__in=[S.REQUESTED, S.FORMS_SUBMITTED, S.INTERIM]).exists():
        raise ValidationError({"person": f"{person.email} already has a clearance request in progress."})
    now = timezone.now()
    found = create_numbered(
        ClearanceRequest,
        "CLR",
        now.year,
        person=person,
        organization=target,
        state=target.state,
        category=category,
        level=level,
        temporary=bool(values.get("temporary")),
        justification=justification,
        requested_at=now,
        requested_by=actor.user,
    )
    record(
        actor=actor.user,
        organization=org,
        action="preparedness:clearance:request",
        obj=found,
        summary={"person": person.email, "category": category, "level": level, "expedited": found.expedited},
    )
    return found


def _checked_day(request: ClearanceRequest, on) -> dt.date:
    if not isinstance(on, dt.date):
        raise ValidationError({"on": "Give the date."})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date cannot be in the future."})
    earlier = [getattr(request, f) for f in ("forms_submitted_on", "interim_on", "final_on", "temporary_on") if getattr(request, f)]
    floor = max([timezone.localtime(request.requested_at).date(), *earlier])
    if on < floor:
        raise ValidationError({"on": f"The date cannot be before {floor:%B %-d, %Y} (the request's last step)."})
    return on


def _locked(actor: Actor, request: ClearanceRequest) -> ClearanceRequest:
    actor.require(CLEARANCE_MANAGE)
    if not visible(actor).filter(pk=request.pk).exists():
        raise PermissionDenied("that request is outside your scope")
    return (
        ClearanceRequest.objects.select_for_update(of=("self",))
        .select_related("person", "organization", "state", "clearance")
        .get(pk=request.pk)
    )


def _notify(actor: Actor, request: ClearanceRequest, since: dt.date) -> None:
    send(
        "preparedness.clearance_status",
        context={
            "reference": request.reference,
            "person": request.person.get_full_name() or request.person.email,
            "status": request.get_status_display(),
            "since": f"{since:%B %-d, %Y}",
            "organization_id": request.organization_id,
            "path": reverse("preparedness:clearances"),
        },
        actor=actor.user,
        organization=actor.organization,
        subject_object=request,
    )


@transaction.atomic
def set_status(actor: Actor, request: ClearanceRequest, status: str, on: dt.date, expires_on: dt.date | None = None) -> ClearanceRequest:
    """Record the next status and its date; an interim or final clearance creates the kernel record
    (``expires_on`` required for an interim one), denial or expiry revokes it."""
    request = _locked(actor, request)
    if status not in NEXT.get(request.status, set()):
        raise ValidationError({"status": f"A request that is {request.get_status_display().lower()} cannot become that."})
    on = _checked_day(request, on)
    setattr(request, DATE_FIELD[status], on)
    request.status = status
    if status in KERNEL_KIND:
        if request.clearance is not None and request.clearance.status == Clearance.Status.ACTIVE:
            accounts.revoke_clearance(actor, clearance=request.clearance)
        request.clearance = accounts.grant_clearance(
            actor,
            user=request.person,
            level=request.level,
            kind=KERNEL_KIND[status],
            sponsor=national_office(),
            granted_on=on,
            expires_on=expires_on if status == S.INTERIM else None,
        )
    elif status in (S.DENIED, S.EXPIRED) and request.clearance is not None and request.clearance.status == Clearance.Status.ACTIVE:
        accounts.revoke_clearance(actor, clearance=request.clearance)
    request.save()
    _notify(actor, request, on)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="preparedness:clearance:status",
        obj=request,
        summary={"status": status, "on": on.isoformat()},
    )
    return request


@transaction.atomic
def issue_temporary(actor: Actor, request: ClearanceRequest, on: dt.date, expires_on: dt.date) -> ClearanceRequest:
    """A temporary clearance (H.R. 5011 §203(3)) while the request is in progress."""
    request = _locked(actor, request)
    if request.status not in (S.REQUESTED, S.FORMS_SUBMITTED, S.INTERIM) or request.temporary_on is not None:
        raise ValidationError("A temporary clearance is issued once, while the request is in progress.")
    on = _checked_day(request, on)
    if not isinstance(expires_on, dt.date) or expires_on <= on or (expires_on - on).days > 366:
        raise ValidationError({"expires_on": "A temporary clearance expires after it is issued, within a year."})
    request.temporary_on = on
    request.clearance = accounts.grant_clearance(
        actor,
        user=request.person,
        level=request.level,
        kind=Clearance.Kind.TEMPORARY,
        sponsor=national_office(),
        granted_on=on,
        expires_on=expires_on,
    )
    request.save(update_fields=["temporary_on", "clearance"])
    _notify(actor, request, on)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="preparedness:clearance:temporary",
        obj=request,
        summary={"on": on.isoformat()},
    )
    return request


def holds_clearance(user) -> bool:
    """An active, unexpired clearance of any level in the kernel's records (what the catalog's annex
    notes ask for): the kernel's own check, at the lowest level."""
    return has_clearance(user, Clearance.Level.CONFIDENTIAL)
